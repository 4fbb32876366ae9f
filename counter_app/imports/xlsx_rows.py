"""Reading the first sheet of an XLSX import with calamine (python-calamine: Rust, ~15× faster than
openpyxl's read-only mode: 0.16 s instead of 2.4 s for the 20,000-room yearly list).

Bounded memory (issue 12 §6). calamine holds the sheet's filled rectangle in memory at once, one
32-byte slot per cell of the rectangle whether the cell is filled or not, so a 5 KB file with two
cells, A1 and XFD1048576, would make it ask for 512 GiB (and a Rust allocation failure aborts the
whole process, not only the import). Before calamine sees a file, one streamed pass over the
archive (1 MB pieces, nothing kept) refuses it when
- everything the archive unpacks to is more than MAX_XLSX_XML_BYTES (a zip bomb), or
- the first sheet's filled rectangle is more than MAX_XLSX_CELLS cells.
Within those limits the peak is measured in docs/imports.md ("XLSX").

Two things a spreadsheet hides that an import must not (issue 12 §6):
- a number cell holds a binary float: a meter number typed as a number beyond 2**53 (Excel keeps
  15 digits) has already lost its last digits (12345678901234567890 → …569216), so such a cell is
  refused with its row, never turned into a wrong meter number;
- a formula cell keeps its value only if the program that saved the file computed it (Excel and
  WPS do; a file written by a script often does not): a formula without a value would read as an
  empty cell and its row would vanish silently, so it is reported with its row. calamine gives
  values only, so a sheet that holds any formula element is parsed once more, streamed, with the
  standard library's expat (`_exact_scan`), to find the formula cells without a value.
"""

from __future__ import annotations

import itertools
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

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
# Everything an XLSX archive may unpack to. The 200,000-row limit (rows.MAX_ROWS) of a yearly list
# is ~100 MB of sheet XML; a zip bomb unpacks to gigabytes from a few megabytes.
MAX_XLSX_XML_BYTES = 192 * 1024 * 1024
# The first sheet's filled rectangle (rows × columns from its first to its last filled cell), which
# calamine holds at 32 bytes a cell: 200,000 rows × 20 columns, ~122 MiB.
MAX_XLSX_CELLS = 4_000_000
# A sheet of Excel (and WPS) ends there; a reference beyond it is no spreadsheet of theirs.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384
_PIECE = 1 << 20
# The longest XML tag the scan waits for across two pieces; a longer one is no spreadsheet.
_MAX_TAG = 1 << 20


def read_xlsx(path: Path) -> RawTable:
    if path.is_file() and path.stat().st_size > MAX_IMPORT_BYTES:
        return too_large()
    try:
        with zipfile.ZipFile(path) as archive:
            shape = _check_archive(archive)
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, zlib.error, ElementTree.ParseError) as exc:
        return _not_xlsx(exc)
    if isinstance(shape, RawTable):
        return shape
    from python_calamine import CalamineError, CalamineWorkbook  # a compiled module: loaded when used

    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            sheet = workbook.get_sheet_by_index(0)
            # the values are converted to Python one row at a time, as they are read
            return _rows(_lines(sheet.start, sheet.iter_rows()), shape.flagged)
    except (CalamineError, ValueError) as exc:
        return _not_xlsx(exc)


def _not_xlsx(exc: Exception) -> RawTable:
    return failed("format", f"不是有效的 XLSX 文件：{exc}", f"not a valid XLSX file: {exc}")


# --- The check before calamine ------------------------------------------------------------------

# An optional namespace prefix (<x:c>) before an element name.
_NS = rb"<(?:[A-Za-z_][\w.-]*:)?"
_FORMULA = re.compile(_NS + rb"f[\s>/]")
# A cell whose reference is its first attribute, as Excel, WPS, LibreOffice, openpyxl and XlsxWriter
# write it. A sheet with any other cell (no reference, a namespace prefix) gets the exact scan.
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_CELL_STARTS = (b"<c ", b"<c>", b"<c/>")
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s>/]")
_ERROR_CELL = re.compile(rb'<c [^>]*?\bt="e"')  # #DIV/0!, #N/A…: calamine reads them as empty
# What a flagged cell is: a formula without a value, or (any other text) an Excel error value.
FORMULA_WITHOUT_VALUE = ""


