"""Small building blocks shared by pages: a field with its own error line, and parsing helpers.

A refusal is shown next to the field the error names (`UserFacingError.field`) and the typed text
is kept, so the cashier corrects rather than retypes.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from base.errors import UserFacingError
from base.money import format_yuan
from ui import i18n
from ui.ops import error_text
from ui.style import ERROR_STYLE, FIELD_ERROR_STYLE

translate = QCoreApplication.translate


class Field(QWidget):
    """A line edit with an error line under it. `show_error` keeps the text; editing clears it."""

    def __init__(self, placeholder: str = "", parent: QWidget | None = None, password: bool = False) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        if password:
            self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.edit)
        layout.addWidget(self.error)
        self.edit.textEdited.connect(lambda _t: self.clear_error())

    def text(self) -> str:
        return self.edit.text().strip()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.edit.setStyleSheet(FIELD_ERROR_STYLE)
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()
        self.edit.setStyleSheet("")

    def error_text(self) -> str:
        return self.error.text() if self.error.isVisible() or self.error.text() else ""


def route_error(exc: BaseException, fields: dict[str, Field], fallback: QLabel | None = None) -> bool:
    """Show `exc` next to the field it names; else in `fallback`. False = caller shows a dialog."""
    name = exc.field if isinstance(exc, UserFacingError) else None
    target = fields.get(name or "")
    if target is None and isinstance(exc, UserFacingError):
        target = fields.get("@" + exc.code)  # pages may map codes to fields ("@CARD_ABSENT")
    if target is not None:
        target.show_error(error_text(exc))
        return True
    if fallback is not None:
        fallback.setText(error_text(exc))
        fallback.setStyleSheet(ERROR_STYLE)
        return True
    return False


def money(fen: int) -> str:
    """￥12.34 in Chinese, ¥12.34 in English (no full-width sign in an English screen)."""
    return ("¥" if i18n.current_language() == "en" else "￥") + format_yuan(fen)


def colon(label: str) -> str:
    """A label's colon: full-width in Chinese ("房间："), ": " in English ("Room:")."""
    return label + (":" if i18n.current_language() == "en" else "：")


def list_separator() -> str:
    """Between the items of a list in running text: "，" in Chinese, ", " in English."""
    return ", " if i18n.current_language() == "en" else "，"


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def info_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
