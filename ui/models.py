"""Table models over frozen result dataclasses (Vorta's pattern): `set_rows()`, no widgets needed.

A `Column` says how to show one field; values stay the facade's integers (fen, ckwh) in the rows
and are formatted only in `data()`, so sorting and tests see exact numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

from base.money import format_kwh, format_yuan
from ui.times import shown_value

translate = QCoreApplication.translate
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str
    get: Callable[[Any], Any]
    fmt: Callable[[Any], str] = shown_value  # moments in Beijing time (ui/times.py)
    align_right: bool = False


def yuan_column(title: str, get: Callable[[Any], Any]) -> Column:
    return Column(title, get, lambda v: "" if v is None else format_yuan(v), align_right=True)


def kwh_column(title: str, get: Callable[[Any], Any]) -> Column:
    return Column(title, get, lambda v: "" if v is None else format_kwh(v), align_right=True)


class RowsModel(QAbstractTableModel):
    """Rows of any objects, shown through `columns`. `row(i)` gives the object back."""

    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, i: int) -> Any:
        return self._rows[i]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 — Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        value = column.get(self._rows[index.row()])
        if role == Qt.ItemDataRole.DisplayRole:
            return column.fmt(value)
        if role == Qt.ItemDataRole.UserRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section].title
        return None


def intents_model(parent=None) -> RowsModel:
    """Open card writes and suspense items (`session.open_intents()`)."""
    return RowsModel(
        [
            Column(translate("Models", "写卡编号"), lambda r: r.intent_id),
            Column(translate("Models", "账户"), lambda r: r.account_no),
            yuan_column(translate("Models", "金额"), lambda r: r.amount_fen),
            kwh_column(translate("Models", "电量(kWh)"), lambda r: r.energy_ckwh),
            Column(translate("Models", "状态"), lambda r: r.state, state_text),
            Column(translate("Models", "班次"), lambda r: r.shift_id),
        ],
        parent,
    )


def accounts_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Models", "房间"), lambda r: r.room_code),
            Column(translate("Models", "账户"), lambda r: r.account_no),
            Column(translate("Models", "类别"), lambda r: r.cls, class_text),
            Column(translate("Models", "状态"), lambda r: r.status, status_text),
            Column(translate("Models", "户主"), lambda r: r.holder),
            Column(translate("Models", "电表号"), lambda r: r.meter_no),
            Column(translate("Models", "卡号"), lambda r: r.card_serial),
        ],
        parent,
    )


def class_text(cls: str | None) -> str:
    return {
        "dorm": translate("Models", "学生公寓"),
        "staff": translate("Models", "教职工"),
        "business": translate("Models", "实体经营"),
    }.get(cls or "", cls or "")


def status_text(status: str | None) -> str:
    return {
        "pending": translate("Models", "待确认"),
        "active": translate("Models", "正常"),
        "blocked": translate("Models", "冻结"),
        "closed": translate("Models", "已销户"),
    }.get(status or "", status or "")


def state_text(state: str | None) -> str:
    return {
        "open": translate("Models", "未完成写卡"),
        "suspense": translate("Models", "挂账"),
        "rolled_forward": translate("Models", "已补写"),
        "refunded": translate("Models", "已退费"),
    }.get(state or "", state or "")


def what_to_do(state: str | None) -> str:
    """The next step for an unfinished write, shown beside the list (DOMAIN.md "Suspense")."""
    if state == "suspense":
        return translate("Models", "客户回来时放卡补写；或开具退费审批单退款（不得从钱箱付现）")
    return translate("Models", "客户在场：放回原卡重新读卡即可补写；客户已离开：请监督人转挂账后再结班")
