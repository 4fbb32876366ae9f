"""What reading an import file gives (numbered rows of text cells, or one error for the file) and
the limits every reader keeps, so a file of any size or content is read in bounded memory.

Each cell is held to the counter's own text rule (base.validation.text_problem): a row with a
control character, a lone surrogate or an over-long cell is reported with its line and column,
never imported, exactly as the counter would refuse the same text typed at the screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from base.validation import CELL_MAX_LEN, text_problem

# The largest import file read: the yearly list of ~20,000 rooms is about 2 MB; 64 MB is a generous
# margin and still fits comfortably in memory once parsed. A larger file (or /dev/zero) is refused.
MAX_IMPORT_BYTES = 64 * 1024 * 1024
# One line of a CSV: a dozen short cells are well under 1 KB; 64 KB is a file that is not a table.
MAX_LINE_BYTES = 64 * 1024
# Rows of one file: ten times the largest campus.
MAX_ROWS = 200_000
# What text_problem refuses, found in one C search over a whole row (Unicode category Cc is exactly
# U+0000-U+001F and U+007F-U+009F; lone surrogates): only a row that has one is checked cell by cell.
_MAYBE_BAD = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


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
    header; `problems` the rows refused while reading (a control character, a number that cannot
    be exact, formulas without values), which are not in `rows`; `error` is set instead when the
    file could not be read at all."""

    encoding: str | None
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    error: LineError | None = None
    problems: tuple[LineError, ...] = ()


def failed(field_name: str, zh: str, en: str, encoding: str | None = None, line: int = 0) -> RawTable:
    return RawTable(encoding, (), (), LineError(line, field_name, zh, en))


def too_large() -> RawTable:
    mb = MAX_IMPORT_BYTES // (1024 * 1024)
    return failed("file", f"文件太大（超过 {mb} MB），不是一份房间表", f"the file is larger than {mb} MB")


def too_many_rows() -> RawTable:
    return failed("file", f"行数超过 {MAX_ROWS}，不是一份房间表", f"more than {MAX_ROWS} rows")


@dataclass
class TableBuilder:
    """Collects rows one at a time (the readers stream), checking each cell as it comes."""

    encoding: str | None
    header: tuple[str, ...] = ()
    rows: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    problems: list[LineError] = field(default_factory=list)
    seen_header: bool = False

    def add(self, line: int, cells: tuple[str, ...], problems: list[LineError] | None = None) -> bool:
        """Add one record (line 1 is the header); False when the file has too many rows."""
        found = list(problems or ()) + self._cell_problems(line, cells)
        if not self.seen_header:
            self.seen_header = True
            self.header = cells
            self.problems += found
            return True
        if found:
            self.problems += found
        elif any(cells):
            self.rows.append((line, cells))
        return len(self.rows) <= MAX_ROWS

    def column(self, index: int) -> str:
        name = self.header[index] if index < len(self.header) else ""
        return name or f"第 {index + 1} 列"

    def _cell_problems(self, line: int, cells: tuple[str, ...]) -> list[LineError]:
        if not _MAYBE_BAD.search("".join(cells)) and max(map(len, cells), default=0) <= CELL_MAX_LEN:
            return []
        out = []
        for i, cell in enumerate(cells):
            problem = text_problem(cell, CELL_MAX_LEN)
            if problem is not None:
                column = self.column(i) if self.seen_header else f"第 {i + 1} 列"
                out.append(LineError(line, column, problem[0], f"the cell {problem[1]}"))
        return out

    def table(self) -> RawTable:
        return RawTable(self.encoding, self.header, tuple(self.rows), None, tuple(self.problems))
