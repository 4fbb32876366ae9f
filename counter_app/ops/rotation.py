"""Job rotation (轮岗, seed 001:19: "实施轮岗制度……水电回收岗位……任期不超过二届"): who held which post
when, and the posts held longer than the setting `rotation.max_months`.

Nothing new is recorded: a post is a role, and the role grants (`role_grants`, audited and sealed:
one row per grant or revoke) already say when each person took and left it; a 监督人 appointment
(`supervisor_appointments`) is a post for its period. A term runs from a grant to the next revoke of
the same role (or is still held); a grant while already holding the role continues the term.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session as DbSession

from base.clock import business_date
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.settings import get_setting
from db.queries.duties import appointment_history, role_grant_history

READER_ROLES = ("assistant", "head", "finance")
POST_LABELS = {"cashier": "营业员", "supervisor": "监督人", "assistant": "部门助理", "head": "主管",
               "finance": "财务", "admin": "管理员", "appointed": "监督人（任命）"}  # fmt: skip


@dataclass(frozen=True)
class PostTerm:
    person: str
    post: str  # a role code, or "appointed" for a 监督人 appointment
    from_date: date
    to_date: date | None  # None: still held
    months: int  # whole months held up to to_date, or up to the as-of day
    over_limit: bool  # held longer than `rotation.max_months`


def whole_months(first: date, last: date) -> int:
    months = (last.year - first.year) * 12 + last.month - first.month
    return max(months - (1 if last.day < first.day else 0), 0)


def post_terms(session: DbSession, as_of: date) -> list[PostTerm]:
    """Every term begun by `as_of`, sorted by post then person then start."""
    limit = get_setting(session, "rotation.max_months")
    spans: list[tuple[str, str, date, date | None]] = []
    open_terms: dict[tuple[int, str], tuple[str, date]] = {}
    for grant, name in role_grant_history(session):
        day, key = business_date(grant.at), (grant.operator_id, grant.role)
        if day > as_of:
            continue
        if grant.action == "grant" and key not in open_terms:
            open_terms[key] = (name, day)
        elif grant.action == "revoke" and key in open_terms:
            held_by, since = open_terms.pop(key)
            spans.append((held_by, grant.role, since, day))
    spans.extend((name, role, since, None) for (_, role), (name, since) in open_terms.items())
    for appointment, name in appointment_history(session):
        if appointment.from_date <= as_of:
            ended = appointment.to_date if appointment.to_date < as_of else None
            spans.append((name, "appointed", appointment.from_date, ended))
    terms = []
    for person, post, since, until in spans:
        months = whole_months(since, until or as_of)
        terms.append(PostTerm(person, post, since, until, months, months > limit))
    return sorted(terms, key=lambda t: (t.post, t.person, t.from_date))


def post_history(ctx: OpContext, *, as_of: date | None = None) -> list[PostTerm]:
    with ctx.reading() as s:
        ctx.require_role(s, *READER_ROLES)
        return post_terms(s, as_of or ctx.today())


class RotationOps(SessionArea):
    def post_history(self, *, as_of: date | None = None) -> list[PostTerm]:
        """Addition (docs/api.md): who held which post when (from role grants and 监督人
        appointments), each term flagged when longer than `rotation.max_months`."""
        return post_history(self.ctx, as_of=as_of)
