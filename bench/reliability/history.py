"""A counter's history for the tampering and insider runs (bench/reliability/tamper.py): every table
of the schema gets rows the way a real counter writes them, through the facade (`Session`), the
administrator's command line (`counter-admin`, counter_app/admin/cli.py) and, where neither has a
door yet, the settlement service the workstation would call (noted below).

Four days at one counter (W01, campus 主校区), in order:

- 23 Nov, before opening: the administrator sets a fee table (heating rate, card fee) and a new
  dorm tariff, the head appoints a second 监督人, a workstation on a new campus is registered and
  the housing office's rooms for it are imported (buildings with units). On a holiday-mode moment
  the cashier's back-charge and a free-quota batch approval go to the single-operator queue. The
  November batch is prepared and co-signed; the assistant issues zhang a stamped-receipt book.
- 23 Nov, shift 1 (zhang, 监督人 li): a page voided; sales with supervisor overrides (free energy
  delivered with the first); a second room's card issued, sold, corrected the same day (void and
  reissue) after a mistyped co-signer password and the cashier's own name were refused; a reprint
  (补打); the PC's clock set back an hour for a repair and a heating notice paid on stamped pages
  (the writes flagged), then set right; a room refund (clear card, meter, 退费审批单) and a
  business closing (退电清零 + 销户); X reports; the blind close; the cash slip to the bank.
- 24 Nov: li approves the two queued operations; shift 2 (wu, own receipt book): a sale, the
  back-charge paid on a stamped page; X report, close, deposit; both receipt books returned;
  the half-month 收账检查; both sheets signed through the chain to frozen (营业员, 部门助理, 主管,
  财务 with voucher numbers).
- 26 Nov: finance closes October (nothing sold) and November, co-signed by the head; a spot check
  of the drawer; shift 3 (zhang) sells and closes LAST, so its Z report's printed audit head
  (z_reports.audit_seq / audit_head) is the head of the whole chain.

Tables that keep fewer than two rows, and why (`THIN`): `installation` is written once by
`counter-admin init` (one row by design: nothing to reorder).
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

# Tables that cannot reach two rows through any door, with the reason.
THIN = {"installation": "written once by `counter-admin init`: one row by design"}

FLOAT = 20_000
DENOMINATIONS = (10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 2, 1)
EAST_ROOMS = (  # the housing office's list for the new campus: one building, two units
    "校区,楼栋,单元,房间,类别,床位,本科,研究生,博士,电表号,户主,电话\n"
    "东校区,7,1,101,学生公寓,4,4,0,0,M7101,,\n"
    "东校区,7,2,201,学生公寓,4,2,2,0,M7201,,\n"
    "东校区,7,2,202,教职工,,,,,M7202,李老师,13800138001\n"
)


def make_history(tmp: Path):
    """Build the history in `tmp` (counter.db, keys.json); the keys and the final Z report's head."""
    from opstesting import make_world

    world = make_world(tmp)
    before_opening(world)
    first_day(world)
    second_day(world)
    last_day(world)
    keys = world.counter.keys
    world.close()
    for extra in ("-wal", "-shm"):
        Path(f"{tmp / 'counter.db'}{extra}").unlink(missing_ok=True)
    with sqlite3.connect(tmp / "counter.db") as conn:
        head = conn.execute("SELECT audit_seq, audit_head FROM z_reports ORDER BY id DESC LIMIT 1").fetchone()
        last = conn.execute("SELECT max(sequence) FROM audit_log").fetchone()[0]
    assert head[0] == last, f"the last Z report prints entry {head[0]}, the chain ends at {last}"
    return keys, (head[0], head[1])


def thin_tables(path: Path) -> dict[str, int]:
    """Tables of the history with fewer than two rows (nothing to reorder), except `THIN`."""
    from bench.reliability import insider

    with sqlite3.connect(path) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in insider.tables_of(path)}
    return {t: n for t, n in counts.items() if n < 2 and t not in THIN}


# --- the administrator's command line ---------------------------------------------------------------


