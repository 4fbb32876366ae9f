"""`tender match`: a campus-card (一卡通) or WeChat/Alipay statement matched against the ledger for
a period (docs/imports.md "Tender statements"); printed, and with `--record` recorded with the
`--approver`'s co-signature and frozen (counter_app/settlement/tender_match.py)."""

from __future__ import annotations

from base.money import format_yuan
from counter_app.admin.command import CommandContext, acting
from counter_app.admin.output import Output
from counter_app.ops.tenders import match_tender_statement, record_tender_match
from counter_app.settlement.tender_match import DIFFERENCE_KINDS, TenderMatchResult, tender_label


def tender_match(ctx: CommandContext) -> int:
    a = ctx.args
    with acting(ctx.invocation()) as admin:
        if a.record:
            result = record_tender_match(admin.ctx, tender=a.tender, period_from=a.start, period_to=a.end,
                                         path=a.file, approval=ctx.approval)  # fmt: skip
        else:
            result = match_tender_statement(admin.ctx, tender=a.tender, period_from=a.start, period_to=a.end,
                                            path=a.file)  # fmt: skip
    print_match(ctx.out, result)
    return 0


def print_match(out: Output, m: TenderMatchResult) -> None:
    by = "按交易号" if m.match_by == "reference" else "按日"
    out.line(f"{tender_label(m.tender)} {m.period_from} 至 {m.period_to}（{by}）：账面 {format_yuan(m.ledger_fen)} 元，"
             f"对账单 {format_yuan(m.statement_fen)} 元，相符 {m.matched}，差异 {len(m.differences)}")  # fmt: skip
    for problem in m.problems:
        out.line(f"无法读取：{problem}")
    for d in m.differences:
        out.line(f"{DIFFERENCE_KINDS[d.kind]}\t{d.key}\t账面 {format_yuan(d.ledger_fen)}\t"
                 f"对账单 {format_yuan(d.statement_fen)}")  # fmt: skip
    if m.frozen:
        out.line(f"已记录并冻结：{m.match_no}（{m.operator} / 复核 {m.approved_by}）")
    else:
        out.line("预览，未记录（加 --record 与 --approver 记录并冻结）")
