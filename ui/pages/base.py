"""What every page of the main window is: a titled widget with a shortcut and a `ctx`.

Pages know the workstation context and the facade's narrow surfaces only (ui/facade.py); the main
window knows pages only through this base. `activated()` runs whenever the page is shown, so a page
can refresh and put the focus where the cashier's hands expect it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from ui import style
from ui.context import Workstation
from ui.widgets import heading


class Page(QWidget):
    shortcut = ""  # "F1" …: set by the main window from the one key map (ui/pages PAGE_KEYS)
    allowed_when_restricted = False  # a supervisor-unlocked screen shows only the shift page

    def __init__(self, ctx: Workstation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        outer = QVBoxLayout(self)
        outer.setContentsMargins(style.SPACE_L, style.SPACE_M, style.SPACE_L, style.SPACE_S)
        outer.setSpacing(style.SPACE_S)
        outer.addWidget(heading(self.caption()))
        scroll = QScrollArea()
        scroll.setObjectName("pageScroll")
        scroll.setWidgetResizable(True)
        self.body = QWidget()
        self.body.setObjectName("pageBody")
        self.layout_ = QVBoxLayout(self.body)
        self.layout_.setContentsMargins(0, 0, style.SPACE_XS, 0)
        self.layout_.setSpacing(style.SPACE_M)
        scroll.setWidget(self.body)
        outer.addWidget(scroll)

    @classmethod
    def caption(cls) -> str:
        """The page's name in the current language (translated at call time, not import time)."""
        raise NotImplementedError

    def add(self, widget: QWidget) -> QWidget:
        self.layout_.addWidget(widget)
        return widget

    def finish(self) -> None:
        self.layout_.addStretch(1)

    def showEvent(self, event) -> None:  # noqa: N802 — Qt's name
        style.tidy_tables(self)  # tables built since the last show too (idempotent per table)
        super().showEvent(event)

    def activated(self) -> None:
        """Called when the page becomes visible."""