def admin(world, *argv: str, as_: str = "admin", approver: str | None = None) -> str:
    """`counter-admin … --as NAME [--approver NAME]`, passwords on stdin, at the world's time."""
    from opstesting import CHEAP, PASSWORD

    from counter_app.admin.cli import main

    args = ["--db", world.db_url, "--keystore", world.keystore, *argv, "--as", as_]
    lines = [PASSWORD]
    if approver:
        args += ["--approver", approver]
        lines.append(PASSWORD)
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out, stderr=err,
                environ={"COUNTER_CLOCK": world.clock().isoformat()}, hasher=CHEAP)  # fmt: skip
    assert code == 0, f"counter-admin {' '.join(argv)}: {err.getvalue()}"
    return out.getvalue()


def before_opening(world) -> None:
    now = world.clock().isoformat()
    admin(world, "fee", "set", "heating_rate_per_m2", "--fen", "2550", "--from", "2026-10-01T00:00:00+08:00",
          "--basis", "校发〔2026〕7号", approver="li")  # fmt: skip
    admin(world, "fee", "set", "card", "--fen", "1000", "--from", now, "--basis", "校发〔2026〕8号",
          approver="li")  # fmt: skip
    admin(world, "tariff", "set", "--class", "dorm", "--price-e4", "5900", "--from", now, "--basis",
          "校发〔2026〕9号", approver="li")  # fmt: skip
    admin(world, "supervisor", "appoint", "wu", "--from", "2026-11-23", "--to", "2027-07-31", as_="zhao")
    admin(world, "workstation", "add", "W03", "--campus", "东校区", approver="zhao")
    rooms = world.tmp / "east_rooms.csv"
    rooms.write_text(EAST_ROOMS, encoding="utf-8")
    admin(world, "accounts", "import", str(rooms), approver="li")
    queue_two(world)
    zhang = world.login("zhang")
    draft = zhang.prepare_quota_batch(period="2026-11", buildings=["5"])
    zhang.approve_quota_batch(batch_id=draft.batch_id, approval=world.approval("li"))


def queue_two(world) -> None:
    """A holiday moment (one person on duty): two co-signed operations wait in the queue."""
    from base.errors import UserFacingError

    world.login("admin").set_setting("single_operator_mode", True, approval=world.approval("li"))
    zhang = world.login("zhang")
    draft = zhang.prepare_quota_batch(period="2026-12", buildings=["5"])
    for queue in (
        lambda: zhang.back_charge(
            account_no="S-12-101",
            discovered_on=date(2026, 11, 20),
            electrician="刘电工",
            evidence="私接",
            approval=None,
        ),
        lambda: zhang.approve_quota_batch(batch_id=draft.batch_id),
    ):
        try:
            queue()
        except UserFacingError as error:
            assert error.code == "QUEUED", error.code
        else:
            raise AssertionError("single-operator mode did not queue")
    world.login("admin").set_setting("single_operator_mode", False, approval=world.approval("li"))


# --- the days ----------------------------------------------------------------------------------------


