"""Login per operator, then the shift opens with a float (备用金) before anything is sold.

The Windows account at the counter may be shared, so every person logs in with their own login id
(工号) or display name and their password (the core resolves either: counter_app/auth.py). A lockout
(LOCKED) shows how long is left, from the error's `.data["until"]`, in Beijing time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from base.errors import UserFacingError
from base.money import parse_yuan
from ui import style
from ui.facade import is_simulated, login_with_roles, session_role
from ui.ops import FacadeOp, error_text
from ui.status import simulated_banner
from ui.times import CLOCK, shown_time
from ui.widgets import ERROR_STYLE, Field, heading

translate = QCoreApplication.translate
LOGIN_SIZE = (520, 360)
NO_SHIFT_ROLES = {"admin", "finance", "assistant", "head", "auditor"}  # they review or administer, never sell


def locked_text(exc: UserFacingError, now: datetime | None = None) -> str:
    """ "账号已锁定…，还需等待 4 分 30 秒" from LOCKED's `.data["until"]` (an aware datetime)."""
    until = exc.data.get("until") if isinstance(exc.data, dict) else None
    if not isinstance(until, datetime):
        return error_text(exc)
    now = now or datetime.now(until.tzinfo)
    seconds = max(0, int((until - now).total_seconds()))
    minutes, seconds = divmod(seconds, 60)
    return translate("Login", "账号已锁定，还需等待 {0} 分 {1} 秒（至 {2}）").format(
        minutes, seconds, shown_time(until, CLOCK)
    )


def message_label() -> QLabel:
    """The red line under a login form: wraps, and grows to its full height (a lockout message is
    two lines in Chinese and three in English). Kept out of QFormLayout rows, which clip it."""
    label = QLabel()
    label.setObjectName("loginMessage")
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.MinimumExpanding)
    return label


def login_error_text(exc: BaseException, now: datetime | None = None) -> str:
    if isinstance(exc, UserFacingError) and exc.code == "LOCKED":
        return locked_text(exc, now)
    left = exc.data.get("attempts_left") if isinstance(exc, UserFacingError) else None
    if isinstance(left, int) and left <= 3:
        return error_text(exc) + translate("Login", "（还可尝试 {0} 次）").format(left)
    return error_text(exc)


def show_first(app: QApplication) -> LoginWindow:
    """The start's login window, shown before the counter is open (and before the core is imported:
    this module and what it imports stay free of SQLAlchemy and the models; issue 16). Its button stays
    grey until `counter_ready`; the composition root hands it to `ui.app.WorkstationApp.take_over`."""
    style.apply(app)  # the one look, before the first window
    login = LoginWindow(None)
    login.resize(*LOGIN_SIZE)
    login.show()
    return login


