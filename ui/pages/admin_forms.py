"""What the head's and administrator's pages (people, prices, stations) share: an `ActionForm` whose
values are turned into the facade's arguments first (a password typed twice, a price in yuan/kWh,
a date as the moment it starts), a read-only table, and who may use a form.

The co-signature is ActionForm's: the core checks and words the payload (`approval_preview`), the
dialog shows those words, the approval hands their digest back (ui/pages/form.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QTableView

from base.clock import BUSINESS_TZ
from base.errors import InputInvalid
from base.money import parse_price
from ui.models import RowsModel
from ui.pages.form import ActionForm

translate = QCoreApplication.translate


def _as_typed(kwargs: dict[str, Any]) -> dict[str, Any]:
    return kwargs


class ConvertedForm(ActionForm):
    """An ActionForm whose parsed values pass through `convert` (which may refuse with a field),
    and which calls `after(result)` once the facade has answered yes (the page reloads its list)."""

    def __init__(self, *args: Any, convert: Callable[[dict[str, Any]], dict[str, Any]] = _as_typed,
                 after: Callable[[Any], None] | None = None, **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self._convert, self._after = convert, after
        for name in ("password", "password_again"):
            if name in self.fields:
                self.fields[name].edit.setEchoMode(QLineEdit.EchoMode.Password)

    def values(self) -> dict[str, Any]:
        return self._convert(super().values())

    def _show_result(self, result: Any) -> None:
        super()._show_result(result)
        if self._after is not None:
            self._after(result)


def same_password(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The new password typed twice, the same both times; only one goes to the facade."""
    again = kwargs.pop("password_again", None)
    if again != kwargs.get("password"):
        raise InputInvalid(translate("Admin", "两次输入的密码不一致"), field="password_again")
    return kwargs


def day_start(day: date) -> datetime:
    """A tariff or fee takes effect at 00:00 Beijing time of the day typed."""
    return datetime.combine(day, time(0, 0), tzinfo=BUSINESS_TZ)


def price_args(kwargs: dict[str, Any]) -> dict[str, Any]:
    """yuan/kWh as typed (0.5883) → price_e4; the date → its first moment."""
    try:
        kwargs["price_e4"] = parse_price(kwargs.pop("price"))
    except InputInvalid as exc:
        raise InputInvalid(
            translate("Admin", "电价格式不对（元/kWh，最多 4 位小数）"), field="price"
        ) from exc
    kwargs["start"] = day_start(kwargs["start"])
    return kwargs


def fee_args(kwargs: dict[str, Any]) -> dict[str, Any]:
    kwargs["start"] = day_start(kwargs["start"])
    return kwargs


def read_only_table(model: RowsModel, min_height: int = 180) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setMinimumHeight(min_height)
    return view


def may(roles: frozenset[str], *allowed: str) -> bool:
    return bool(roles & set(allowed))
