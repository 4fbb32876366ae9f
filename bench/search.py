"""Benchmark 2: account search on 50,000 accounts, per keystroke.

    .venv/bin/python -m bench.search [--quick]

A cashier types a room code one character at a time ("3", "37", "37-", "37-1", "37-12" …) or a holder's
name; the account page searches on every keystroke. Measured through the facade:
- `find_account(room_code=…)` (the exact lookup when the code is complete);
- `search_accounts(text)` on every prefix of a room code and of a holder name.
Floors, same run, same file: the bare indexed query (room code equality on the unique index) via
sqlite3, and the bare substring query `search_accounts` issues (LIKE '%…%' cannot use an index).
"""

from __future__ import annotations

import random
import sqlite3

from bench.common import Results, ms, parser, pct, samples, scratch, timed


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    results = Results("account search", args)
    results.header()
    n = 5_000 if args.quick else 50_000
    with scratch("search") as tmp:
        from opstesting import make_world

        from bench.population import add_accounts

        world = make_world(tmp)
        codes = add_accounts(world.counter.engine, n)
        results.count("accounts", n + 4)
        s = world.login("zhang")
        rng = random.Random(3)
        picks = [rng.choice(codes) for _ in range(20 if args.quick else 200)]
        db = sqlite3.connect(tmp / "counter.db")
        campus_id = db.execute("SELECT id FROM campuses WHERE code = 'main'").fetchone()[0]

        def bare_exact(code: str) -> None:
            db.execute("SELECT a.* FROM accounts a JOIN rooms r ON r.id = a.room_id WHERE r.campus_id = ? "
                       "AND r.room_code = ? AND a.status <> 'closed'", (campus_id, code)).fetchall()  # fmt: skip

        def bare_like(text: str) -> None:
            like = f"%{text}%"
            db.execute("SELECT a.*, r.room_code FROM accounts a JOIN rooms r ON r.id = a.room_id "
                       "WHERE r.campus_id = ? AND (a.holder LIKE ? OR a.meter_no LIKE ? OR a.account_no LIKE ? "
                       "OR r.room_code LIKE ?) ORDER BY a.id LIMIT 200",
                       (campus_id, like, like, like, like)).fetchall()  # fmt: skip

        for code in picks[:3]:  # warm the page cache for both
            s.find_account(room_code=code)
            bare_exact(code)
        find = [timed(lambda c=c: s.find_account(room_code=c)) for c in picks]
        floor = [timed(lambda c=c: bare_exact(c)) for c in picks]
        results.add("find_account(room_code) p95", ms(pct(find, 95)), "ms", ms(pct(floor, 95)),
                    "bare indexed query p95")  # fmt: skip
        results.add("find_account(room_code) p50", ms(pct(find, 50)), "ms", ms(pct(floor, 50)),
                    "bare indexed query p50")  # fmt: skip
        if hasattr(s, "search_accounts"):
            _search(results, s, db, picks, bare_exact, bare_like, args.quick)
        else:
            results.note("search_accounts is not on the facade yet: not measured")
        db.close()
        world.close()
    return results.finish()


def _search(results, s, db, picks, bare_exact, bare_like, quick: bool) -> None:
    keystrokes = [code[:i] for code in picks[: 10 if quick else 60] for i in range(1, len(code) + 1)]
    holders = [r[0] for r in db.execute("SELECT holder FROM accounts WHERE holder IS NOT NULL LIMIT 40")]
    keystrokes += [h[:i] for h in holders[: 5 if quick else 40] for i in range(1, len(h) + 1)]
    for text in keystrokes[:5]:
        s.search_accounts(text)
    facade = [timed(lambda t=t: s.search_accounts(t)) for t in keystrokes]
    like = [timed(lambda t=t: bare_like(t)) for t in keystrokes]
    exact = [timed(lambda c=c: bare_exact(c)) for c in picks[: len(keystrokes)]]
    results.add(f"search_accounts per keystroke p95 ({len(keystrokes)} keystrokes)", ms(pct(facade, 95)), "ms",
                ms(pct(exact, 95)), "bare indexed query p95")  # fmt: skip
    results.add("search_accounts per keystroke p95", ms(pct(facade, 95)), "ms", ms(pct(like, 95)),
                "bare LIKE query p95 (same SQL, no ORM)")  # fmt: skip
    results.add("search_accounts per keystroke p50", ms(pct(facade, 50)), "ms", ms(pct(like, 50)),
                "bare LIKE query p50")  # fmt: skip
    one_char = [t for t in keystrokes if len(t) == 1]
    results.add("search_accounts, first keystroke p95 (most hits)",
                ms(pct([timed(lambda t=t: s.search_accounts(t)) for t in one_char], 95)), "ms",
                ms(pct(samples(lambda: bare_like(one_char[0]), 10), 95)), "bare LIKE query p95")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
