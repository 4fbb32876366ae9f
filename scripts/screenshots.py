"""Write a PNG of the login window, every page, the lock screen and the approval dialog, on the REAL
facade in demo mode (`counter_app.demo.prepare_demo` + `open_counter(simulate=True)`).

Run through scripts/screenshots.sh (Xvfb, xcb). By default the demo database is built afresh in a
temporary folder so every run shows the same story (a card issued for 1-101, a purchase loaded into
its meter, some consumption, free quota owed); `--demo-dir` reuses a folder instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from PySide6.QtWidgets import QApplication  # noqa: E402

from base.clock import BUSINESS_TZ  # noqa: E402
from counter_app.api import Approval, open_counter  # noqa: E402
from counter_app.demo import PASSWORD, prepare_demo  # noqa: E402
from counter_app.keystore import keystore_from_spec, set_device_secret  # noqa: E402
from hardware.sim.meter_bus import DEFAULT_PASSWORD  # noqa: E402
from ui import i18n, style  # noqa: E402
from ui.approval_dialog import ApprovalDialog, ApprovalRequest  # noqa: E402
from ui.context import Workstation  # noqa: E402
from ui.facade import login_with_roles  # noqa: E402
from ui.login import LoginWindow  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.ops import runner  # noqa: E402

ROOM, ACCOUNT, METER = "1-101", "D-1-101", "M1101"
SIZE = (
    1366,
    728,
)  # the main windows: 1366×768 less a taskbar (issue 14); --size 1920x1050 for the large screen


def open_demo(folder: Path):
    db_url, keystore, sim_dir = prepare_demo(folder)
    # the modules' DL/T 645 password is a device secret in the keystore (no longer a setting)
    set_device_secret(keystore_from_spec(keystore), "dlt645_password", DEFAULT_PASSWORD)
    return open_counter(db_url, workstation="W01", simulate=True, sim_dir=sim_dir, keystore=keystore)


def stage(counter) -> None:
    """The story behind the pictures: free quota owed, a card, one purchase loaded and partly used,
    a reprint for the supervisor's morning list; the card back on the reader for the sale page."""
    zhang, li = counter.login("zhang", PASSWORD), counter.login("li", PASSWORD)
    try:
        period = counter.clock().strftime("%Y-%m")
        draft = zhang.prepare_quota_batch(period=period, buildings=["1"])
        li.approve_quota_batch(batch_id=draft.batch_id, approval=Approval(name="wang", password=PASSWORD))
    except Exception as exc:  # noqa: BLE001 — an excluded month has no quota: the pictures go on
        print(f"no free quota this month: {exc}")
    li.open_shift(float_fen=20_000)
    serial = counter.sim.new_blank_card()
    counter.sim.present_card(serial)
    li.issue_card(account_no=ACCOUNT)
    sale = li.top_up(account_no=ACCOUNT, amount_fen=5_000, tendered_fen=5_000)
    li.reprint_receipt(receipt_no=sale.receipt_no)
    counter.sim.insert_into_meter(serial)
    counter.sim.consume(METER, 1_234)
    counter.sim.insert_into_meter(serial)  # the next visit to the meter writes the use back
    sheet = li.close_shift(counted={10000: 2, 5000: 1})
    li.sign_sheet(sheet_no=sheet.sheet_no)  # the finance pages show a sheet half-way up its chain
    wang = counter.login("wang", PASSWORD)
    wang.sign_sheet(sheet_no=sheet.sheet_no)
    wang.record_deposit(slip_no="XJ-0001", kind="cash_slip", bank="工行校内支行", stamped_on=counter.clock().date(),
                        amount_fen=5_000, shift_ids=[1])  # fmt: skip
    counter.sim.present_card(serial)


