"""The visitor and phone log (来电来访登记, seed 001:1661): "对群众及用户反映的问题，权限以内的问题营业员要
及时解答，超出自己权限的问题要做好登记，及时向部门主管或助理反映……在得到部门负责人明确回复后，再向用户进行
信息反馈".

A question is logged (phone or visit, who, which room, what); the cashier answers it at once when it
is within their authority (answered and told in one go), or escalates it to the head or the assistant;
their answer is recorded; the cashier then tells the customer and records when. An item is open until
the customer was told. Every step is a new audited row (db/models/duties.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from base.validation import HOLDER_MAX_LEN, checked_text, optional_checked_text
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.ops.common import add_audited
from counter_app.roles import has_any_role
from db.models.duties import VISIT_CHANNELS, VisitorEntry, VisitorStep
from db.models.security import Operator
from db.queries.duties import untold_entry_ids, visitor_entries, visitor_steps

LOG_ROLES = ("cashier", "supervisor", "assistant", "head")
ANSWER_ROLES = ("assistant", "head")  # 部门主管或助理
TEXT_MAX = 500


@dataclass(frozen=True)
class VisitorItem:
    entry_id: int
    channel: str  # phone | visit
    caller: str | None
    room_code: str | None
    question: str
    logged_by: str
    logged_at: datetime
    escalated_to: str | None  # the latest person it went to
    answer: str | None  # the latest answer
    answered_by: str | None
    answered_at: datetime | None
    told_at: datetime | None  # when the customer was told; None: still open

    @property
    def open(self) -> bool:
        return self.told_at is None


def items(session: DbSession, entries: list[tuple[VisitorEntry, str]]) -> list[VisitorItem]:
    steps: dict[int, list[tuple[VisitorStep, str, str | None]]] = {}
    for step in visitor_steps(session, [e.id for e, _ in entries]):
        steps.setdefault(step[0].entry_id, []).append(step)
    return [_item(entry, name, steps.get(entry.id, [])) for entry, name in entries]


def _item(entry: VisitorEntry, name: str, steps: list[tuple[VisitorStep, str, str | None]]) -> VisitorItem:
    escalated = [to for s, _, to in steps if s.kind == "escalated"]
    answers = [(s, by) for s, by, _ in steps if s.kind == "answered"]
    told = [s.at for s, _, _ in steps if s.kind == "told"]
    answer, by = answers[-1] if answers else (None, None)
    return VisitorItem(entry.id, entry.channel, entry.caller, entry.room_code, entry.question, name, entry.at,
                       escalated[-1] if escalated else None, answer.text if answer else None, by,
                       answer.at if answer else None, told[0] if told else None)  # fmt: skip


def _load(s: DbSession, entry_id: int) -> VisitorItem:
    found = (
        visitor_entries(s, entry_ids=[entry_id])
        if isinstance(entry_id, int) and not isinstance(entry_id, bool)
        else []
    )
    if not found:
        raise InputInvalid(f"没有这条来电来访登记：{entry_id}", detail_en=f"no visitor log entry {entry_id}",
                           field="entry_id")  # fmt: skip
    return items(s, found)[0]


def _step(ctx: OpContext, s: DbSession, entry_id: int, kind: str, *, text: str | None = None,
          to_operator_id: int | None = None) -> None:  # fmt: skip
    row = VisitorStep(entry_id=entry_id, kind=kind, to_operator_id=to_operator_id, text=text, at=ctx.now(),
                      operator_id=ctx.operator_id)  # fmt: skip
    add_audited(ctx, s, row, f"visitor.{kind}", entry_id=entry_id, to_operator_id=to_operator_id, text=text)


def _still_open(item: VisitorItem) -> None:
    if not item.open:
        raise InputInvalid(f"第 {item.entry_id} 条已告知用户，已办结", detail_en=f"entry {item.entry_id} is closed",
                           field="entry_id")  # fmt: skip


# --- services --------------------------------------------------------------------------------------


def log_visitor(
    ctx: OpContext, *, channel: str, question: str, caller: str | None = None, room_code: str | None = None,
    answer: str | None = None,
) -> VisitorItem:  # fmt: skip
    if channel not in VISIT_CHANNELS:
        raise InputInvalid(
            "方式应为来电或来访", detail_en=f"channel is one of {VISIT_CHANNELS}", field="channel"
        )
    question = checked_text(question, field="question", label="问题", max_len=TEXT_MAX)
    caller = optional_checked_text(caller, field="caller", label="来电来访人", max_len=HOLDER_MAX_LEN)
    room_code = optional_checked_text(room_code, field="room_code", label="房间")
    answer = optional_checked_text(answer, field="answer", label="答复", max_len=TEXT_MAX)
    with ctx.uow() as s:
        ctx.require_role(s, *LOG_ROLES)
        entry = VisitorEntry(channel=channel, caller=caller, room_code=room_code, question=question, at=ctx.now(),
                             operator_id=ctx.operator_id, workstation_id=ctx.workstation.id)  # fmt: skip
        add_audited(ctx, s, entry, "visitor.logged", channel=channel, room_code=room_code)
        if answer:  # within the cashier's authority: answered on the spot, so the customer knows
            _step(ctx, s, entry.id, "answered", text=answer)
            _step(ctx, s, entry.id, "told")
        return _load(s, entry.id)


def escalate_visitor(ctx: OpContext, *, entry_id: int, to: str) -> VisitorItem:
    with ctx.uow() as s:
        ctx.require_role(s, *LOG_ROLES)
        _still_open(_load(s, entry_id))
        person = _answerer(ctx, s, to)
        _step(ctx, s, entry_id, "escalated", to_operator_id=person.id)
        return _load(s, entry_id)


def _answerer(ctx: OpContext, s: DbSession, name: object) -> Operator:
    person = None
    if isinstance(name, str) and name.strip():
        person = s.scalar(
            select(Operator).where((Operator.name == name.strip()) | (Operator.display_name == name.strip()))
        )
    if person is None or person.disabled or not has_any_role(s, person.id, ANSWER_ROLES, on=ctx.today()):
        raise InputInvalid(f"{name} 不是部门主管或助理", detail_en=f"{name} is not the head or an assistant",
                           field="to")  # fmt: skip
    return person


def answer_visitor(ctx: OpContext, *, entry_id: int, answer: str) -> VisitorItem:
    answer = checked_text(answer, field="answer", label="答复", max_len=TEXT_MAX)
    with ctx.uow() as s:
        ctx.require_role(s, *ANSWER_ROLES)
        _still_open(_load(s, entry_id))
        _step(ctx, s, entry_id, "answered", text=answer)
        return _load(s, entry_id)


def visitor_told(ctx: OpContext, *, entry_id: int, note: str | None = None) -> VisitorItem:
    note = optional_checked_text(note, field="note", label="备注", max_len=TEXT_MAX)
    with ctx.uow() as s:
        ctx.require_role(s, *LOG_ROLES)
        item = _load(s, entry_id)
        _still_open(item)
        if item.answer is None:
            raise InputInvalid(
                "尚无答复，不能告知用户", detail_en="there is no answer to tell yet", field="entry_id"
            )
        _step(ctx, s, entry_id, "told", text=note)
        return _load(s, entry_id)


def open_visitor_items(ctx: OpContext) -> list[VisitorItem]:
    with ctx.reading() as s:
        ctx.require_role(s, *LOG_ROLES)
        return items(s, visitor_entries(s, entry_ids=untold_entry_ids(s)))


class VisitorLogOps(SessionArea):
    def log_visitor(
        self, *, channel: str, question: str, caller: str | None = None, room_code: str | None = None,
        answer: str | None = None,
    ) -> VisitorItem:  # fmt: skip
        """Addition (docs/api.md): a phone call or visit written down; with `answer`, answered on the spot."""
        return log_visitor(self.ctx, channel=channel, question=question, caller=caller, room_code=room_code,
                           answer=answer)  # fmt: skip

    def escalate_visitor(self, *, entry_id: int, to: str) -> VisitorItem:
        """Addition (docs/api.md): passed to the head or an assistant (login id or name)."""
        return escalate_visitor(self.ctx, entry_id=entry_id, to=to)

    def answer_visitor(self, *, entry_id: int, answer: str) -> VisitorItem:
        """Addition (docs/api.md): the head's or assistant's answer."""
        return answer_visitor(self.ctx, entry_id=entry_id, answer=answer)

    def visitor_told(self, *, entry_id: int, note: str | None = None) -> VisitorItem:
        """Addition (docs/api.md): the customer was told the answer (closes the item)."""
        return visitor_told(self.ctx, entry_id=entry_id, note=note)

    def open_visitor_items(self) -> list[VisitorItem]:
        """Addition (docs/api.md): the questions whose customer has not been told yet, oldest first."""
        return open_visitor_items(self.ctx)