def first_day(world) -> None:
    from base.errors import UserFacingError
    from counter_app.approvals import Approval

    world.login("wang").issue_receipt_book(cashier="zhang", first_no=1, last_no=50)
    s = world.login("zhang")
    s.open_shift(float_fen=FLOAT, supervisor="li")
    s.void_receipt_page(page_no=1, reason="未盖章")
    serial = world.issue_card("D-5-308", s)
    for i in range(12):
        amount = 1_000 + 500 * (i % 4)
        world.sim.present_card(serial)
        if i % 3 == 2:  # not loaded since the last sale: a supervisor override, an approval
            s.top_up(account_no="D-5-308", amount_fen=amount, override_reason="返写丢失",
                     approval=world.approval("li"))  # fmt: skip
        else:
            s.top_up(account_no="D-5-308", amount_fen=amount)
        if i % 3 != 1:
            world.sim.insert_into_meter(serial)
        world.clock.advance(minutes=3)
    s.x_report()

    # 5-309: a sale typed wrong, corrected the same day; the co-signer mistypes twice first.
    room = world.issue_card("D-5-309", s)
    sale = s.top_up(account_no="D-5-309", amount_fen=5_000, tendered_fen=5_000)
    for approver, refused in ((Approval(name="li", password="wrong-password"), "APPROVAL_INVALID"),
                              (world.approval("zhang"), "SELF_APPROVAL")):  # fmt: skip
        try:
            s.correct(receipt_no=sale.receipt_no, reason="金额输错", amount_fen=4_000, approval=approver)
        except UserFacingError as error:
            assert error.code == refused, error.code
        else:
            raise AssertionError(f"{approver.name} co-signed")
        world.clock.advance(minutes=1)
    fixed = s.correct(
        receipt_no=sale.receipt_no, reason="金额输错", amount_fen=4_000, approval=world.approval("li")
    )
    s.reprint_receipt(receipt_no=fixed.receipt_no)  # the customer's copy was spoiled: 补打
    world.sim.insert_into_meter(room)
    world.clock.advance(minutes=5)

    # Someone sets the PC's clock back an hour: the bills taken meanwhile are flagged.
    world.clock.advance(hours=-1)
    maker = world.login("wu")  # the notices are made out by another cashier (查表制单收费不相容)
    repair = maker.create_notice(kind="repair", payer="5-308 寝室", amount_fen=3_550, repair_date=date(2026, 11, 23),
                             repairman="王师傅", department="后勤维修中心")  # fmt: skip
    s.pay_notice(notice_no=repair.notice_no, amount_fen=3_550, amount_fen_again=3_550, tendered_fen=5_000,
                 paper_receipt_no="2")  # fmt: skip
    heating = maker.create_notice(kind="heating", payer="张老师", area_dm2=8_537, department="房产科")
    s.pay_notice(notice_no=heating.notice_no, amount_fen=heating.amount_fen, amount_fen_again=heating.amount_fen,
                 tender="wechat", reference="4200009876", paper_receipt_no="3")  # fmt: skip
    world.clock.advance(hours=1, minutes=10)  # set right again
    # A call the cashier cannot answer goes to the assistant and back (来电来访登记, visitor tables).
    call = s.log_visitor(channel="phone", question="电表不走字", caller="李同学", room_code="5-308")
    s.escalate_visitor(entry_id=call.entry_id, to="wang")
    world.login("wang").answer_visitor(entry_id=call.entry_id, answer="明天派电工上门")
    s.visitor_told(entry_id=call.entry_id, note="已电话告知")
    s.log_visitor(channel="visit", question="补卡要多少钱？", answer="补卡费 20 元")  # answered on the spot

    # 5-309 is vacated: clear card, meter, back at the counter, the 退费审批单.
    world.sim.consume("M5309", 1_000)
    clear_and_refund(world, s, room, "D-5-309", payee=("王同学", "2022001"))
    # The campus shop leaves: a last sale, then 退电清零 and 销户.
    shop = world.issue_card("B-1-001", s)
    s.top_up(account_no="B-1-001", amount_fen=3_000, tender="campus_card", reference="YKT-7781")
    world.sim.insert_into_meter(shop)
    world.clock.advance(minutes=5)
    clear_and_refund(world, s, shop, "B-1-001", payee=("校园超市", "91330000MA2"))
    s.close_account(account_no="B-1-001", approval=world.approval("li"))
    close_and_deposit(world, s, slip="XJ-20261123-1", stamped_on=date(2026, 11, 23))


def clear_and_refund(world, s, serial: str, account_no: str, *, payee: tuple[str, str]) -> None:
    world.sim.present_card(serial)
    s.issue_clear_card(account_no=account_no, reason="退房退电", approval=world.approval("li"))
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    s.complete_clear(account_no=account_no)
    s.refund_room(
        account_no=account_no, payee_name=payee[0], payee_id=payee[1], approval=world.approval("li")
    )
    world.clock.advance(minutes=5)


def close_and_deposit(world, s, *, slip: str, stamped_on: date) -> int:
    """X report, the blind close counted exactly, the cash slip for the shift; the shift id."""
    cash = s.x_report().by_tender.get("cash", 0)
    info = s.close_shift(counted=notes(FLOAT + cash))
    assert info.difference_fen == 0, info
    shift_id = shift_of(world, info.sheet_no)
    s.record_deposit(slip_no=slip, kind="cash_slip", bank="工商银行校园支行", stamped_on=stamped_on,
                     amount_fen=cash, shift_ids=[shift_id])  # fmt: skip
    return shift_id


