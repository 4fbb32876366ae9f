"""窗口与密钥 (administrator; the head and assistants read): the registered workstations with their
campus, the form that registers one (co-signed by 主管 or 部门助理: a new counter issues receipt
numbers and writes cards), and the fingerprints of the keys this database was created with, to
compare with `counter-admin keys import` on a new PC. Receipt books are handed out on the books page.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGroupBox, QVBoxLayout

from ui import style
from ui.models import Column, RowsModel
from ui.ops import FacadeOp, error_text
from ui.pages.admin_forms import ConvertedForm, may, read_only_table
from ui.pages.base import Page
from ui.pages.form import Spec
from ui.times import shown_time
from ui.widgets import ERROR_STYLE, info_label

translate = QCoreApplication.translate


def workstations_model(parent=None) -> RowsModel:
    return RowsModel([
        Column(translate("Stations", "窗口"), lambda r: r.code),
        Column(translate("Stations", "校区"), lambda r: r.campus),
        Column(translate("Stations", "设备"), lambda r: r.simulated,
               lambda v: translate("Stations", "模拟") if v else translate("Stations", "真实")),
        Column(translate("Stations", "登记时间"), lambda r: r.created_at, shown_time),
    ], parent)  # fmt: skip


def keys_model(parent=None) -> RowsModel:
    return RowsModel([
        Column(translate("Stations", "密钥"), lambda r: r.kind),
        Column(translate("Stations", "指纹"), lambda r: r.fingerprint),
        Column(translate("Stations", "生成时间"), lambda r: r.created_at, shown_time),
    ], parent)  # fmt: skip


def secret_text(row: Any) -> str:
    """One device secret: whether this PC's keystore holds it, and how to set it (never its value)."""
    label = {"dlt645_password": translate("Stations", "DL/T 645 远程拉闸/合闸密码")}.get(row.kind, row.kind)
    if row.is_set:
        return translate("Stations", "{0}：已设置").format(label)
    return translate("Stations", "{0}：未设置（counter-admin keys set-device-secret {1}）").format(
        label, row.kind
    )


def boxed(title: str, widget) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box


class StationsPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Stations", "窗口与密钥")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.stations = workstations_model(self)
        self.view = read_only_table(self.stations, 140)
        self.add(boxed(translate("Stations", "已登记的窗口"), self.view))
        self.form: ConvertedForm | None = None
        if may(self.ctx.roles, "admin"):
            self.form = ConvertedForm(
                self.ctx, translate("Stations", "登记窗口"),
                [Spec("code", translate("Stations", "窗口代码")), Spec("campus", translate("Stations", "校区"))],
                lambda s, **kw: s.add_workstation(**kw), lambda _r: translate("Stations", "窗口已登记"),
                needs_approval=True, operation="add_workstation", after=self._changed,
            )  # fmt: skip
            self.form.fields["code"].edit.setPlaceholderText("W03")
            self.add(self.form)
        self.keys = keys_model(self)
        self.keys_view = read_only_table(self.keys, 120)
        self.add(boxed(translate("Stations", "密钥指纹"), self.keys_view))
        self.secrets = info_label()  # device secrets: set or not in this PC's keystore, never a value
        self.add(boxed(translate("Stations", "设备密钥（本机密钥库）"), self.secrets))
        self.status = info_label()
        self.add(self.status)
        self.finish()

    def _changed(self, _result: Any) -> None:
        self.refresh()

    def activated(self) -> None:
        self.refresh()
        self.view.setFocus()

    def refresh(self) -> None:
        session = self.ctx.session
        FacadeOp(self, lambda: (session.list_workstations(), session.list_key_fingerprints(),
                                session.list_device_secrets())).success(self._loaded).failure(self._failed).run()  # fmt: skip

    def _loaded(self, lists: tuple[list, list, list]) -> None:
        self.stations.set_rows(lists[0])
        self.keys.set_rows(lists[1])
        self.secrets.setText("\n".join(secret_text(row) for row in lists[2]))
        style.fit_columns(self.view)
        style.fit_columns(self.keys_view)

    def _failed(self, exc: BaseException) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(error_text(exc))
