"""月结: finance closes the accounting month (setting month_end_day), co-signed through the approval
dialog (facade `close_month`). The period that ended last is filled in; the facade refuses an
unfinished period, open shifts, sheets not yet signed for and a waiting holiday queue, and the
refusal is shown under the button.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication

from counter_app.settlement.months import period_of
from ui.ops import FacadeOp
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec, note

translate = QCoreApplication.translate


def previous_period(today: date, month_end_day: int) -> str:
    """The accounting month before the one `today` falls in ("2026-01" → "2025-12")."""
    year, month = (int(p) for p in period_of(today, month_end_day).split("-"))
    year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return f"{year:04d}-{month:02d}"


def month_text(info: Any) -> str:
    return translate("Month", "{0} 已月结（{1} 办理，{2} 复核）").format(
        info.period, info.maker, info.checker
    )


class MonthPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Month", "月结")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.add(
            note(
                translate(
                    "Month",
                    "月结前：本会计月所有班次须已结班，交账单须已由财务签收，排队待确认的操作须已处理。"
                    "月结后该月不能再记入任何业务。",
                )
            )
        )
        self.form = ActionForm(
            ctx,
            translate("Month", "会计月结"),
            [Spec("period", translate("Month", "会计期间（YYYY-MM）"))],
            lambda s, **kw: s.close_month(**kw),
            month_text,
            needs_approval=True,
            operation="close_month",
            button=translate("Month", "月结（需复核人签字）"),
        )
        self.add(self.form)
        self.finish()
        self._filled = False

    def activated(self) -> None:
        if self._filled:
            return
        self._filled = True
        counter, session = self.ctx.counter, self.ctx.session
        FacadeOp(self, lambda: (counter.clock().date(), session.get_setting("month_end_day"))).success(
            lambda a: self.form.fields["period"].set_text(previous_period(*a))
        ).quiet().run()
