"""The settlement sheet (财务交账单) as an A4 PDF, drawn from the plain snapshot taken at close
(counter_app.settlement.sheet_content) and the signatures recorded so far.

Sections follow DOMAIN "Shifts, days, months" in its order; the mid-shift self-checks (X reports)
are a fact of the shift and sit in the header, not in a numbered section. Every step of the
sign-off chain keeps its blank line for the handwritten signature; a step signed in the system
adds, in small type under the line, who signed and when. Finance's voucher number, once recorded,
is printed in the header and on finance's line. The PDF's creation date is the sheet's close
time (from the snapshot), so the same snapshot and signatures always give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from base.clock import BUSINESS_TZ
from base.money import format_yuan
from receipts.pdf_document import PdfReport
from receipts.pdf_fonts import ResolvedFont
from receipts.tables import Column

TITLE = "财务交账单"


@dataclass(frozen=True)
class SignatureLine:
    label: str
    signer: str
    at: str  # Asia/Shanghai text
    voucher_no: str | None = None


def render_settlement_sheet(content: dict[str, Any], *, signatures: Sequence[SignatureLine] = (),
                            font: ResolvedFont | None = None) -> bytes:  # fmt: skip
    pdf = PdfReport(title=TITLE, font=font, created=_closed_at(content))
    _header(pdf, content, signatures)
    _totals(pdf, content)
    _tenders(pdf, content)
    _refunds_and_voids(pdf, content)
    _receipts(pdf, content)
    _free_energy(pdf, content)
    _suspense(pdf, content)
    _cash(pdf, content)
    _sign_off(pdf, content, signatures)
    return pdf.build()


def _closed_at(c: dict[str, Any]) -> datetime | None:
    """The close time of the snapshot (Asia/Shanghai text) as an aware datetime."""
    try:
        return datetime.strptime(c["closed_at"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=BUSINESS_TZ)
    except (KeyError, TypeError, ValueError):
        return None


def voucher_of(signatures: Sequence[SignatureLine]) -> str | None:
    """Finance's voucher number, once recorded (the last signature carries it)."""
    return next((s.voucher_no for s in reversed(signatures) if s.voucher_no), None)


def _header(pdf: PdfReport, c: dict[str, Any], signatures: Sequence[SignatureLine]) -> None:
    lines = [
        f"{c['centre_name']}　交账单号：{c['sheet_no']}　Z 报告：{c['z_no']}",
        f"柜台：{c['workstation']}　营业员：{c['cashier'] or ''}　监督人：{c['supervisor'] or '无'}",
        f"开班：{c['opened_at']}　结账：{c['closed_at']}",
        "中途自查（X 报告）：" + ("、".join(c["x_reports"]) if c.get("x_reports") else "无"),
    ]  # fmt: skip
    voucher = voucher_of(signatures)
    if voucher:
        lines.append(f"财务凭证号：{voucher}")
    pdf.lines(lines)


def _totals(pdf: PdfReport, c: dict[str, Any]) -> None:
    pdf.heading("一、按用户类别与收费项目")
    columns = [Column("项目"), Column("笔数", "int"), Column("金额（元）", "yuan"), Column("售电量（kWh）", "kwh"),
               Column("免费电量（kWh）", "kwh")]  # fmt: skip
    rows = [[label, n, fen, energy, free] for _key, label, n, fen, energy, free in c["lines"]]
    total = ["合计", *(sum(r[i] for r in rows) for i in range(1, 5))]
    pdf.table(columns, rows, total=total)


def _tenders(pdf: PdfReport, c: dict[str, Any]) -> None:
    pdf.heading("二、按付款方式")
    columns = [Column("付款方式"), Column("笔数", "int"), Column("金额（元）", "yuan"), Column("票据/交易号")]
    rows = [[label, n, fen, "、".join(refs)] for _t, label, n, fen, refs in c["tenders"]]
    pdf.table(columns, rows, total=["合计", sum(r[1] for r in rows), sum(r[2] for r in rows), ""])


def _refunds_and_voids(pdf: PdfReport, c: dict[str, Any]) -> None:
    pdf.heading("三、退费审批单（由财务支付，不从当班现金支出）")
    if c["refunds"]:
        columns = [Column("审批单号"), Column("户号"), Column("金额（元）", "yuan"), Column("原因")]
        rows = [[form, account, fen, reason] for form, account, fen, reason in c["refunds"]]
        pdf.table(columns, rows, total=["合计", "", sum(r[2] for r in rows), ""])
    else:
        pdf.paragraph("无")
    pdf.heading("四、作废与更正")
    if c["voids"]:
        columns = [Column("凭条号"), Column("类型"), Column("金额（元）", "yuan"), Column("原因")]
        pdf.table(columns, [list(r) for r in c["voids"]])
    else:
        pdf.paragraph("无")


