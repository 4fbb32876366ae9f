"""Reliability 13: the PC's clock set back during a shift, again and again.

    .venv/bin/python -m bench.reliability.clock_back [--quick] [--trials 50]

Each trial on one open shift: a sale; the clock set back by a random 1 minute – 3 hours; two sales
(their times are earlier than the latest already written: they must be flagged); the clock put
right past the latest time; one more sale (on time again: must not be flagged). Flags are the
clock marks of counter_app/clock_watch.py (the supervisor's morning list). Counted, must be 0:
receipt numbers out of order or with gaps, audit sequence out of order, an audit chain that does
not verify, an affected sale or receipt not flagged, an on-time sale or receipt flagged.
If the flagging is not in the core, the script says so instead of counting.
"""

from __future__ import annotations

import random
from datetime import timedelta

from bench.common import Results, parser, scratch


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--trials", type=int, default=None)
    args = p.parse_args(argv)
    trials = args.trials or (2 if args.quick else 50)
    results = Results("clock set back", args)
    results.header()
    try:
        from counter_app.clock_watch import clock_back_marks
    except ImportError:
        results.note(
            "FINDING: counter_app.clock_watch (flagging writes out of time order) is not in the core"
        )
        return results.finish()
    from opstesting import START, make_world
    from sqlalchemy import select

    from counter_app import audit
    from db.models import LedgerEntry, Receipt
    from db.session import unit_of_work

    rng = random.Random(13)
    with scratch("clockback") as tmp:
        world = make_world(tmp)
        s = world.login("zhang")
        s.open_shift(float_fen=0)
        serial = world.issue_card("D-5-308", s)
        expect_flagged, expect_clean = set(), set()
        latest = world.clock()

        def sale():
            world.sim.present_card(serial)
            result = s.top_up(account_no="D-5-308", amount_fen=1_000, tendered_fen=1_000)
            world.sim.insert_into_meter(serial)
            world.sim.consume("M5308", 1_500)
            return result.receipt_no

        for _ in range(trials):
            world.clock.advance(minutes=1)
            expect_clean.add(sale())
            latest = world.clock()
            world.clock.advance(minutes=-rng.randint(1, 180))
            expect_flagged.add(sale())
            world.clock.advance(seconds=30)
            (expect_flagged if world.clock() < latest else expect_clean).add(sale())
            world.clock.set(latest + timedelta(minutes=1))
            expect_clean.add(sale())
        with unit_of_work(world.counter.engine, read_only=True) as db:
            receipts = {r.id: r for r in db.scalars(select(Receipt).order_by(Receipt.id))}
            by_no = {r.receipt_no: r.id for r in receipts.values()}
            sales = {
                e.receipt_id: e.id for e in db.scalars(select(LedgerEntry).where(LedgerEntry.kind == "sale"))
            }
            seqs = [r.seq for r in receipts.values() if r.series == "main"]
            marks = clock_back_marks(db, START - timedelta(days=1))
            flagged_receipts = {m.subject_id for m in marks if m.what == "receipt"}
            flagged_entries = {m.subject_id for m in marks if m.what == "ledger_entry"}
            audit_seqs = list(db.scalars(select(audit.AuditEntry.sequence).order_by(audit.AuditEntry.id)))
        ctx = world.counter.context()
        with ctx.reading() as db:
            verified = audit.verify(db)
        world.close()

    results.count("clock set-backs", trials)
    results.count("sales written while the clock was behind", len(expect_flagged))
    results.count(
        "receipt numbers out of order or with a gap", int(seqs != list(range(1, len(seqs) + 1))), must_be=0
    )
    results.count("audit sequence out of insertion order", int(audit_seqs != sorted(audit_seqs)), must_be=0)
    results.count("audit chain does not verify", int(not verified.ok), must_be=0)
    results.count("affected receipts not flagged", sum(by_no[n] not in flagged_receipts for n in expect_flagged),
                  must_be=0)  # fmt: skip
    results.count("affected sales not flagged", sum(sales[by_no[n]] not in flagged_entries for n in expect_flagged),
                  must_be=0)  # fmt: skip
    results.count(
        "on-time receipts flagged", sum(by_no[n] in flagged_receipts for n in expect_clean), must_be=0
    )
    results.count(
        "on-time sales flagged", sum(sales[by_no[n]] in flagged_entries for n in expect_clean), must_be=0
    )
    results.count("clock marks written", len(marks))
    return results.finish()


if __name__ == "__main__":
    raise SystemExit(main())