def stage_buses(counter):
    """Three networked rooms on a simulated DL/T 645 bus, one module silent, read once: what the
    远程抄表 and 总线状态 pages show (issue 17). The simulator is returned to be closed at the end."""
    from hardware.sim.meter_bus import SimMeterBus

    sim = SimMeterBus("dlt645", clock=counter.clock)
    admin, approval = counter.login("admin", PASSWORD), Approval(name="li", password=PASSWORD)
    admin.set_setting("meter_bus.ports", {"1号楼-A": sim.url}, approval=approval)
    zhao = counter.login("zhao", PASSWORD)
    for n, (room, energy) in enumerate((("1-102", 152_310), ("1-103", 98_004), ("1-104", 4_410)), start=1):
        address = f"0000000011{n:02d}"
        sim.add_meter(address, energy_ckwh=energy, relay_closed=n != 2)
        zhao.set_metering(account_no=f"D-{room}", mode="networked", bus="1号楼-A", address=address, protocol="dlt645")
    counter.login("zhang", PASSWORD).read_buses_now()
    sim.set_fault("0000000011" + "03", mute=True)  # stops answering after the first round
    counter.login("zhang", PASSWORD).read_buses_now()
    return sim


def settle(app: QApplication, ms: int = 400) -> None:
    """Let queued facade answers arrive and layouts settle before grabbing."""
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def wait_idle(app: QApplication, limit_s: float = 10) -> None:
    end = time.monotonic() + limit_s
    while runner().pending and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)
    settle(app, 300)


def shoot(widget, path: Path, app: QApplication) -> None:
    wait_idle(app)
    widget.grab().save(str(path))
    print(path)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--lang", default="zh_CN")
    parser.add_argument("--demo-dir", default=None, help="reuse this demo folder (default: a fresh one)")
    parser.add_argument("--size", default="1366x728", help="main window size WxH (default 1366x728)")
    args = parser.parse_args()
    global SIZE
    SIZE = tuple(int(n) for n in args.size.split("x"))  # type: ignore[assignment]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    style.apply(app)  # as ui/app.py does
    suffix = "" if i18n.install(app, args.lang) == "zh_CN" else "_en"
    with tempfile.TemporaryDirectory() as tmp:
        counter = open_demo(Path(args.demo_dir or tmp))
        buses = None
        try:
            stage(counter)
            buses = stage_buses(counter)
            shoot_all(app, counter, out, suffix)
        finally:
            runner().shutdown()
            counter.close()
            if buses is not None:
                buses.close()
    return 0


def shoot_all(app: QApplication, counter, out: Path, suffix: str) -> None:
    login = LoginWindow(counter)
    login.resize(520, 360)
    login.show()
    shoot(login, out / f"00_login{suffix}.png", app)
    login.close()
    session = login_with_roles(counter, "zhang", PASSWORD)
    session.open_shift(float_fen=50_000)
    window = MainWindow(Workstation(counter, session, Approval))
    window.resize(*SIZE)
    window.show()
    for i, (key, page) in enumerate(window.pages.items(), start=1):
        window.show_page(key)
        prepare_page(app, window, key, page)
        shoot(window, out / f"{i:02d}_{key}{suffix}.png", app)
    shoot_forged_receipt(app, window, out, suffix)
    shoot_account_detail(app, window, out, suffix)
    shoot_software_control(app, counter, window, out, suffix)
    li = login_with_roles(counter, "li", PASSWORD)
    boss = MainWindow(Workstation(counter, li, Approval))
    boss.resize(*SIZE)
    boss.show()
    boss.show_page("exceptions")
    shoot(boss, out / f"25_exceptions_supervisor{suffix}.png", app)
    boss.close()
    for n, (name, keys) in enumerate(
        (
            ("qian", ("sheets", "deposits", "books", "month")),
            ("wang", ("deposits",)),
            ("admin", ("settings", "diagnostics", "people", "prices", "stations")),  # diagnostics: 本机设备设置
            ("zhao", ("exceptions", "people")),  # the head: the morning list and the status bar's backup warning
        )
    ):
        shoot_role(app, counter, out, suffix, name, keys, 30 + 5 * n)
    for name, preview in approval_previews(counter, session):
        dialog = ApprovalDialog(window, ApprovalRequest.from_preview(preview, session.name), Approval)
        dialog.show()
        shoot(dialog, out / f"{name}{suffix}.png", app)
        dialog.close()
    admin = login_with_roles(counter, "admin", PASSWORD)
    day = counter.clock().astimezone(BUSINESS_TZ).date() + dt.timedelta(days=7)
    start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=BUSINESS_TZ)
    tariff = admin.approval_preview("set_tariff", cls="dorm", price_e4=6_000, start=start, basis="校发〔2026〕9号")
    dialog = ApprovalDialog(window, ApprovalRequest.from_preview(tariff, admin.name, admin.display_name), Approval)
    dialog.show()
    shoot(dialog, out / f"20_approval_tariff{suffix}.png", app)  # the administrator's power, in the core's words
    dialog.close()
    shoot_printer_and_close(app, counter, window, session, out, suffix)
    window.lock()
    shoot(window, out / f"21_lock{suffix}.png", app)


