"""Reliability 9: device faults in the middle of a top-up, through the facade with the simulators.

    .venv/bin/python -m bench.reliability.device_faults [--quick] [--repeat 100]

1. Torn card writes: the card pulled after n bytes of the purchase write, for every n from 0 to
   the slot size (64), three times over.
2. The reader's port closed mid-write: the line drops after a random number of reader answers
   within the sale, `--repeat` times.
3. Printer paper out, cover open and offline mid-receipt: the fault comes after a random number of
   bytes of the receipt, `--repeat` times each; then the fault is cleared and the queue drained.
After each fault: the card is put back and read (settles its open intents), the invariants are
counted as in bench.reliability.crash_sweep (card/ledger mismatch, double load, lost sale, open
intent, receipt gap). At the end every committed sale must have its documents printed exactly as
a fault-free sale has them (lost receipt: fewer; unmarked duplicate: more without 补打), and no
single operation may take longer than 30 s (hang).
"""

from __future__ import annotations

import random
import time
from collections import Counter

from bench.common import Results, parser, scratch

SLOT_SIZE = 64
HANG_S = 30.0
ACCOUNTS = {"D-5-308": "M5308", "D-5-309": "M5309", "S-12-101": "M12101", "B-1-001": "M1001"}
COUNTS = ("mismatch", "double_load", "lost_sale", "open_intent", "receipt_gap", "hangs", "unexpected_errors")


class Bench:
    def __init__(self, world) -> None:
        self.world, self.sim = world, world.sim
        self.s = world.login("zhang")
        self.s.open_shift(float_fen=0)
        self.cards = {no: world.issue_card(no, self.s) for no in ACCOUNTS}
        self.counts = dict.fromkeys(COUNTS, 0)
        self.errors: Counter[str] = Counter()
        self.rng = random.Random(9)

    def timed(self, fn) -> object:
        start = time.perf_counter()
        try:
            return fn()
        finally:
            self.counts["hangs"] += time.perf_counter() - start > HANG_S

    def sale(self, account_no: str, *, expect_fault: bool) -> None:
        self.sim.present_card(self.cards[account_no])
        try:
            self.timed(lambda: self.s.top_up(account_no=account_no, amount_fen=1_000, tendered_fen=1_000))
        except Exception as error:
            code = getattr(error, "code", None)
            self.errors[code or type(error).__name__] += 1
            if code is None or not expect_fault:
                self.counts["unexpected_errors"] += 1

    def settle_and_check(self) -> None:
        """Every card back on the reader and read; the invariants counted; cards into meters."""
        from bench.reliability.crash_sweep import count_invariants

        for serial in self.cards.values():
            self.sim.present_card(serial)
            self.timed(self.s.read_card)
        count_invariants(self.world, self.s, self.cards, ACCOUNTS, self.counts)

    # --- 1. torn card writes --------------------------------------------------------------------
    def torn_writes(self, repetitions: int, offsets: range) -> int:
        done = 0
        for _ in range(repetitions):
            for n in offsets:
                account_no = self.rng.choice(list(ACCOUNTS))
                self.sim.present_card(self.cards[account_no])
                self.sim.pull_card_at_byte(n)
                self.sale(account_no, expect_fault=True)
                with self.sim.lock:  # disarmed if the sale stopped before writing
                    self.sim.reader.pull_at_byte = None
                self.settle_and_check()
                done += 1
        return done

    # --- 2. reader port closed ---------------------------------------------------------------------
    def answers_per_sale(self) -> int:
        """How many answers the reader sends in one fault-free sale (the window for a port drop)."""
        line, inner, seen = self.sim.reader_line, type(self.sim.reader_line).shape, [0]

        def shape(out: bytes, _line=line):
            seen[0] += 1
            return inner(_line, out)

        line.shape = shape
        try:
            self.sale("D-5-309", expect_fault=False)
        finally:
            del line.shape
        self.settle_and_check()
        return seen[0]

    def port_closed(self, times: int) -> int:
        line = self.sim.reader_line
        window = self.answers_per_sale()
        for _ in range(times):
            account_no = self.rng.choice(list(ACCOUNTS))
            after = self.rng.randint(1, window)
            inner = type(line).shape
            state = {"left": after}

            def shape(out: bytes, _line=line, _state=state, _inner=inner):
                _state["left"] -= 1
                if _state["left"] == 0:
                    return None  # close the port instead of this answer
                return _inner(_line, out)

            line.shape = shape
            try:
                self.sale(account_no, expect_fault=True)
            finally:
                del line.shape
            self.settle_and_check()
        return times

    # --- 3. printer faults mid-receipt -------------------------------------------------------------
    def printer_faults(self, fault: str, times: int) -> int:
        printer = self.sim.printer_device
        inner = type(printer).receive
        for _ in range(times):
            account_no = self.rng.choice(list(ACCOUNTS))
            state = {"left": self.rng.randint(1, 3_000)}

            def receive(data: bytes, _state=state, _printer=printer):
                if _state["left"] > 0 and any(b >= 0x20 for b in data):  # receipt bytes, not a status query
                    _state["left"] -= len(data)
                    if _state["left"] <= 0:
                        self.sim.printer(**{fault: True})
                return inner(_printer, data)

            printer.receive = receive
            try:
                self.sale(account_no, expect_fault=False)  # a printer fault never fails the sale
            finally:
                del printer.receive
                self.sim.printer()
            self.settle_and_check()
        self.drain()
        return times

    def drain(self) -> None:
        from counter_app.printing import drain_quietly

        self.timed(lambda: drain_quietly(self.s.ctx))

    def receipts_check(self, results: Results, per_sale: int) -> None:
        from sqlalchemy import select

        from db.models import LedgerEntry, Receipt
        from db.session import unit_of_work

        self.drain()
        with unit_of_work(self.world.counter.engine, read_only=True) as db:
            sold = list(db.scalars(select(Receipt.receipt_no).join(LedgerEntry, LedgerEntry.receipt_id == Receipt.id)
                                   .where(LedgerEntry.kind == "sale")))  # fmt: skip
        printed = self.sim.printed()
        lost = duplicated = 0
        for receipt_no in sold:
            texts = [t for t in printed if receipt_no in t]
            clean = [t for t in texts if "补打" not in t]
            lost += len(clean) < per_sale
            duplicated += len(clean) > per_sale
        results.count("sales committed", len(sold))
        results.count("lost receipts (sales without all their documents)", lost, must_be=0)
        results.count("unmarked duplicate receipts", duplicated, must_be=0)
        results.count(
            "receipts spoiled on the printer by the faults (reprinted whole)", printer_lost(self.sim)
        )


