"""异常: unfinished card writes and suspense items, with what to do; the supervisors' morning list.

`session.open_intents()` is in API.md. The morning list (voids, corrections, reprints, manual
readings, overrides, 长款/短款, queued approvals) needs a listing call that comes later: the page
uses `session.morning_list()` when present (rows with kind, when, who, summary) and the queued
operations (`queued_operations()`) meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableView, QWidget

from ui.facade import optional_call
from ui.models import Column, RowsModel, intents_model, what_to_do
from ui.ops import FacadeOp
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec, note

translate = QCoreApplication.translate
SUPERVISING = {"supervisor", "head", "assistant"}


def morning_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Exceptions", "类别"), lambda r: r.kind),
            Column(
                translate("Exceptions", "时间"),
                lambda r: r.at,
                lambda v: v.strftime("%m-%d %H:%M") if v else "",
            ),
            Column(translate("Exceptions", "经办"), lambda r: r.who),
            Column(translate("Exceptions", "内容"), lambda r: r.summary),
        ],
        parent,
    )


def queued_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Exceptions", "排队号"), lambda r: r.queue_id),
            Column(translate("Exceptions", "类别"), lambda r: r.kind),
            Column(translate("Exceptions", "内容"), lambda r: r.summary),
            Column(translate("Exceptions", "经办"), lambda r: r.maker),
        ],
        parent,
    )


def _table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.horizontalHeader().setStretchLastSection(True)
    view.setMinimumHeight(140)
    return view


class ExceptionsPage(Page):
    shortcut = "F10"

    @classmethod
    def caption(cls) -> str:
        return translate("Exceptions", "异常")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.intents = intents_model(self)
        self.morning = morning_model(self)
        self.queued = queued_model(self)
        refresh = QPushButton(translate("Exceptions", "刷新"))
        refresh.clicked.connect(self.activated)
        self.advice = note(what_to_do("open") + "\n" + what_to_do("suspense"))
        self.add(refresh)
        self.add(_table(self.intents))
        self.add(self.advice)
        self.add(self._intent_forms())
        self.morning_note = note("")
        self.add(self.morning_note)
        self.morning_view = self.add(_table(self.morning))
        self.queued_view = self.add(_table(self.queued))
        self.finish()

    def _intent_forms(self) -> QWidget:
        intent = Spec("intent_id", translate("Exceptions", "写卡编号"))
        self.suspense = ActionForm(
            self.ctx,
            translate("Exceptions", "转挂账"),
            [intent, Spec("reason", translate("Exceptions", "原因"))],
            lambda s, **kw: s.move_to_suspense(**kw),
            lambda r: translate("Exceptions", "{0} 已转挂账").format(r.intent_id),
            needs_approval=True,
        )
        self.resolve = ActionForm(
            self.ctx,
            translate("Exceptions", "处理挂账"),
            [
                intent,
                Spec(
                    "action",
                    translate("Exceptions", "处理方式"),
                    "choice",
                    choices=(
                        ("roll_forward", translate("Exceptions", "补写到卡（卡放读卡器）")),
                        ("refund", translate("Exceptions", "开退费审批单")),
                    ),
                ),
            ],
            lambda s, **kw: s.resolve_suspense(**kw),
            lambda r: translate("Exceptions", "{0}：{1}").format(r.intent_id, r.state),
            needs_approval=True,
        )
        row = QHBoxLayout()
        row.addWidget(self.suspense)
        row.addWidget(self.resolve)
        box = QWidget()
        box.setLayout(row)
        return box

    def activated(self) -> None:
        session = self.ctx.session
        FacadeOp(self, session.open_intents).success(self.intents.set_rows).run()
        supervising = self.ctx.role in SUPERVISING
        self.morning_view.setVisible(supervising)
        self.queued_view.setVisible(supervising)
        if not supervising:
            self.morning_note.setText(translate("Exceptions", "晨检清单仅监督人可见。"))
            return
        lister = optional_call(session, "morning_list")
        if lister is None:
            self.morning_note.setText(
                translate(
                    "Exceptions",
                    "晨检清单（作废、更正、补打、手工读数、放行、长短款）"
                    "待接口提供；下表为待确认的排队操作。",
                )
            )
        else:
            FacadeOp(self, lister).success(self.morning.set_rows).run()
        queued = optional_call(session, "queued_operations")
        if queued is not None:
            FacadeOp(self, queued).success(self.queued.set_rows).run()
