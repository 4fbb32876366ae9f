"""设置 (administrator): every counter setting with its current value, a change form, and — read
only — the tariffs and fees in force and the people with their roles and 监督人 appointments.

Values are shown and typed in people's units (10.00 元, 9999.99 kWh, 15 分钟, 是/否;
counter_app/setting_units.py), never `min_top_up_fen 1000`. Money-affecting and security-sensitive
keys need a co-signature (DOMAIN "Dual control"): the list says which (`SettingRow.needs_approval`),
so the page asks for it BEFORE calling `set_setting`; an APPROVAL_REQUIRED from the facade (a stale
list) asks too. Tariffs, fees, people and appointments change on their own pages (人员, 电价与收费).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from base.errors import UserFacingError
from base.money import format_price
from counter_app.setting_units import parsed_value, shown_value, shown_with_unit, unit_of
from ui import i18n, style
from ui.approval_dialog import ApprovalDialog, ApprovalRequest
from ui.models import Column, RowsModel, class_text
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.form import note
from ui.style import OK_STYLE
from ui.times import shown_time
from ui.widgets import ERROR_STYLE, Field, info_label, money

translate = QCoreApplication.translate
CO_SIGN_CODES = {"APPROVAL_REQUIRED", "APPROVAL_INVALID", "SELF_APPROVAL"}


def lang() -> str:
    return "en" if i18n.current_language() == "en" else "zh"


def value_text(row: Any) -> str:
    """The current value in people's units: "10.00 元", "15 分钟", "是"."""
    return shown_with_unit(row.key, row.value, lang())


def unit_text(key: str, value: Any) -> str:
    unit = unit_of(key, value)
    return unit.en if lang() == "en" else unit.zh


def local(moment: Any) -> str:
    return shown_time(moment)


# The settings' descriptions in English (the core's catalogue, counter_app/settings.py, is Chinese).
# A per-class key ("max_top_up_fen.dorm") reads its base's text plus the class.
DESCRIPTIONS_EN = {
    "min_top_up_fen": "Minimum top-up (fen)",
    "min_top_up_september_fen": "Minimum top-up in September (fen)",
    "max_top_up_fen": "Maximum top-up (fen)",
    "meter_max_ckwh": "Meter's maximum stored energy (0.01 kWh)",
    "tendered_max_notes": "Most 100-yuan notes tendered above the amount due",
    "energy_resolution_ckwh": "Meter energy resolution (0.01 kWh)",
    "quota.basis": "Free quota basis",
    "quota.ckwh_per_unit": "Free quota energy per unit",
    "quota.period": "Free quota period",
    "quota.excluded_months": "Months without free quota",
    "term_ends": "Term end dates (free quota valid within the term)",
    "back_charge.ckwh_per_day": "Theft back-charge energy per day",
    "back_charge.blocks_top_up": "An unpaid back-charge blocks sales",
    "low_balance_ckwh": "Low-balance notice threshold",
    "approval_ttl_s": "Supervisor approval valid for (seconds)",
    "close_difference_fen": "Over/short at close needing a supervisor above (fen)",
    "refund_float": "Refund float",
    "stamped_receipt_for": "Charges that need the school's stamped receipt",
    "confirmation_slip": "Print a payment confirmation slip with each sale",
    "month_end_day": "Accounting month-end day",
    "single_operator_mode": "Single-operator mode",
    "shifts": "Shift times",
    "room_code_pattern": "Room code format",
    "login.max_failures": "Failed logins before lockout",
    "login.lockout_minutes": "Lockout length (minutes)",
    "idle_lock_minutes": "Lock the screen after idle (minutes)",
    "clock_skew_max_s": "Largest clock difference allowed (seconds)",
    "backup.generations": "Backups kept",
    "backup.target_dir": "Backup folder (USB stick or network path)",
    "backup.warn_after_days": "Warn when the last verified backup is older than (days)",
    "settlement.sign_chain": "Settlement sheet sign-off chain ([title, role])",
    "report.form_no.collection": "Form no. of the monthly collection report",
    "report.form_no.account_detail": "Form no. of the per-account detail report",
    "rotation.max_months": "Job rotation: most months in one post",
    "meter_bus.ports": "Networked meter buses: bus name → port URL",
    "meter_bus.dlt645_operator_code": "DL/T 645 operator code (C0 C1 C2 C3)",
    "meter_bus.auto_close": "Allow closing a tripped room after a top-up leaves a positive balance",
    "meter_bus.auto_trip": "Trip a room at zero balance (when off, a trip needs a supervisor)",
    "meter_bus.poll_minutes": "Networked meters: scheduled read every (minutes; 0 = no scheduled reads)",
    "meter_bus.poll_workstation": "Workstation that runs the scheduled reads (empty = any)",
    "deposit.evening_from": "Evening takings are deposited the next bank day (closed after this time)",
    "centre_name": "Centre name (report heading)",
    "checks.loss_percent": "Loss check: list buildings whose sub-meters differ from the main meter by more than (%)",
    "checks.no_purchase_days": "Abnormal: occupied room without a purchase for (days)",
    "checks.low_divisor": "Abnormal: use per bed below the building's median divided by",
    "checks.high_factor": "Abnormal: use per bed above the building's median times",
    "checks.holiday_months": "Holiday months left out of the consumption checks",
}


