"""Settlement through the facade (API.md `x_report` … `verify_receipt`): a shift of real top-ups on
simulated cards, the X report, the blind close (count first; refusal, then retry), the sheet PDF,
the Z report on the printer, the sign-off chain to frozen, deposits, receipt books, the month
close, reports and the receipt check."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

import pytest
from opstesting import make_world
from sqlalchemy import func, select

from base.errors import (
    ApprovalRequired,
    InputInvalid,
    PendingIntents,
    PeriodFrozen,
    ReviewerConflict,
    RoleForbidden,
    SheetFrozen,
    ShiftClosed,
    ShiftNotOpen,
    UserFacingError,
)
from base.money import format_yuan
from counter_app import audit
from counter_app.keystore import bind_keys
from counter_app.receipt_signing import sign_receipt
from counter_app.roles import grant_role
from counter_app.settlement import signoff
from db.engine import make_engine
from db.models import Receipt, ShiftClosure
from db.models.queue import QueuedOperation, QueueResolution
from db.models.security import Operator
from db.models.settlement import ShiftCount, XReportLog
from db.session import unit_of_work

FLOAT = 50_000
CASH_SALES = (10_000, 5_000)  # D-5-308, D-5-309 in cash
WECHAT_SALE = 20_000  # S-12-101 by WeChat: not in the drawer
EXPECTED = FLOAT + sum(CASH_SALES)  # 65 000 fen
EXACT = {10000: 6, 5000: 1}  # 65 000 fen
SHORT = {10000: 6}  # 60 000 fen: short by 50 yuan, above the 10-yuan limit


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def scalar(world, stmt):
    engine = make_engine(world.db_url)
    try:
        with unit_of_work(engine, read_only=True) as s:
            return s.scalar(stmt)
    finally:
        engine.dispose()


def selling_shift(world):
    """zhang's shift at W01 with two cash top-ups and one WeChat top-up (real card writes)."""
    s = world.login("zhang")
    shift = s.open_shift(float_fen=FLOAT, supervisor="li")
    for account_no, fen in (("D-5-308", CASH_SALES[0]), ("D-5-309", CASH_SALES[1])):
        world.issue_card(account_no, session=s)
        s.top_up(account_no=account_no, amount_fen=fen, tendered_fen=fen)
    world.issue_card("S-12-101", session=s)
    s.top_up(account_no="S-12-101", amount_fen=WECHAT_SALE, tender="wechat", reference="WX-42")
    return s, shift.shift_id


def closed_shift(world):
    s, shift_id = selling_shift(world)
    return s, shift_id, s.close_shift(counted=EXACT)


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def test_x_report_totals_are_logged_and_printed_without_the_expected_figure(world):
    s, shift_id = selling_shift(world)
    before = len(world.sim.printed())
    totals = s.x_report()
    assert totals.by_tender == {"cash": sum(CASH_SALES), "wechat": WECHAT_SALE}
    assert totals.by_charge == {"dorm": sum(CASH_SALES), "owner": WECHAT_SALE}
    assert totals.receipts == ("W01-00000001", "W01-00000003") and totals.voids == 0
    (x,) = world.sim.printed()[before:]
    assert "中途自查" in x and format_yuan(sum(CASH_SALES)) in x and "应有" not in x
    assert (
        scalar(world, select(func.count()).select_from(XReportLog).where(XReportLog.shift_id == shift_id))
        == 1
    )
    with pytest.raises(RoleForbidden):
        world.login("qian").x_report()  # finance takes no X report at the counter


def test_x_report_and_close_need_an_open_shift(world):
    s = world.login("zhang")
    with pytest.raises(ShiftNotOpen):
        s.x_report()
    with pytest.raises(ShiftNotOpen):
        s.close_shift(counted=EXACT)