def shoot_printer_and_close(app: QApplication, counter, window, session, out: Path, suffix: str) -> None:
    """The sale page while the paper is out and a receipt waits (the banner), then the shift page
    after the blind count was committed (expected and the difference shown, the count locked)."""
    counter.sim.printer(paper_out=True)
    session.top_up(account_no=ACCOUNT, amount_fen=3_000, tendered_fen=3_000)  # its receipt waits
    window.show_page("sale")
    window.statusBar().refresh()
    shoot(window, out / f"22_sale_paper_out{suffix}.png", app)
    counter.sim.printer()
    counter.print_in_background(True)  # the waiting receipts print now
    counter.wait_for_printing()
    window.statusBar().refresh()
    window.show_page("shift")
    page = window.pages["shift"]
    page.tabs.setCurrentIndex(0)
    page._declared(session.declare_count(counted={10000: 5, 1000: 2, 500: 1}))  # 525 of 530: short 5
    page.reason.set_text("找零多找")
    shoot(window, out / f"23_shift_counted{suffix}.png", app)


def approval_previews(counter, session):
    """The co-signatures as the dialog shows them: the core's words for the payload each binds
    (Session.approval_preview), for a quota batch and a correction of a sale just made."""
    year, month = counter.clock().year, counter.clock().month
    period = f"{year + month // 12}-{month % 12 + 1:02d}"  # next month: this one is approved in stage()
    try:
        draft = session.prepare_quota_batch(period=period, buildings=["1"])
        yield "20_approval", session.approval_preview("approve_quota_batch", batch_id=draft.batch_id)
    except Exception as exc:  # noqa: BLE001 — an excluded month has no quota: the pictures go on
        print(f"no quota batch to approve: {exc}")
    sale = session.top_up(account_no=ACCOUNT, amount_fen=3_000, tendered_fen=3_000)
    yield (
        "20_approval_correction",
        session.approval_preview("correct", receipt_no=sale.receipt_no, reason="金额输错", amount_fen=2_000),
    )
    # The customer loads that purchase into the meter and brings the card back: the next sale (the
    # paper-out picture) is then not refused as PREVIOUS_NOT_LOADED.
    serial = session.find_account(account_no=ACCOUNT).card_serial
    counter.sim.insert_into_meter(serial)
    counter.sim.present_card(serial)


def shoot_role(app: QApplication, counter, out: Path, suffix: str, name: str, keys, first: int) -> None:
    """The finance, assistant and administrator windows: their own pages (ui/main_window.ROLE_PAGES)."""
    session = login_with_roles(counter, name, PASSWORD)
    window = MainWindow(Workstation(counter, session, Approval))
    window.resize(*SIZE)
    window.show()
    for i, key in enumerate(keys):
        window.show_page(key)
        prepare_page(app, window, key, window.pages[key])
        shoot(window, out / f"{first + i:02d}_{key}_{name}{suffix}.png", app)
    window.close()


def last_qr(counter) -> str:
    printed = "\n".join(counter.sim.printed())
    return [line[5:] for line in printed.splitlines() if line.startswith("[QR] ")][-1]


def shoot_account_detail(app: QApplication, window, out: Path, suffix: str) -> None:
    """账户详情: Enter on the search hit of the story's room (its card, sale and write-back)."""
    window.show_page("accounts")
    page = window.pages["accounts"]
    page.query.set_text(ROOM)
    page.run_search()
    wait_idle(app)
    page.open_detail(0)
    wait_idle(app)
    shoot(page.detail, out / f"27_account_detail{suffix}.png", app)
    page.detail.close()


