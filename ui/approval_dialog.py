"""The 监督人's co-signature: a modal dialog that shows exactly what is approved.

DOMAIN.md "Dual control": the second person types their own name and password on this workstation;
nobody approves their own operation. The dialog refuses the maker's name up front (before any
facade call) and, when the facade later refuses the approval, says why (`explain_refusal`).
Tests monkeypatch `ApprovalDialog.ask` (pytest-qt note_dialogs): `exec()` would block them.

What it shows comes from the core (issue 14 item 4): `ApprovalRequest.from_preview` carries the
core's summary of exactly the payload the approval will bind (`Session.approval_preview`,
counter_app.approval_summary); the dialog shows those words in the UI's language and hands the
credentials back with the summary's digest (`Approval.shown_sha256`), which the core compares with
the payload at the real call. The UI-built rows remain only for callers without a preview.

A refused signature comes back as a new dialog for the same request with a `problem`: the name the
supervisor typed is kept and the focus is in the (empty) password field, so a second try of the
password is never typed in clear into the name field. After the maker's own name the name is asked
again instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from base.money import format_kwh
from counter_app.approval_summary import ApprovalPreview, ApprovalSummary
from ui import style
from ui.context import default_approval_factory
from ui.i18n import current_language
from ui.widgets import colon, money

translate = QCoreApplication.translate


@dataclass(frozen=True)
class ApprovalRequest:
    """Exactly what the supervisor approves; changing anything voids an approval (API.md)."""

    operation: str
    maker: str
    account: str | None = None
    amount_fen: int | None = None
    energy_ckwh: int | None = None
    reason: str | None = None
    extra: tuple[tuple[str, str], ...] = ()
    # The core's words for the bound payload; when set, the dialog shows these and nothing UI-built.
    summary: ApprovalSummary | None = None
    # What people read for the maker (张敏); `maker` is the login id the self-approval check compares.
    maker_name: str = ""

    @classmethod
    def from_preview(cls, preview: ApprovalPreview, maker: str, maker_name: str = "") -> ApprovalRequest:
        assert preview.summary is not None, "a preview that needs a co-signature carries its summary"
        return cls(
            operation=preview.summary.title(current_language()),
            maker=maker,
            summary=preview.summary,
            maker_name=maker_name,
        )

    @property
    def maker_shown(self) -> str:
        return self.maker_name or self.maker

    def is_maker(self, name: str) -> bool:
        """The supervisor typed the maker's own login id or display name (either logs in)."""
        return bool(name) and name in {self.maker, self.maker_name}

    @property
    def shown_sha256(self) -> str | None:
        return self.summary.sha256 if self.summary is not None else None

    def rows(self) -> list[tuple[str, str]]:
        if self.summary is not None:
            lang = "en" if current_language() == "en" else "zh"
            return [
                (translate("Approval", "操作"), self.summary.title(lang)),
                (translate("Approval", "经办人"), self.maker_shown),
                *self.summary.rows(lang),
            ]
        rows = [
            (translate("Approval", "操作"), self.operation),
            (translate("Approval", "经办人"), self.maker_shown),
        ]
        if self.account:
            rows.append((translate("Approval", "账户"), self.account))
        if self.amount_fen is not None:
            rows.append((translate("Approval", "金额"), money(self.amount_fen)))
        if self.energy_ckwh is not None:
            rows.append((translate("Approval", "电量"), format_kwh(self.energy_ckwh) + " kWh"))
        if self.reason:
            rows.append((translate("Approval", "原因"), self.reason))
        return rows + list(self.extra)


def request_from_summary(summary: dict[str, str], maker: str = "") -> ApprovalRequest:
    """A core prompt's plain summary dict as a request (keys shown as they come)."""
    rest = tuple((k, str(v)) for k, v in summary.items() if k != "operation")
    return ApprovalRequest(operation=summary.get("operation", ""), maker=maker, extra=rest)