# The stored unit the catalogue names for the command line (`setting set` takes fen); the page shows
# and takes people's units instead, so the description does not name the stored one.
STORED_UNITS = ("（分）", "（0.01 kWh）", " (fen)", " (0.01 kWh)")


def without_stored_unit(text: str) -> str:
    for unit in STORED_UNITS:
        text = text.replace(unit, "")
    return text


def description_text(row: Any) -> str:
    return without_stored_unit(_description(row))


def _description(row: Any) -> str:
    if i18n.current_language() != "en":
        return row.description
    if row.key in DESCRIPTIONS_EN:
        return DESCRIPTIONS_EN[row.key]
    base, _, variant = row.key.rpartition(".")
    return f"{DESCRIPTIONS_EN[base]} ({variant})" if base in DESCRIPTIONS_EN else row.description


COLUMN_CAPS = (190, 250, 80, 170, 320)  # key, description, co-sign, value, changed


def settings_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Settings", "参数名"), lambda r: r.key),
            Column(translate("Settings", "说明"), lambda r: r, description_text),
            Column(
                translate("Settings", "复核"),
                lambda r: r.needs_approval,
                lambda v: translate("Settings", "需监督人") if v else "",
            ),
            Column(translate("Settings", "当前值"), lambda r: r, value_text),
            Column(
                translate("Settings", "修改"),
                lambda r: r,
                lambda r: (
                    translate("Settings", "默认值") if r.is_default else f"{local(r.set_at)} {r.set_by or ''}"
                ),
            ),
        ],
        parent,
    )


def price_text(row: Any) -> str:
    return (
        translate("Settings", "{0} 元/kWh").format(format_price(row.value))
        if row.what == "tariff"
        else money(row.value)
    )


def prices_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(
                translate("Settings", "项目"),
                lambda r: r,
                lambda r: (
                    translate("Settings", "电价 {0}").format(class_text(r.code))
                    if r.what == "tariff"
                    else translate("Settings", "收费 {0}").format(fee_text(r.code))
                ),
            ),
            Column(translate("Settings", "标准"), lambda r: r, price_text, align_right=True),
            Column(translate("Settings", "生效时间"), lambda r: r.effective_from, local),
            Column(translate("Settings", "依据文件"), lambda r: r.basis),
        ],
        parent,
    )


def fee_text(kind: str) -> str:
    return {
        "card": translate("Settings", "补卡费"),
        "heating_rate_per_m2": translate("Settings", "采暖费（每平方米）"),
    }.get(kind, kind)


def role_text(role: str) -> str:
    """A role in words, not its key ("cashier")."""
    return {
        "cashier": translate("Settings", "营业员"),
        "supervisor": translate("Settings", "监督人"),
        "assistant": translate("Settings", "部门助理"),
        "head": translate("Settings", "主管"),
        "finance": translate("Settings", "财务"),
        "admin": translate("Settings", "管理员"),
        "auditor": translate("Settings", "审计"),
    }.get(role, role)


def roles_text(roles) -> str:
    return (", " if i18n.current_language() == "en" else "、").join(role_text(r) for r in roles)


def people_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Settings", "登录名"), lambda r: r.name),
            Column(translate("Settings", "姓名"), lambda r: r.display_name),
            Column(translate("Settings", "角色"), lambda r: r.roles, roles_text),
            Column(
                translate("Settings", "监督人任期"),
                lambda r: r.appointments,
                lambda v: "；".join(f"{a} — {b}" for a, b in v),
            ),
            Column(
                translate("Settings", "状态"),
                lambda r: r.disabled,
                lambda v: translate("Settings", "已停用") if v else translate("Settings", "在用"),
            ),
        ],
        parent,
    )


def table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setMinimumHeight(240)
    return view


class SettingsPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Settings", "设置")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        tabs = QTabWidget()
        tabs.addTab(self._settings_tab(), translate("Settings", "参数"))
        tabs.addTab(self._prices_tab(), translate("Settings", "电价与收费标准"))
        tabs.addTab(self._people_tab(), translate("Settings", "人员与监督人"))
        self.add(tabs)
        self.finish()

    # --- tabs ----------------------------------------------------------------------------------------
    def _settings_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        self.settings = settings_model(self)
        self.settings_view = table(self.settings)
        self.settings_view.selectionModel().currentRowChanged.connect(lambda cur, _p: self.pick(cur.row()))
        column.addWidget(self.settings_view)
        box = QGroupBox(translate("Settings", "修改参数"))
        form = QFormLayout(box)
        self.key = QLineEdit()
        self.key.setReadOnly(True)
        self.key.setPlaceholderText(translate("Settings", "在上表选择参数"))
        self.value = Field(translate("Settings", "新值"))
        self.value.edit.returnPressed.connect(lambda: self.save())
        self.unit = QLabel()
        value_row = QHBoxLayout()
        value_row.addWidget(self.value, 1)
        value_row.addWidget(self.unit)
        save = style.primary(QPushButton(translate("Settings", "保存")))
        save.clicked.connect(lambda: self.save())
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addStretch(1)
        self.result = info_label()
        form.addRow(translate("Settings", "参数名"), self.key)
        form.addRow(translate("Settings", "新值"), value_row)
        form.addRow(buttons)
        form.addRow(self.result)
        column.addWidget(box)
        return tab

    def _prices_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        self.prices = prices_model(self)
        column.addWidget(table(self.prices))
        column.addWidget(
            note(
                translate("Settings", "调整电价和收费标准（依据文件，经监督人复核）：在“电价与收费”页办理。")
            )
        )
        return tab

    def _people_tab(self) -> QWidget:
        tab = QWidget()
        column = QVBoxLayout(tab)
        self.people = people_model(self)
        column.addWidget(table(self.people))
        column.addWidget(
            note(translate("Settings", "添加、停用人员，重置密码，任命监督人：在“人员”页办理。"))
        )
        return tab

    # --- loading -------------------------------------------------------------------------------------
    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        session = self.ctx.session
        FacadeOp(
            self, lambda: (session.list_settings(), session.list_prices(), session.list_people())
        ).success(self._loaded).failure(self._failed).run()

    def _loaded(self, lists: tuple[list, list, list]) -> None:
        keep = self.key.text()
        for model, rows in zip((self.settings, self.prices, self.people), lists, strict=True):
            model.set_rows(rows)
        style.fit_columns(self.settings_view)
        # A long key, description or pattern must not push the value and 修改 off-screen at 1366×728
        # (selecting the row shows the whole key and value in the form below).
        for column, widest in enumerate(COLUMN_CAPS):
            self.settings_view.setColumnWidth(column, min(self.settings_view.columnWidth(column), widest))
        keys = [r.key for r in lists[0]]
        if keep in keys:
            self.settings_view.selectRow(keys.index(keep))

    def row_for(self, key: str) -> Any:
        return next(
            (
                self.settings.row(i)
                for i in range(self.settings.rowCount())
                if self.settings.row(i).key == key
            ),
            None,
        )

    def pick(self, row: int) -> None:
        if row < 0:
            return
        chosen = self.settings.row(row)
        self.key.setText(chosen.key)
        self.value.set_text(shown_value(chosen.key, chosen.value, lang()))
        self.unit.setText(unit_text(chosen.key, chosen.value))
        self.value.clear_error()

    # --- saving --------------------------------------------------------------------------------------
    def save(self, approval: Any = None, problem: str = "", ask: bool = False) -> None:
        key, session = self.key.text(), self.ctx.session
        if not key:
            return
        row = self.row_for(key)
        try:  # typed in people's units (10.00 元), stored in the house units (1000 fen)
            value = parsed_value(key, self.value.text(), current=None if row is None else row.value)
        except UserFacingError as exc:
            self.value.show_error(error_text(exc))
            return
        if approval is None and (ask or (row is not None and row.needs_approval)):
            # The value is checked and worded by the core first (approval_preview), then co-signed.
            FacadeOp(self, lambda: session.approval_preview("set_setting", key=key, value=value)).success(
                lambda preview: self._co_sign(key, value, preview, problem, asked_again=ask)
            ).failure(lambda exc: self._failed(exc, key)).run()
            return
        self._store(key, value, approval)

    def _co_sign(self, key: str, value: Any, preview: Any, problem: str, asked_again: bool = False) -> None:
        approval = None
        if not preview.needed and asked_again:  # the facade asked for a co-signature the preview did not find
            self.result.setText(translate("Settings", "未保存：需监督人复核"))
            return
        if preview.needed:
            approval = self.ask_approval(preview, problem)
            if approval is None:
                self.result.setText(translate("Settings", "未保存：需监督人复核"))
                return
        self._store(key, value, approval)

    def _store(self, key: str, value: Any, approval: Any) -> None:
        session = self.ctx.session
        FacadeOp(self, lambda: session.set_setting(key, value, approval=approval)).success(
            lambda _r: self._saved(key)
        ).failure(lambda exc: self._failed(exc, key)).run()

    def ask_approval(self, preview: Any, problem: str) -> Any:
        request = ApprovalRequest.from_preview(preview, self.ctx.operator, self.ctx.operator_name)
        return ApprovalDialog.ask(self, request, self.ctx.approval_factory, problem)

    def _saved(self, key: str) -> None:
        self.result.setStyleSheet(OK_STYLE)
        self.result.setText(translate("Settings", "已保存 {0}").format(key))
        self.refresh()

    def _failed(self, exc: BaseException, key: str = "") -> None:
        code = getattr(exc, "code", "")
        if code in CO_SIGN_CODES and key:
            # Say why (the maker's own name, a wrong password) and ask again with the same content.
            self.save(problem=error_text(exc) if code != "APPROVAL_REQUIRED" else "", ask=True)
            return
        if key and getattr(exc, "field", None) == key:
            self.value.show_error(error_text(exc))
            return
        self.result.setStyleSheet(ERROR_STYLE)
        self.result.setText(error_text(exc))
