"""The lock screen after idle minutes: only the same operator reopens it, with their password.

Another cashier is refused up front (they must log in on their own after the shift is handed over).
A 监督人 may unlock only to close or hand over the shift: the window then shows the shift page alone
(`supervisor_unlocked`), e.g. when the cashier has left without closing.

The name field takes the login id or the display name (the core resolves either, counter_app/auth.py),
so whom a password opened is checked on the session that comes back, not only on the text typed.
Nothing else leaves this screen: the main window keeps it up until `unlocked`/`supervisor_unlocked`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from base.errors import UserFacingError
from ui import style
from ui.facade import login_with_roles, session_name, session_roles
from ui.login import login_error_text, message_label
from ui.ops import FacadeOp
from ui.widgets import Field, heading

translate = QCoreApplication.translate
UNLOCKING_ROLES = {"supervisor", "head", "assistant"}


class LockScreen(QWidget):
    unlocked = Signal(object)  # the operator's fresh session
    supervisor_unlocked = Signal(object)  # the supervisor's session; shift close/hand-over only

    def __init__(
        self, counter: Any, operator: str, parent: QWidget | None = None, *, shown_name: str | None = None
    ) -> None:
        """`operator` is the login id the unlock is checked against; `shown_name` the name a person
        reads in the heading (the display name; the login id when none is given)."""
        super().__init__(parent)
        self.counter, self.operator = counter, operator
        self.name = Field(translate("Lock", "工号或姓名"))
        self.name.set_text(operator)
        self.password = Field(translate("Lock", "密码"), password=True)
        self.message = message_label()
        unlock = style.primary(QPushButton(translate("Lock", "解锁")))
        by_supervisor = QPushButton(translate("Lock", "监督人解锁（仅用于结班/交班）"))
        unlock.clicked.connect(self.unlock)
        by_supervisor.clicked.connect(self.unlock_as_supervisor)
        self.password.edit.returnPressed.connect(self.unlock)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = heading(translate("Lock", "已锁定 —— {0} 的班次").format(shown_name or operator))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        form = QFormLayout()
        form.addRow(translate("Lock", "工号或姓名"), self.name)
        form.addRow(translate("Lock", "密码"), self.password)
        form.addRow(unlock)
        form.addRow(by_supervisor)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addWidget(self.message)  # outside the form: QFormLayout clips a wrapped label
        holder.setFixedWidth(480)
        row = QHBoxLayout()  # centred by stretches, not by an alignment flag: an aligned item gets
        row.addStretch(1)  # its height for the whole window's width and a wrapped message is cut
        row.addWidget(holder)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

    def activated(self) -> None:
        self.password.set_text("")
        self.message.clear()
        self.password.edit.setFocus()

    def unlock(self) -> None:
        name, password = self.name.text(), self.password.edit.text()
        if not name or not password:
            self.message.setText(translate("Lock", "请输入工号或姓名和密码"))
            return
        self._login(name, password, self._check_same_operator)

    def _not_the_operator(self) -> None:
        self.message.setText(
            translate("Lock", "只有 {0} 本人可以解锁；其他人请等 {0} 交班后登录，或由监督人解锁结班").format(
                self.operator
            )
        )

    def _check_same_operator(self, session: Any) -> None:
        if session_name(session) != self.operator:
            # Another person's own password: this screen belongs to one operator's shift.
            FacadeOp(self, session.logout).quiet().run()
            self.password.set_text("")
            self._not_the_operator()
            return
        self.unlocked.emit(session)

    def unlock_as_supervisor(self) -> None:
        name, password = self.name.text(), self.password.edit.text()
        if name == self.operator:
            self.message.setText(translate("Lock", "监督人解锁须由监督人输入本人工号或姓名和密码"))
            return
        if not name or not password:
            self.message.setText(translate("Lock", "请输入工号或姓名和密码"))
            return
        self._login(name, password, self._check_supervisor)

    def _check_supervisor(self, session: Any) -> None:
        refusal = ""
        if session_name(session) == self.operator:
            refusal = translate("Lock", "监督人解锁须由监督人输入本人工号或姓名和密码")
        elif not session_roles(session) & UNLOCKING_ROLES:
            refusal = translate("Lock", "{0} 不是监督人，不能解锁他人的班次").format(self.name.text())
        if refusal:
            FacadeOp(self, session.logout).quiet().run()
            self.password.set_text("")
            self.message.setText(refusal)
            return
        self.supervisor_unlocked.emit(session)

    def _login(self, name: str, password: str, then) -> None:
        counter = self.counter
        FacadeOp(self, lambda: login_with_roles(counter, name, password)).success(then).failure(
            lambda exc: self._failed(exc)
        ).run()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(login_error_text(exc))
        if isinstance(exc, UserFacingError) and exc.field == "name":  # a name shared by two people
            self.name.edit.selectAll()
            self.name.edit.setFocus()
            return
        self.password.set_text("")
        self.password.edit.setFocus()