@dataclass
class SheetShape:
    """What the scan found in the first sheet: its filled rectangle (1-based, inclusive) and, when it
    holds formulas or error values, the cells an import must name: {line: {column: what}} (1-based;
    what: FORMULA_WITHOUT_VALUE or the error value's text)."""

    rows: tuple[int, int] = (0, 0)
    columns: tuple[int, int] = (0, 0)
    flagged: dict[int, dict[int, str]] = field(default_factory=dict)

    @property
    def cells(self) -> int:
        if not self.rows[1]:
            return 0
        return (self.rows[1] - self.rows[0] + 1) * (self.columns[1] - self.columns[0] + 1)


def _check_archive(archive: zipfile.ZipFile) -> SheetShape | RawTable:
    sheet_name = _first_sheet(archive)
    unpacked = 0
    shape: SheetShape | None = None
    needs_exact = False
    for info in archive.infolist():
        if info.is_dir():
            continue
        with archive.open(info) as member:
            if info.filename == sheet_name:
                fast = _fast_scan(member, MAX_XLSX_XML_BYTES - unpacked)
                if fast is None:
                    return _unpacks_too_large()
                shape, needs_exact, size = fast
            else:
                drained = _drain(member, MAX_XLSX_XML_BYTES - unpacked)
                if drained is None:
                    return _unpacks_too_large()
                size = drained
        unpacked += size
    if shape is None:
        raise KeyError(f"no worksheet {sheet_name}")
    if needs_exact or shape.cells > MAX_XLSX_CELLS:
        # Formulas to look at, cells without their own reference, or a rectangle too large at first
        # sight (the fast scan counts empty styled cells too; calamine only keeps filled ones).
        with archive.open(sheet_name) as member:
            shape = _exact_scan(member)
    if (
        shape.rows[1] > EXCEL_ROWS
        or shape.columns[1] > EXCEL_COLUMNS
        or max(shape.flagged, default=0) > EXCEL_ROWS
    ):
        raise ValueError(f"a cell beyond row {EXCEL_ROWS:,} or column {EXCEL_COLUMNS:,} (XFD)")
    if shape.cells > MAX_XLSX_CELLS:
        return _too_many_cells(shape)
    return shape


def _unpacks_too_large() -> RawTable:
    mb = MAX_XLSX_XML_BYTES // (1024 * 1024)
    return failed("file", f"XLSX 文件解压后超过 {mb} MB，不是一份房间表",
                  f"the XLSX file unpacks to more than {mb} MB")  # fmt: skip


