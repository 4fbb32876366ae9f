"""Free quota batches (定额送电, DOMAIN "Counter operations" 2; API.md `prepare_quota_batch`,
`approve_quota_batch`). The policy arithmetic is in quota_policy.py, what a room is owed at a card
visit in quota_owed.py, the `quota` report in quota_report.py.

A cashier prepares a batch for a period and buildings from the occupancy snapshot; a 监督人 (not
the maker) co-signs it. A batch overlapping an approved one (same room, a month both cover) is
refused with QUOTA_OVERLAP naming the rooms, at preparation already and again at approval (the
UNIQUE(room, month) of quota_room_months settles a race between two counters).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid, QuotaOverlap, SelfApproval, UserFacingError
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.ops import quota_policy as policy_of
from counter_app.ops.area import SessionArea
from counter_app.ops.common import add_audited
from counter_app.ops.low_balance import low_balance
from counter_app.queueing import register_queueable
from counter_app.results import BatchDraft, BatchInfo, LowBalanceRow, WaitingBatch
from db.models import Account, Building, Room
from db.models.quota import QuotaBatch, QuotaBatchApproval, QuotaBatchRoom, QuotaRoomMonth
from db.models.security import Approval as ApprovalRow
from db.models.security import Operator
from db.queries.quota import waiting_batches

MAKER_ROLES = ("cashier", "supervisor")
APPROVE_KIND = "quota.approve_batch"


# --- prepare ------------------------------------------------------------------------------------


def prepare_quota_batch(ctx: OpContext, *, period: str, buildings: list[str]) -> BatchDraft:
    year, month = policy_of.parse_period(period)
    codes = _building_codes(buildings)
    with ctx.uow() as s:
        ctx.require_role(s, *MAKER_ROLES)
        policy = policy_of.snapshot(s)
        policy_of.refuse_excluded(policy, month, period)
        building_ids = _buildings(ctx, s, codes)
        term_end = policy_of.term_end_for(date(year, month, 1), ctx.setting(s, "term_ends"))
        months = policy_of.covered_months(policy, year, month, term_end)
        rooms = _room_rows(s, policy, building_ids)
        if not rooms:
            raise InputInvalid("所选楼栋没有可送电的学生公寓房间", detail_en="no dorm room with an entitlement",
                               field="buildings")  # fmt: skip
        _refuse_overlap(s, [r.room_id for r in rooms], months, {r.room_id: r.room_code for r in rooms})
        batch = QuotaBatch(period=period, months=months, buildings=codes, campus_id=ctx.workstation.campus_id,
                           policy=policy, term_end=term_end, rooms=len(rooms),
                           total_ckwh=sum(r.entitlement_ckwh for r in rooms), maker_id=ctx.operator_id,
                           workstation_id=ctx.workstation.id, created_at=ctx.now())  # fmt: skip
        add_audited(ctx, s, batch, "quota.batch_prepared", period=period, buildings=codes)
        for room in rooms:
            room.batch_id = batch.id
            add_audited(ctx, s, room, "quota.batch_room", batch_id=batch.id, room_code=room.room_code)
        return BatchDraft(batch_id=batch.id, rooms=batch.rooms, total_ckwh=batch.total_ckwh)


def _building_codes(buildings: list[str]) -> list[str]:
    if isinstance(buildings, str):
        buildings = [buildings]
    codes = list(dict.fromkeys(str(b).strip() for b in (buildings or []) if str(b).strip()))
    if not codes:
        raise InputInvalid("请选择楼栋", detail_en="buildings needed", field="buildings")
    return codes


def _buildings(ctx: OpContext, s: DbSession, codes: list[str]) -> dict[int, str]:
    found = s.execute(select(Building.code, Building.id).where(
        Building.campus_id == ctx.workstation.campus_id, Building.code.in_(codes))).all()  # fmt: skip
    rows = {code: building_id for code, building_id in found}
    unknown = [c for c in codes if c not in rows]
    if unknown:
        raise InputInvalid(f"本校区没有楼栋：{'、'.join(unknown)}", detail_en=f"unknown buildings: {unknown}",
                           field="buildings", data={"buildings": unknown})  # fmt: skip
    return {rows[c]: c for c in codes}


def _room_rows(s: DbSession, policy: dict[str, Any], building_ids: dict[int, str]) -> list[QuotaBatchRoom]:
    """One row per live dorm account in the buildings with a positive entitlement (the snapshot)."""
    accounts = s.execute(
        select(Account, Room.room_code, Room.building_id)
        .join(Room, Room.id == Account.room_id)
        .where(Room.building_id.in_(building_ids), Account.cls == "dorm", Account.status.in_(("active", "blocked")))
        .order_by(Room.room_code)
    ).tuples()  # fmt: skip
    rows = []
    for account, room_code, building_id in accounts:
        occupants = {"undergrad": account.occupants_undergrad, "master": account.occupants_master,
                     "phd": account.occupants_phd}  # fmt: skip
        ckwh = policy_of.entitlement_ckwh(policy, beds=account.beds, occupants=occupants)
        if ckwh > 0:
            rows.append(QuotaBatchRoom(account_id=account.id, room_id=account.room_id, room_code=room_code,
                                       building=building_ids[building_id], beds=account.beds,
                                       occupants_undergrad=occupants["undergrad"], occupants_master=occupants["master"],
                                       occupants_phd=occupants["phd"], entitlement_ckwh=ckwh))  # fmt: skip
    return rows


def _refuse_overlap(s: DbSession, room_ids: list[int], months: list[str], codes: dict[int, str]) -> None:
    taken = s.scalars(select(QuotaRoomMonth.room_id).where(
        QuotaRoomMonth.room_id.in_(room_ids), QuotaRoomMonth.month.in_(months))).all()  # fmt: skip
    if taken:
        raise _overlap(sorted({codes[r] for r in taken}))


def _overlap(rooms: list[str]) -> UserFacingError:
    shown = "、".join(rooms[:20]) + ("…" if len(rooms) > 20 else "")
    return QuotaOverlap(f"房间 {shown}", detail_en=f"rooms {', '.join(rooms)}", field="batch_id",
                        data={"rooms": rooms})  # fmt: skip


# --- approve ------------------------------------------------------------------------------------


def approve_quota_batch(ctx: OpContext, *, batch_id: int, approval: Approval | None) -> BatchInfo:
    with ctx.uow() as s:
        ctx.require_role(s, *MAKER_ROLES)
        batch = _draft(s, batch_id)
        rooms = list(s.scalars(select(QuotaBatchRoom).where(QuotaBatchRoom.batch_id == batch.id)))
        codes = {r.room_id: r.room_code for r in rooms}
        _refuse_overlap(s, list(codes), batch.months, codes)
        maker = s.get(Operator, batch.maker_id)
        if approval is not None and maker is not None and approval.name == maker.name:  # maker ≠ checker
            raise SelfApproval("批次由其本人制作", detail_en="the checker prepared this batch")
        approval_id = ctx.approve(s, approval, kind=APPROVE_KIND, payload=_payload(batch, rooms))
        checker_id = s.scalar(select(ApprovalRow.checker_id).where(ApprovalRow.id == approval_id))
        row = QuotaBatchApproval(
            batch_id=batch.id, checker_id=checker_id, approval_id=approval_id, at=ctx.now()
        )
        add_audited(ctx, s, row, "quota.batch_approved", batch_id=batch.id)
        _take_months(s, batch, rooms, codes)
        checker = s.get(Operator, checker_id)
        return BatchInfo(batch_id=batch.id, rooms=batch.rooms, total_ckwh=batch.total_ckwh,
                         maker=maker.display_name if maker else "", checker=checker.display_name if checker else "")  # fmt: skip


def _draft(s: DbSession, batch_id: int) -> QuotaBatch:
    batch = (
        s.get(QuotaBatch, batch_id) if isinstance(batch_id, int) and not isinstance(batch_id, bool) else None
    )
    if batch is None:
        raise InputInvalid(f"没有定额送电批次 {batch_id}", detail_en=f"no batch {batch_id}", field="batch_id")
    if s.scalar(select(QuotaBatchApproval.id).where(QuotaBatchApproval.batch_id == batch.id)) is not None:
        raise InputInvalid(f"批次 {batch_id} 已批准", detail_en=f"batch {batch_id} already approved",
                           field="batch_id")  # fmt: skip
    return batch


def _payload(batch: QuotaBatch, rooms: list[QuotaBatchRoom]) -> dict[str, Any]:
    """Exactly what the 监督人 signs: the batch, its totals and a digest of every room line."""
    lines = [[r.room_code, r.beds, r.occupants_undergrad, r.occupants_master, r.occupants_phd,
              r.entitlement_ckwh] for r in rooms]  # fmt: skip
    digest = hashlib.sha256(json.dumps(lines, ensure_ascii=False).encode()).hexdigest()
    return {"batch_id": batch.id, "period": batch.period, "months": list(batch.months),
            "buildings": list(batch.buildings), "rooms": batch.rooms, "total_ckwh": batch.total_ckwh,
            "rooms_sha256": digest}  # fmt: skip


def _take_months(s: DbSession, batch: QuotaBatch, rooms: list[QuotaBatchRoom], codes: dict[int, str]) -> None:
    try:
        with s.begin_nested():
            for room in rooms:
                for month in batch.months:
                    s.add(QuotaRoomMonth(room_id=room.room_id, month=month, batch_id=batch.id))
            s.flush()
    except IntegrityError:  # another counter approved an overlapping batch a moment ago
        taken = s.scalars(select(QuotaRoomMonth.room_id).where(
            QuotaRoomMonth.room_id.in_(list(codes)), QuotaRoomMonth.month.in_(batch.months))).all()  # fmt: skip
        raise _overlap(sorted({codes[r] for r in taken})) from None


def _replay_approve(ctx: OpContext, payload: dict[str, Any], approval: Approval) -> BatchInfo:
    return approve_quota_batch(ctx, batch_id=payload["batch_id"], approval=approval)


register_queueable(APPROVE_KIND, _replay_approve)


# Who sees the batches waiting: who prepares them and who co-signs them.
WAITING_READERS = ("cashier", "supervisor", "assistant", "head")


def waiting_quota_batches(ctx: OpContext) -> list[WaitingBatch]:
    with ctx.reading() as s:
        ctx.require_role(s, *WAITING_READERS)
        return [WaitingBatch(r.batch_id, r.period, tuple(str(b) for b in r.buildings), r.rooms, r.total_ckwh,
                             r.maker, r.created_at) for r in waiting_batches(s, ctx.workstation.campus_id)]  # fmt: skip


class QuotaOps(SessionArea):
    def waiting_quota_batches(self) -> list[WaitingBatch]:
        """Addition (docs/api.md): the campus's batches prepared and not approved yet, oldest first:
        the 复核 form picks from this list instead of a typed batch number."""
        return waiting_quota_batches(self.ctx)

    def prepare_quota_batch(self, *, period: str, buildings: list[str]) -> BatchDraft:
        return prepare_quota_batch(self.ctx, period=period, buildings=buildings)

    def approve_quota_batch(self, *, batch_id: int, approval: Approval | None = None) -> BatchInfo:
        return approve_quota_batch(self.ctx, batch_id=batch_id, approval=approval)

    def low_balance(self, *, on: date) -> list[LowBalanceRow]:  # (see low_balance.py)
        return low_balance(self.ctx, on=on)
