"""验票: is a receipt ours? Scan its QR (a USB scanner types the text and Enter into the focused
field) or paste it; the answer is GENUINE or NOT GENUINE, big, in colour AND words, with what the
QR says (facade `verify_receipt(qr_text)` → `ReceiptCheck`; DOMAIN "Receipts and slips": anyone
holding the public key can check a receipt, so every role has this page).

Keyboard-first: the field has the focus whenever the page is shown, Enter checks, the field empties
at once so the next scan starts clean, the answer stays until the next check, Esc clears both.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel

from base.money import format_yuan
from ui import style
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.form import note
from ui.times import SECONDS, shown_time
from ui.widgets import Field

translate = QCoreApplication.translate
GENUINE_STYLE = style.VERDICT_OK_STYLE
VOIDED_STYLE = style.VERDICT_WARNING_STYLE
FORGED_STYLE = style.VERDICT_ERROR_STYLE
MAX_SHOWN = 120  # characters of the checked text shown back (the QR text is at most 200)


def verdict_text(genuine: bool, standing: str | None = None) -> str:
    if genuine and standing == "voided":
        return translate("Verify", "⚠ 真票，但已作废：这张凭条不再代表已付的钱")
    if genuine:
        return translate("Verify", "✔ 真票：本中心签发，内容未被改动")
    return translate("Verify", "✘ 不是真票：签名不符或内容被改动")


def local_time(moment: Any) -> str:
    return shown_time(moment, SECONDS) if moment else "—"


def check_rows(check: Any) -> list[tuple[str, str]]:
    """The receipt's data as (label, value) pairs; '—' for what the text did not carry."""
    amount = "—" if check.amount_fen is None else format_yuan(check.amount_fen, "¥")
    return [
        (translate("Verify", "收费点"), check.workstation or "—"),
        (translate("Verify", "凭条号"), check.receipt_no or "—"),
        (translate("Verify", "金额（元）"), amount),
        (translate("Verify", "时间（北京时间）"), local_time(check.at)),
    ]


class VerifyPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Verify", "验票")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.check: Any = None
        self.add(
            note(translate("Verify", "用扫码枪扫描凭条上的二维码，或粘贴二维码内容后按回车。Esc 清除。"))
        )
        self.field = Field(translate("Verify", "二维码内容（CR1|…）"))
        self.field.edit.setMaxLength(400)
        self.field.edit.returnPressed.connect(self.verify)
        self.add(self.field)
        self.verdict = QLabel()
        self.verdict.setObjectName("receiptVerdict")
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict.setWordWrap(True)
        self.verdict.hide()
        self.add(self.verdict)
        self.details = QFrame()
        form = QFormLayout(self.details)
        self.values: list[QLabel] = []
        self.labels: list[QLabel] = []
        for _ in range(4):
            label, value = QLabel(), QLabel()
            value.setStyleSheet("font-size: 20px;")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.labels.append(label)
            self.values.append(value)
            form.addRow(label, value)
        self.scanned = QLabel()
        self.scanned.setWordWrap(True)
        self.scanned.setStyleSheet(style.MUTED_STYLE)
        form.addRow(self.scanned)
        self.details.hide()
        self.add(self.details)
        self.hint = note("")
        self.hint.hide()
        self.add(self.hint)
        self.finish()
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self,
            self.clear,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

    def activated(self) -> None:
        self.field.edit.setFocus()

    def verify(self) -> None:
        text = self.field.edit.text().strip()
        if not text:
            return
        self.field.edit.clear()  # the next scan types into an empty field
        session = self.ctx.session
        FacadeOp(self, lambda: session.verify_receipt(qr_text=text)).success(
            lambda check: self.show_check(check, text)
        ).failure(lambda exc: self.field.show_error(error_text(exc))).run()

    def show_check(self, check: Any, text: str) -> None:
        self.check = check
        standing = getattr(check, "standing", None)
        self.verdict.setText(verdict_text(check.genuine, standing))
        style = GENUINE_STYLE if check.genuine else FORGED_STYLE
        self.verdict.setStyleSheet(VOIDED_STYLE if check.genuine and standing == "voided" else style)
        self.verdict.show()
        for (label, value), label_w, value_w in zip(check_rows(check), self.labels, self.values, strict=True):
            label_w.setText(label)
            value_w.setText(value)
        shown = text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"
        self.scanned.setText(translate("Verify", "已查验的内容：{0}").format(shown))
        self.details.show()
        readable = check.receipt_no is not None
        if check.genuine and standing == "voided":
            self.hint.setText(
                translate("Verify", "这笔售电已作废（或作废重开），不能据此退费或更正。重开的凭条是另一张号码。")
            )
        elif check.genuine and standing == "not_here":
            self.hint.setText(
                translate(
                    "Verify",
                    "签名真实，但本收费点的数据库里没有这张凭条（其他收费点单独的数据库？）。请核对凭条上印的内容。",
                )
            )
        elif check.genuine:
            self.hint.setText(translate("Verify", "请核对凭条上印的收费点、凭条号、金额和时间与上面一致。"))
        elif readable:
            self.hint.setText(
                translate(
                    "Verify",
                    "二维码可读，但签名与内容不符：凭条可能被改动或伪造。请勿据此办理退费或更正，请报告主管。",
                )
            )
        else:
            self.hint.setText(translate("Verify", "这不是本系统凭条的二维码（或扫描不完整），请重新扫描。"))
        self.hint.show()
        self.field.edit.setFocus()

    def clear(self) -> None:
        self.check = None
        self.field.edit.clear()
        self.field.clear_error()
        self.verdict.hide()
        self.details.hide()
        self.hint.hide()
        self.field.edit.setFocus()