def _too_many_cells(shape: SheetShape) -> RawTable:
    rows = shape.rows[1] - shape.rows[0] + 1
    columns = shape.columns[1] - shape.columns[0] + 1
    return failed(
        "file",
        f"第一个工作表的数据区域有 {rows} 行 × {columns} 列，超过 {MAX_XLSX_CELLS:,} 个单元格，不是一份房间表"
        "（若远处的单元格有多余内容，请删除后重新保存）",
        f"the first sheet's filled area is {rows} rows × {columns} columns, more than "
        f"{MAX_XLSX_CELLS:,} cells (delete stray cells far from the table and save again)",
    )


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The member calamine reads as sheet 0: the first <sheet> of xl/workbook.xml, through its
    relationship (the same fixed part names and target rule calamine uses)."""
    workbook = _small_xml(archive, "xl/workbook.xml")
    first = next((e for e in workbook.iter() if _local(e.tag) == "sheet"), None)
    if first is None:
        raise KeyError("the workbook has no sheet")
    rel_id = next((v for k, v in first.attrib.items() if _local(k) == "id"), None)
    rels = _small_xml(archive, "xl/_rels/workbook.xml.rels")
    for rel in rels.iter():
        if _local(rel.tag) == "Relationship" and rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            if target.startswith("/"):
                return target[1:]
            return target if target.startswith("xl/") else posixpath.normpath("xl/" + target)
    raise KeyError(f"no relationship {rel_id} for the first sheet")


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    with archive.open(name) as member:
        data = member.read(16 * _PIECE + 1)
    if len(data) > 16 * _PIECE:
        raise ValueError(f"{name} is larger than 16 MB")
    return ElementTree.fromstring(data)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _drain(member: IO[bytes], limit: int) -> int | None:
    """How many bytes a member unpacks to, or None past `limit` (read in pieces, nothing kept)."""
    size = 0
    while piece := member.read(_PIECE):
        size += len(piece)
        if size > limit:
            return None
    return size


def _fast_scan(member: IO[bytes], limit: int) -> tuple[SheetShape, bool, int] | None:
    """The sheet's filled rectangle from the cells' own references (r="B12"), in C-speed regular
    expressions over 1 MB pieces; whether it needs the exact scan (a formula, or a cell without a
    reference: its place is counted); its unpacked size. None past `limit`."""
    size = 0
    tail = b""
    first_row = last_row = first_col = last_col = 0
    letters: set[bytes] = set()
    needs_exact = False
    while True:
        piece = member.read(_PIECE)
        size += len(piece)
        if size > limit:
            return None
        text = tail + piece
        cut = text.rfind(b"<") if piece else len(text)  # a tag cut in two waits for the next piece
        if cut < 0:
            cut = len(text)
        text, tail = text[:cut], text[cut:]
        if len(tail) > _MAX_TAG:
            raise ValueError("an XML tag longer than 1 MB")
        refs = _CELL_REF.findall(text)
        cells = sum(text.count(start) for start in _CELL_STARTS)
        if (
            len(refs) != cells
            or _FORMULA.search(text)
            or _PREFIXED_CELL.search(text)
            or _ERROR_CELL.search(text)
        ):
            needs_exact = True
        if refs:
            # Sets first, in C: a row's dozen cells repeat its number (240,000 refs, 20,000 rows).
            found_letters = set(map(itemgetter(0), refs))
            numbers = list(map(int, set(map(itemgetter(1), refs))))
            low, high = min(numbers), max(numbers)
            first_row = min(first_row, low) if first_row else low
            last_row = max(last_row, high)
            letters.update(found_letters)
        if not piece:
            break
    if letters:
        columns = [_column(c) for c in letters]
        first_col, last_col = min(columns), max(columns)
    return SheetShape((first_row, last_row), (first_col, last_col)), needs_exact, size


def _column(letters: bytes | str) -> int:
    number = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        number = number * 26 + ord(ch) - 64
    return number


_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")


def _exact_scan(member: IO[bytes]) -> SheetShape:
    """The filled rectangle from the cells that hold a value (as calamine counts them), a cell
    without a reference placed after the one before it, the formula cells without a value and the
    error values; streamed with expat, each row dropped once read."""
    rows: list[int] = []
    columns: list[int] = []
    flagged: dict[int, dict[int, str]] = {}
    parents: list[ElementTree.Element] = []
    row = col = 0
    for event, elem in ElementTree.iterparse(member, events=("start", "end")):
        tag = _local(elem.tag)
        if event == "start":
            parents.append(elem)
            if tag == "row":
                row = int(elem.get("r") or row + 1)
                col = 0
            elif tag == "c":
                ref = _REF.fullmatch(elem.get("r") or "")
                col, row = (_column(ref[1]), int(ref[2])) if ref else (col + 1, row)
            continue
        parents.pop()
        if tag == "c":
            value = formula = False
            error = ""
            for child in elem:
                name = _local(child.tag)
                if name == "f":
                    formula = True
                elif name == "v" and child.text:
                    value = True
                    error = child.text if elem.get("t") == "e" else ""
                elif name == "is" and "".join(child.itertext()):
                    value = True
            if error:
                flagged.setdefault(row, {})[col] = error
            if value:
                rows.append(row)
                columns.append(col)
                if len(rows) > 4096:  # keep only the extremes
                    rows[:] = [min(rows), max(rows)]
                    columns[:] = [min(columns), max(columns)]
            elif formula:
                flagged.setdefault(row, {})[col] = FORMULA_WITHOUT_VALUE
        if tag in ("c", "row") and parents:
            parents[-1].remove(elem)  # bounded memory: a read row is not kept
    if not rows:
        return SheetShape(flagged=flagged)
    return SheetShape((min(rows), max(rows)), (min(columns), max(columns)), flagged)


# --- Rows -----------------------------------------------------------------------------------------


def _lines(start: tuple[int, int] | None, rows: Iterator[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
    """calamine's rows with their spreadsheet line numbers. python-calamine 0.9's iter_rows gives
    every row from the sheet's first (row 1 is the header even when it is blank), but only the
    columns from the first filled one: those before it are put back, so a column keeps its header.
    (tests/imports/test_xlsx_reader.py holds a table away from A1 to this.) The empty rows before
    the first filled one are skipped in C: a table at row 1,000,000 is not a million Python steps."""
    if start is None:
        return
    first_row, first_col = start
    if first_row:
        yield 1, []  # the header line, blank
        rows = itertools.islice(rows, first_row, None)
    for line, row in enumerate(rows, start=first_row + 1):
        yield line, ([""] * first_col + row) if first_col else row


def _rows(lines: Iterator[tuple[int, list[Any]]], flagged: dict[int, dict[int, str]]) -> RawTable:
    builder = TableBuilder("xlsx")
    no_flags: dict[int, str] = {}
    for line, row in _with_flagged_lines(lines, flagged):
        flags = flagged.get(line, no_flags)
        if flags and len(row) < max(flags):
            row = list(row) + [""] * (max(flags) - len(row))
        cells: list[str] = []
        problems: list[LineError] = []
        for i, value in enumerate(row):
            if type(value) is str and value:  # most cells: text as it is (no float, not empty)
                cells.append(value.strip())
                continue
            problem = _cell_problem(value, flags.get(i + 1))
            if problem is not None:
                column = builder.column(i) if builder.seen_header else f"第 {i + 1} 列"
                problems.append(LineError(line, column, *problem))
            cells.append("" if problem else cell_text(value))
        if not builder.add(line, tuple(cells), problems):
            return too_many_rows()
    return builder.table()


def _with_flagged_lines(
    lines: Iterator[tuple[int, list[Any]]], flagged: dict[int, dict[int, str]]
) -> Iterator[tuple[int, list[Any]]]:
    """calamine's lines, with the flagged lines it does not have (only formulas without a value,
    so empty to it) put in their place."""
    extra = sorted(flagged)
    j = 0
    for line, row in lines:
        while j < len(extra) and extra[j] < line:
            yield extra[j], []
            j += 1
        if j < len(extra) and extra[j] == line:
            j += 1
        yield line, row
    for line in extra[j:]:
        yield line, []


def _cell_problem(value: object, flag: str | None) -> tuple[str, str] | None:
    if isinstance(value, float) and abs(value) > EXACT_FLOAT_MAX:
        return (f"数字 {value!r} 超出可精确保存的范围（电表号等长数字请将单元格设为文本后重新输入）",
                f"the number {value!r} cannot be exact (format the cell as text and type it again)")  # fmt: skip
    if flag == FORMULA_WITHOUT_VALUE and value in (None, ""):
        return ("单元格只有公式、没有计算结果：请在 Excel/WPS 中打开并保存，或“粘贴为数值”",
                "the cell holds a formula without a value: open and save it in Excel/WPS, or paste as values")  # fmt: skip
    if flag:
        return (f"单元格是错误值 {flag}：请在 Excel/WPS 中修正后重新保存",
                f"the cell holds the error value {flag}: correct it in Excel/WPS and save again")  # fmt: skip
    return None


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a person sees. Numbers typed into Excel arrive as floats
    (calamine) or ints: 308.0 is "308", never "308.0"; a date cell is its ISO date."""
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
