"""The 退费审批单 as an A4 PDF: payee, the computation line by line, the total rounded down once,
the signature lines. Drawn from the stored form, so a copy printed years later is the original."""

from __future__ import annotations

from base.amount_words import amount_in_words
from base.money import format_kwh, format_yuan
from counter_app.context import OpContext
from counter_app.ops.room_refund import get_refund_form
from receipts.pdf_document import PdfReport
from receipts.tables import Cell, Column

COLUMNS = [Column("电量（kWh）", "kwh"), Column("单价（元/kWh）", "price"), Column("金额（元，截尾显示）", "yuan"),
           Column("说明")]  # fmt: skip


def refund_form_pdf(ctx: OpContext, *, form_no: str, path: str | None = None) -> bytes:
    form = get_refund_form(ctx, form_no=form_no)
    pdf = PdfReport(title="退费审批单", form_no=form.form_no)
    pdf.lines([
        f"单号：{form.form_no}　　账户：{form.account_no}　　日期：{form.created_at:%Y-%m-%d %H:%M}",
        f"收款人：{form.payee_name}　　学号/工号：{form.payee_id}",
        f"支付方式：{'银行卡 ' + form.payee_account if form.payee_account else '原渠道退回'}",
        f"读数来源：{'清零卡返写' if form.reading_source == 'clear_card' else '手工抄表（电表故障）'}"
        + (f"　　原因：{form.reason}" if form.reason else ""),
        f"清零剩余电量 {format_kwh(form.cleared_ckwh)} kWh − 未用免费电量 {format_kwh(form.free_left_ckwh)} kWh"
        f" = 可退电量 {format_kwh(form.refundable_ckwh)} kWh（免费电量先用，不退）",
    ])  # fmt: skip
    flagged_note = "最早已知电价（无购电记录对应，已标记）"
    rows: list[list[Cell]] = [[e, p, f, flagged_note if (form.flagged and i == len(form.lines) - 1) else "按最近购电价"]
            for i, (e, p, f) in enumerate(form.lines)]  # fmt: skip
    pdf.table(
        COLUMNS,
        rows,
        total=[form.refundable_ckwh, None, form.refund_fen, "合计：逐笔精确相加后一次向下取整到分"],
    )
    pdf.lines([f"退款金额：{format_yuan(form.refund_fen)} 元（大写：{amount_in_words(form.refund_fen)}）",
               "退款由财务按本单支付，不从当班营业款中支出。"])  # fmt: skip
    pdf.signatures([f"经办人 {form.maker}", f"监督人 {form.checker}"]
                   + ([f"监督人 {form.second_checker}"] if form.second_checker else []) + ["财务"])  # fmt: skip
    return pdf.build(path)
