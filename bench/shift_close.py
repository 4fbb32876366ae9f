"""Benchmark 3a (shift close with 2,000 sales to PDF) and 4b (resident memory after 1,000 sales).

    .venv/bin/python -m bench.shift_close [--quick]

2,000 real top-ups through the facade with simulated devices at zero line delay (100 in --quick),
resident memory sampled before, after 1,000 and after 2,000 sales (growth between the two
halves would be a leak: every sale is the same work; the in-process printer simulator's log of
decoded receipts is emptied after each sale, so it is the counter's memory that is measured). Then `close_shift` — the blind count, the
Z report, the settlement sheet and its PDF. Floor, same run: the bare SQL aggregate of that
shift's ledger (one GROUP BY through sqlite3).
"""

from __future__ import annotations

import gc
import sqlite3
import time

from bench.common import Results, ms, parser, rss_mib, scratch, timed

AMOUNT = 1_000
ACCOUNTS = (("D-5-308", "M5308"), ("D-5-309", "M5309"), ("S-12-101", "M12101"), ("B-1-001", "M1001"))


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    results = Results("shift close and memory", args)
    results.header()
    n = 20 if args.quick else 2_000
    with scratch("shiftclose") as tmp:
        from opstesting import make_world

        world = make_world(tmp)
        s = world.login("zhang")
        s.open_shift(float_fen=0)
        cards = {no: world.issue_card(no, s) for no, _ in ACCOUNTS}
        printed = len(world.sim.printer_device.receipts)
        world.sim.printer_device.receipts.clear()
        rss = {0: rss_mib()}
        at = {0: time.perf_counter()}
        started = at[0]
        for i in range(1, n + 1):
            account_no, meter = ACCOUNTS[i % len(ACCOUNTS)]
            world.sim.present_card(cards[account_no])
            s.top_up(account_no=account_no, amount_fen=AMOUNT, tendered_fen=AMOUNT)
            world.sim.insert_into_meter(cards[account_no])
            world.sim.consume(meter, 1_500)
            # The simulated printer runs in this process and keeps every receipt it decoded: count
            # them and let them go, so the memory measured is the counter's, not the simulator's.
            printed += len(world.sim.printer_device.receipts)
            world.sim.printer_device.receipts.clear()
            if i in (n // 2, n):
                at[i] = time.perf_counter()
                gc.collect()
                rss[i] = rss_mib()
        selling = time.perf_counter() - started
        results.add(f"{n} sales, mean time per sale (zero line delay)", ms(selling / n), "ms")
        half = n // 2
        first, second = (at[half] - at[0]) / half, (at[n] - at[half]) / (n - half)
        results.add(f"mean time per sale, sales {half + 1}–{n}", ms(second), "ms", ms(first),
                    f"mean time per sale, sales 1–{half}")  # fmt: skip
        for done, value in rss.items():
            results.add(f"resident memory after {done} sales", value, "MiB")
        results.add(f"memory growth, sales {half + 1}–{n}", rss[n] - rss[half], "MiB",
                    max(rss[half] - rss[0], 0.001), f"growth over sales 1–{half}")  # fmt: skip
        results.count("documents printed (receipt and slip, two copies each)", printed)
        total = n * AMOUNT
        counted = {10_000: total // 10_000, 1_000: (total % 10_000) // 1_000}
        close = timed(lambda: _close(s, counted, results))
        db = sqlite3.connect(tmp / "counter.db")
        shift_id = db.execute("SELECT max(id) FROM shifts").fetchone()[0]
        floor = timed(lambda: db.execute(
            "SELECT kind, charge, tender, count(*), sum(fen), sum(energy_ckwh), sum(free_ckwh) "
            "FROM ledger_entries WHERE shift_id = ? GROUP BY kind, charge, tender", (shift_id,)).fetchall())  # fmt: skip
        db.close()
        results.add(f"close_shift with {n} sales, to PDF", ms(close), "ms", ms(floor), "bare SQL aggregate")
        world.close()
    return results.finish()


def _close(s, counted, results: Results) -> None:
    info = s.close_shift(counted=counted)
    if info.difference_fen != 0 or not info.pdf_path:
        results.failures.append(f"close_shift: difference {info.difference_fen}, pdf {info.pdf_path}")


if __name__ == "__main__":
    raise SystemExit(main())
