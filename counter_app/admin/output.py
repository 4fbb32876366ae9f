"""Where `counter-admin` writes: results to stdout, errors to stderr. The only module of the core
that writes to the console, on purpose (library code never prints)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from counter_app.logs import ShownError


@dataclass
class Output:
    stdout: TextIO
    stderr: TextIO

    def line(self, text: str = "") -> None:
        self.stdout.write(text + "\n")

    def warn(self, text: str) -> None:
        self.stderr.write(text + "\n")

    def error(self, shown: ShownError) -> None:
        """`错误 [CODE] 中文` then `Error [CODE] English`: the cashier's language first, the
        English for the IT staff and for scripts that grep the code."""
        self.stderr.write(f"错误 [{shown.code}] {shown.message}\n")
        self.stderr.write(f"Error [{shown.code}] {shown.message_en}\n")
