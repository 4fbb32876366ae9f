"""Benchmark 6: four workstations selling at once on one PostgreSQL, devices at zero delay.

    .venv/bin/python -m bench.concurrent [--quick] [--seconds 60]

A fresh PostgreSQL database (COUNTER_TEST_PG_URL, else the local server of scripts/start-postgres.sh;
skipped with a message when none answers) gets the test world plus workstations W03, W04, four
cashiers and 16 accounts. Each workstation is its own process with its own simulators and four
accounts, sells top-ups for the same wall-clock window and counts them. Floor, same run: one
workstation selling alone for the same window. Afterwards, counted (must be 0): duplicate receipt
numbers, duplicate (workstation, series, seq), duplicate (account, purchase counter) among sales,
receipt number gaps per workstation, and sales whose card counter disagrees with the account.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.common import ROOT, Results, parser, pg_server_url, scratch

STATIONS = ("W01", "W02", "W03", "W04")
CASHIERS = ("c1", "c2", "c3", "c4")
AMOUNT = 1_000


def prepare(tmp: Path, server: str) -> str:
    from dbtesting import create_pg_database
    from opstesting import CHEAP, PASSWORD, make_world
    from sqlalchemy import insert, select

    from bench.population import add_accounts
    from counter_app.auth import create_operator
    from counter_app.roles import grant_role
    from db.migrate import upgrade_to_head
    from db.models import Campus, Workstation
    from db.session import unit_of_work

    url = create_pg_database(server, f"counter_bench_{uuid.uuid4().hex[:10]}")
    from db.engine import make_engine

    engine = make_engine(url)
    upgrade_to_head(engine)
    engine.dispose()
    world = make_world(tmp, db_url=url)
    engine = world.counter.engine
    from counter_app.keystore import bind_keys

    with unit_of_work(engine) as s:
        bind_keys(s, world.counter.keys)
        campus_id = s.scalar(select(Campus.id).where(Campus.code == "main"))
        for code in ("W03", "W04"):
            s.execute(insert(Workstation).values(code=code, campus_id=campus_id, simulated=True,
                                                 created_at=world.clock()))  # fmt: skip
        for name in CASHIERS:
            op = create_operator(s, name=name, password=PASSWORD, actor_id=None, workstation="TEST",
                                 clock=world.clock, hasher=CHEAP)  # fmt: skip
            grant_role(s, operator_id=op.id, role="cashier", granted_by_id=None, workstation="TEST",
                       clock=world.clock)  # fmt: skip
    codes = add_accounts(engine, 16, keys=world.counter.keys)
    world.close()
    (tmp / "accounts.json").write_text(json.dumps(codes))
    return url


def station(url: str, tmp: Path, index: int, seconds: float) -> dict:
    """In a child: open workstation `index`, issue its cards, wait for the start, sell."""
    from opstesting import CHEAP, PASSWORD, START

    from base.clock import FixedClock
    from counter_app.counter import open_counter

    codes = json.loads((tmp / "accounts.json").read_text())[index * 4 : index * 4 + 4]
    counter = open_counter(url, workstation=STATIONS[index], simulate=True, sim_dir=tmp / f"sim{index}",
                           clock=FixedClock(START), keystore=f"file:{tmp / 'keys.json'}", hasher=CHEAP)  # fmt: skip
    sim = counter.sim
    s = counter.login(CASHIERS[index], PASSWORD)
    saved = tmp / f"cards{index}.json"
    if saved.exists():  # the second phase: W01 sold alone first, its shift and cards stand
        cards = json.loads(saved.read_text())
    else:
        s.open_shift(float_fen=0)
        cards = issue_cards(s, sim, codes)
        saved.write_text(json.dumps(cards))
    (tmp / f"ready{index}").touch()
    while not (tmp / "go").exists():  # all stations start selling together
        time.sleep(0.005)
    sold, i, end = 0, 0, time.time() + seconds
    while time.time() < end:
        account_no = list(cards)[i % len(cards)]
        serial, meter = cards[account_no]
        sim.present_card(serial)
        s.top_up(account_no=account_no, amount_fen=AMOUNT, tendered_fen=AMOUNT)
        sim.insert_into_meter(serial)
        sim.consume(meter, 1_500)
        sold, i = sold + 1, i + 1
    counter.close()
    return {"sold": sold, "seconds": seconds}


def issue_cards(session, sim, room_codes: list[str]) -> dict[str, tuple[str, str]]:
    """A card issued through the facade for each room's account, its meter installed: account no →
    (card serial, meter no)."""
    cards = {}
    for code in room_codes:
        info = session.find_account(room_code=code)
        sim.install_meter(info.meter_no)
        serial = sim.new_blank_card()
        sim.present_card(serial)
        session.issue_card(account_no=info.account_no)
        cards[info.account_no] = (serial, info.meter_no)
    return cards


def run_stations(url: str, tmp: Path, indexes: list[int], seconds: float) -> list[dict]:
    for stale in [tmp / "go", *(tmp / f"ready{i}" for i in indexes)]:
        stale.unlink(missing_ok=True)
    children = [subprocess.Popen([sys.executable, "-m", "bench.concurrent", "--child", url, str(tmp), str(i),
                                  str(seconds)], cwd=ROOT, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for i in indexes]  # fmt: skip
    deadline = time.time() + 300
    while not all((tmp / f"ready{i}").exists() for i in indexes):
        if time.time() > deadline or any(c.poll() is not None for c in children):
            break
        time.sleep(0.05)
    (tmp / "go").touch()
    out = []
    for child in children:
        stdout, stderr = child.communicate(timeout=seconds + 300)
        if child.returncode != 0:
            raise RuntimeError(stderr[-3000:])
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def duplicates(url: str) -> dict[str, int]:
    from sqlalchemy import text

    from db.engine import make_engine

    engine = make_engine(url)
    queries = {
        "duplicate receipt numbers": "SELECT count(*) FROM (SELECT receipt_no FROM receipts GROUP BY receipt_no "
                                     "HAVING count(*) > 1) d",
        "duplicate (workstation, series, seq)": "SELECT count(*) FROM (SELECT workstation_id, series, seq FROM receipts "
                                                "GROUP BY 1, 2, 3 HAVING count(*) > 1) d",
        "duplicate (account, purchase counter) among sales": "SELECT count(*) FROM (SELECT account_id, purchase_counter "
                                                             "FROM ledger_entries WHERE kind = 'sale' GROUP BY 1, 2 "
                                                             "HAVING count(*) > 1) d",
        "receipt number gaps (workstation, series)": "SELECT count(*) FROM (SELECT workstation_id, series FROM receipts "
                                                     "GROUP BY 1, 2 HAVING max(seq) <> count(*)) d",
        "accounts whose counter ≠ their number of sales": "SELECT count(*) FROM accounts a WHERE a.purchase_counter <> "
                                                          "(SELECT count(*) FROM ledger_entries l WHERE l.account_id = "
                                                          "a.id AND l.kind = 'sale')",
    }  # fmt: skip
    with engine.connect() as conn:
        found = {name: conn.execute(text(sql)).scalar_one() for name, sql in queries.items()}
    engine.dispose()
    return found


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=None)
    p.add_argument("--child", nargs=4, help=__import__("argparse").SUPPRESS)
    args = p.parse_args(argv)
    sys.path.insert(0, str(ROOT / "tests"))
    if args.child:
        url, tmp, index, seconds = args.child
        print(json.dumps(station(url, Path(tmp), int(index), float(seconds))))
        return 0
    results = Results("four workstations on PostgreSQL", args)
    results.header()
    server = pg_server_url()
    if not server:
        results.note(
            "SKIPPED: no PostgreSQL server answers (set COUNTER_TEST_PG_URL or run scripts/start-postgres.sh)"
        )
        return results.finish()
    seconds = args.seconds or (5.0 if args.quick else 60.0)
    from dbtesting import drop_pg_database
    from sqlalchemy import make_url

    with scratch("concurrent") as tmp:
        url = prepare(tmp, server)
        try:
            alone = run_stations(url, tmp, [0], seconds)[0]
            together = run_stations(url, tmp, [0, 1, 2, 3], seconds)
            rate_alone = alone["sold"] / seconds
            rate = sum(r["sold"] for r in together) / seconds
            results.add("top-ups per second, 4 workstations at once", rate, "/s", rate_alone,
                        "1 workstation alone, same window")  # fmt: skip
            results.note(f"sales per workstation in {seconds:.0f} s: {[r['sold'] for r in together]}; alone "
                         f"{alone['sold']}; 2 cores for 4 workstation processes and the server")  # fmt: skip
            for name, value in duplicates(url).items():
                results.count(name, value, must_be=0)
        finally:
            drop_pg_database(server, make_url(url).database)
    return results.finish()


if __name__ == "__main__":
    raise SystemExit(main())
