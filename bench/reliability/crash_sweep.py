"""Reliability 8: the crash-point sweep, long form, and random-moment kills of a mixed workload.

    .venv/bin/python -m bench.reliability.crash_sweep [--quick] [--kills 100] [--random 200] [--jobs 2]

Part 1 — SIGKILL at each named point of a top-up (base.crashpoints.TOP_UP_POINTS), `--kills`
times per point, through tests/ops/crash_worker.py (the worker of the CI sweep). Part 2 — a worker
runs a mixed workload (top-ups on four accounts, card reads, quotes, searches, cards into meters)
and is killed at a random moment (`--window`, 2–9 s after its start), `--random` times. After
every kill: restart, recovery, every account's card read (settles its open intents), then the
invariants are COUNTED, not asserted:
- mismatch: the card's purchase counter ≠ the account's ≠ the number of its sales;
- double load / lost sale: the meter loaded more / less energy than the ledger sold;
- open intent after recovery; receipt number gap; unprinted receipt after a print-point kill.
All must be 0. Points run in parallel child processes (`--jobs`), one world each.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import ROOT, Results, parser, scratch

WORKER = ROOT / "tests" / "ops" / "crash_worker.py"
AMOUNT = 3_000
ACCOUNTS = {"D-5-308": "M5308", "D-5-309": "M5309", "S-12-101": "M12101", "B-1-001": "M1001"}
COUNTS = ("mismatch", "double_load", "lost_sale", "open_intent", "receipt_gap", "unprinted", "not_killed")


def prepare(world_dir: Path, accounts=ACCOUNTS) -> dict[str, str]:
    from opstesting import make_world

    world = make_world(world_dir)
    s = world.login("zhang")
    s.open_shift(float_fen=0)
    cards = {no: world.issue_card(no, s) for no in accounts}
    world.close()
    (world_dir / "cards.json").write_text(json.dumps(cards))
    return cards


def check(world_dir: Path, cards: dict[str, str], counts: dict[str, int], *, printing: bool = False) -> None:
    """Restart, recover, read every card, count broken invariants into `counts`."""
    from opstesting import existing_world

    world = existing_world(world_dir)
    try:
        s = world.login("zhang")
        for serial in cards.values():
            world.sim.present_card(serial)
            s.read_card()  # settles this card's open intents
        world.counter.recover()
        count_invariants(world, s, cards, ACCOUNTS, counts)
        if printing and s.open_intents() == [] and _sale_count(world):
            counts["unprinted"] += not any("购电凭条" in text for text in world.sim.printed())
    finally:
        world.close()


def count_invariants(world, s, cards: dict[str, str], meters: dict[str, str], counts: dict[str, int]) -> None:
    """On an open world whose cards were just read: card = account = sales, meter = energy sold,
    no open intent, no receipt gap. Puts every card into its meter (the check loads it)."""
    from sqlalchemy import func, select

    from db.models import Account, LedgerEntry, Receipt
    from db.session import unit_of_work

    counts["open_intent"] += len(s.open_intents())
    readings = {}
    for account_no, serial in cards.items():
        world.sim.present_card(serial)
        readings[account_no] = s.read_card()
    with unit_of_work(world.counter.engine, read_only=True) as db:
        seqs = sorted(db.scalars(select(Receipt.seq).where(Receipt.series == _main_series())))
        sold = {}
        for account_no in cards:
            account_id, counter = db.execute(select(Account.id, Account.purchase_counter)
                                             .where(Account.account_no == account_no)).one()  # fmt: skip
            energy, sales = db.execute(select(func.coalesce(func.sum(LedgerEntry.energy_ckwh), 0), func.count())
                                       .where(LedgerEntry.account_id == account_id,
                                              LedgerEntry.kind == "sale")).one()  # fmt: skip
            sold[account_no] = energy
            counts["mismatch"] += not (readings[account_no].purchase_counter == counter == sales)
    counts["receipt_gap"] += seqs != list(range(1, len(seqs) + 1))
    for account_no, serial in cards.items():
        world.sim.insert_into_meter(serial)
        meter = world.sim.meter_state(meters[account_no])
        loaded = meter.remaining_ckwh + meter.consumed_ckwh
        counts["double_load"] += loaded > sold[account_no]
        counts["lost_sale"] += loaded < sold[account_no]


def _main_series() -> str:
    from db.models.receipts import MAIN_SERIES

    return MAIN_SERIES


def _sale_count(world) -> int:
    from sqlalchemy import func, select

    from db.models import LedgerEntry
    from db.session import unit_of_work

    with unit_of_work(world.counter.engine, read_only=True) as db:
        return db.scalar(select(func.count()).where(LedgerEntry.kind == "sale"))


# --- part 1: named points ---------------------------------------------------------------------------


def sweep_point(point: str, kills: int) -> dict[str, int]:
    """In a child process: `kills` SIGKILLs at `point`, each followed by recovery and the checks."""
    from base.crashpoints import ENV

    counts = dict.fromkeys(COUNTS, 0)
    rng = random.Random(point)
    with scratch(f"crash-{point}") as tmp:
        cards = prepare(tmp, {"D-5-308": "M5308"})
        for _ in range(kills):
            args = [sys.executable, str(WORKER), str(tmp), cards["D-5-308"], str(AMOUNT)]
            if point == "mid_card_write":
                args.append(str(rng.randint(1, 60)))
            done = subprocess.run(args, env={**os.environ, ENV: point}, capture_output=True, timeout=120)
            counts["not_killed"] += done.returncode != -signal.SIGKILL
            check(tmp, cards, counts, printing=point in ("before_print", "mid_print"))
    return counts


# --- part 2: random moments ---------------------------------------------------------------------------


def mixed_workload(world_dir: Path) -> None:
    """In a child process: sell, read, quote, search and load meters until killed."""
    from opstesting import existing_world

    cards = json.loads((world_dir / "cards.json").read_text())
    world = existing_world(world_dir)
    s = world.login("zhang")
    rng = random.Random()
    while True:
        account_no = rng.choice(list(cards))
        serial = cards[account_no]
        world.sim.present_card(serial)
        action = rng.random()
        try:
            if action < 0.55:
                s.top_up(account_no=account_no, amount_fen=rng.choice((1_000, 2_000, 5_000)))
            elif action < 0.75:
                world.sim.insert_into_meter(serial)
                world.sim.consume(ACCOUNTS[account_no], 1_000)
            elif action < 0.85:
                s.read_card()
            elif action < 0.95:
                s.quote(account_no=account_no, amount_fen=2_000)
            else:
                s.find_account(account_no=account_no)
        except Exception as error:  # a refusal (e.g. previous not loaded) is part of the workload
            code = getattr(error, "code", None)
            if code is None:
                raise


def random_kills(n: int, seed: int, window: tuple[float, float] = (2.0, 9.0)) -> dict[str, int]:
    counts = dict.fromkeys(COUNTS, 0)
    rng = random.Random(seed)
    with scratch("crash-random") as tmp:
        cards = prepare(tmp)
        for _ in range(n):
            child = subprocess.Popen([sys.executable, "-m", "bench.reliability.crash_sweep", "--workload", str(tmp)],
                                     cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
            time.sleep(rng.uniform(*window))  # start-up takes 1–2 s; then anywhere in the workload
            if child.poll() is not None:
                counts["not_killed"] += 1
                sys.stderr.write(child.stderr.read().decode()[-2000:])
            else:
                child.send_signal(signal.SIGKILL)
            child.wait()
            check(tmp, cards, counts)
        counts["sales_committed"] = _sales(tmp)
    return counts


def _sales(world_dir: Path) -> int:
    from sqlalchemy import func, select

    from db.engine import make_engine, sqlite_url_for
    from db.models import LedgerEntry
    from db.session import unit_of_work

    engine = make_engine(sqlite_url_for(world_dir / "counter.db"))
    try:
        with unit_of_work(engine, read_only=True) as db:
            return db.scalar(select(func.count()).where(LedgerEntry.kind == "sale"))
    finally:
        engine.dispose()


def _child(argv: list[str]) -> dict[str, int]:
    out = subprocess.run([sys.executable, "-m", "bench.reliability.crash_sweep", *argv], cwd=ROOT,
                         capture_output=True, text=True, timeout=7200)  # fmt: skip
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--kills", type=int, default=None, help="kills per named point (default 100; quick 1)")
    p.add_argument("--random", type=int, default=None, help="random-moment kills (default 200; quick 1)")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument(
        "--window", default="2,9", help="random kill moment, seconds after the worker starts (2,9)"
    )
    p.add_argument("--point", help=argparse_hidden())
    p.add_argument("--part2", type=int, help=argparse_hidden())
    p.add_argument("--workload", help=argparse_hidden())
    args = p.parse_args(argv)
    if args.workload:
        mixed_workload(Path(args.workload))
        return 0
    if args.point:
        print(json.dumps(sweep_point(args.point, args.kills)))
        return 0
    if args.part2 is not None:
        print(json.dumps(random_kills(args.random, args.part2, _window(args.window))))
        return 0
    return orchestrate(args)


def _window(text: str) -> tuple[float, float]:
    low, high = (float(x) for x in text.split(","))
    return low, high


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


def orchestrate(args) -> int:
    from base.crashpoints import TOP_UP_POINTS

    kills = args.kills if args.kills is not None else (1 if args.quick else 100)
    randoms = args.random if args.random is not None else (1 if args.quick else 200)
    results = Results("crash-point sweep", args)
    results.header()
    jobs = [["--point", point, "--kills", str(kills)] for point in TOP_UP_POINTS if kills]
    shares = [randoms // args.jobs + (i < randoms % args.jobs) for i in range(args.jobs)]
    jobs += [
        ["--part2", str(i), "--random", str(share), "--window", args.window]
        for i, share in enumerate(shares)
        if share
    ]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(pool.map(_child, jobs))
    total = dict.fromkeys(COUNTS, 0)
    for job, counts in zip(jobs, outcomes, strict=True):
        label = job[1] if job[0] == "--point" else f"random moments #{job[1]}"
        results.note(f"{label}: {counts}")
        for key in COUNTS:
            total[key] += counts[key]
    results.count("SIGKILLs at named points", kills * len(TOP_UP_POINTS))
    results.count("SIGKILLs at random moments of a mixed workload", randoms)
    results.count(
        "sales committed in the killed mixed workloads", sum(c.get("sales_committed", 0) for c in outcomes)
    )
    for key in COUNTS:
        results.count(key.replace("_", " "), total[key], must_be=0)
    return results.finish()


if __name__ == "__main__":
    raise SystemExit(main())