def shoot_software_control(app: QApplication, counter, window, out: Path, suffix: str) -> None:
    """远程抄表 of a networked room (a simulated DL/T 645 module) kept on power under software
    control while its 中卫机 was out: one period ended with its back-charge (补交电费), one open."""
    from hardware.sim.meter_bus import SimMeterBus

    account, address = "D-1-102", "000000001102"
    sim = SimMeterBus("dlt645", clock=counter.clock)
    try:
        sim.add_meter(address, energy_ckwh=52_000)
        li = Approval(name="li", password=PASSWORD)
        counter.login("admin", PASSWORD).set_setting("meter_bus.ports", {"demo-1": sim.url}, approval=li)
        counter.login("zhao", PASSWORD).set_metering(account_no=account, mode="networked", bus="demo-1",
                                                     address=address, protocol="dlt645")  # fmt: skip
        zhang, wang = window.ctx.session, counter.login("wang", PASSWORD)
        zhang.top_up_networked(account_no=account, amount_fen=2_000, tendered_fen=2_000)
        zhang.read_meter(account_no=account)
        zhang.begin_software_control(account_no=account, reason="中卫机故障，暂无备件", approval=li)
        sim.meter(address).energy_ckwh += 12_000  # 120 kWh: more than the balance held
        zhang.read_meter(account_no=account)
        wang.end_software_control(account_no=account, reason="中卫机已修复", method="readings", approval=li)
        zhang.begin_software_control(account_no=account, reason="模块烧坏，等待新模块", approval=li)
        window.show_page("networked")
        page = window.pages["networked"]
        page.account_edit.setText(account)
        page.refresh()
        wait_idle(app)
        page.end_form.fields["reason"].set_text("新模块已装")
        shoot(page.body, out / f"28_software_control{suffix}.png", app)
        shoot_notices_of(app, window, account, out / f"29_software_control_notice{suffix}.png")
    finally:
        sim.close()


def shoot_notices_of(app: QApplication, window, account: str, path: Path) -> None:
    """账户详情's 通知单 tab: the 补交电费 of software control under its own kind (not 违规补缴)."""
    window.show_page("accounts")
    page = window.pages["accounts"]
    page.query.set_text(account)
    page.run_search()
    wait_idle(app)
    page.open_detail(0)
    wait_idle(app)
    page.detail.tabs.setCurrentIndex(3)  # 通知单
    shoot(page.detail, path, app)
    page.detail.close()


def shoot_forged_receipt(app: QApplication, window, out: Path, suffix: str) -> None:
    """验票 with the amount of a real receipt changed: NOT GENUINE, with what it claims."""
    window.show_page("verify")
    parts = last_qr(window.ctx.counter).split("|")
    parts[3] = str(int(parts[3]) * 10)
    page = window.pages["verify"]
    page.field.set_text("|".join(parts))
    page.verify()
    shoot(window, out / f"26_verify_forged{suffix}.png", app)


def prepare_page(app: QApplication, window, key: str, page) -> None:
    if key == "sale":
        page.look_up()
        wait_idle(app)
        page.amount.set_text("100")
        page.confirm_amount()
        wait_idle(app)
        page.tendered.set_text("200")
        page._show_change()
    elif key == "accounts":
        page.query.set_text("王")
        page.run_search()
    elif key == "shift":
        page.counts[10000].setValue(5)  # step 1 of the blind close, being typed (nothing expected shown)
    elif key == "diagnostics":
        page.device_info()
    elif key == "reports":
        wait_idle(app)
        page.preview()
    elif key == "sheets":
        wait_idle(app)
        page.view.selectRow(0)
        wait_idle(app)
        page.show_pdf()
    elif key == "settings":
        wait_idle(app)
        page.settings_view.selectRow(0)
    elif key == "people":  # a person picked: every form's login ID filled
        wait_idle(app)
        page.view.selectRow(1)
    elif key == "networked":  # a networked room: its balance, readings and switch history
        page.account_edit.setText("D-1-102")
        page.refresh()
    elif key == "buses":  # the login's scheduled rounds, then the bus with its meters
        window.ctx.session.start_meter_polling()
        page.refresh()
    elif key == "verify":  # 验票: the QR of the last receipt printed, as a scanner would type it
        page.field.set_text(last_qr(window.ctx.counter))
        page.verify()
    wait_idle(app)


if __name__ == "__main__":
    sys.exit(main())
