"""Checks: `audit verify` (the audit chain, optionally against a Z report's head) and `receipt
verify` (a receipt's QR text against the receipt key and this database). That the chain was
checked is itself audited; a receipt check writes nothing. Both exit 1 when what they check is bad.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from base.money import format_yuan
from counter_app import audit
from counter_app.admin.command import CommandContext, acting
from counter_app.admin.door import AdminSession
from counter_app.receipt_signing import ReceiptCheck, verify_receipt_text
from db.queries import receipts as receipt_queries

# --- handlers --------------------------------------------------------------------------------------


def audit_verify(ctx: CommandContext) -> int:
    with acting(ctx.invocation()) as admin:
        result = verify_audit(admin, head=ctx.args.head, head_from_z=ctx.args.head_from_z)
    # In full, as SEQ:MAC, so it can be compared with (or passed back as --head) a Z report's head.
    ctx.out.line(f"当前链头 / head: {result.head[0]}:{result.head[1]}")
    if result.ok:
        checked = (
            "（已与给定链头核对）" if ctx.args.head or ctx.args.head_from_z else "（未与日结单链头核对）"
        )
        ctx.out.line(f"审计链完好：共 {result.entries_checked} 条{checked}")
        return 0
    bad = result.first_bad
    assert bad is not None  # a chain that is not ok names its first bad entry
    where = f"第 {bad.sequence} 条" if bad.sequence is not None else "无审计记录的行"
    ctx.out.line(f"审计链被破坏：共发现 {len(result.problems)} 处问题；首处：{where}：{bad.reason}")
    for problem in result.problems[1:20]:
        ctx.out.line(f"  {problem.reason}")
    return 1


def receipt_verify(ctx: CommandContext) -> int:
    with acting(ctx.invocation()) as admin:
        found = verify_receipt(admin, ctx.args.text)
    c = found.check
    if not c.genuine:
        ctx.out.line("收据二维码无效：签名不符或内容无法识别（可能伪造或抄错）")
        return 1
    assert c.amount_fen is not None and c.at is not None  # a genuine receipt's QR names both
    ctx.out.line(
        f"收据真实：{c.workstation} {c.receipt_no} {format_yuan(c.amount_fen)} 元 {c.at.isoformat()}"
    )
    if found.on_record is False:  # signed by this centre's key, but not a receipt of this database
        ctx.out.line("注意：本数据库中没有这张收据（或金额不同），请核对开票窗口")
    return 0


# --- services --------------------------------------------------------------------------------------


def verify_audit(
    admin: AdminSession, *, head: tuple[int, str] | None = None, head_from_z: str | None = None
) -> audit.VerifyResult:
    """Check the chain; against `head` (SEQ, MAC as printed on a Z report) or the head a Z
    report / settlement sheet of this database recorded, when given — without one, a consistent
    truncation of the newest entries (with the rows they name) cannot be seen."""
    ctx = admin.ctx
    with ctx.reading() as s:
        if head_from_z is not None:
            head = z_report_head(s, head_from_z)
        result = audit.verify(s, expected_head=head)
    with ctx.uow() as s:  # that the chain was checked, and what was found, is itself on record
        ctx.audit(s, "audit.verified", ok=result.ok, entries=result.entries_checked,
                  first_bad=result.first_bad.sequence if result.first_bad else None,
                  expected_seq=head[0] if head else None, head_from_z=head_from_z)  # fmt: skip
    return result


def z_report_head(s: DbSession, number: str) -> tuple[int, str]:
    """The chain head stored with a Z report, named by its settlement sheet number or Z number.
    Weaker than the printed copy: whoever can rewrite the database can rewrite this row too."""
    head = receipt_queries.z_report_head(s, number)
    if head is None:
        raise InputInvalid(f"没有交账单或日结单 {number}", detail_en=f"no settlement sheet or Z report {number}",
                           field="head_from_z")  # fmt: skip
    return head


@dataclass(frozen=True)
class ReceiptFinding:
    check: ReceiptCheck
    on_record: bool | None  # the receipt number is in this database with the same amount; None unknown


def verify_receipt(admin: AdminSession, text: str) -> ReceiptFinding:
    check = verify_receipt_text(admin.keys.receipt_public_key_bytes(), text.strip())
    if not check.receipt_no:
        return ReceiptFinding(check, None)
    with admin.ctx.reading() as s:
        amount = receipt_queries.receipt_amount_fen(s, check.receipt_no)
    return ReceiptFinding(check, amount is not None and amount == check.amount_fen)
