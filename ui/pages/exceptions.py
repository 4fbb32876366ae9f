"""异常: unfinished card writes and suspense items, with what to do; the supervisors' morning list.

`session.open_intents()` is in API.md. The morning list (voids, corrections, reprints, manual
readings, overrides, 长款/短款, queued approvals) is `session.morning_list()` (docs/api.md), shown
to supervisors, assistants and heads; the queued operations (`queued_operations()`) below it can
be co-signed from the list.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableView, QWidget

from ui import i18n, style
from ui.approval_dialog import ApprovalDialog, ApprovalRequest
from ui.models import Column, RowsModel, intents_model, what_to_do
from ui.ops import FacadeOp, error_text
from ui.pages.base import Page
from ui.pages.form import ActionForm, Spec, note
from ui.times import shown_time
from ui.widgets import ERROR_STYLE

translate = QCoreApplication.translate
SUPERVISING = {"supervisor", "head", "assistant"}


def morning_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Exceptions", "类别"), lambda r: r.kind, morning_kind_text),
            Column(
                translate("Exceptions", "时间"),
                lambda r: r.at,
                lambda v: shown_time(v, "%m-%d %H:%M"),
            ),
            Column(translate("Exceptions", "经办"), lambda r: r.who),
            Column(translate("Exceptions", "确认人"), lambda r: r.checker),
            Column(translate("Exceptions", "窗口"), lambda r: r.workstation),
            Column(translate("Exceptions", "内容"), morning_summary),
        ],
        parent,
    )


def morning_summary(item) -> str:
    """The line in the UI's language (`summary_en` when English; what a person typed stays as typed)."""
    if i18n.current_language() == "en":
        return getattr(item, "summary_en", "") or item.summary
    return item.summary


def morning_kind_text(kind: str | None) -> str:
    return {
        "void": translate("Exceptions", "作废"),
        "correction": translate("Exceptions", "更正"),
        "reprint": translate("Exceptions", "补打"),
        "manual_reading": translate("Exceptions", "手工抄表"),
        "override": translate("Exceptions", "放行"),
        "late_hand_in": translate("Exceptions", "迟交"),
        "unpriced_energy": translate("Exceptions", "无价电量"),
        "flagged": translate("Exceptions", "标记"),
        "recovered": translate("Exceptions", "恢复写卡"),
        "over": translate("Exceptions", "长款"),
        "short": translate("Exceptions", "短款"),
        "queued": translate("Exceptions", "待确认"),
        "tampered": translate("Exceptions", "数据被篡改"),
        "clock_back": translate("Exceptions", "时钟回拨"),
        "high_water": translate("Exceptions", "数据回退"),
        "backup": translate("Exceptions", "备份"),
    }.get(kind or "", kind or "")


def queued_model(parent=None) -> RowsModel:
    return RowsModel(
        [
            Column(translate("Exceptions", "排队号"), lambda r: r.queue_id),
            Column(translate("Exceptions", "类别"), lambda r: r.kind, queued_kind_text),
            Column(translate("Exceptions", "内容"), lambda r: r.summary),
            Column(translate("Exceptions", "经办"), lambda r: r.maker),
        ],
        parent,
    )


def queued_kind_text(kind: str | None) -> str:
    """A queued operation's kind in words, never the raw key ("account.confirm_class")."""
    names = {
        "account.close": translate("Exceptions", "销户"),
        "account.confirm_class": translate("Exceptions", "确认账户类别"),
        "account.replace_meter": translate("Exceptions", "换表"),
        "back_charge": translate("Exceptions", "违规用电补缴"),
        "card.issue_tool_card": translate("Exceptions", "发工具卡"),
        "clear.issue": translate("Exceptions", "写清零卡"),
        "correction": translate("Exceptions", "更正"),
        "correction.new_sale": translate("Exceptions", "更正重开"),
        "intent.refund": translate("Exceptions", "挂账退费"),
        "intent.roll_forward": translate("Exceptions", "挂账补写入账"),
        "intent.suspense": translate("Exceptions", "转挂账"),
        "quota.approve_batch": translate("Exceptions", "定额送电批次"),
        "refund_room": translate("Exceptions", "房间退电"),
    }
    return names.get(kind or "", translate("Exceptions", "其他操作"))