def second_day(world) -> None:
    world.clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=world.clock().tzinfo))
    li = world.login("li")
    for queued in li.queued_operations():  # the next staffed day: the holiday queue is resolved
        li.approve_queued(queue_id=queued.queue_id, approval=world.approval("li"))
    wang = world.login("wang")
    wang.issue_receipt_book(cashier="wu", first_no=51, last_no=100)
    wu = world.login("wu")
    wu.open_shift(float_fen=FLOAT)
    serial = card_of(world, "D-5-308")
    world.sim.present_card(serial)
    wu.top_up(account_no="D-5-308", amount_fen=2_000, tendered_fen=2_000)
    world.sim.insert_into_meter(serial)
    (charge,) = [n for n in notices(world) if n[1] == "back_charge"]
    wu.pay_notice(notice_no=charge[0], amount_fen=charge[2], amount_fen_again=charge[2], tender="campus_card",
                  reference="YKT-9920", paper_receipt_no="51")  # fmt: skip
    close_and_deposit(world, wu, slip="XJ-20261124-1", stamped_on=date(2026, 11, 24))
    books_back(world)
    half_month_check(world)
    the_months_checks(world)
    a_networked_room(world)
    for sheet_no, cashier in sheets(world):
        world.login(cashier).sign_sheet(sheet_no=sheet_no)
        world.login("wang").sign_sheet(sheet_no=sheet_no)
        world.login("zhao").sign_sheet(sheet_no=sheet_no)
        world.login("qian").sign_sheet(sheet_no=sheet_no, voucher_no=f"记-2026-11-{sheet_no[-3:]}")


def the_months_checks(world) -> None:
    """Issue 15: two readings files (a corrected one), K3 twice, the four-party sign-off; repair
    prices and module stock; two WeChat statements matched and frozen."""
    import tempfile

    readings = "楼栋,表类型,表号,上次读数,本次读数,抄表人\n5,总表,T5,1000,2200,刘电工\n5,分表,M5308,10,110,刘电工\n"
    folder = Path(tempfile.mkdtemp())
    qian, approval = world.login("qian"), world.approval("li")
    for n, text in enumerate((readings, readings.replace("2200", "2210"))):
        (folder / f"r{n}.csv").write_text(text, encoding="utf-8")
        qian.import_readings(path=str(folder / f"r{n}.csv"), period="2026-11")
    for n, fen in enumerate(("99.00", "100.00")):
        (folder / f"k{n}.csv").write_text(f"楼栋,收入(元),电量(kWh)\n5,{fen},169.98\n", encoding="utf-8")
        qian.import_k3(path=str(folder / f"k{n}.csv"), period="2026-11")
    for period in ("2026-10", "2026-11"):
        shown = qian.four_party(period=period)
        qian.sign_four_party(period=period, figures_sha256=shown.figures_sha256, approval=approval)
    wang = world.login("wang")
    for code, fen in (("R01", 3_000), ("R02", 5_000)):
        wang.set_repair_price(item_code=code, name=f"维修{code}", unit="次", price_fen=fen,
                              valid_from=date(2026, 11, 1), basis="后勤〔2026〕1号", approval=approval)  # fmt: skip
    wang.record_module_move(kind="received", model="DDSY-1", quantity=5)
    wang.record_module_move(kind="issued", model="DDSY-1", quantity=1, room_code="5-308", electrician="刘电工")
    for day in (23, 24):
        wechat = f"交易时间,微信订单号,应结订单金额\n`2026-11-{day} 10:00:00,`WX-H{day},`0.00\n"
        (folder / f"wx{day}.csv").write_text(wechat, encoding="utf-8")
        on = date(2026, 11, day)
        qian.record_tender_match(tender="wechat", period_from=on, period_to=on, path=str(folder / f"wx{day}.csv"),
                                 approval=approval)  # fmt: skip


def a_networked_room(world) -> None:
    """Issue 17: D-5-309 metered by a module on a simulated bus for a while: read, kept on power
    under software control while its 中卫机 was out (begun and ended, co-signed: a back-charge for
    the shortfall), tripped (co-signed), then back to its card."""
    from counter_app.keystore import keystore_from_spec, set_device_secret
    from hardware.sim.meter_bus import DEFAULT_PASSWORD, SimMeterBus

    sim = SimMeterBus("dlt645", clock=world.clock)
    try:
        sim.add_meter("000000005309", energy_ckwh=12_345)
        admin, approval = world.login("admin"), world.approval("li")
        admin.set_setting("meter_bus.ports", {"dorm-5": sim.url}, approval=approval)
        set_device_secret(keystore_from_spec(world.keystore), "dlt645_password", DEFAULT_PASSWORD)
        zhao = world.login("zhao")
        zhao.set_metering(account_no="D-5-309", mode="networked", bus="dorm-5", address="000000005309",
                          protocol="dlt645")  # fmt: skip
        wang = world.login("wang")
        wang.read_meter(account_no="D-5-309")
        wang.begin_software_control(account_no="D-5-309", reason="中卫机故障", approval=approval)
        sim.meter("000000005309").energy_ckwh += 500
        wang.read_meter(account_no="D-5-309")
        wang.end_software_control(account_no="D-5-309", reason="中卫机修复", method="readings", approval=approval)
        world.login("zhang").switch_meter(account_no="D-5-309", command="trip", reason="欠费", approval=approval)
        zhao.set_metering(account_no="D-5-309", mode="card", bus=None, address=None, protocol=None)
    finally:
        sim.close()


