"""Questions the core asks a person in the middle of an operation, without knowing any screen.

Electrum's `HardwareHandlerBase` pattern: a device operation running on the worker thread needs
"put the card on the reader" or "supervisor, please sign" answered before it can go on. The core
is handed an object with this interface; the Qt side (`ui/prompts.py`) shows a dialog on the GUI
thread and blocks the worker on a `threading.Event` until the person answers. The CLI can hand in
a terminal implementation; tests hand in `ScriptedPrompts`.

Rule for callers: never hold a database transaction open across a prompt (STYLE.md "Data").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class PromptHandler(Protocol):
    """What the core may ask. Every method blocks the calling (worker) thread until answered."""

    def show_message(self, text: str) -> None:
        """A non-blocking note ("请放卡…"), replaced by the next one; `finished()` removes it."""

    def finished(self) -> None:
        """The operation no longer needs the note shown by `show_message`."""

    def ask_yes_no(self, text: str) -> bool:
        """A yes/no question; False when the person cancels."""

    def ask_approval(self, summary: Any) -> Any | None:
        """A supervisor's credentials (`counter_app.api.Approval`) for exactly `summary` (the core's
        `approval_summary.ApprovalSummary` of the payload, or a plain dict); None = cancelled."""


class ScriptedPrompts:
    """Answers from a script, for tests and unattended runs: `ScriptedPrompts(yes_no=[True])`."""

    def __init__(
        self,
        yes_no: list[bool] | None = None,
        approvals: list[Any] | None = None,
        on_message: Callable[[str], None] | None = None,
    ) -> None:
        self._yes_no = list(yes_no or [])
        self._approvals = list(approvals or [])
        self._on_message = on_message
        self.messages: list[str] = []
        self.asked_approvals: list[Any] = []

    def show_message(self, text: str) -> None:
        self.messages.append(text)
        if self._on_message:
            self._on_message(text)

    def finished(self) -> None:
        pass

    def ask_yes_no(self, text: str) -> bool:
        self.messages.append(text)
        return self._yes_no.pop(0) if self._yes_no else False

    def ask_approval(self, summary: Any) -> Any | None:
        self.asked_approvals.append(summary)
        return self._approvals.pop(0) if self._approvals else None
