"""The settlement sheet: contents in the PDF, the sign-off chain, the freeze, reviewer conflicts."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import text

from base.errors import InputInvalid, ReviewerConflict, RoleForbidden
from base.money import format_yuan
from counter_app.settlement import closing, receipt_books, shift_close, signoff
from settlement.conftest import EXPECTED_CASH, OPENED, standard_shift, work

EXACT = {10000: 2, 5000: 1, 2000: 2, 500: 1, 100: 3}


def _closed_shift(w, extra=None) -> str:
    shift_id = standard_shift(w)
    if extra:
        extra(shift_id)
    with work(w.engine, w.keys) as s:
        shift_close.declare_count(w.ctx(w.people.cashier), s, shift_id=shift_id, counted=EXACT)
    with work(w.engine, w.keys) as s:
        return closing.close_shift(w.ctx(w.people.cashier), s, shift_id=shift_id).sheet_no


def _sign(w, sheet_no, who, voucher=None):
    with work(w.engine, w.keys) as s:
        return signoff.sign_sheet(w.ctx(who), s, sheet_no=sheet_no, voucher_no=voucher)


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_sheet_pdf_shows_every_section_and_total(world, tmp_path):
    sheet_no = _closed_shift(world)
    with work(world.engine, world.keys) as s:
        data = signoff.sheet_pdf(s, sheet_no)
        head = s.execute(text("SELECT audit_head FROM z_reports")).scalar_one()
    out = _pdf_text(data, tmp_path)
    for heading in ("财务交账单", "按用户类别与收费项目", "按付款方式", "退费审批单", "作废与更正", "凭条号段",
                    "免费电量发放", "挂账", "现金清点", "审计链与签字"):  # fmt: skip
        assert heading in out, heading
    for line in ("寝室用户", "业主用户", "代收维修费", "代收水电费", "采暖费", "违规用电补缴", "补卡费"):
        assert line in out, line
    with world.engine.connect() as c:  # independent figures for the totals printed
        money = c.execute(text("""SELECT SUM(fen) FROM ledger_entries WHERE kind IN ('sale','correction',
            'bill_payment','fee_payment','back_charge_payment','void','suspense','suspense_resolved')""")).scalar_one()  # fmt: skip
        wechat = c.execute(text("SELECT SUM(fen) FROM ledger_entries WHERE tender = 'wechat'")).scalar_one()
        refunds = c.execute(
            text("SELECT -SUM(fen) FROM ledger_entries WHERE kind = 'refund_raised'")
        ).scalar_one()
    for figure in (money, wechat, refunds, EXPECTED_CASH):
        assert format_yuan(figure) in out, figure
    for fact in ("WX123", "TF-0001", "金额输错", "W01-00000001", "W01-00000005", head[:20], "营业员（签字）",
                 "部门助理（签字）", "主管（签字）", "财务（签字）", "凭证号", "监督人：li"):  # fmt: skip
        assert fact in out, fact
    fonts = subprocess.run(["pdffonts", str(tmp_path / "sheet.pdf")], capture_output=True, text=True).stdout
    cjk = [line.split() for line in fonts.splitlines() if "TrueType" in line or "CID" in line]
    assert cjk and all(cols[-5] == "yes" for cols in cjk), fonts  # the CJK font is embedded


def test_sign_off_chain_then_frozen(world, tmp_path):
    sheet_no = _closed_shift(world)
    p = world.people
    with pytest.raises(RoleForbidden):  # the cashier's own signature comes first
        _sign(world, sheet_no, p.assistant)
    _sign(world, sheet_no, p.cashier)
    with pytest.raises(RoleForbidden):  # next step is 部门助理: a finance person may not sign it
        _sign(world, sheet_no, p.finance)
    _sign(world, sheet_no, p.assistant)
    _sign(world, sheet_no, p.head)
    with pytest.raises(InputInvalid):
        _sign(world, sheet_no, p.finance)  # 签收 needs the voucher number
    info = _sign(world, sheet_no, p.finance, voucher="记-2025-09-001")
    assert info.frozen and [step for step, _who, _at in info.signatures] == [
        "营业员",
        "部门助理",
        "主管",
        "财务",
    ]
    with pytest.raises(signoff.SheetFrozen):
        _sign(world, sheet_no, p.head)
    with work(world.engine, world.keys) as s:
        with pytest.raises(signoff.SheetFrozen):
            signoff.require_sheet_editable(s, sheet_no)
        assert signoff.shift_handed_to_finance(s, signoff.sheet_by_no(s, sheet_no).shift_id)
        out = _pdf_text(signoff.sheet_pdf(s, sheet_no), tmp_path)
    assert "记-2025-09-001" in out and "系统签字记录：qian" in out


def test_reviewer_who_sold_in_the_shift_is_refused(world):
    def assistant_sells(shift_id):
        with work(world.engine, world.keys) as s:
            from db.models import LedgerEntry, Shift

            shift = s.get(Shift, shift_id)
            s.add(LedgerEntry(kind="bill_payment", charge="utility", fen=500, tender="campus_card", shift_id=shift_id,
                              operator_id=world.people.assistant, at=shift.opened_at, reference="N-9"))  # fmt: skip

    sheet_no = _closed_shift(world, extra=assistant_sells)
    _sign(world, sheet_no, world.people.cashier)
    with pytest.raises(ReviewerConflict):
        _sign(world, sheet_no, world.people.assistant)


def test_stamped_receipt_pages_are_accounted_for_on_the_sheet(world):
    p = world.people
    with work(world.engine, world.keys) as s:
        receipt_books.issue_receipt_book(
            world.ctx(p.assistant), s, cashier_id=p.cashier, first_no=101, last_no=110
        )
        receipt_books.void_receipt_page(world.ctx(p.cashier), s, page_no=101, reason="未盖章")

    def use_pages(shift_id):
        with work(world.engine, world.keys) as s:
            entry_id = s.execute(text("SELECT MIN(id) FROM ledger_entries WHERE shift_id = :i AND kind = 'bill_payment'"),
                                 {"i": shift_id}).scalar_one()  # fmt: skip
            receipt_books.use_receipt_page(world.ctx(p.cashier), s, page_no=102, ledger_entry_id=entry_id,
                                           shift_id=shift_id)  # fmt: skip

    sheet_no = _closed_shift(world, extra=use_pages)
    with work(world.engine, world.keys) as s:
        books = signoff.sheet_by_no(s, sheet_no).content["books"]
    assert books == [[1, "101–110", "102", "101：未盖章", "103–110", 1, 1, 8]]


def _refund_form_receipt(world):
    """A 退费审批单 numbered in its own series, on the shift's refund entry (as room_refund does)."""

    def add(shift_id):
        from db import numbering

        with work(world.engine, world.keys) as s:
            number = numbering.take_receipt_number(s, world.workstation_id, "refund")
            r = numbering.record_receipt(s, number, kind="refund", amount_fen=1500, issued_at=OPENED, payload={},
                                         operator_id=world.people.cashier, shift_id=shift_id)  # fmt: skip
            s.execute(text("UPDATE ledger_entries SET receipt_id = :r WHERE shift_id = :i AND kind = 'refund_raised'"),
                      {"r": r.id, "i": shift_id})  # fmt: skip

    return add