def test_blind_close_count_first_then_refusal_then_retry(world):
    s, shift_id = selling_shift(world)
    with pytest.raises(InputInvalid) as no_reason:
        s.close_shift(counted=SHORT)
    assert no_reason.value.field == "difference_reason"
    count = select(ShiftCount.counted_fen).where(ShiftCount.shift_id == shift_id)
    assert scalar(world, count) == 60_000  # the refused close kept the count declared
    with pytest.raises(InputInvalid) as recount:  # having seen the difference, no recount
        s.close_shift(counted=EXACT, difference_reason="点错了")
    assert recount.value.field == "counted" and recount.value.data["count_declared"] is True
    with pytest.raises(ApprovalRequired):  # 50 yuan short: above close_difference_fen
        s.close_shift(counted=SHORT, difference_reason="找零多找")
    assert scalar(world, select(ShiftClosure.id).where(ShiftClosure.shift_id == shift_id)) is None
    info = s.close_shift(counted=SHORT, difference_reason="找零多找", approval=world.approval("li"))
    assert (info.expected_fen, info.counted_fen, info.difference_fen) == (EXPECTED, 60_000, -5_000)
    assert info.sheet_no == "W01-SHEET-00000001"
    text = pdf_text(info.pdf_path)
    for fact in ("财务交账单", info.sheet_no, format_yuan(EXPECTED), format_yuan(60_000), "找零多找",
                 "WX-42", "W01-00000001", "W01-00000003", "营业员（签字）"):  # fmt: skip
        assert fact in text, fact
    assert info.pdf_path.startswith(str(world.tmp / "counter.reports" / "sheets"))
    z = world.sim.printed()[-1]
    assert "班结(Z)" in z and "W01-Z-00000001" in z and format_yuan(EXPECTED) in z and "短款" in z


def test_declare_count_commits_the_count_before_saying_the_difference(world):
    """The workstation's blind close (issue 14 §9): nothing expected is said before the count is
    on record; `declare_count` commits it, then says expected and the difference; the reason comes
    afterwards, to `close_shift`, and cannot change the count."""
    s, shift_id = selling_shift(world)
    assert s.declared_count() is None  # nothing counted: nothing expected is said
    with pytest.raises(RoleForbidden):
        world.login("li").declared_count()  # li has no shift open here: not hers to see
    declared = s.declare_count(counted=SHORT)
    assert scalar(world, select(ShiftCount.counted_fen).where(ShiftCount.shift_id == shift_id)) == 60_000
    assert (declared.counted_fen, declared.expected_fen, declared.difference_fen) == (
        60_000,
        EXPECTED,
        -5_000,
    )
    assert declared.counted == SHORT and declared.reason_required and declared.approval_required
    assert s.declared_count() == declared  # the page can come back to it
    with pytest.raises(InputInvalid) as recount:
        s.declare_count(counted=EXACT)  # having seen the difference, no recount
    assert recount.value.data["count_declared"] is True
    assert s.declare_count(counted=SHORT) == declared  # the same count again is the same answer
    info = s.close_shift(
        counted=declared.counted, difference_reason="找零多找", approval=world.approval("li")
    )
    assert (info.expected_fen, info.counted_fen, info.difference_fen) == (EXPECTED, 60_000, -5_000)


def test_declare_count_of_an_exact_drawer_needs_no_reason(world):
    s, _ = selling_shift(world)
    declared = s.declare_count(counted={"10000": "6", "5000": "1"})  # as typed
    assert declared.difference_fen == 0 and not declared.reason_required and not declared.approval_required
    assert s.close_shift(counted=declared.counted).difference_fen == 0


def test_after_close_the_shift_takes_no_sale(world):
    s, _, _ = closed_shift(world)
    with pytest.raises((ShiftNotOpen, ShiftClosed)):  # S-12-101's card is still on the reader
        s.top_up(account_no="S-12-101", amount_fen=5_000, tender="wechat", reference="WX-43")
    with pytest.raises((ShiftNotOpen, ShiftClosed)):
        s.close_shift(counted=EXACT)
    with pytest.raises((ShiftNotOpen, ShiftClosed)):
        s.x_report()


