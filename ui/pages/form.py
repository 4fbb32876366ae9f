"""`ActionForm`: one facade operation as a small form (fields → keyword args → background call).

Most counter operations are "type a few values, maybe get a 监督人 to sign, call one facade method,
show the result". Pages describe them declaratively with `Spec`s instead of each hand-rolling
widgets. Money is typed in yuan and passed as fen, energy in kWh and passed as ckwh (API.md units).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from base.errors import InputInvalid, UserFacingError
from base.money import parse_kwh, parse_yuan
from ui import style
from ui.approval_dialog import ApprovalDialog, ApprovalRequest, explain_refusal
from ui.context import Workstation
from ui.ops import FacadeOp, error_text
from ui.style import OK_STYLE
from ui.times import shown_value
from ui.widgets import ERROR_STYLE, Field, info_label, route_error

translate = QCoreApplication.translate


@dataclass(frozen=True)
class Spec:
    """One input: `name` is the facade's keyword; `kind` in text|yuan|kwh|int|date|choice."""

    name: str
    label: str
    kind: str = "text"
    optional: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (value, shown)


def parse_value(spec: Spec, raw: str) -> Any:
    if raw == "" and spec.optional:
        return None
    if raw == "":
        raise InputInvalid(translate("Form", "请填写{0}").format(spec.label), field=spec.name)
    try:
        if spec.kind == "yuan":
            return parse_yuan(raw, spec.label)
        if spec.kind == "kwh":
            return parse_kwh(raw, spec.label)
        if spec.kind == "int":
            return int(raw)
        if spec.kind == "date":
            return date.fromisoformat(raw)
    except (ValueError, UserFacingError) as exc:
        raise InputInvalid(translate("Form", "{0}格式不对").format(spec.label), field=spec.name) from exc
    return raw


