"""账户详情: double-click (or Enter on) an account in the account search and its whole story opens —
the account's data (room, class, holder, meter, card, last write-back) and, newest first, its
purchases (the ledger), cards, meter write-backs, notices and changes (facade
`account_history(account_no)`, one read on the worker; docs/api.md "Account history").

A dialog opened with `open()` (nothing blocks); Esc closes it. Times in Beijing time; when a list
was cut at the core's limit, a line under it says how many older rows are not shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from base.money import format_kwh, format_price
from ui import style
from ui.models import Column, RowsModel, class_text, kwh_column, status_text, yuan_column
from ui.times import shown_time

translate = QCoreApplication.translate


def local(moment: Any) -> str:
    return shown_time(moment)


def ledger_kind_text(kind: str) -> str:
    return {
        "sale": translate("AccountDetail", "购电"),
        "free": translate("AccountDetail", "免费电量"),
        "void": translate("AccountDetail", "作废"),
        "correction": translate("AccountDetail", "更正重开"),
        "bill_payment": translate("AccountDetail", "缴费（通知单）"),
        "fee_payment": translate("AccountDetail", "收费（工本费等）"),
        "back_charge_payment": translate("AccountDetail", "补缴电费"),
        "refund_raised": translate("AccountDetail", "退费审批"),
        "suspense": translate("AccountDetail", "挂账"),
        "suspense_resolved": translate("AccountDetail", "挂账处理"),
        "carried": translate("AccountDetail", "换表补电"),
        "cleared": translate("AccountDetail", "清零"),
        "legacy_purchase": translate("AccountDetail", "旧系统购电"),
    }.get(kind, kind)


def card_kind_text(kind: str) -> str:
    return {
        "received": translate("AccountDetail", "入库"),
        "issued": translate("AccountDetail", "发卡"),
        "reported_lost": translate("AccountDetail", "挂失"),
        "replaced": translate("AccountDetail", "补卡"),
        "spoiled": translate("AccountDetail", "报废"),
        "locked": translate("AccountDetail", "锁卡"),
        "made_clear": translate("AccountDetail", "制清零卡"),
        "made_tool": translate("AccountDetail", "制工具卡"),
        "returned": translate("AccountDetail", "退卡"),
    }.get(kind, kind)


def card_status_text(status: str) -> str:
    return {
        "blank": translate("AccountDetail", "空白"),
        "issued": translate("AccountDetail", "在用"),
        "spoiled": translate("AccountDetail", "已报废"),
        "locked": translate("AccountDetail", "已锁"),
        "lost": translate("AccountDetail", "已挂失"),
        "tool": translate("AccountDetail", "工具卡"),
    }.get(status, status)


def event_kind_text(kind: str) -> str:
    return {
        "opened": translate("AccountDetail", "开户"),
        "imported": translate("AccountDetail", "导入"),
        "legacy_imported": translate("AccountDetail", "旧系统导入"),
        "class_changed": translate("AccountDetail", "类别变更"),
        "class_confirmed": translate("AccountDetail", "类别确认"),
        "occupants_changed": translate("AccountDetail", "入住人数变更"),
        "holder_changed": translate("AccountDetail", "过户"),
        "card_issued": translate("AccountDetail", "发卡"),
        "card_lost": translate("AccountDetail", "挂失"),
        "card_replaced": translate("AccountDetail", "补卡"),
        "meter_replaced": translate("AccountDetail", "换表"),
        "blocked": translate("AccountDetail", "冻结"),
        "unblocked": translate("AccountDetail", "解冻"),
        "cleared": translate("AccountDetail", "清零"),
        "closed": translate("AccountDetail", "销户"),
        "note": translate("AccountDetail", "备注"),
    }.get(kind, kind)


def notice_kind_text(kind: str) -> str:
    return {
        "repair": translate("AccountDetail", "维修"),
        "utility": translate("AccountDetail", "水电费"),
        "heating": translate("AccountDetail", "采暖费"),
        "back_charge": translate("AccountDetail", "违规补缴"),
        "software_control": translate("AccountDetail", "补交电费（软件控制）"),
    }.get(kind, kind)


def tender_text(code: str | None) -> str:
    return {
        "cash": translate("AccountDetail", "现金"),
        "campus_card": translate("AccountDetail", "一卡通"),
        "wechat": translate("AccountDetail", "微信"),
        "alipay": translate("AccountDetail", "支付宝"),
        "cheque": translate("AccountDetail", "支票"),
    }.get(code or "", code or "")


def purchases_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("AccountDetail", "时间"), lambda r: r.at, local),
            Column(
                translate("AccountDetail", "业务"),
                lambda r: r,
                lambda r: (
                    ledger_kind_text(r.kind) + (translate("AccountDetail", "（已作废）") if r.voided else "")
                ),
            ),  # fmt: skip
            yuan_column(translate("AccountDetail", "金额(元)"), lambda r: r.amount_fen),
            kwh_column(translate("AccountDetail", "电量(kWh)"), lambda r: r.energy_ckwh),
            kwh_column(translate("AccountDetail", "免费(kWh)"), lambda r: r.free_ckwh or None),
            Column(translate("AccountDetail", "付款方式"), lambda r: r.tender, tender_text),
            Column(translate("AccountDetail", "凭条号"), lambda r: r.receipt_no),
            Column(translate("AccountDetail", "收费点"), lambda r: r.workstation),
            Column(translate("AccountDetail", "经办人"), lambda r: r.operator),
            Column(translate("AccountDetail", "原因"), lambda r: r.reason),
        ],
        parent,
    )


def cards_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("AccountDetail", "时间"), lambda r: r.at, local),
            Column(translate("AccountDetail", "卡号"), lambda r: r.card_serial),
            Column(translate("AccountDetail", "事项"), lambda r: r.kind, card_kind_text),
            Column(translate("AccountDetail", "卡现状"), lambda r: r.card_status, card_status_text),
            Column(translate("AccountDetail", "经办人"), lambda r: r.operator),
            Column(translate("AccountDetail", "原因"), lambda r: r.reason),
        ],
        parent,
    )


def write_backs_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("AccountDetail", "读到时间"), lambda r: r.seen_at, local),
            Column(translate("AccountDetail", "电表时间"), lambda r: r.write_back.at, local),
            kwh_column(translate("AccountDetail", "剩余(kWh)"), lambda r: r.write_back.remaining_ckwh),
            kwh_column(translate("AccountDetail", "累计用电(kWh)"), lambda r: r.write_back.consumed_ckwh),
            Column(translate("AccountDetail", "已入表购电次数"), lambda r: r.write_back.last_loaded_counter),
            Column(translate("AccountDetail", "报警"), lambda r: "、".join(r.write_back.alarms)),
        ],
        parent,
    )


def notices_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("AccountDetail", "开单时间"), lambda r: r.created_at, local),
            Column(translate("AccountDetail", "通知单号"), lambda r: r.notice_no),
            Column(translate("AccountDetail", "类别"), lambda r: r.kind, notice_kind_text),
            yuan_column(translate("AccountDetail", "金额(元)"), lambda r: r.amount_fen),
            Column(translate("AccountDetail", "缴费人"), lambda r: r.payer),
            Column(
                translate("AccountDetail", "缴费时间"),
                lambda r: r.paid_at,
                lambda v: local(v) if v else translate("AccountDetail", "未缴"),
            ),  # fmt: skip
            Column(translate("AccountDetail", "凭条号"), lambda r: r.receipt_no),
        ],
        parent,
    )


def events_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("AccountDetail", "时间"), lambda r: r.at, local),
            Column(translate("AccountDetail", "事项"), lambda r: r.kind, event_kind_text),
            Column(translate("AccountDetail", "经办人"), lambda r: r.operator),
            Column(translate("AccountDetail", "原因"), lambda r: r.reason),
        ],
        parent,
    )


class AccountDetailDialog(QDialog):
    """The account and its history; `tabs` and `models` by list name for tests and screenshots."""

    def __init__(self, history: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        account = history.account
        self.setWindowTitle(
            translate("AccountDetail", "账户详情 — {0}（{1}）").format(
                account.account_no, account.room_code or ""
            )
        )
        self.resize(980, 600)
        column = QVBoxLayout(self)
        column.addWidget(self._summary(history))
        self.tabs = QTabWidget()
        self.models: dict[str, RowsModel] = {}
        for name, title, factory in (
            ("purchases", translate("AccountDetail", "购电与缴费"), purchases_model),
            ("cards", translate("AccountDetail", "卡"), cards_model),
            ("write_backs", translate("AccountDetail", "电表返写"), write_backs_model),
            ("notices", translate("AccountDetail", "通知单"), notices_model),
            ("events", translate("AccountDetail", "账户变更"), events_model),
        ):
            rows = getattr(history, name)
            self.tabs.addTab(
                self._list(name, factory, rows), f"{title} ({len(rows) + history.more.get(name, 0)})"
            )
        column.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(translate("AccountDetail", "关闭"))
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)

    def _summary(self, history: Any) -> QWidget:
        a = history.account
        wb = a.write_back
        none = "—"
        pairs = [
            (translate("AccountDetail", "账户号"), a.account_no),
            (
                translate("AccountDetail", "房间"),
                " ".join(p for p in (history.building, a.room_code) if p) or none,
            ),
            (translate("AccountDetail", "类别 / 状态"), f"{class_text(a.cls)} / {status_text(a.status)}"),
            (translate("AccountDetail", "户主 / 电话"), f"{a.holder or none} / {a.phone or none}"),
            (translate("AccountDetail", "电表号 / 型号"), f"{a.meter_no or none} / {history.meter_model}"),
            (translate("AccountDetail", "当前卡号"), a.card_serial or none),
            (translate("AccountDetail", "购电次数"), str(a.purchase_counter)),
            (translate("AccountDetail", "床位 / 入住"), f"{history.beds} / {history.occupants}"),
            (
                translate("AccountDetail", "最近返写剩余"),
                translate("AccountDetail", "{0} kWh（{1}）").format(
                    format_kwh(wb.remaining_ckwh), local(wb.at)
                )
                if wb is not None
                else none,
            ),  # fmt: skip
            (translate("AccountDetail", "待领免费电量"), f"{format_kwh(a.free_owed_ckwh)} kWh"),
            (translate("AccountDetail", "开户日期"), str(a.opened_on or none)),
            (
                translate("AccountDetail", "电价"),
                translate("AccountDetail", "{0} 元/kWh").format(format_price(a.price_e4))
                if a.price_e4
                else none,
            ),  # fmt: skip
        ]
        self.summary: dict[str, str] = {}
        # two columns of label/value pairs: half the rows each side, so the lists keep the height
        left, right = QFormLayout(), QFormLayout()
        for i, (label, value) in enumerate(pairs):
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            (left if i < (len(pairs) + 1) // 2 else right).addRow(label, shown)
            self.summary[label] = value
        row = QHBoxLayout()
        row.addLayout(left, 1)
        row.addLayout(right, 1)
        holder = QWidget()
        holder.setLayout(row)
        return holder

    def _list(self, name: str, factory, rows) -> QWidget:
        model = factory(self)
        model.set_rows(rows)
        self.models[name] = model
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.verticalHeader().hide()
        view.horizontalHeader().setStretchLastSection(True)
        style.fit_columns(view)
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        if not rows:
            column.addWidget(QLabel(translate("AccountDetail", "（没有记录）")))
        column.addWidget(view, 1)
        more = self.history.more.get(name, 0)
        if more:
            column.addWidget(QLabel(translate("AccountDetail", "另有 {0} 条更早的记录未显示").format(more)))
        return page