def test_close_refused_while_a_card_write_is_open_and_nothing_is_declared(world):
    s, shift_id = selling_shift(world)
    serial = world.issue_card("B-1-001", session=s)
    world.sim.pull_card_at_byte(3)
    with pytest.raises(UserFacingError) as torn:
        s.top_up(account_no="B-1-001", amount_fen=3_000, tendered_fen=3_000)
    assert torn.value.intent_id
    with pytest.raises(PendingIntents) as refused:
        s.close_shift(counted=EXACT)
    assert [i["intent_id"] for i in refused.value.data["intents"]] == [torn.value.intent_id]
    assert scalar(world, select(ShiftCount.id).where(ShiftCount.shift_id == shift_id)) is None
    world.sim.present_card(serial)
    s.read_card()  # the card back on the reader resolves its open write
    assert not [i for i in s.open_intents() if i.state in ("open", "card_written")]
    assert s.close_shift(counted=EXACT).difference_fen in (0, 3_000)  # aborted or rolled forward


def test_sign_off_chain_to_frozen_and_the_month_close(world):
    _, _, info = closed_shift(world)
    sheet_no = info.sheet_no
    with pytest.raises(RoleForbidden):  # the shift's cashier signs first
        world.login("wang").sign_sheet(sheet_no=sheet_no)
    world.login("zhang").sign_sheet(sheet_no=sheet_no)
    with pytest.raises(RoleForbidden):  # 部门助理 next: not finance
        world.login("qian").sign_sheet(sheet_no=sheet_no, voucher_no="记-1")
    world.login("wang").sign_sheet(sheet_no=sheet_no)
    world.login("zhao").sign_sheet(sheet_no=sheet_no)
    qian = world.login("qian")
    with pytest.raises(InputInvalid):
        qian.sign_sheet(sheet_no=sheet_no)  # 签收 needs the voucher number
    signed = qian.sign_sheet(sheet_no=sheet_no, voucher_no="记-2026-11-001")
    assert signed.frozen and [step for step, _, _ in signed.signatures] == [
        "营业员",
        "部门助理",
        "主管",
        "财务",
    ]
    assert [who for _, who, _ in signed.signatures] == ["zhang", "wang", "zhao", "qian"]
    with pytest.raises(SheetFrozen) as frozen:
        world.login("li").sign_sheet(sheet_no=sheet_no)
    assert frozen.value.code == "SHEET_FROZEN"
    out = world.tmp / "signed.pdf"
    out.write_bytes(qian.sheet_pdf(sheet_no=sheet_no))
    assert "记-2026-11-001" in pdf_text(out) and "系统签字记录：qian" in pdf_text(out)

    with pytest.raises(InputInvalid):  # the period (to 25 November) has not ended
        qian.close_month(period="2026-11", approval=world.approval("zhao"))
    world.clock.advance(hours=24 * 3)
    qian = world.login("qian")
    with pytest.raises(RoleForbidden):
        world.login("zhang").close_month(period="2026-11", approval=world.approval("zhao"))
    with pytest.raises(ApprovalRequired):
        qian.close_month(period="2026-11")
    month = qian.close_month(period="2026-11", approval=world.approval("zhao"))
    assert (month.period, month.maker, month.checker) == ("2026-11", "qian", "zhao")
    with pytest.raises(PeriodFrozen):
        qian.close_month(period="2026-11", approval=world.approval("zhao"))
    _audit_chain_intact(world)


def _audit_chain_intact(world):
    engine = make_engine(world.db_url)
    try:
        with unit_of_work(engine, read_only=True) as s:
            result = audit.verify(s, world.counter.keys.audit_hmac)
    finally:
        engine.dispose()
    assert result.ok, result.first_bad


