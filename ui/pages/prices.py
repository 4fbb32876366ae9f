"""电价与收费 (administrator; the head and assistants read): every tariff and fee row ever set, with
its basis document (依据文件), and the two forms that add one, co-signed (issue 14).

A price is typed as people read it, yuan per kWh (0.5883), a fee in yuan; either takes effect at
00:00 Beijing time of the day typed. Rows are never changed: a new row from a later day replaces
the old one from then on (counter_app/admin/tariffs.py, the service `counter-admin tariff set` runs).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QTabWidget

from base.vocabulary import CLASS_CODES
from ui import style
from ui.models import class_text
from ui.ops import FacadeOp, error_text
from ui.pages.admin_forms import ConvertedForm, fee_args, may, price_args, read_only_table
from ui.pages.base import Page
from ui.pages.form import Spec
from ui.pages.settings import fee_text, prices_model
from ui.widgets import ERROR_STYLE, info_label

translate = QCoreApplication.translate
FEE_KINDS = ("card", "heating_rate_per_m2")


class PricesPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Prices", "电价与收费")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.prices = prices_model(self)
        self.view = read_only_table(self.prices)
        self.add(self.view)
        self.status = info_label()
        self.add(self.status)
        self.forms: dict[str, ConvertedForm] = {}
        if may(self.ctx.roles, "admin"):
            tabs = QTabWidget()
            for key, form in self._forms():
                self.forms[key] = form
                tabs.addTab(form, form.title())
                form.setTitle("")
            self.add(tabs)
        self.finish()

    def _forms(self) -> list[tuple[str, ConvertedForm]]:
        start = Spec("start", translate("Prices", "生效日期"), "date")
        basis = Spec("basis", translate("Prices", "依据文件号"))
        tariff = ConvertedForm(
            self.ctx, translate("Prices", "设定电价"),
            [Spec("cls", translate("Prices", "类别"), "choice", choices=tuple((c, class_text(c)) for c in CLASS_CODES)),
             Spec("price", translate("Prices", "电价（元/kWh）")), start, basis],
            lambda s, **kw: s.set_tariff(**kw), lambda _r: translate("Prices", "电价已设定"),
            needs_approval=True, operation="set_tariff", convert=price_args, after=self._changed,
        )  # fmt: skip
        tariff.fields["price"].edit.setPlaceholderText("0.5883")
        fee = ConvertedForm(
            self.ctx, translate("Prices", "设定收费标准"),
            [Spec("kind", translate("Prices", "收费项目"), "choice", choices=tuple((k, fee_text(k)) for k in FEE_KINDS)),
             Spec("fen", translate("Prices", "标准（元）"), "yuan"), start, basis],
            lambda s, **kw: s.set_fee(**kw), lambda _r: translate("Prices", "收费标准已设定"),
            needs_approval=True, operation="set_fee", convert=fee_args, after=self._changed,
        )  # fmt: skip
        return [("tariff", tariff), ("fee", fee)]

    def _changed(self, _result: Any) -> None:
        self.refresh()

    def activated(self) -> None:
        self.refresh()
        self.view.setFocus()

    def refresh(self) -> None:
        FacadeOp(self, self.ctx.session.list_prices).success(self._loaded).failure(self._failed).run()

    def _loaded(self, rows: list) -> None:
        self.prices.set_rows(rows)
        style.fit_columns(self.view)

    def _failed(self, exc: BaseException) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(error_text(exc))
