"""Reading an import file (CSV or XLSX) into numbered rows of text cells, shared by every import.

Line numbers are the ones the spreadsheet shows (header = 1): the housing office fixes the file
in Excel or WPS, so "第 7 行" must be row 7 there. For a CSV that is the record number, not the
physical line (a quoted cell may hold a line break).

Encoding is decided deliberately, never guessed silently wrong (DOMAIN.md "Yearly import"):
UTF-8 (with or without BOM) is tried strictly, then GB18030 strictly; when both decode, the one
whose header row names more known columns wins, and UTF-8 wins a tie (GB18030 decodes many byte
strings into plausible-looking nonsense, UTF-8 very few). Anything else (UTF-16, binary, a file
neither decodes) is one clean "encoding" error.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})


@dataclass(frozen=True)
class LineError:
    """One reason a line of an import file is refused. `line` 0 means the file as a whole
    (encoding, format); 1 is the header row."""

    line: int
    field: str
    message_zh: str
    message_en: str

    def describe(self) -> str:
        where = f"第 {self.line} 行" if self.line else "文件"
        return f"{where} [{self.field}] {self.message_zh} / {self.message_en}"


@dataclass(frozen=True)
class RawTable:
    """Text cells by spreadsheet row. `rows` holds (line, cells) for non-blank rows after the
    header; `error` is set instead when the file could not be read at all."""

    encoding: str | None
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    error: LineError | None = None


HeaderScore = Callable[[Sequence[str]], int]


def read_table(path: Path | str, score_header: HeaderScore) -> RawTable:
    """Read `path` (XLSX by suffix, otherwise CSV). `score_header` counts the known column names
    in a candidate header row; it arbitrates between UTF-8 and GB18030."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _failed("file", f"无法读取文件：{exc.strerror or exc}", f"cannot read the file: {exc}")
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _read_xlsx(data)
    return _read_csv(data, score_header)


def _failed(field: str, zh: str, en: str, encoding: str | None = None) -> RawTable:
    return RawTable(encoding, (), (), LineError(0, field, zh, en))


# --- CSV ---------------------------------------------------------------------------------------

_ENCODING_ERROR = (
    "文件编码既不是 UTF-8 也不是 GB18030，请在 Excel/WPS 中另存为“CSV UTF-8”或 XLSX",
    "the file is neither UTF-8 nor GB18030; save it as CSV UTF-8 or XLSX",
)


def _read_csv(data: bytes, score_header: HeaderScore) -> RawTable:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _failed(
            "encoding",
            "文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为“CSV UTF-8”或 XLSX",
            "the file is UTF-16 (Excel 'Unicode text'); save it as CSV UTF-8 or XLSX",
        )
    candidates = _decodings(data)
    if not candidates:
        return _failed("encoding", *_ENCODING_ERROR)
    encoding, text = max(candidates, key=lambda c: (score_header(_first_row(c[1])), c[0] != "gb18030"))
    if "\x00" in text:
        # A NUL never appears in a text export; this is a binary file (or UTF-16 without a BOM).
        return _failed("encoding", *_ENCODING_ERROR)
    return _table_from_text(text, encoding)


def _decodings(data: bytes) -> list[tuple[str, str]]:
    found = []
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding, errors="strict")
        except UnicodeDecodeError:
            continue
        found.append(("utf-8" if encoding == "utf-8-sig" else encoding, text))
    return found


def _delimiter(first_line: str) -> str:
    # Excel's "text (tab delimited)" export; commas win whenever the header has any.
    return "\t" if "\t" in first_line and "," not in first_line else ","


def _first_row(text: str) -> list[str]:
    first_line = text.split("\n", 1)[0]
    try:
        return next(csv.reader([first_line], delimiter=_delimiter(first_line)), [])
    except csv.Error:
        return []


def _table_from_text(text: str, encoding: str) -> RawTable:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]))
    try:
        records = [tuple(cell.strip() for cell in record) for record in reader]
    except csv.Error as exc:
        return _failed(
            "format",
            f"CSV 格式错误（第 {reader.line_num} 行附近）：{exc}",
            f"malformed CSV near line {reader.line_num}: {exc}",
            encoding,
        )
    return _numbered(records, encoding)


def _numbered(records: Sequence[tuple[str, ...]], encoding: str | None) -> RawTable:
    if not records:
        return RawTable(encoding, (), ())
    header = records[0]
    rows = tuple((line, cells) for line, cells in enumerate(records[1:], start=2) if any(cells))
    return RawTable(encoding, header, rows)


# --- XLSX --------------------------------------------------------------------------------------


def _read_xlsx(data: bytes) -> RawTable:
    import openpyxl  # only when an XLSX is read: it is a slow import for the CLI

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        return _failed("format", f"不是有效的 XLSX 文件：{exc}", f"not a valid XLSX file: {exc}")
    try:
        sheet = workbook.worksheets[0]
        records = [tuple(cell_text(v) for v in row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return _numbered(records, "xlsx")


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
