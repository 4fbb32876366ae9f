"""定额送电: a cashier prepares a free-quota batch, a 监督人 co-signs it (DOMAIN.md 2)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from base.money import format_kwh
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec, note

translate = QCoreApplication.translate


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
        self.finish()
