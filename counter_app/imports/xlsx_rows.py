"""Reading the first sheet of an XLSX import, streamed (openpyxl's read-only mode: one row at a
time from the zip, never the whole sheet in memory).

Two things a spreadsheet hides that an import must not (issue 12 §6):
- a number cell holds a binary float: a meter number typed as a number beyond 2**53 (Excel keeps
  15 digits) has already lost its last digits (12345678901234567890 → …569216), so such a cell is
  refused with its row, never turned into a wrong meter number;
- a formula cell keeps its value only if the program that saved the file computed it (Excel and
  WPS do; a file written by a script often does not): a formula without a value would read as an
  empty cell and its row would vanish silently, so it is reported with its row.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from itertools import zip_longest
from pathlib import Path
from typing import Any

from counter_app.imports.rows import (
    MAX_IMPORT_BYTES,
    LineError,
    RawTable,
    TableBuilder,
    failed,
    too_large,
    too_many_rows,
)

# A float holds every whole number up to 2**53 exactly; beyond it a number cell is not exact.
EXACT_FLOAT_MAX = 2**53


def read_xlsx(path: Path) -> RawTable:
    import openpyxl  # only when an XLSX is read: it is a slow import for the CLI

    if path.is_file() and path.stat().st_size > MAX_IMPORT_BYTES:
        return too_large()
    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        # The second read (formulas as written) only finds formulas without a value: a file
        # without any formula element is read once (half the time of a 20,000-row import).
        formulas = (
            openpyxl.load_workbook(path, read_only=True, data_only=False) if has_formulas(path) else None
        )
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        return failed("format", f"不是有效的 XLSX 文件：{exc}", f"not a valid XLSX file: {exc}")
    try:
        return _rows(values.worksheets[0].iter_rows(values_only=True),
                     formulas.worksheets[0].iter_rows(values_only=True) if formulas else ())  # fmt: skip
    finally:
        values.close()
        if formulas is not None:
            formulas.close()


# A formula element (<f>, <f t="shared" …/>, or with a namespace prefix, <x:f>) in a sheet's XML.
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def has_formulas(path: Path) -> bool:
    """Whether any worksheet of the file holds a formula, scanned in 1 MB pieces (bounded memory)."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
                continue
            with archive.open(name) as member:
                tail = b""
                while piece := member.read(1 << 20):
                    if _FORMULA.search(tail + piece):
                        return True
                    tail = piece[-64:]
    return False


def _rows(values: Any, formulas: Any) -> RawTable:
    builder = TableBuilder("xlsx")
    for line, (row, formula_row) in enumerate(zip_longest(values, formulas, fillvalue=()), start=1):
        cells: list[str] = []
        problems: list[LineError] = []
        for i, (value, formula) in enumerate(zip_longest(row, formula_row)):
            problem = _cell_problem(value, formula)
            if problem is not None:
                column = builder.column(i) if builder.seen_header else f"第 {i + 1} 列"
                problems.append(LineError(line, column, *problem))
            cells.append("" if problem else cell_text(value))
        if not builder.add(line, tuple(cells), problems):
            return too_many_rows()
    return builder.table()


def _cell_problem(value: object, formula: object) -> tuple[str, str] | None:
    if isinstance(value, float) and abs(value) > EXACT_FLOAT_MAX:
        return (f"数字 {value!r} 超出可精确保存的范围（电表号等长数字请将单元格设为文本后重新输入）",
                f"the number {value!r} cannot be exact (format the cell as text and type it again)")  # fmt: skip
    if value is None and _is_formula(formula):
        return ("单元格只有公式、没有计算结果：请在 Excel/WPS 中打开并保存，或“粘贴为数值”",
                "the cell holds a formula without a value: open and save it in Excel/WPS, or paste as values")  # fmt: skip
    return None


def _is_formula(formula: object) -> bool:
    if isinstance(formula, str):
        return formula.startswith("=")
    return formula is not None and type(formula).__name__ in ("ArrayFormula", "DataTableFormula")


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees. Numbers typed into Excel arrive as int or
    float: 308.0 is "308", never "308.0"; a date cell is its ISO date."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # repr() is the shortest round-trip text, so 0.5883 stays "0.5883" (no binary tail).
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
