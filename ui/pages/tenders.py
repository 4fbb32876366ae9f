"""对账: campus-card (一卡通) and WeChat/Alipay takings matched against the statement files, for
finance, the assistant and the head (issue 15 item 2; facade `match_tender_statement`,
`record_tender_match`, `tender_matches`; file formats: docs/imports.md "Tender statements").

Check first (nothing written: the differences listed), then record: a second person co-signs and
the tender's period is frozen. The recorded matches are listed below; their report is the
reports page's 一卡通/微信/支付宝对账 (kind `tender-match`, PDF/XLSX).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QGroupBox, QPushButton, QTableView, QVBoxLayout

from base.money import format_yuan
from ui import style
from ui.models import Column, RowsModel, yuan_column
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec
from ui.widgets import ERROR_STYLE, info_label

translate = QCoreApplication.translate


def tender_choices() -> tuple[tuple[str, str], ...]:
    return (
        ("wechat", translate("Tenders", "微信")),
        ("alipay", translate("Tenders", "支付宝")),
        ("campus_card", translate("Tenders", "一卡通")),
    )


def difference_kinds() -> dict[str, str]:
    return {
        "ledger_only": translate("Tenders", "仅账面有"),
        "statement_only": translate("Tenders", "仅对账单有"),
        "amount": translate("Tenders", "金额不符"),
    }


def match_text(m: Any) -> str:
    by = translate("Tenders", "按交易号") if m.match_by == "reference" else translate("Tenders", "按日")
    text = translate("Tenders", "{0}：账面 ￥{1}，对账单 ￥{2}，相符 {3}，差异 {4}").format(
        by, format_yuan(m.ledger_fen), format_yuan(m.statement_fen), m.matched, len(m.differences)
    )
    if m.problems:
        text += "\n" + translate("Tenders", "无法读取的行：") + "；".join(m.problems[:5])
    if m.frozen:
        text += "\n" + translate("Tenders", "已记录并冻结：{0}（复核 {1}）").format(
            m.match_no, m.approved_by or ""
        )
    return text


def differences_model(parent=None) -> RowsModel:
    kinds = difference_kinds()
    return RowsModel(
        [
            Column(translate("Tenders", "交易号/日期"), lambda d: d.key),
            Column(translate("Tenders", "结果"), lambda d: kinds.get(d.kind, d.kind)),
            yuan_column(translate("Tenders", "账面"), lambda d: d.ledger_fen),
            yuan_column(translate("Tenders", "对账单"), lambda d: d.statement_fen),
            yuan_column(translate("Tenders", "差额"), lambda d: d.difference_fen),
            Column(translate("Tenders", "对账单行"), lambda d: d.statement_line or ""),
        ],
        parent,
    )


def matches_model(parent=None) -> RowsModel:
    labels = dict(tender_choices())
    return RowsModel(
        [
            Column(translate("Tenders", "核对编号"), lambda m: m.match_no),
            Column(translate("Tenders", "支付方式"), lambda m: labels.get(m.tender, m.tender)),
            Column(
                translate("Tenders", "期间"),
                lambda m: f"{m.period_from.isoformat()}～{m.period_to.isoformat()}",
            ),
            yuan_column(translate("Tenders", "账面"), lambda m: m.ledger_fen),
            yuan_column(translate("Tenders", "对账单"), lambda m: m.statement_fen),
            Column(translate("Tenders", "差异"), lambda m: len(m.differences)),
            Column(
                translate("Tenders", "核对人/复核人"), lambda m: f"{m.operator or ''} / {m.approved_by or ''}"
            ),
        ],
        parent,
    )


class RecordForm(ActionForm):
    """The record button: the check form's values, co-signed (the core says what it binds first)."""

    def __init__(self, ctx: Any, source: ActionForm, describe: Any) -> None:
        super().__init__(ctx, translate("Tenders", "记录并签字冻结"), [],
                         lambda session, **kw: session.record_tender_match(**kw), describe,
                         needs_approval=True, operation="record_tender_match")  # fmt: skip
        self.source = source

    def values(self) -> dict[str, Any]:
        return self.source.values()


class TendersPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Tenders", "对账")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.differences = differences_model(self)
        self.check = ActionForm(
            ctx,
            translate("Tenders", "核对对账单"),
            [
                Spec("tender", translate("Tenders", "支付方式"), "choice", choices=tender_choices()),
                Spec("period_from", translate("Tenders", "期间起"), "date"),
                Spec("period_to", translate("Tenders", "期间止"), "date"),
                Spec("path", translate("Tenders", "对账单文件（CSV/XLSX）")),
            ],
            lambda session, **kw: session.match_tender_statement(**kw),
            self._shown,
            button=translate("Tenders", "核对（不记录）"),
        )
        browse = style.with_icon(QPushButton(translate("Tenders", "选择文件…")), "open")
        browse.clicked.connect(self._browse)
        self.check.layout().insertWidget(1, browse)
        self.record = RecordForm(ctx, self.check, self._recorded)
        self.add(self.check)
        self.add(self.record)
        self.add(self._differences_box())
        self.add(self._matches_box())
        self.finish()

    def _browse(self) -> None:
        pattern = translate("Tenders", "对账单 (*.csv *.xlsx *.txt)")
        path, _ = QFileDialog.getOpenFileName(self, translate("Tenders", "选择对账单"), "", pattern)
        if path:
            self.check.fields["path"].edit.setText(path)

    def _differences_box(self) -> QGroupBox:
        box = QGroupBox(translate("Tenders", "差异"))
        column = QVBoxLayout(box)
        self.differences_view = QTableView()
        self.differences_view.setModel(self.differences)
        self.differences_view.verticalHeader().hide()
        self.differences_view.setMinimumHeight(150)
        style.fit_columns(self.differences_view)
        column.addWidget(self.differences_view)
        return box

    def _matches_box(self) -> QGroupBox:
        box = QGroupBox(translate("Tenders", "已记录的对账（已冻结）"))
        column = QVBoxLayout(box)
        self.matches = matches_model(self)
        self.matches_view = QTableView()
        self.matches_view.setModel(self.matches)
        self.matches_view.verticalHeader().hide()
        self.matches_view.setMinimumHeight(120)
        style.fit_columns(self.matches_view)  # headers whole before the first refresh
        refresh = style.with_icon(QPushButton(translate("Tenders", "刷新")), "refresh")
        refresh.clicked.connect(self.refresh)
        self.matches_note = info_label()
        column.addWidget(style.left(refresh))
        column.addWidget(self.matches_view)
        column.addWidget(self.matches_note)
        return box

    def _shown(self, result: Any) -> str:
        self.differences.set_rows(list(result.differences))
        style.fit_columns(self.differences_view)
        return match_text(result)

    def _recorded(self, result: Any) -> str:
        self.refresh()
        return self._shown(result)

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        session = self.ctx.session
        FacadeOp(self, session.tender_matches).success(self._listed).failure(self._failed).run()

    def _listed(self, rows: list[Any]) -> None:
        self.matches.set_rows(rows)
        style.fit_columns(self.matches_view)
        self.matches_note.setStyleSheet("")
        self.matches_note.setText(translate("Tenders", "共 {0} 份").format(len(rows)))

    def _failed(self, exc: BaseException) -> None:
        self.matches_note.setStyleSheet(ERROR_STYLE)
        self.matches_note.setText(error_text(exc))