def _receipts(pdf: PdfReport, c: dict[str, Any]) -> None:
    pdf.heading("五、凭条号段与学校结算收据")
    span = c["receipt_range"]
    voided = c.get("receipt_voided", 0)  # older snapshots lack it
    tail = f"（含作废 {voided} 张）" if voided else ""
    pdf.paragraph(
        f"凭条号段：{span[0]} 至 {span[1]}，共 {c['receipt_count']} 张{tail}"
        if span
        else "凭条号段：本班无凭条"
    )
    if c.get("other_receipts"):
        pdf.paragraph("另有其他号段（不计入上列张数）：" + "、".join(c["other_receipts"]))
    if c["books"]:
        columns = [Column("收据本"), Column("页号段"), Column("本班已用"), Column("作废（原因）"), Column("空白"),
                   Column("已用", "int"), Column("作废", "int"), Column("空白", "int")]  # fmt: skip
        pdf.table(columns, [list(r) for r in c["books"]])
    else:
        pdf.paragraph("本班未领用学校结算收据")


def _free_energy(pdf: PdfReport, c: dict[str, Any]) -> None:
    pdf.heading("六、免费电量发放（按批次）")
    if c["free"]:
        # [batch, deliveries, ckwh, 监督人 who approved the batch]; older snapshots lack the 监督人.
        columns = [Column("批次"), Column("户次", "int"), Column("电量（kWh）", "kwh"), Column("批次监督人")]
        rows = [[*r[:3], r[3] if len(r) > 3 else ""] for r in c["free"]]
        pdf.table(columns, rows, total=["合计", sum(r[1] for r in rows), sum(r[2] for r in rows), ""])
    else:
        pdf.paragraph("无")
    pdf.paragraph(f"监督人：{c['supervisor'] or '无'}　（签字）：{'_' * 16}")


def _suspense(pdf: PdfReport, c: dict[str, Any]) -> None:
    pdf.heading("七、挂账（未完成写卡，现金为顾客保留）")
    if c["suspense"]:
        columns = [Column("写卡单"), Column("户号"), Column("金额（元）", "yuan"), Column("原因")]
        rows = [list(r) for r in c["suspense"]]
        pdf.table(columns, rows, total=["合计", "", sum(r[2] for r in rows), ""])
    else:
        pdf.paragraph("无")


def _cash(pdf: PdfReport, c: dict[str, Any]) -> None:
    pdf.heading("八、现金清点（盲点）")
    columns = [Column("面额（元）"), Column("张/枚", "int"), Column("金额（元）", "yuan")]
    rows = [[format_yuan(d), n, fen] for d, n, fen in c["counted"]]
    pdf.table(columns, rows, total=["实点合计", sum(r[1] for r in rows), c["counted_fen"]])
    diff = c["difference_fen"]
    kind = "长款" if diff > 0 else "短款" if diff < 0 else "无差额"
    lines = [
        f"备用金：{format_yuan(c['float_fen'])}　现金收入（净额）：{format_yuan(c['cash_in_fen'])}",
        f"应有现金：{format_yuan(c['expected_fen'])}　实点现金：{format_yuan(c['counted_fen'])}",
        f"差额：{format_yuan(diff)}（{kind}）" + (f"　原因：{c['difference_reason']}" if c["difference_reason"] else ""),
    ]  # fmt: skip
    if c["refund_float_fen"]:
        lines.insert(1, f"退款备用金支出：{format_yuan(c['refund_float_fen'])}")
    if c["approved_by"]:
        lines.append(f"差额确认（监督人）：{c['approved_by']}")
    pdf.lines(lines)


def _sign_off(pdf: PdfReport, c: dict[str, Any], signatures: Sequence[SignatureLine]) -> None:
    pdf.heading("九、审计链与签字")
    pdf.lines([f"审计序号：{c['audit_seq']}", f"审计链头：{c['audit_head']}"])
    signed = {s.label: s for s in signatures}
    pdf.spacer(4)
    for label, role in c["chain"]:
        s = signed.get(label)
        # The blank line stays for the handwritten signature whether or not the step is signed in
        # the system; the system's record goes under it in small type.
        if s is not None and s.voucher_no:
            tail = f"　凭证号：{s.voucher_no}"
        else:
            tail = "　凭证号：" + "_" * 12 if role == "finance" else ""
        pdf.paragraph(f"{label}（签字）：{'_' * 20}　日期：{'_' * 12}{tail}")
        if s is not None:
            pdf.note(f"系统签字记录：{s.signer}　{s.at}")
        pdf.spacer(6)  # vertical room for the handwriting above the next line