def with_shown(approval: Any, shown_sha256: str | None) -> Any:
    """The credentials, carrying the digest of the summary the supervisor was shown."""
    if shown_sha256 is None or not dataclasses.is_dataclass(approval) or isinstance(approval, type):
        return approval
    if "shown_sha256" not in {f.name for f in dataclasses.fields(approval)}:
        return approval
    return dataclasses.replace(approval, shown_sha256=shown_sha256)


# The last signature handed out: (request, supervisor name). Read only by a retry of that request.
_last_signer: tuple[ApprovalRequest, str] | None = None


def behind_lock(parent: QWidget | None) -> bool:
    """True when `parent` sits in a locked main window (MainWindow.locked): no co-sign, no yes/no may
    be asked there, e.g. by a slow call's answer arriving after the idle lock."""
    window = parent.window() if parent is not None else None
    return bool(getattr(window, "locked", False))


def explain_refusal(code: str) -> str:
    """Why the facade refused an approval, in words the supervisor can act on."""
    texts = {
        "SELF_APPROVAL": translate("Approval", "不能由操作人本人确认，请另一位监督人签字"),
        "APPROVAL_INVALID": translate("Approval", "监督人姓名或密码错误，或该人当前不是监督人"),
        "APPROVAL_REQUIRED": translate("Approval", "此操作需要监督人签字确认"),
    }
    return texts.get(code, "")


class ApprovalDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        request: ApprovalRequest,
        factory: Callable[..., Any] | None = None,
        problem: str = "",
    ) -> None:
        super().__init__(parent)
        self.request = request
        self._factory = factory
        self.approval: Any = None
        self.setWindowTitle(translate("Approval", "监督人确认"))
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(translate("Approval", "请监督人核对以下内容，并输入本人姓名和密码：")))
        layout.addLayout(self._summary_form())
        self.name_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        creds = QFormLayout()
        creds.addRow(translate("Approval", "监督人姓名"), self.name_edit)
        creds.addRow(translate("Approval", "密码"), self.password_edit)
        layout.addLayout(creds)
        retry_name = _last_signer[1] if problem and _last_signer and _last_signer[0] == request else ""
        if retry_name and not request.is_maker(retry_name) and problem != explain_refusal("SELF_APPROVAL"):
            self.name_edit.setText(retry_name)
            self.password_edit.setFocus()
        else:
            self.name_edit.setFocus()
        self.problem_label = QLabel(problem)
        self.problem_label.setObjectName("fieldError")
        self.problem_label.setWordWrap(True)
        layout.addWidget(self.problem_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        style.primary(buttons.button(QDialogButtonBox.StandardButton.Ok))  # signing is the action here
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _summary_form(self) -> QFormLayout:
        form = QFormLayout()
        self.summary_labels: list[QLabel] = []
        for label, value in self.request.rows():
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setStyleSheet("font-weight: bold")
            shown.setWordWrap(True)
            self.summary_labels.append(shown)
            form.addRow(colon(label), shown)
        return form

    def try_accept(self) -> None:
        name = self.name_edit.text().strip()
        password = self.password_edit.text()
        if not name or not password:
            self.problem_label.setText(translate("Approval", "请输入监督人姓名和密码"))
            (self.password_edit if name else self.name_edit).setFocus()
            return
        if self.request.is_maker(name):
            self.problem_label.setText(explain_refusal("SELF_APPROVAL"))
            self.password_edit.clear()
            self.name_edit.selectAll()
            self.name_edit.setFocus()
            return
        global _last_signer
        _last_signer = (self.request, name)
        factory = self._factory or default_approval_factory()
        self.approval = with_shown(factory(name=name, password=password), self.request.shown_sha256)
        self.accept()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        request: ApprovalRequest,
        factory: Callable[..., Any] | None = None,
        problem: str = "",
    ) -> Any | None:
        """Modal: the Approval, or None when cancelled (always None behind the lock). Patched in tests."""
        if behind_lock(parent):
            return None
        dialog = cls(parent, request, factory, problem)
        try:
            return dialog.approval if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
