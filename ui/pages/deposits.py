"""缴款: record a 现金缴款单 / 进账单 against the shifts whose takings it carries to the bank, and the
assistant's list of late or overdue deposits (DOMAIN "Deposits"; facade `record_deposit`,
`late_deposits`). The shift numbers are on the 交账单 page (column 班次 of each sheet's shift).
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QGroupBox, QPushButton, QTableView, QVBoxLayout

from base.errors import InputInvalid
from base.money import format_yuan
from ui import style
from ui.models import Column, RowsModel, yuan_column
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec, note
from ui.widgets import ERROR_STYLE, info_label

translate = QCoreApplication.translate
CHECKING_ROLES = {"assistant", "head", "finance"}


def slip_kinds() -> tuple[tuple[str, str], ...]:
    return (
        ("cash_slip", translate("Deposits", "现金缴款单")),
        ("bank_slip", translate("Deposits", "进账单")),
    )


def parse_shift_ids(text: str) -> list[int]:
    """'12, 13 14' → [12, 13, 14]; anything but numbers is refused next to the field."""
    parts = [p for p in re.split(r"[\s,，、]+", text or "") if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise InputInvalid(translate("Deposits", "请填写班次号，多个用逗号分开"), field="shift_ids")
    return [int(p) for p in parts]


def record_deposit(session: Any, *, shift_ids: Any, **kwargs: Any) -> Any:
    ids = parse_shift_ids(shift_ids) if isinstance(shift_ids, str) else shift_ids
    return session.record_deposit(shift_ids=ids, **kwargs)


def deposit_text(info: Any) -> str:
    late = translate("Deposits", "（迟缴）") if info.late else ""
    text = translate("Deposits", "已登记 {0} {1}：￥{2}，班次 {3}{4}").format(
        info.slip_no, dict(slip_kinds()).get(info.kind, info.kind), format_yuan(info.amount_fen),
        "、".join(str(i) for i in info.shift_ids), late,
    )  # fmt: skip
    if getattr(info, "difference_fen", 0):
        text += translate("Deposits", "；应缴 ￥{0}，差额 ￥{1}（{2}）").format(
            format_yuan(info.expected_fen or 0),
            format_yuan(info.difference_fen),
            info.difference_reason or "",
        )
    return text


class DepositForm(ActionForm):
    """The shift numbers are typed as text ("12, 13"); the facade (and its approval preview,
    which asks whether a slip that differs needs a co-signature) takes a list of ids."""

    def values(self) -> dict[str, Any]:
        kwargs = super().values()
        kwargs["shift_ids"] = parse_shift_ids(kwargs.get("shift_ids", ""))
        return kwargs


def late_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Deposits", "班次"), lambda r: r.shift_id),
            yuan_column(translate("Deposits", "应缴现金"), lambda r: r.cash_fen),
            Column(translate("Deposits", "应缴日"), lambda r: r.due_on, lambda v: v.isoformat()),
            Column(
                translate("Deposits", "缴存日"),
                lambda r: r.deposited_on,
                lambda v: v.isoformat() if v else translate("Deposits", "未缴"),
            ),
            Column(translate("Deposits", "单号"), lambda r: r.slip_nos, "、".join),
        ],
        parent,
    )


class DepositsPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Deposits", "缴款")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.form = DepositForm(
            ctx,
            translate("Deposits", "登记缴款单"),
            [
                Spec("slip_no", translate("Deposits", "单号")),
                Spec("kind", translate("Deposits", "类型"), "choice", choices=slip_kinds()),
                Spec("bank", translate("Deposits", "银行/结算中心")),
                Spec("stamped_on", translate("Deposits", "银行盖章日期"), "date"),
                Spec("amount_fen", translate("Deposits", "金额"), "yuan"),
                Spec("shift_ids", translate("Deposits", "所缴班次号")),
                # A slip that differs from the shifts' takings: the reason, and a 监督人 co-signs.
                Spec("difference_reason", translate("Deposits", "差额原因"), optional=True),
            ],
            record_deposit,
            deposit_text,
            needs_approval=True,
            operation="record_deposit",
        )
        self.add(self.form)
        self.add(self._late_box())
        self.finish()

    def _late_box(self) -> QGroupBox:
        box = QGroupBox(translate("Deposits", "迟缴、未缴的班次（部门助理核对）"))
        column = QVBoxLayout(box)
        self.late = late_model(self)
        self.late_view = QTableView()
        self.late_view.setModel(self.late)
        self.late_view.verticalHeader().hide()
        self.late_view.setMinimumHeight(150)
        refresh = style.with_icon(QPushButton(translate("Deposits", "刷新")), "refresh")
        refresh.clicked.connect(self.refresh)
        self.late_note = info_label()
        column.addWidget(style.left(refresh))
        column.addWidget(self.late_view)
        column.addWidget(self.late_note)
        self.checks = bool(CHECKING_ROLES & self.ctx.roles)
        if not self.checks:
            refresh.hide()
            self.late_view.hide()
            column.addWidget(note(translate("Deposits", "迟缴清单仅部门助理、主管和财务可查看")))
        return box

    def activated(self) -> None:
        if self.checks:
            self.refresh()

    def refresh(self) -> None:
        session = self.ctx.session
        FacadeOp(self, session.late_deposits).success(self._listed).failure(self._failed).run()

    def _listed(self, rows: list[Any]) -> None:
        self.late.set_rows(rows)
        style.fit_columns(self.late_view)
        self.late_note.setStyleSheet("")
        self.late_note.setText(
            translate("Deposits", "共 {0} 个班次迟缴或未缴").format(len(rows))
            if rows
            else translate("Deposits", "没有迟缴")
        )

    def _failed(self, exc: BaseException) -> None:
        self.late_note.setStyleSheet(ERROR_STYLE)
        self.late_note.setText(error_text(exc))