class ActionForm(QGroupBox):
    """Fields, one button, a result line. `call(session, **kwargs)` runs on the worker; `done`
    carries its result to whoever acts on it next (a PDF button, a refresh)."""

    done = Signal(object)

    def __init__(
        self,
        ctx: Workstation,
        title: str,
        specs: list[Spec],
        call: Callable[..., Any],
        describe: Callable[[Any], str],
        needs_approval: bool = False,
        button: str | None = None,
        parent: QWidget | None = None,
        operation: str | None = None,
        second_approval: bool = False,
    ) -> None:
        super().__init__(title, parent)
        self.ctx, self.specs, self._call, self._describe = ctx, specs, call, describe
        self.needs_approval = needs_approval
        # A second, different 监督人 signs the same words (a broken meter's manual reading: DOMAIN).
        self.second_approval = second_approval
        # The facade method `call` runs: with it, the core checks the input and says what the
        # co-signature binds BEFORE the 监督人 is asked (Session.approval_preview).
        self.operation = operation
        self.last_preview: Any = None
        self._previewed_none = False
        self._retried = False
        self.fields: dict[str, Field] = {}
        self.choices: dict[str, QComboBox] = {}
        self.last_result: Any = None
        form = QFormLayout()
        form.setHorizontalSpacing(style.SPACE_M)
        form.setVerticalSpacing(style.SPACE_S)
        for spec in specs:
            form.addRow(spec.label, self._make_input(spec))
        # The form's one action: blue, as wide as its words, under the fields on the left (not a
        # full-width bar) — the eye goes fields → button → result.
        self.button = style.primary(QPushButton(button or title))
        self.button.clicked.connect(self.submit)
        self.result_label = info_label()
        actions = QHBoxLayout()
        actions.setContentsMargins(0, style.SPACE_XS, 0, 0)
        actions.addWidget(self.button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setSpacing(style.SPACE_S)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.result_label)

    def _make_input(self, spec: Spec) -> QWidget:
        if spec.kind == "choice":
            combo = QComboBox()
            for value, shown in spec.choices:
                combo.addItem(shown, value)
            self.choices[spec.name] = combo
            combo.setMaximumWidth(style.FIELD_MAX_PX)
            return combo
        hint = {"yuan": translate("Form", "元"), "kwh": "kWh", "date": "YYYY-MM-DD"}.get(spec.kind, "")
        field = Field(hint)
        field.edit.returnPressed.connect(self.submit)
        field.setMaximumWidth(style.FIELD_MAX_PX)  # a readable line on 1920×1080, not the screen's width
        self.fields[spec.name] = field
        return field

    def values(self) -> dict[str, Any]:
        """Parsed keyword arguments; InputInvalid (with `.field`) on the first bad one."""
        kwargs: dict[str, Any] = {}
        for spec in self.specs:
            if spec.kind == "choice":
                kwargs[spec.name] = self.choices[spec.name].currentData()
            else:
                value = parse_value(spec, self.fields[spec.name].text())
                if value is not None:
                    kwargs[spec.name] = value
        return kwargs

    def submit(self, problem: str = "") -> None:
        try:
            kwargs = self.values()
        except UserFacingError as exc:
            self._show_failure(exc)
            return
        problem = problem if isinstance(problem, str) else ""
        if self.needs_approval and self.operation:
            # Validate everything first, co-sign last: the core runs every check of the operation and
            # returns the words of exactly what the approval will bind; a refusal shows here, before
            # anyone is called over.
            self.button.setEnabled(False)
            session, operation = self.ctx.session, self.operation
            FacadeOp(self, lambda: session.approval_preview(operation, **kwargs)).success(
                lambda preview: self._co_sign(kwargs, preview, problem)
            ).failure(self._show_failure).run()
            return
        if self.needs_approval:
            approval = ApprovalDialog.ask(self, self._request(kwargs), self.ctx.approval_factory, problem)
            if approval is None:
                return
            kwargs["approval"] = approval
        self._run(kwargs)

    def _co_sign(self, kwargs: dict[str, Any], preview: Any, problem: str) -> None:
        self.button.setEnabled(True)
        self.last_preview = preview
        self._previewed_none = not preview.needed
        if preview.needed and not preview.queued:
            request = ApprovalRequest.from_preview(preview, self.ctx.operator, self.ctx.operator_name)
            approval = ApprovalDialog.ask(self, request, self.ctx.approval_factory, problem)
            if approval is None:
                return
            kwargs = {**kwargs, "approval": approval}
            if self.second_approval:
                second = self._second_signature(request, approval)
                if second is None:
                    return
                kwargs["second_approval"] = second
        # (queued: single-operator mode stores it for a co-signature on a staffed day — QUEUED says so)
        self._run(kwargs)

    def _second_signature(self, request: ApprovalRequest, first: Any) -> Any:
        """The second 监督人's signature on the same words; the first one's name is refused here
        (the core refuses it too: two different supervisors)."""
        problem = translate("Form", "请第二位监督人核对并签字（不能与第一位相同）")
        while True:
            second = ApprovalDialog.ask(self, request, self.ctx.approval_factory, problem)
            if second is None or second.name != first.name:
                return second
            problem = translate("Form", "第二位监督人不能与第一位（{0}）相同").format(first.name)

    def _run(self, kwargs: dict[str, Any]) -> None:
        self.button.setEnabled(False)
        session = self.ctx.session
        FacadeOp(self, lambda: self._call(session, **kwargs)).success(self._show_result).failure(
            self._show_failure
        ).run()

    def _request(self, kwargs: dict[str, Any]) -> ApprovalRequest:
        return ApprovalRequest(
            operation=self.title(),
            maker=self.ctx.operator,
            maker_name=self.ctx.operator_name,
            account=kwargs.get("account_no") or kwargs.get("receipt_no"),
            amount_fen=kwargs.get("amount_fen"),
            energy_ckwh=kwargs.get("energy_ckwh") or kwargs.get("carried_ckwh"),
            reason=kwargs.get("reason"),
            extra=tuple(
                (s.label, str(kwargs[s.name]))
                for s in self.specs
                if s.name in kwargs
                and s.name
                not in {"account_no", "receipt_no", "amount_fen", "energy_ckwh", "carried_ckwh", "reason"}
            ),
        )

    def _show_result(self, result: Any) -> None:
        self._retried = False
        self.button.setEnabled(True)
        self.last_result = result
        self.result_label.setStyleSheet(OK_STYLE)
        self.result_label.setText(self._describe(result))
        self.done.emit(result)

    def _show_failure(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        code = getattr(exc, "code", "")
        if code == "APPROVAL_REQUIRED" and self.operation and self._previewed_none and not self._retried:
            # The preview stopped at an earlier write (a card's open intent settled first): it is done
            # now, so preview again, once, and ask for the co-signature it finds.
            self._retried = True
            self.submit()
            return
        self._retried = False
        if self.needs_approval and code in {"SELF_APPROVAL", "APPROVAL_INVALID"}:
            # Say why, then let the supervisor try again with the same content.
            self.result_label.setText(explain_refusal(code))
            self.submit(problem=explain_refusal(code))
            return
        if not route_error(exc, self.fields):
            self.result_label.setStyleSheet(ERROR_STYLE)
            self.result_label.setText(error_text(exc))


def plain(result: Any) -> str:
    """A readable fallback description of a result dataclass."""
    fields = getattr(result, "__dataclass_fields__", None)
    if not fields:
        return str(result)
    return "；".join(f"{name}: {shown_value(getattr(result, name))}" for name in fields)


def note(text: str) -> QLabel:
    return info_label(text)
