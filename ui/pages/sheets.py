"""交账单: the settlement sheets, who signed which step and when, and the logged-in person's signature.

The chain (营业员 → 部门助理 → 主管 → 财务 by default) is the facade's: the person logged in signs
the NEXT step; finance's 签收 needs the voucher number and freezes the sheet. A refusal is shown
under the sheet with what to do next (REVIEWER_CONFLICT: someone who did not sell in the shift
signs; ROLE_FORBIDDEN: the person holding the step's role logs in; SHEET_FROZEN: nothing more to
sign). The PDF is the facade's `sheet_pdf` (signatures so far): every page is shown, rendered by
PDFium (receipts/pdf_pages.py; 上一页 / 下一页), and "另存 PDF…" saves the whole sheet.

Nobody signs a sheet unread: the sign button stays off until the sheet was opened on this page in
this session (the preview shown; where no preview tool is installed, the PDF saved to be opened
outside, as the page then says).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from receipts.pdf_pages import page_pngs as pdf_page_pngs
from ui import style
from ui.models import Column, RowsModel, yuan_column
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.register_export import export_register
from ui.style import OK_STYLE
from ui.times import shown_time
from ui.widgets import ERROR_STYLE, Field, info_label

translate = QCoreApplication.translate


def local(moment: Any) -> str:
    return shown_time(moment)


def step_title(title: str | None) -> str:
    """A sign-off step's title (the setting `settlement.sign_chain` holds Chinese titles): the default
    chain's titles in the UI's language; a title the centre made up stays as written."""
    known = {
        "营业员": translate("Sheets", "营业员"),
        "部门助理": translate("Sheets", "部门助理"),
        "主管": translate("Sheets", "主管"),
        "财务": translate("Sheets", "财务"),
    }
    return known.get(title or "", title or "")


def sheet_state(row: Any) -> str:
    if row.frozen:
        voucher = getattr(row, "voucher_no", None)
        if voucher:
            return translate("Sheets", "已签收冻结（凭证号 {0}）").format(voucher)
        return translate("Sheets", "已签收冻结")
    return translate("Sheets", "待{0}签字").format(step_title(row.next_step))


def sheets_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Sheets", "交账单号"), lambda r: r.sheet_no),
            Column(translate("Sheets", "窗口"), lambda r: r.workstation),
            Column(translate("Sheets", "营业员"), lambda r: r.cashier),
            Column(translate("Sheets", "结账时间"), lambda r: r.closed_at, local),
            yuan_column(translate("Sheets", "应有"), lambda r: r.expected_fen),
            yuan_column(translate("Sheets", "实点"), lambda r: r.counted_fen),
            yuan_column(translate("Sheets", "长短款"), lambda r: r.difference_fen),
            Column(translate("Sheets", "状态"), lambda r: r, sheet_state),
        ],
        parent,
    )


def signatures_text(info: Any) -> str:
    lines = [
        translate("Sheets", "{0}：{1}（{2}）").format(step_title(step), who, local(at))
        for step, who, at in info.signatures
    ] or [translate("Sheets", "尚无人签字")]
    if info.frozen:
        lines.append(translate("Sheets", "财务已签收，本单已冻结"))
    voucher = getattr(info, "voucher_no", None)
    if voucher:
        lines.append(translate("Sheets", "凭证号：{0}").format(voucher))
    return "\n".join(lines)


def refusal_text(exc: BaseException, next_step: str | None) -> str:
    """The facade's reason, and for a wrong person the step's holder by name of the step."""
    text = error_text(exc)
    if getattr(exc, "code", "") == "ROLE_FORBIDDEN" and next_step:
        text += "\n" + translate("Sheets", "这一步是“{0}”：请由担任该职务的人员登录后签字").format(
            step_title(next_step)
        )
    return text


def page_pngs(pdf: bytes, dpi: int = 60) -> list[bytes] | None:
    """Every page as PNG, in order (PDFium, receipts/pdf_pages.py); None for a PDF it cannot read.
    Runs on the worker."""
    try:
        return pdf_page_pngs(pdf, dpi) or None
    except ValueError:
        logging.getLogger(__name__).exception("sheet PDF not readable for the preview")
        return None


class SheetsPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Sheets", "交账单")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.info: Any = None
        self.viewed: set[str] = set()  # sheets opened on this page in this session: may be signed
        self.pages: list[bytes] = []
        self.page_index = 0
        self.preview_missing = False
        self.model = sheets_model(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setMinimumHeight(200)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _p: self.select(cur.row()))
        refresh = style.with_icon(QPushButton(translate("Sheets", "刷新")), "refresh")
        refresh.clicked.connect(self.refresh)
        self.add(style.left(refresh))
        self.add(self.view)
        self.add(self._detail())
        self.finish()

    def _detail(self) -> QWidget:
        box = QGroupBox(translate("Sheets", "签字"))
        column = QVBoxLayout(box)
        self.signatures = info_label(translate("Sheets", "请在上表选择交账单"))
        self.voucher = Field(translate("Sheets", "凭证号（财务签收时填写）"))
        self.voucher.setVisible("finance" in self.ctx.roles)
        self.sign_button = style.primary(
            QPushButton(translate("Sheets", "本人签字（{0}）").format(self.ctx.operator_name))
        )
        self.sign_button.clicked.connect(self.sign)
        self.view_button = style.with_icon(QPushButton(translate("Sheets", "查看交账单")), "view")
        self.view_button.clicked.connect(self.show_pdf)
        self.prev_button = QPushButton(translate("Sheets", "上一页"))
        self.prev_button.clicked.connect(lambda: self.turn(-1))
        self.next_button = QPushButton(translate("Sheets", "下一页"))
        self.next_button.clicked.connect(lambda: self.turn(1))
        self.page_label = QLabel()
        self.save_button = style.with_icon(QPushButton(translate("Sheets", "另存 PDF…")), "save")
        self.save_button.clicked.connect(self.save_pdf)
        self.register_button = QPushButton(translate("Sheets", "售电登记表…"))
        self.register_button.clicked.connect(self.sales_register)
        buttons = QHBoxLayout()
        for button in (self.sign_button, self.view_button, self.save_button, self.register_button):
            button.setEnabled(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        paging = QHBoxLayout()
        for widget in (self.prev_button, self.page_label, self.next_button):
            widget.setEnabled(False)
            paging.addWidget(widget)
        paging.addStretch(1)
        self.must_view = info_label(translate("Sheets", "请先点“查看交账单”阅读本单，再签字"))
        self.must_view.setVisible(False)
        self.result = info_label()
        self.page_image = QLabel()
        self.page_image.setAlignment(Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.signatures)
        column.addWidget(self.voucher)
        column.addLayout(buttons)
        column.addWidget(self.must_view)
        column.addWidget(self.result)
        column.addLayout(paging)
        column.addWidget(self.page_image)
        return box

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        session, keep = self.ctx.session, self.current_sheet_no()
        FacadeOp(self, session.list_sheets).success(lambda rows: self._listed(rows, keep)).failure(
            self._failed
        ).run()

    def _listed(self, rows: list[Any], keep: str | None) -> None:
        self.model.set_rows(rows)
        style.fit_columns(self.view)
        numbers = [r.sheet_no for r in rows]
        if keep in numbers:
            self.view.selectRow(numbers.index(keep))

    def current_row(self) -> Any:
        index = self.view.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def current_sheet_no(self) -> str | None:
        row = self.current_row()
        return row.sheet_no if row else None

    def select(self, row: int) -> None:
        if row < 0:
            return
        sheet_no, session = self.model.row(row).sheet_no, self.ctx.session
        if self.info is None or self.info.sheet_no != sheet_no:  # a refresh keeps what was said
            self.result.clear()
            self._set_pages([])
        FacadeOp(self, lambda: session.sheet_info(sheet_no=sheet_no)).success(self._show_info).failure(
            self._failed
        ).run()

    def _show_info(self, info: Any) -> None:
        self.info = info
        self.signatures.setText(
            translate("Sheets", "交账单 {0}\n").format(info.sheet_no) + signatures_text(info)
        )
        self._update_sign_button()
        self.view_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.register_button.setEnabled(True)

    # --- signing -------------------------------------------------------------------------------------
    def may_sign(self) -> bool:
        """The shown sheet is not frozen and was opened on this page in this session."""
        return self.info is not None and not self.info.frozen and self.info.sheet_no in self.viewed

    def _update_sign_button(self) -> None:
        self.sign_button.setEnabled(self.may_sign())
        self.must_view.setVisible(
            self.info is not None and not self.info.frozen and self.info.sheet_no not in self.viewed
        )

    def sign(self) -> None:
        row = self.current_row()
        if row is None:
            return
        if row.sheet_no not in self.viewed:
            self.must_view.setVisible(True)  # a shortcut or a script: still no signing unread
            return
        voucher, session = self.voucher.text() or None, self.ctx.session
        self.sign_button.setEnabled(False)
        FacadeOp(self, lambda: session.sign_sheet(sheet_no=row.sheet_no, voucher_no=voucher)).success(
            self._signed
        ).failure(lambda exc: self._sign_refused(exc, row.next_step)).run()

    def _signed(self, info: Any) -> None:
        self._show_info(info)
        self.result.setStyleSheet(OK_STYLE)
        done = info.signatures[-1][0] if info.signatures else ""
        self.result.setText(translate("Sheets", "已签字：{0}").format(done))
        self.voucher.set_text("")
        self.refresh()

    def _sign_refused(self, exc: BaseException, next_step: str | None) -> None:
        self._update_sign_button()
        if getattr(exc, "field", None) == "voucher_no":
            self.voucher.setVisible(True)
            self.voucher.show_error(error_text(exc))
            return
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(refusal_text(exc, next_step))

    # --- the PDF -------------------------------------------------------------------------------------
    def show_pdf(self) -> None:
        sheet_no, session = self.current_sheet_no(), self.ctx.session
        if not sheet_no:
            return
        FacadeOp(self, lambda: page_pngs(session.sheet_pdf(sheet_no=sheet_no))).success(
            lambda pages: self._show_pages(sheet_no, pages)
        ).failure(self._failed).run()

    def _show_pages(self, sheet_no: str, pages: list[bytes] | None) -> None:
        if sheet_no != self.current_sheet_no():
            return  # another sheet was chosen meanwhile
        if pages is None:
            self.preview_missing = True
            self.result.setText(
                translate("Sheets", "交账单 PDF 无法预览：请用“另存 PDF…”后打开，并报告管理员（见日志）")
            )
            return
        self.viewed.add(sheet_no)
        self._set_pages(pages)
        self._update_sign_button()

    def _set_pages(self, pages: list[bytes]) -> None:
        self.pages, self.page_index = pages, 0
        self._show_current_page()

    def turn(self, step: int) -> None:
        if self.pages:
            self.page_index = max(0, min(len(self.pages) - 1, self.page_index + step))
            self._show_current_page()

    def _show_current_page(self) -> None:
        if not self.pages:
            self.page_image.clear()
            self.page_label.clear()
            for widget in (self.prev_button, self.page_label, self.next_button):
                widget.setEnabled(False)
            return
        self.page_image.setPixmap(QPixmap.fromImage(QImage.fromData(self.pages[self.page_index])))
        self.page_label.setText(
            translate("Sheets", "第 {0} / {1} 页").format(self.page_index + 1, len(self.pages))
        )
        self.page_label.setEnabled(True)
        self.prev_button.setEnabled(self.page_index > 0)
        self.next_button.setEnabled(self.page_index < len(self.pages) - 1)

    @classmethod
    def ask_save_path(cls, parent: QWidget | None, suggested: str) -> str | None:
        """The save dialog (modal; tests monkeypatch this). None when cancelled."""
        path, _ = QFileDialog.getSaveFileName(
            parent, translate("Sheets", "保存交账单"), suggested, "PDF (*.pdf)"
        )
        return path or None

    def save_pdf(self) -> None:
        sheet_no, session = self.current_sheet_no(), self.ctx.session
        path = type(self).ask_save_path(self, f"{sheet_no}.pdf") if sheet_no else None
        if not path:
            return

        def write() -> str:
            Path(path).write_bytes(session.sheet_pdf(sheet_no=sheet_no))
            return path

        FacadeOp(self, write).success(lambda p: self._saved(sheet_no, p)).failure(self._failed).run()

    def sales_register(self) -> None:
        """The 售电登记表 of the selected sheet's shift (every transaction, voids marked)."""
        row = self.current_row()
        if row is not None:
            export_register(self, self.ctx.session, row.shift_id, self._register_said)

    def _register_said(self, text: str, is_error: bool) -> None:
        self.result.setStyleSheet(ERROR_STYLE if is_error else "")
        self.result.setText(text)

    def _saved(self, sheet_no: str | None, path: str) -> None:
        self.result.setText(translate("Sheets", "已保存：{0}").format(path))
        if self.preview_missing and sheet_no:  # no preview here: the saved file is how it is read
            self.viewed.add(sheet_no)
            self._update_sign_button()

    def _failed(self, exc: BaseException) -> None:
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(error_text(exc))