def test_reviewer_who_sold_in_the_shift_is_refused(world):
    _in_db(world, lambda db: grant_role(db, operator_id=_id(db, "wang"), role="cashier", granted_by_id=None,
                                        workstation="TEST", clock=world.clock))  # fmt: skip
    s, _ = selling_shift(world)
    wang = world.login("wang")
    world.issue_card("B-1-001", session=s)
    wang.top_up(account_no="B-1-001", amount_fen=5_000, tendered_fen=5_000)  # wang sells in zhang's shift
    info = s.close_shift(counted={**EXACT, 5000: 2})
    s.sign_sheet(sheet_no=info.sheet_no)
    with pytest.raises(ReviewerConflict):
        wang.sign_sheet(sheet_no=info.sheet_no)
    assert wang.sheet_info(sheet_no=info.sheet_no).signatures[-1][1] == "zhang"


def test_deposits_and_late_deposits(world):
    s, shift_id, _ = closed_shift(world)
    with pytest.raises(InputInvalid):  # an open or unknown shift cannot be deposited
        s.record_deposit(slip_no="X1", kind="cash_slip", bank="工行", stamped_on=date(2026, 11, 23),
                         amount_fen=15_000, shift_ids=[shift_id + 1])  # fmt: skip
    on_time = s.record_deposit(slip_no="XJ-001", kind="现金缴款单", bank="工商银行校园支行",
                               stamped_on=date(2026, 11, 23), amount_fen=15_000, shift_ids=[shift_id])  # fmt: skip
    assert (on_time.kind, on_time.shift_ids, on_time.late) == ("cash_slip", (shift_id,), False)
    with pytest.raises(InputInvalid):
        s.record_deposit(slip_no="XJ-001", kind="cash_slip", bank="工行", stamped_on=date(2026, 11, 23),
                         amount_fen=15_000, shift_ids=[shift_id])  # fmt: skip
    assert world.login("wang").late_deposits() == []
    with pytest.raises(RoleForbidden):
        s.late_deposits()

    s2 = world.login("wu")  # a second shift, its cash taken to the bank three days late
    shift2 = s2.open_shift(float_fen=0).shift_id
    world.issue_card("B-1-001", session=s2)
    s2.top_up(account_no="B-1-001", amount_fen=2_000, tendered_fen=2_000)
    s2.close_shift(counted={1000: 2})
    late = s2.record_deposit(slip_no="XJ-002", kind="cash_slip", bank="工商银行校园支行",
                             stamped_on=date(2026, 11, 26), amount_fen=2_000, shift_ids=[shift2])  # fmt: skip
    assert late.late
    assert [(d.shift_id, d.slip_nos) for d in world.login("wang").late_deposits()] == [(shift2, ("XJ-002",))]


def test_receipt_books_issued_by_name_and_pages_voided_by_their_cashier(world):
    wang = world.login("wang")
    book = wang.issue_receipt_book(cashier="zhang", first_no=101, last_no=150)
    assert (book.cashier, book.first_no, book.last_no, book.void_pages) == ("zhang", 101, 150, ())
    with pytest.raises(InputInvalid):
        wang.issue_receipt_book(cashier="nobody", first_no=201, last_no=250)
    with pytest.raises(InputInvalid):  # finance is not a cashier: holds no book
        wang.issue_receipt_book(cashier="qian", first_no=201, last_no=250)
    with pytest.raises(InputInvalid):  # overlapping another book
        wang.issue_receipt_book(cashier="wu", first_no=150, last_no=160)
    with pytest.raises(RoleForbidden):
        world.login("zhang").issue_receipt_book(cashier="zhang", first_no=301, last_no=350)
    zhang = world.login("zhang")
    assert zhang.void_receipt_page(page_no=101, reason="未盖章").void_pages == (101,)
    with pytest.raises(InputInvalid):
        zhang.void_receipt_page(page_no=101, reason="再次作废")
    with pytest.raises(RoleForbidden):  # someone else's book
        world.login("wu").void_receipt_page(page_no=102, reason="错印")