def _table(model: RowsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.horizontalHeader().setStretchLastSection(True)
    view.setMinimumHeight(140)
    return view


class ExceptionsPage(Page):
    @classmethod
    def caption(cls) -> str:
        return translate("Exceptions", "异常")

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.intents = intents_model(self)
        self.morning = morning_model(self)
        self.queued = queued_model(self)
        refresh = style.with_icon(QPushButton(translate("Exceptions", "刷新")), "refresh")
        refresh.clicked.connect(self.activated)
        self.advice = note(what_to_do("open") + "\n" + what_to_do("suspense"))
        self.add(style.left(refresh))
        self.intents_view = self.add(_table(self.intents))
        # Pick, don't type: the selected write fills both forms' 写卡编号 (issue 14 "pick lists").
        self.intents_view.selectionModel().currentRowChanged.connect(self._intent_picked)
        self.add(self.advice)
        self.add(self._intent_forms())
        self.morning_note = note("")
        self.add(self.morning_note)
        self.morning_view = self.add(_table(self.morning))
        self.queued_view = self.add(_table(self.queued))
        self.approve_button = style.primary(
            QPushButton(translate("Exceptions", "确认所选排队操作（监督人签字）"))
        )
        self.approve_button.clicked.connect(self.approve_selected)
        self.approve_result = note("")
        self.add(style.left(self.approve_button))
        self.add(self.approve_result)
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
            operation="move_to_suspense",
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
            operation="resolve_suspense",
        )
        row = QHBoxLayout()
        row.addWidget(self.suspense)
        row.addWidget(self.resolve)
        box = QWidget()
        box.setLayout(row)
        return box

    def _intent_picked(self, current, _previous=None) -> None:
        if not current.isValid():
            return
        intent_id = self.intents.row(current.row()).intent_id
        for form in (self.suspense, self.resolve):
            form.fields["intent_id"].set_text(intent_id)

    # --- co-signing a queued operation from the list (DOMAIN "Holidays") ----------------------------
    def selected_queued(self):
        index = self.queued_view.currentIndex()
        return self.queued.row(index.row()) if index.isValid() else None

    def approve_selected(self, problem: str = "") -> None:
        """The core previews exactly what the queued operation will do now (its checks run first);
        the 监督人 signs those words; then it runs. A refusal says why beside the button."""
        queued = self.selected_queued()
        if queued is None:
            self.approve_result.setText(translate("Exceptions", "请先在上表中选择一条排队操作"))
            return
        session, queue_id = self.ctx.session, queued.queue_id
        self.approve_button.setEnabled(False)
        FacadeOp(self, lambda: session.approval_preview("approve_queued", queue_id=queue_id)).success(
            lambda preview: self._co_sign_queued(queued, preview, problem)
        ).failure(self._queued_failed).run()

    def _co_sign_queued(self, queued, preview, problem: str) -> None:
        self.approve_button.setEnabled(True)
        approval, queue_id = None, queued.queue_id
        if preview.needed:
            # the maker is whoever queued it (a holiday's lone cashier), not the 监督人 logged in here
            request = ApprovalRequest.from_preview(preview, queued.maker)
            approval = ApprovalDialog.ask(self, request, self.ctx.approval_factory, problem)
            if approval is None:
                return
        session = self.ctx.session
        self.approve_button.setEnabled(False)
        FacadeOp(self, lambda: session.approve_queued(queue_id=queue_id, approval=approval)).success(
            lambda _result: self._queued_done(queue_id)
        ).failure(self._queued_failed).run()

    def _queued_done(self, queue_id: int) -> None:
        self.approve_button.setEnabled(True)
        self.approve_result.setStyleSheet("")
        self.approve_result.setText(translate("Exceptions", "排队操作 {0} 已确认并执行").format(queue_id))
        self.activated()

    def _queued_failed(self, exc: BaseException) -> None:
        self.approve_button.setEnabled(True)
        if getattr(exc, "code", "") in {"APPROVAL_INVALID", "SELF_APPROVAL"}:
            self.approve_selected(error_text(exc))  # ask again, saying why
            return
        self.approve_result.setStyleSheet(ERROR_STYLE)
        self.approve_result.setText(error_text(exc))

    def activated(self) -> None:
        session = self.ctx.session
        FacadeOp(self, session.open_intents).success(self.intents.set_rows).run()
        supervising = bool(self.ctx.roles & SUPERVISING)
        self.morning_view.setVisible(supervising)
        self.queued_view.setVisible(supervising)
        self.approve_button.setVisible(supervising)
        if not supervising:
            self.morning_note.setText(translate("Exceptions", "晨检清单仅监督人可见。"))
            return
        self.morning_note.setText(
            translate(
                "Exceptions",
                "晨检清单：昨天和今天的作废、更正、补打、手工抄表、放行、长短款；下表为待确认的排队操作。",
            )
        )
        FacadeOp(self, session.morning_list).success(self.morning.set_rows).run()
        FacadeOp(self, session.queued_operations).success(self.queued.set_rows).run()