class LoginWindow(QWidget):
    """Step 1 name + password; step 2 open the shift. Emits `logged_in(session)` when done."""

    logged_in = Signal(object)

    def __init__(self, counter: Any, parent: QWidget | None = None, clock=None) -> None:
        """`counter` None: the counter is still being opened (database, keys, devices: the start
        shows this window first, issue 16). Nobody can log in until `counter_ready` hands it over;
        `counter_failed` shows why it could not be opened."""
        super().__init__(parent)
        self.counter = counter
        self._clock = clock
        self.session: Any = None
        self.setWindowTitle(translate("Login", "售电收费工作站 — 登录"))
        self.steps = QStackedWidget()
        self.steps.addWidget(self._login_step())
        self.steps.addWidget(self._shift_step())
        self._layout = QVBoxLayout(self)
        if counter is not None and is_simulated(counter):  # every screen says so (DOMAIN "never happen")
            self._layout.addWidget(simulated_banner())
        self._layout.addWidget(heading(translate("Login", "营业员登录")))
        self._layout.addWidget(self.steps)
        self.name.edit.setFocus()
        if counter is None:
            self.login_button.setEnabled(False)
            self.check_status.setText(translate("Login", "正在检查数据库和密钥，请稍候…"))

    def counter_ready(self, counter: Any) -> None:
        """The database, the keys and the devices are checked: logging in is allowed from now."""
        self.counter = counter
        if is_simulated(counter):
            self._layout.insertWidget(0, simulated_banner())
        self.check_status.setText(translate("Login", "数据库和密钥检查通过"))
        self.login_button.setEnabled(True)

    def counter_failed(self, exc: BaseException) -> None:
        """The counter could not be opened: the reason stays on screen, the button stays grey."""
        self.login_button.setEnabled(False)
        self.check_status.setStyleSheet(ERROR_STYLE)
        self.check_status.setText(translate("Login", "无法打开：{0}").format(error_text(exc)))

    def _login_step(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        form = QFormLayout()
        self.name = Field(translate("Login", "工号或姓名"))
        self.password = Field(translate("Login", "密码"), password=True)
        self.message = message_label()
        self.login_button = style.primary(QPushButton(translate("Login", "登录")))
        self.check_status = QLabel()  # the start's check of the database and keys (see __init__)
        self.check_status.setWordWrap(True)
        form.addRow(translate("Login", "工号或姓名"), self.name)
        form.addRow(translate("Login", "密码"), self.password)
        form.addRow(self.login_button)
        form.addRow(self.check_status)
        column.addLayout(form)
        column.addWidget(self.message)
        column.addStretch(1)
        self.name.edit.returnPressed.connect(self.password.edit.setFocus)
        self.password.edit.returnPressed.connect(self.log_in)
        self.login_button.clicked.connect(self.log_in)
        return box

    def _shift_step(self) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        self.float_field = Field(translate("Login", "备用金（元）"))
        self.supervisor = Field(translate("Login", "本班监督人（可空）"))
        self.shift_message = QLabel()
        self.shift_message.setWordWrap(True)
        open_button = style.primary(QPushButton(translate("Login", "开班")))
        continue_button = QPushButton(translate("Login", "继续本人已开的班次"))
        form.addRow(QLabel(translate("Login", "先开班：清点备用金后输入金额")))
        form.addRow(translate("Login", "备用金"), self.float_field)
        form.addRow(translate("Login", "监督人"), self.supervisor)
        form.addRow(open_button)
        form.addRow(continue_button)
        form.addRow(self.shift_message)
        self.float_field.edit.returnPressed.connect(self.supervisor.edit.setFocus)
        self.supervisor.edit.returnPressed.connect(self.open_shift)
        open_button.clicked.connect(self.open_shift)
        continue_button.clicked.connect(lambda: self.logged_in.emit(self.session))
        return box

    def log_in(self) -> None:
        if self.counter is None:  # still opening: never a login before the database and keys are checked
            return
        name, password = self.name.text(), self.password.edit.text()
        if not name or not password:
            self.message.setText(translate("Login", "请输入工号或姓名和密码"))
            return
        self.login_button.setEnabled(False)
        counter = self.counter
        FacadeOp(self, lambda: login_with_roles(counter, name, password)).success(self._logged_in).failure(
            self._login_failed
        ).run()

    def _login_failed(self, exc: BaseException) -> None:
        self.login_button.setEnabled(True)
        now = self._clock() if self._clock else None
        self.message.setText(login_error_text(exc, now))
        if isinstance(exc, UserFacingError) and exc.field == "name":
            # A name two people share: not a failed try; the password stays, the name is asked again.
            self.name.edit.selectAll()
            self.name.edit.setFocus()
            return
        self.password.set_text("")
        self.password.edit.setFocus()

    def _logged_in(self, session: Any) -> None:
        self.login_button.setEnabled(True)
        self.session = session
        self.password.set_text("")
        if session_role(session) in NO_SHIFT_ROLES:
            self.logged_in.emit(session)
            return
        self.steps.setCurrentIndex(1)
        self.float_field.edit.setFocus()

    def open_shift(self) -> None:
        try:
            float_fen = parse_yuan(self.float_field.text() or "0", translate("Login", "备用金"), "float_fen")
        except UserFacingError as exc:
            self.float_field.show_error(error_text(exc))
            return
        supervisor = self.supervisor.text() or None
        session = self.session
        FacadeOp(self, lambda: session.open_shift(float_fen=float_fen, supervisor=supervisor)).success(
            lambda _info: self.logged_in.emit(session)
        ).failure(lambda exc: self._shift_failed(exc)).run()

    def _shift_failed(self, exc: BaseException) -> None:
        self.shift_message.setStyleSheet(ERROR_STYLE)
        self.shift_message.setText(error_text(exc))

    def keyPressEvent(self, event) -> None:  # Esc goes back from the shift step to the login step
        if event.key() == Qt.Key.Key_Escape and self.steps.currentIndex() == 1:
            self.steps.setCurrentIndex(0)
            return
        super().keyPressEvent(event)