def test_verify_receipt_of_a_real_receipt_and_a_tampered_one(world):
    s, _ = selling_shift(world)
    qr = scalar(world, select(Receipt.qr_text).where(Receipt.receipt_no == "W01-00000001"))
    check = world.login("admin").verify_receipt(qr_text=qr)  # anyone logged in may check
    assert (check.genuine, check.workstation, check.receipt_no, check.amount_fen) == (
        True, "W01", "W01-00000001", CASH_SALES[0],
    )  # fmt: skip
    assert check.at.date() == date(2026, 11, 23)
    tampered = qr.replace(f"|{CASH_SALES[0]}|", f"|{CASH_SALES[0] * 10}|")
    forged = s.verify_receipt(qr_text=tampered)
    assert not forged.genuine and forged.amount_fen == CASH_SALES[0] * 10
    assert not s.verify_receipt(qr_text="not a receipt").genuine


def test_reports_as_bytes_with_progress(world):
    s, _, _ = closed_shift(world)
    day = date(2026, 11, 23)
    csv = world.login("wang").report(kind="day", start=day, end=day, format="csv").decode("utf-8-sig")
    assert format_yuan(sum(CASH_SALES) + WECHAT_SALE) in csv and "寝室用户" in csv
    assert (
        world.login("qian")
        .report(kind="collection", start=day, end=day + timedelta(days=1))
        .startswith(b"%PDF")
    )
    steps: list[tuple[int, int]] = []
    detail = world.login("qian").report(kind="account-detail", start=day, end=day, format="xlsx",
                                        progress=lambda done, total: steps.append((done, total)))  # fmt: skip
    assert detail[:2] == b"PK" and steps and steps[-1][0] == steps[-1][1] == 4  # four accounts
    with pytest.raises(InputInvalid):
        s.report(kind="day", start=day, end=day, format="doc")
    with pytest.raises(InputInvalid):
        s.report(kind="no-such-report", start=day, end=day)
    with pytest.raises(RoleForbidden):
        world.login("admin").report(kind="day", start=day, end=day)


def test_sheet_frozen_is_a_member_of_the_error_family():
    assert UserFacingError.for_code("SHEET_FROZEN").__class__ is SheetFrozen is signoff.SheetFrozen
    assert SheetFrozen().message_en.startswith("The settlement sheet")


def _in_db(world, write):
    engine = make_engine(world.db_url)
    try:
        with unit_of_work(engine) as db:
            bind_keys(db, world.counter.keys)
            return write(db)
    finally:
        engine.dispose()


def test_finance_signs_for_a_day_only_when_its_single_operator_queue_is_empty(world):
    _, _, info = closed_shift(world)

    def queue(db):  # as counter_app.queueing writes it when one person is on duty
        row = QueuedOperation(kind="back_charge", payload={}, payload_sha256="0" * 64, summary="违规用电补缴",
                              maker_id=_id(db, "zhang"), workstation_id=1, queued_at=world.clock())  # fmt: skip
        db.add(row)
        db.flush()
        audit.record(db, kind="queue.added", actor_id=row.maker_id, workstation="W01", subject=row, payload={},
                     clock=world.clock)  # fmt: skip
        return row.id

    queue_id = _in_db(world, queue)
    for name in ("zhang", "wang", "zhao"):  # the reviews may go on
        world.login(name).sign_sheet(sheet_no=info.sheet_no)
    qian = world.login("qian")
    with pytest.raises(InputInvalid) as waiting:
        qian.sign_sheet(sheet_no=info.sheet_no, voucher_no="记-1")
    assert waiting.value.data["queue_ids"] == [queue_id]

    def resolve(db):
        row = QueueResolution(
            queue_id=queue_id, outcome="approved", operator_id=_id(db, "li"), at=world.clock()
        )
        db.add(row)
        db.flush()
        audit.record(db, kind="queue.resolved", actor_id=row.operator_id, workstation="W01", subject=row,
                     payload={}, clock=world.clock)  # fmt: skip

    _in_db(world, resolve)
    assert qian.sign_sheet(sheet_no=info.sheet_no, voucher_no="记-1").frozen
    _audit_chain_intact(world)


