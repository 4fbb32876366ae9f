"""Reading an import file (CSV or XLSX) into numbered rows of text cells, shared by every import.

Line numbers are the ones the spreadsheet shows (header = 1): the housing office fixes the file
in Excel or WPS, so "第 7 行" must be row 7 there. For a CSV that is the record number, not the
physical line (a quoted cell may hold a line break).

Encoding is decided deliberately, never guessed silently wrong (DOMAIN.md "Yearly import"):
UTF-8 (with or without BOM) is tried strictly, then GB18030 strictly; when both decode, the one
whose header row names more known columns wins, and UTF-8 wins a tie (GB18030 decodes many byte
strings into plausible-looking nonsense, UTF-8 very few). Anything else (UTF-16, binary, a file
neither decodes) is one clean "encoding" error; a NUL byte is named with its line (it is never
in a text export: the file is binary, or UTF-16 without its BOM).

Streamed with bounded memory (issue 12 §6): a first pass reads the bytes in chunks through both
strict decoders, stopping at the first NUL, at a line longer than MAX_LINE_BYTES or past
MAX_IMPORT_BYTES (so /dev/zero is refused at its first byte); the second pass parses the records
one at a time in the encoding chosen. XLSX: counter_app/imports/xlsx_rows.py.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from counter_app.imports.rows import (
    MAX_IMPORT_BYTES,
    MAX_LINE_BYTES,
    LineError,
    RawTable,
    TableBuilder,
    failed,
    too_large,
    too_many_rows,
)
from counter_app.imports.xlsx_rows import cell_text, read_xlsx

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_CHUNK = 1 << 16
# Python's codec for each encoding a CSV may have ("utf-8" strips a BOM).
_CODECS = {"utf-8": "utf-8-sig", "gb18030": "gb18030"}

HeaderScore = Callable[[Sequence[str]], int]

__all__ = ["LineError", "RawTable", "XLSX_SUFFIXES", "cell_text", "read_table"]


def read_table(path: Path | str, score_header: HeaderScore) -> RawTable:
    """Read `path` (XLSX by suffix, otherwise CSV). `score_header` counts the known column names
    in a candidate header row; it arbitrates between UTF-8 and GB18030."""
    path = Path(path)
    try:
        if path.suffix.lower() in XLSX_SUFFIXES:
            return read_xlsx(path)
        return _read_csv(path, score_header)
    except OSError as exc:
        return failed("file", f"无法读取文件：{exc.strerror or exc}", f"cannot read the file: {exc}")


# --- CSV ---------------------------------------------------------------------------------------

_ENCODING_ERROR = (
    "文件编码既不是 UTF-8 也不是 GB18030，请在 Excel/WPS 中另存为“CSV UTF-8”或 XLSX",
    "the file is neither UTF-8 nor GB18030; save it as CSV UTF-8 or XLSX",
)


def _read_csv(path: Path, score_header: HeaderScore) -> RawTable:
    with path.open("rb") as f:
        scanned = _scan(f)
    if isinstance(scanned, RawTable):
        return scanned
    first_lines = {name: first.decode(_CODECS[name], errors="replace") for name, first in scanned.items()}
    encoding = max(
        first_lines, key=lambda name: (score_header(_first_row(first_lines[name])), name != "gb18030")
    )
    return _parse_records(path, encoding, _delimiter(first_lines[encoding]))


@dataclass
class _Scanner:
    """The first pass: which strict decodings survive the whole file, and where it stops being text."""

    decoders: dict[str, codecs.IncrementalDecoder]
    first_line: bytes = b""
    first_done: bool = False
    line: int = 1
    line_bytes: int = 0
    total: int = 0

    def feed(self, part: bytes) -> RawTable | None:
        for name, decoder in list(self.decoders.items()):
            try:
                decoder.decode(part)
            except UnicodeDecodeError:
                del self.decoders[name]
        if not self.decoders:
            return failed("encoding", *_ENCODING_ERROR)
        return self._count_lines(part)

    def _count_lines(self, part: bytes) -> RawTable | None:
        pieces = part.split(b"\n")
        if not self.first_done:
            self.first_line += pieces[0]
            self.first_done = len(pieces) > 1 or len(self.first_line) > MAX_LINE_BYTES
        for i, piece in enumerate(pieces):
            if i:
                self.line += 1
                self.line_bytes = 0
            self.line_bytes += len(piece)
            if self.line_bytes > MAX_LINE_BYTES:
                kb = MAX_LINE_BYTES // 1024
                return failed("format", f"第 {self.line} 行超过 {kb} KB：这不是一份文本表格",
                              f"line {self.line} is longer than {kb} KB: not a text table", line=self.line)  # fmt: skip
        return None

    def finish(self) -> RawTable | None:
        for name, decoder in list(self.decoders.items()):
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                del self.decoders[name]
        return None if self.decoders else failed("encoding", *_ENCODING_ERROR)


def _scan(f: BinaryIO) -> dict[str, bytes] | RawTable:
    """{encoding: first line} for every encoding the whole file decodes in, or why it is no text."""
    scanner = _Scanner(
        {name: codecs.getincrementaldecoder(codec)(errors="strict") for name, codec in _CODECS.items()}
    )
    while chunk := f.read(_CHUNK):
        if scanner.total == 0 and chunk.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return failed(
                "encoding",
                "文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为“CSV UTF-8”或 XLSX",
                "the file is UTF-16 (Excel 'Unicode text'); save it as CSV UTF-8 or XLSX",
            )
        scanner.total += len(chunk)
        if scanner.total > MAX_IMPORT_BYTES:
            return too_large()
        nul = chunk.find(b"\x00")
        stop = scanner.feed(chunk if nul < 0 else chunk[:nul])
        if stop is not None:
            return stop
        if nul >= 0:
            return _nul_at(scanner.line)
    stop = scanner.finish()
    if stop is not None:
        return stop
    return {name: scanner.first_line for name in scanner.decoders}


def _nul_at(line: int) -> RawTable:
    # A NUL never appears in a text export: a binary file, an XLSX renamed .csv, or UTF-16 without BOM.
    return failed(
        "NUL",
        f"第 {line} 行含有 NUL 字节：这不是文本 CSV（可能是二进制文件、改了扩展名的 XLSX 或无 BOM 的 UTF-16），"
        "请在 Excel/WPS 中另存为“CSV UTF-8”或 XLSX",
        f"line {line} holds a NUL byte: not a text CSV (binary, a renamed XLSX or UTF-16 without BOM); "
        "save it as CSV UTF-8 or XLSX",
        line=line,
    )


def _delimiter(first_line: str) -> str:
    # Excel's "text (tab delimited)" export; commas win whenever the header has any.
    return "\t" if "\t" in first_line and "," not in first_line else ","


def _first_row(first_line: str) -> list[str]:
    try:
        return next(csv.reader([first_line.lstrip("\ufeff")], delimiter=_delimiter(first_line)), [])
    except csv.Error:
        return []


def _parse_records(path: Path, encoding: str, delimiter: str) -> RawTable:
    """The second pass: one record at a time (record 1 is the header)."""
    builder = TableBuilder(encoding)
    with path.open("r", encoding=_CODECS[encoding], errors="strict", newline="") as text:
        reader = csv.reader(text, delimiter=delimiter)
        try:
            for number, record in enumerate(reader, start=1):
                if not builder.add(number, tuple(cell.strip() for cell in record)):
                    return too_many_rows()
        except csv.Error as exc:
            return failed(
                "format",
                f"CSV 格式错误（第 {reader.line_num} 行附近）：{exc}",
                f"malformed CSV near line {reader.line_num}: {exc}",
                encoding,
            )
    return builder.table()
