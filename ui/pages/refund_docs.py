"""The refund page's paper: the broken-meter refund (手工抄表, two 监督人), the A4 退费审批单 saved
for printing, and the graduation clearance slip (毕业离校结清证明).

Each document is the facade's own PDF (`refund_form_pdf`, `clearance` + `clearance_pdf`): this
module only asks where to save it and shows what the core said.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QPushButton, QVBoxLayout, QWidget

from ui import style
from ui.ops import FacadeOp, error_text
from ui.pages.form import ActionForm, Spec, note
from ui.style import OK_STYLE
from ui.widgets import ERROR_STYLE, Field, info_label

translate = QCoreApplication.translate


def ask_pdf_path(parent: QWidget | None, title: str, suggested: str) -> str | None:
    """The save dialog (modal; tests monkeypatch `RefundDocs.ask_path`). None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, "PDF (*.pdf)")
    return path or None


class RefundDocs:
    """Where the refund page's PDFs are saved; one place for tests to answer the save dialog."""

    ask_path: Callable[[QWidget | None, str, str], str | None] = staticmethod(ask_pdf_path)


def save_pdf_in_background(parent: QWidget, make: Callable[[], bytes], path: str, done: Callable[[str], None],
                           failed: Callable[[BaseException], None]) -> None:  # fmt: skip
    def write() -> str:
        Path(path).write_bytes(make())
        return path

    FacadeOp(parent, write).success(done).failure(failed).run()


def broken_meter_form(ctx: Any, describe: Callable[[Any], str]) -> ActionForm:
    """A refund on a manual reading: the meter cannot read a clear card, so the remaining energy
    is read by hand; DOMAIN asks two different 监督人 to sign the same figures and reason."""
    return ActionForm(
        ctx,
        translate("Refund", "电表损坏退电（手工抄表，两位监督人签字）"),
        [
            Spec("account_no", translate("Refund", "账户号或房间号")),
            Spec("manual_reading_ckwh", translate("Refund", "手工抄读剩余电量"), "kwh"),
            Spec("reason", translate("Refund", "原因（如：电表黑屏不能读卡）")),
            Spec("payee_name", translate("Refund", "收款人")),
            Spec("payee_id", translate("Refund", "学号/工号")),
            Spec("payee_account", translate("Refund", "银行卡号"), optional=True),
        ],
        lambda s, **kw: s.refund_room(**kw),
        describe,
        needs_approval=True,
        operation="refund_room",
        second_approval=True,
    )


class FormPdfButton(QPushButton):
    """另存退费审批单 (A4): enabled once a form was raised on one of `forms`; saves its PDF."""

    def __init__(self, ctx: Any, forms: list[ActionForm], parent: QWidget | None = None) -> None:
        super().__init__(translate("Refund", "另存退费审批单（A4 PDF）…"), parent)
        style.with_icon(self, "save")
        self.ctx, self.forms = ctx, forms
        self.result = info_label()
        self.setEnabled(False)
        self.clicked.connect(self.save)
        for form in forms:
            form.done.connect(lambda _result, form=form: self.picked(form))
        self.last_form: ActionForm | None = None

    def picked(self, form: ActionForm) -> None:
        self.last_form = form
        self.setEnabled(self.form_no() is not None)

    def form_no(self) -> str | None:
        """The form raised last on this page (either refund)."""
        if self.last_form is None:
            return None
        return getattr(self.last_form.last_result, "form_no", None)

    def save(self) -> None:
        form_no, session = self.form_no(), self.ctx.session
        if form_no is None:
            return
        path = RefundDocs.ask_path(self, translate("Refund", "保存退费审批单"), f"{form_no}.pdf")
        if not path:
            return
        save_pdf_in_background(self, lambda: session.refund_form_pdf(form_no=form_no), path,
                               self._saved, self._failed)  # fmt: skip

    def _saved(self, path: str) -> None:
        self.result.setStyleSheet("")
        self.result.setText(
            translate("Refund", "已保存：{0}（请用 A4 纸打印，交监督人和财务签字）").format(path)
        )

    def _failed(self, exc: BaseException) -> None:
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(error_text(exc))


class ClearanceTab(QWidget):
    """毕业离校结清: what still stands in the way, or the slip to save and print."""

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.found: Any = None
        self.account = Field(translate("Refund", "账户号或房间号"))
        self.account.edit.returnPressed.connect(self.check)
        self.check_button = QPushButton(translate("Refund", "查询结清情况"))
        self.check_button.clicked.connect(self.check)
        self.save_button = style.with_icon(QPushButton(translate("Refund", "另存结清证明（PDF）…")), "save")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        self.result = info_label()
        layout = QVBoxLayout(self)
        layout.addWidget(
            note(
                translate(
                    "Refund", "毕业离校：无未缴费用、无未完成写卡、房间已退电或已过户，方可开具结清证明。"
                )
            )
        )
        for widget in (self.account, self.check_button, self.result, self.save_button):
            layout.addWidget(widget)
        layout.addStretch(1)

    def check(self) -> None:
        account_no = self.account.text().strip()
        if not account_no:
            self.account.show_error(translate("Refund", "请输入账户号或房间号"))
            return
        self.account.clear_error()
        session = self.ctx.session
        FacadeOp(self, lambda: session.clearance(account_no=account_no)).success(self.show_found).failure(
            self._failed
        ).run()

    def show_found(self, found: Any) -> None:
        self.found = found
        self.save_button.setEnabled(bool(found.cleared))
        if found.cleared:
            self.result.setStyleSheet(OK_STYLE)
            self.result.setText(translate("Refund", "{0}：已结清，可开具结清证明").format(found.account_no))
            return
        self.result.setStyleSheet(ERROR_STYLE)
        lines = "\n".join(f"• {item}" for item in found.outstanding)
        self.result.setText(translate("Refund", "{0}：尚未结清\n{1}").format(found.account_no, lines))

    def save(self) -> None:
        found = self.found
        if found is None or not found.cleared:
            return
        path = RefundDocs.ask_path(
            self, translate("Refund", "保存结清证明"), f"结清证明-{found.account_no}.pdf"
        )
        if not path:
            return
        session, account_no = self.ctx.session, found.account_no
        save_pdf_in_background(self, lambda: session.clearance_slip_pdf(account_no=account_no), path,
                               self._saved, self._failed)  # fmt: skip

    def _saved(self, path: str) -> None:
        self.result.setStyleSheet(OK_STYLE)
        self.result.setText(translate("Refund", "已保存：{0}").format(path))

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(False)
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(error_text(exc))