def _id(db, name: str) -> int:
    return db.scalar(select(Operator.id).where(Operator.name == name))


@pytest.mark.pg
def test_close_and_sign_off_on_postgresql(tmp_path, pg_url):
    world = make_world(tmp_path, db_url=pg_url)
    world.reopen(reports_dir=tmp_path / "papers")  # PostgreSQL: no database file to sit beside
    try:
        s, shift_id = selling_shift(world)
        with pytest.raises(InputInvalid):
            s.close_shift(counted=SHORT)
        info = s.close_shift(counted=SHORT, difference_reason="找零多找", approval=world.approval("li"))
        assert (info.expected_fen, info.difference_fen) == (EXPECTED, -5_000)
        assert info.pdf_path == str(tmp_path / "papers" / "sheets" / f"{info.sheet_no}.pdf")
        assert "财务交账单" in pdf_text(info.pdf_path)
        for name in ("zhang", "wang", "zhao"):
            world.login(name).sign_sheet(sheet_no=info.sheet_no)
        assert world.login("qian").sign_sheet(sheet_no=info.sheet_no, voucher_no="记-9").frozen
        deposit = s.record_deposit(slip_no="XJ-9", kind="cash_slip", bank="工行", stamped_on=date(2026, 11, 23),
                                   amount_fen=10_000, shift_ids=[shift_id])  # fmt: skip
        assert not deposit.late
        _audit_chain_intact(world)
    finally:
        world.close()


def test_a_voided_sales_receipt_is_genuine_but_says_it_stands_for_nothing(world):
    """作废重开: the old paper's signature stays genuine; the check says it was voided, the new one
    stands; a genuine receipt this database never issued says so (another counter's own file)."""
    s = world.login("zhang")
    s.open_shift(float_fen=FLOAT, supervisor="li")
    world.issue_card("D-5-308", session=s)
    sale = s.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=10_000)
    fixed = s.correct(receipt_no=sale.receipt_no, reason="多输了", amount_fen=5_000, approval=world.approval("li"))

    def qr(no: str) -> str:
        return scalar(world, select(Receipt.qr_text).where(Receipt.receipt_no == no))

    old, new = s.verify_receipt(qr_text=qr(sale.receipt_no)), s.verify_receipt(qr_text=qr(fixed.receipt_no))
    assert (old.genuine, old.standing) == (True, "voided")
    assert (new.genuine, new.standing) == (True, "in_force")
    elsewhere = sign_receipt(world.counter.keys.receipt_signing, workstation="W09",
                             receipt_no="W09-00000007", amount_fen=500, at=old.at)  # fmt: skip
    other = s.verify_receipt(qr_text=elsewhere)
    assert (other.genuine, other.standing) == (True, "not_here")
    assert s.verify_receipt(qr_text="not a receipt").standing is None


def test_the_close_keeps_the_ledger_summed_for_the_period_reports(world, monkeypatch):
    """Issue 16: after the close has committed, the ledger's kept sums cover every entry so far
    (the week / month / year reports read them); a refresh that fails never fails the close."""
    from counter_app.settlement import kept_sums
    from db.models import LedgerEntry
    from db.models.kept_sums import SumBatch

    closed_shift(world)
    entries = scalar(world, select(func.count()).select_from(LedgerEntry))
    assert entries and scalar(world, select(func.sum(SumBatch.entries))) == entries
    s = world.login("zhang")
    s.open_shift(float_fen=FLOAT, supervisor="li")

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(kept_sums, "refresh_sums", broken)
    assert s.close_shift(counted={10000: 5}).difference_fen == 0  # closed all the same