def test_receipt_range_and_count_describe_the_same_receipts(world, tmp_path):
    sheet_no = _closed_shift(world, extra=_refund_form_receipt(world))
    with work(world.engine, world.keys) as s:
        out = _pdf_text(signoff.sheet_pdf(s, sheet_no), tmp_path)
        content = signoff.sheet_by_no(s, sheet_no).content
    # Five main-series receipts, one of them voided later ("金额输错"); the refund form's number is
    # another series: not inside the range, so not in the count either, but named apart.
    assert "W01-00000001 至 W01-00000005，共 5 张（含作废 1 张）" in out, out
    assert content["receipt_count"] == 5 and content["receipt_voided"] == 1
    refund_no = content["other_receipts"][0]
    assert "REFUND" in refund_no and refund_no in out


def test_x_reports_are_in_the_header_not_in_section_five(world, tmp_path):
    def self_check(shift_id):
        with work(world.engine, world.keys) as s:
            shift_close.x_report(world.ctx(world.people.cashier), s, shift_id=shift_id)

    sheet_no = _closed_shift(world, extra=self_check)
    with work(world.engine, world.keys) as s:
        out = _pdf_text(signoff.sheet_pdf(s, sheet_no), tmp_path)
    x_line = next(i for i, line in enumerate(out.splitlines()) if "中途自查（X 报告）：" in line)
    section_one = next(i for i, line in enumerate(out.splitlines()) if "一、按用户类别" in line)
    assert x_line < section_one, out
    assert "中途自查（X 报告）：2025-09-01 17:00:00" in out
    five = out.split("五、凭条号段")[1].split("六、")[0]
    assert "中途自查" not in five


def test_pdf_creation_date_is_the_close_time_and_bytes_repeat(world, tmp_path):
    sheet_no = _closed_shift(world)
    with work(world.engine, world.keys) as s:
        first, second = signoff.sheet_pdf(s, sheet_no), signoff.sheet_pdf(s, sheet_no)
        closed_at = signoff.sheet_by_no(s, sheet_no).content["closed_at"]
    assert first == second  # still byte-for-byte reproducible
    path = tmp_path / "sheet.pdf"
    path.write_bytes(first)
    info = subprocess.run(
        ["pdfinfo", "-isodates", str(path)], capture_output=True, text=True, check=True
    ).stdout
    created = next(line for line in info.splitlines() if line.startswith("CreationDate:")).split()[1]
    assert not created.startswith("2000-01-01"), info
    assert created.startswith(closed_at.replace(" ", "T")) and created[19:] in ("+08", "+08:00"), (
        created,
        closed_at,
    )


def test_signed_steps_keep_the_blank_line_and_show_the_voucher(world, tmp_path):
    sheet_no = _closed_shift(world)
    p = world.people
    for who in (p.cashier, p.assistant, p.head):
        _sign(world, sheet_no, who)
    _sign(world, sheet_no, p.finance, voucher="记-2025-09-007")
    with work(world.engine, world.keys) as s:
        out = _pdf_text(signoff.sheet_pdf(s, sheet_no), tmp_path)
    lines = out.splitlines()
    for label in ("营业员", "部门助理", "主管", "财务"):
        i = next(n for n, line in enumerate(lines) if f"{label}（签字）：" in line)
        assert "_" * 20 in lines[i], lines[i]  # room for the handwritten signature
        note = next(line for line in lines[i + 1 :] if line.strip())
        assert "系统签字记录：" in note, (label, note)
    assert "财务凭证号：记-2025-09-007" in out  # in the header
    finance = next(line for line in lines if "财务（签字）：" in line)
    assert "凭证号：记-2025-09-007" in finance
