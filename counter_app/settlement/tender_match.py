"""Campus-card (一卡通) and WeChat/Alipay takings matched against the statements (issue 15 item 2b,
2c; DOMAIN "Tenders"): the network centre's monthly settlement file, the platforms' T+1 statements.

The ledger side: the tender's entries of the drawer's kinds (payments, their voids, suspense and its
resolution) dated within the period's business days, netted per transaction reference (the
platform transaction number the counter records with every non-cash payment) or per business day.
The statement side: counter_app.imports.statements. By reference when the file names each
transaction (a statement reference is looked up as the platform number, then as the merchant order
number); per day when it only gives daily sums (a campus-card file may). Listed: references only in
the ledger, only in the statement, and amounts that differ.

Recorded (`tender_matches`) by finance, the assistant or the head with a second person's
co-signature (approval kind `tender_match.sign`, binding the file's SHA-256 and the totals), as a
snapshot (`content`) the report is drawn from; once recorded, the tender's period is frozen: an
overlapping match is refused (PERIOD_FROZEN).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from base.canonical import canonical_json
from base.clock import business_date
from base.errors import InputInvalid, PeriodFrozen
from base.vocabulary import TENDER_LABELS
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.imports.statements import Statement
from counter_app.settlement.ledger_view import DRAWER_KINDS
from counter_app.settlement.months import day_bounds
from counter_app.settlement.sheet_content import name_of
from db.models.security import Approval as ApprovalRow
from db.models.tenders import MATCHED_TENDERS, TenderMatch
from db.queries.tenders import tender_entries

APPROVAL_KIND = "tender_match.sign"
MAX_PERIOD_DAYS = 62
DIFFERENCE_KINDS = {"ledger_only": "仅账面有", "statement_only": "仅对账单有", "amount": "金额不符"}
_PREFIX = {"campus_card": "YKT", "wechat": "WX", "alipay": "ZFB"}


@dataclass(frozen=True)
class MatchLine:
    """One difference: `key` is the transaction reference or the day (ISO)."""

    key: str
    kind: str  # ledger_only | statement_only | amount
    ledger_fen: int
    statement_fen: int
    statement_line: int | None = None

    @property
    def difference_fen(self) -> int:
        return self.statement_fen - self.ledger_fen


@dataclass(frozen=True)
class TenderMatchResult:
    tender: str
    period_from: date
    period_to: date
    match_by: str  # reference | day
    file_name: str
    file_sha256: str
    ledger_fen: int
    statement_fen: int
    matched: int  # references (or days) that agree
    differences: tuple[MatchLine, ...]
    problems: tuple[str, ...] = ()  # statement lines refused, with their line numbers
    match_no: str | None = None  # set once recorded
    recorded_at: datetime | None = None
    operator: str | None = None
    approved_by: str | None = None

    @property
    def frozen(self) -> bool:
        return self.match_no is not None

    def content(self) -> dict[str, Any]:
        return {"tender": self.tender, "period_from": self.period_from.isoformat(),
                "period_to": self.period_to.isoformat(), "match_by": self.match_by, "file_name": self.file_name,
                "file_sha256": self.file_sha256, "ledger_fen": self.ledger_fen, "statement_fen": self.statement_fen,
                "matched": self.matched,
                "differences": [[d.key, d.kind, d.ledger_fen, d.statement_fen, d.statement_line]
                                for d in self.differences]}  # fmt: skip


def check_period(tender: str, period_from: date, period_to: date) -> None:
    if tender not in MATCHED_TENDERS:
        raise InputInvalid(f"只核对一卡通、微信、支付宝：{tender}",
                           detail_en=f"tender is one of {', '.join(MATCHED_TENDERS)}", field="tender")  # fmt: skip
    if not isinstance(period_from, date) or not isinstance(period_to, date) or period_to < period_from:
        raise InputInvalid("核对期间无效", detail_en="the period is invalid", field="period_to")
    if (period_to - period_from).days >= MAX_PERIOD_DAYS:
        raise InputInvalid(
            "核对期间过长", detail_en=f"a period of at most {MAX_PERIOD_DAYS} days", field="period_to"
        )


def match(
    session: Session, *, tender: str, period_from: date, period_to: date, statement: Statement,
    file_name: str, file_bytes: bytes,
) -> TenderMatchResult:  # fmt: skip
    """The statement against the ledger; nothing written."""
    check_period(tender, period_from, period_to)
    start, end = day_bounds(period_from, period_to)
    entries = tender_entries(session, tender, DRAWER_KINDS, start, end)
    ledger: dict[str, int] = defaultdict(int)
    for _id, at, reference, fen in entries:
        key = (reference or "").strip() if statement.by_reference else business_date(at).isoformat()
        ledger[key] += fen
    stated, first_line = _statement_sums(statement, set(ledger))
    matched, differences = 0, []
    for key in sorted(set(ledger) | set(stated)):
        in_ledger, in_statement = ledger.get(key, 0), stated.get(key, 0)
        if in_ledger == in_statement:
            matched += 1 if key in ledger and key in stated else 0
            continue
        kind = (
            "amount"
            if key in ledger and key in stated
            else ("ledger_only" if key in ledger else "statement_only")
        )
        differences.append(MatchLine(key, kind, in_ledger, in_statement, first_line.get(key)))
    problems = tuple(p.describe() for p in statement.problems)
    return TenderMatchResult(tender, period_from, period_to, "reference" if statement.by_reference else "day",
                             file_name, hashlib.sha256(file_bytes).hexdigest(), sum(fen for *_, fen in entries),
                             statement.total_fen, matched, tuple(differences), problems)  # fmt: skip


def _statement_sums(statement: Statement, ledger_keys: set[str]) -> tuple[dict[str, int], dict[str, int]]:
    sums: dict[str, int] = defaultdict(int)
    first: dict[str, int] = {}
    for line in statement.lines:
        if statement.by_reference:
            key = line.reference or line.merchant_ref or ""
            if key not in ledger_keys and line.merchant_ref in ledger_keys:
                key = line.merchant_ref or key  # the counter recorded the merchant order number
        else:
            key = line.on.isoformat() if line.on else ""
        sums[key] += line.fen
        first.setdefault(key, line.line)
    return dict(sums), first


def record(
    ctx: OpContext, session: Session, result: TenderMatchResult, *, approval: Approval | None
) -> TenderMatchResult:
    """Write the match co-signed; PERIOD_FROZEN when the tender's period overlaps a recorded one."""
    if result.problems:
        raise InputInvalid("对账单有无法读取的行：" + "；".join(result.problems[:5]),
                           detail_en="the statement has refused lines", field="file",
                           data={"problems": list(result.problems)})  # fmt: skip
    overlapping = session.scalar(select(TenderMatch.match_no).where(
        TenderMatch.tender == result.tender, TenderMatch.period_from <= result.period_to,
        TenderMatch.period_to >= result.period_from))  # fmt: skip
    if overlapping is not None:
        raise PeriodFrozen(f"{overlapping} 已核对签字，不能重做", detail_en=f"{overlapping} is signed and frozen",
                           data={"match_no": overlapping})  # fmt: skip
    payload = {"tender": result.tender, "period_from": result.period_from, "period_to": result.period_to,
               "match_by": result.match_by, "file_sha256": result.file_sha256, "ledger_fen": result.ledger_fen,
               "statement_fen": result.statement_fen, "differences": len(result.differences)}  # fmt: skip
    approval_id = ctx.approve(session, approval, kind=APPROVAL_KIND, payload=payload,
                              allowed_roles=("supervisor", "assistant", "head", "finance"))  # fmt: skip
    content = result.content()
    row = TenderMatch(
        match_no=f"{_PREFIX[result.tender]}-{result.period_from:%Y%m%d}-{result.period_to:%Y%m%d}",
        tender=result.tender, period_from=result.period_from, period_to=result.period_to,
        match_by=result.match_by, file_name=result.file_name[:255], file_sha256=result.file_sha256,
        ledger_fen=result.ledger_fen, statement_fen=result.statement_fen, differences=len(result.differences),
        content=content, content_sha256=hashlib.sha256(canonical_json(content)).hexdigest(),
        recorded_at=ctx.now(), operator_id=ctx.operator_id, approval_id=approval_id,
    )  # fmt: skip
    session.add(row)
    session.flush()
    ctx.audit(session, "tender_match.recorded", subject=row, match_no=row.match_no, tender=row.tender,
              ledger_fen=row.ledger_fen, statement_fen=row.statement_fen, differences=row.differences,
              file_sha256=row.file_sha256, content_sha256=row.content_sha256)  # fmt: skip
    return from_row(session, row)


def from_row(session: Session, row: TenderMatch) -> TenderMatchResult:
    c = row.content
    checker = session.scalar(select(ApprovalRow.checker_id).where(ApprovalRow.id == row.approval_id))
    return TenderMatchResult(
        row.tender, row.period_from, row.period_to, row.match_by, row.file_name, row.file_sha256, row.ledger_fen,
        row.statement_fen, int(c["matched"]), tuple(MatchLine(*d) for d in c["differences"]), (), row.match_no,
        row.recorded_at, name_of(session, row.operator_id), name_of(session, checker),
    )  # fmt: skip


def recorded(
    session: Session, *, start: date | None = None, end: date | None = None
) -> list[TenderMatchResult]:
    """The recorded matches whose period meets start..end (all without bounds), oldest first."""
    stmt = select(TenderMatch).order_by(TenderMatch.period_from, TenderMatch.tender, TenderMatch.id)
    if start is not None:
        stmt = stmt.where(TenderMatch.period_to >= start)
    if end is not None:
        stmt = stmt.where(TenderMatch.period_from <= end)
    return [from_row(session, row) for row in session.scalars(stmt)]


def tender_label(tender: str) -> str:
    return TENDER_LABELS.get(tender, tender)
