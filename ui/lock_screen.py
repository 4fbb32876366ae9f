"""The lock screen after idle minutes: only the same operator reopens it, with their password.

Another cashier is refused up front (they must log in on their own after the shift is handed over).
A 监督人 may unlock only to close or hand over the shift: the window then shows the shift page alone
(`supervisor_unlocked`), e.g. when the cashier has left without closing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.facade import login_with_roles, session_roles
from ui.login import login_error_text
from ui.ops import FacadeOp
from ui.widgets import ERROR_STYLE, Field, heading

translate = QCoreApplication.translate
UNLOCKING_ROLES = {"supervisor", "head", "assistant"}


class LockScreen(QWidget):
    unlocked = Signal(object)  # the operator's fresh session
    supervisor_unlocked = Signal(object)  # the supervisor's session; shift close/hand-over only

    def __init__(self, counter: Any, operator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counter, self.operator = counter, operator
        self.name = Field(translate("Lock", "姓名"))
        self.name.set_text(operator)
        self.password = Field(translate("Lock", "密码"), password=True)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        unlock = QPushButton(translate("Lock", "解锁"))
        by_supervisor = QPushButton(translate("Lock", "监督人解锁（仅用于结班/交班）"))
        unlock.clicked.connect(self.unlock)
        by_supervisor.clicked.connect(self.unlock_as_supervisor)
        self.password.edit.returnPressed.connect(self.unlock)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = heading(translate("Lock", "已锁定 —— {0} 的班次").format(operator))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        form = QFormLayout()
        form.addRow(translate("Lock", "姓名"), self.name)
        form.addRow(translate("Lock", "密码"), self.password)
        form.addRow(unlock)
        form.addRow(by_supervisor)
        form.addRow(self.message)
        holder = QWidget()
        holder.setLayout(form)
        holder.setMaximumWidth(480)
        layout.addWidget(holder, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def activated(self) -> None:
        self.password.set_text("")
        self.message.clear()
        self.password.edit.setFocus()

    def unlock(self) -> None:
        name, password = self.name.text(), self.password.edit.text()
        if name != self.operator:
            # Refused before any facade call: this screen belongs to one operator's shift.
            self.message.setText(
                translate(
                    "Lock", "只有 {0} 本人可以解锁；其他人请等 {0} 交班后登录，或由监督人解锁结班"
                ).format(self.operator)
            )
            return
        self._login(name, password, self.unlocked.emit)

    def unlock_as_supervisor(self) -> None:
        name, password = self.name.text(), self.password.edit.text()
        if name == self.operator:
            self.message.setText(translate("Lock", "监督人解锁须由监督人输入本人姓名和密码"))
            return
        self._login(name, password, self._check_supervisor)

    def _check_supervisor(self, session: Any) -> None:
        if not session_roles(session) & UNLOCKING_ROLES:
            self.message.setText(
                translate("Lock", "{0} 不是监督人，不能解锁他人的班次").format(self.name.text())
            )
            return
        self.supervisor_unlocked.emit(session)

    def _login(self, name: str, password: str, then) -> None:
        counter = self.counter
        FacadeOp(self, lambda: login_with_roles(counter, name, password)).success(then).failure(
            lambda exc: self._failed(exc)
        ).run()

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(login_error_text(exc))
        self.password.set_text("")
        self.password.edit.setFocus()