def printer_lost(sim) -> int:
    return sim.printer_device.lost_receipts


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=None)
    args = p.parse_args(argv)
    repeat = args.repeat or (3 if args.quick else 100)
    import logging

    logging.getLogger("counter_app.printing").setLevel(logging.ERROR)  # each deferral is expected here
    results = Results("device faults", args)
    results.header()
    with scratch("faults") as tmp:
        from opstesting import make_world

        world = make_world(tmp)
        bench = Bench(world)
        before = len(world.sim.printed())
        bench.sale("D-5-308", expect_fault=False)
        per_sale = len(world.sim.printed()) - before  # what one fault-free sale prints
        bench.settle_and_check()
        offsets = range(0, SLOT_SIZE + 1, 16) if args.quick else range(0, SLOT_SIZE + 1)
        results.count(
            "torn card writes (every offset × 3)", bench.torn_writes(1 if args.quick else 3, offsets)
        )
        results.count("reader port closed mid-write", bench.port_closed(repeat))
        for fault in ("paper_out", "cover_open", "offline"):
            results.count(
                f"printer {fault.replace('_', ' ')} mid-receipt", bench.printer_faults(fault, repeat)
            )
        bench.receipts_check(results, per_sale)
        results.note(f"refusals seen: {dict(bench.errors)}")
        for key in COUNTS:
            results.count(key.replace("_", " "), bench.counts[key], must_be=0)
        world.close()
    return results.finish()


if __name__ == "__main__":
    raise SystemExit(main())
