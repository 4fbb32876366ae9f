"""报表: a placeholder until the settlement/reports issue lands (reports come from the facade/CLI)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ui.pages.base import Page
from ui.pages.form import note

translate = QCoreApplication.translate


class ReportsPage(Page):
    shortcut = "F8"

    @classmethod
    def caption(cls) -> str:
        return translate("Reports", "报表")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.add(
            note(
                translate(
                    "Reports",
                    "日/周/月/年表、电费月收费报表、分户明细、定额送电、低电通报等报表"
                    "将在结算与报表功能完成后提供。目前可用命令行：\n"
                    "counter-admin report day --from 日期 --to 日期 --format pdf --out 文件",
                )
            )
        )
        self.finish()