def last_day(world) -> None:
    world.clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=world.clock().tzinfo))
    qian = world.login("qian")
    for period in ("2026-10", "2026-11"):
        qian.close_month(period=period, approval=world.approval("zhao"))
    s = world.login("zhang")
    s.open_shift(float_fen=FLOAT, supervisor="li")
    serial = card_of(world, "D-5-308")
    world.sim.present_card(serial)
    s.top_up(account_no="D-5-308", amount_fen=1_500, tendered_fen=2_000)
    spot_check(world, s)
    cash = s.x_report().by_tender.get("cash", 0)
    info = s.close_shift(counted=notes(FLOAT + cash))  # the last write: its Z report prints the head
    assert info.difference_fen == 0, info


# --- services without a facade door yet (docs/api.md lists none) ------------------------------------


def books_back(world) -> None:
    """The assistant takes both stamped-receipt books back (every page accounted for)."""
    from sqlalchemy import select

    from counter_app.settlement import receipt_books
    from db.models.settlement import ReceiptBookIssue

    ctx = world.login("wang").ctx
    with ctx.uow() as s:
        for book_id in list(s.scalars(select(ReceiptBookIssue.id).order_by(ReceiptBookIssue.id))):
            receipt_books.return_receipt_book(ctx, s, book_id=book_id)


def half_month_check(world) -> None:
    world.login("wang").record_collection_check(kind="half_month", covers_from=date(2026, 11, 10),
                                                covers_to=date(2026, 11, 24), findings="缴款单与交账单相符")  # fmt: skip


def spot_check(world, cashier) -> None:
    """The assistant counts the open drawer (抽查)."""
    from db.queries.shifts import open_shift_id

    wang = world.login("wang")
    cash = cashier.x_report().by_tender.get("cash", 0)
    with wang.ctx.reading() as s:
        shift_id = open_shift_id(s, wang.ctx.workstation.id)
    wang.record_collection_check(kind="spot", covers_from=date(2026, 11, 26), covers_to=date(2026, 11, 26),
                                 findings="现金相符", shift_id=shift_id, counted_fen=FLOAT + cash)  # fmt: skip


# --- small helpers -------------------------------------------------------------------------------------


def notes(fen: int) -> Mapping[int, int]:
    """`fen` as the cashier counts it: notes and coins, largest first."""
    counted: dict[int, int] = {}
    for value in DENOMINATIONS:
        counted[value], fen = divmod(fen, value)
    return {k: v for k, v in counted.items() if v}


def _read(world, sql: str, **params: Any) -> list[tuple]:
    from sqlalchemy import text

    with world.counter.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def shift_of(world, sheet_no: str) -> int:
    return _read(world, "SELECT shift_id FROM settlement_sheets WHERE sheet_no = :no", no=sheet_no)[0][0]


def sheets(world) -> list[tuple]:
    """(sheet number, the shift's cashier) of every settlement sheet, oldest first."""
    return _read(world, "SELECT sheet_no, operators.name FROM settlement_sheets JOIN shifts ON shifts.id = "
                        "settlement_sheets.shift_id JOIN operators ON operators.id = shifts.operator_id "
                        "ORDER BY settlement_sheets.id")  # fmt: skip


def card_of(world, account_no: str) -> str:
    """The account's card (as the customer brings it back)."""
    return _read(world, "SELECT card_serial FROM accounts WHERE account_no = :no", no=account_no)[0][0]


def notices(world) -> list[tuple]:
    return _read(world, "SELECT notice_no, kind, amount_fen FROM notices ORDER BY id")
