"""定额送电: a cashier prepares a free-quota batch, a 监督人 co-signs it (DOMAIN.md 2)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTableView

from base.money import format_kwh
from ui.models import Column, RowsModel, kwh_column
from ui.ops import FacadeOp
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec, note

translate = QCoreApplication.translate


def waiting_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Quota", "批次号"), lambda r: r.batch_id),
            Column(translate("Quota", "期间"), lambda r: r.period),
            Column(translate("Quota", "楼栋"), lambda r: "、".join(r.buildings)),
            Column(translate("Quota", "房间数"), lambda r: r.rooms),
            kwh_column(translate("Quota", "电量（kWh）"), lambda r: r.total_ckwh),
            Column(translate("Quota", "经办"), lambda r: r.maker),
            Column(translate("Quota", "生成时间"), lambda r: r.created_at),
        ],
        parent,
    )


def _buildings(text: str) -> list[str]:
    return [b.strip() for b in text.replace("，", ",").split(",") if b.strip()]


class QuotaPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Quota", "定额送电")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.add(
            note(
                translate(
                    "Quota",
                    "学生免费电：按期间和楼栋生成批次，监督人复核后生效；"
                    "宿舍在下次持卡来时领取本学期全部未领电量。",
                )
            )
        )
        self.prepare = self.add(
            ActionForm(
                ctx,
                translate("Quota", "生成批次"),
                [
                    Spec("period", translate("Quota", "期间（YYYY-MM）")),
                    Spec("buildings", translate("Quota", "楼栋（逗号分隔）")),
                ],
                lambda s, period, buildings: s.prepare_quota_batch(
                    period=period, buildings=_buildings(buildings)
                ),
                lambda r: translate("Quota", "批次 {0}：{1} 间，共 {2} kWh，待监督人复核").format(
                    r.batch_id, r.rooms, format_kwh(r.total_ckwh)
                ),
            )
        )
        self.add(note(translate("Quota", "待复核的批次（选中一行即填入批次号）：")))
        self.waiting = waiting_model(self)
        self.waiting_view = QTableView()
        self.waiting_view.setModel(self.waiting)
        self.waiting_view.horizontalHeader().setStretchLastSection(True)
        self.waiting_view.setMinimumHeight(110)
        self.waiting_view.selectionModel().currentRowChanged.connect(self._batch_picked)
        self.add(self.waiting_view)
        self.approve = self.add(
            ActionForm(
                ctx,
                translate("Quota", "复核批次"),
                [Spec("batch_id", translate("Quota", "批次号"), "int")],
                lambda s, **kw: s.approve_quota_batch(**kw),
                lambda r: translate("Quota", "批次 {0} 已生效：{1} 间，{2} kWh（经办 {3}，复核 {4}）").format(
                    r.batch_id, r.rooms, format_kwh(r.total_ckwh), r.maker, r.checker
                ),
                needs_approval=True,
                operation="approve_quota_batch",
            )
        )
        self.collect = self.add(
            ActionForm(
                ctx,
                translate("Quota", "只领免费电（不购电）"),
                [Spec("account_no", translate("Quota", "账户号"))],
                lambda s, account_no: s.collect_free(account_no=account_no),
                lambda r: translate("Quota", "已写卡免费电 {0} kWh，票号 {1}").format(
                    format_kwh(r.free_ckwh), r.receipt_no
                ),
            )
        )
        # a batch just prepared is the one to review next; one approved leaves the list
        self.prepare.done.connect(self._prepared)
        self.approve.done.connect(lambda _result: self.activated())
        self.finish()

    def activated(self) -> None:
        session = self.ctx.session
        FacadeOp(self, session.waiting_quota_batches).success(self.waiting.set_rows).run()

    def _batch_picked(self, current, _previous=None) -> None:
        if current.isValid():
            self.approve.fields["batch_id"].set_text(str(self.waiting.row(current.row()).batch_id))

    def _prepared(self, draft) -> None:
        self.approve.fields["batch_id"].set_text(str(draft.batch_id))
        self.activated()
