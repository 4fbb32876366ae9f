"""The facade methods of the tenders reconciled apart (issue 15 item 2; docs/api.md "Tenders"):
campus-card and WeChat/Alipay statements matched against the ledger, previewed, then recorded
co-signed and frozen (counter_app/settlement/tender_match.py). The deposit's own comparison is in
`record_deposit` (counter_app/settlement/deposit_check.py).

Who: finance, the assistant and the head match and record (DOMAIN "People and roles": finance
reconciles the tenders; the 质检稽查 assistant handles the 一卡通 month data, seed 000:26); the
co-signature is a second person among supervisor, assistant, head and finance. The file is read
before the transaction opens (no I/O inside one).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from base.errors import InputInvalid
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.imports.statements import Statement, read_statement
from counter_app.ops.area import SessionArea
from counter_app.settlement import tender_match
from counter_app.settlement.tender_match import TenderMatchResult

MATCH_ROLES = ("finance", "assistant", "head")


def _read(path: str | Path) -> tuple[Statement, bytes, str]:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputInvalid(
            f"无法读取文件：{exc.strerror or exc}", detail_en=f"cannot read {p.name}", field="path"
        ) from exc
    return read_statement(p), data, p.name


def match_tender_statement(ctx: OpContext, *, tender: str, period_from: date, period_to: date,
                           path: str) -> TenderMatchResult:  # fmt: skip
    tender_match.check_period(tender, period_from, period_to)
    statement, data, name = _read(path)
    with ctx.reading() as s:
        ctx.require_role(s, *MATCH_ROLES)
        return tender_match.match(s, tender=tender, period_from=period_from, period_to=period_to,
                                  statement=statement, file_name=name, file_bytes=data)  # fmt: skip


def record_tender_match(ctx: OpContext, *, tender: str, period_from: date, period_to: date, path: str,
                        approval: Approval | None = None) -> TenderMatchResult:  # fmt: skip
    tender_match.check_period(tender, period_from, period_to)
    statement, data, name = _read(path)
    with ctx.uow() as s:
        ctx.require_role(s, *MATCH_ROLES)
        result = tender_match.match(s, tender=tender, period_from=period_from, period_to=period_to,
                                    statement=statement, file_name=name, file_bytes=data)  # fmt: skip
        return tender_match.record(ctx, s, result, approval=approval)


def tender_matches(
    ctx: OpContext, *, start: date | None = None, end: date | None = None
) -> list[TenderMatchResult]:
    with ctx.reading() as s:
        ctx.require_role(s, *MATCH_ROLES, "supervisor")
        return tender_match.recorded(s, start=start, end=end)


class TenderOps(SessionArea):
    def match_tender_statement(self, *, tender: str, period_from: date, period_to: date,
                               path: str) -> TenderMatchResult:  # fmt: skip
        """Addition (docs/api.md): the statement file at `path` against the ledger, nothing written."""
        return match_tender_statement(self.ctx, tender=tender, period_from=period_from, period_to=period_to,
                                      path=path)  # fmt: skip

    def record_tender_match(self, *, tender: str, period_from: date, period_to: date, path: str,
                            approval: Approval | None = None) -> TenderMatchResult:  # fmt: skip
        """Addition (docs/api.md): the match recorded with a second person's co-signature; the
        tender's period is then frozen (PERIOD_FROZEN for an overlapping one)."""
        return record_tender_match(self.ctx, tender=tender, period_from=period_from, period_to=period_to,
                                   path=path, approval=approval)  # fmt: skip

    def tender_matches(
        self, *, start: date | None = None, end: date | None = None
    ) -> list[TenderMatchResult]:
        """Addition (docs/api.md): the recorded matches whose period meets start..end."""
        return tender_matches(self.ctx, start=start, end=end)
