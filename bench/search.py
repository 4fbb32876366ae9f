"""Benchmark 2: account search on 50,000 accounts, per keystroke.

    .venv/bin/python -m bench.search [--quick]

A cashier types a room code one character at a time ("3", "37", "37-", "37-1", "37-12" …) or a holder's
name; the account page searches on every keystroke. Measured through the facade:
- `find_account(room_code=…)` (the exact lookup when the code is complete);
- `search_accounts(text)` on every prefix of a room code and of a holder name.
Floors, same run, same file: the bare indexed query (room code equality on the unique index) via
sqlite3; the bare prefix queries `search_accounts` issues (one index range per column, plus the
holder substring scan when a name finds fewer than 50); and, for comparison, the substring query
it issued before (LIKE '%…%' on four columns, which no index can serve).
"""

from __future__ import annotations

import random
import sqlite3

from bench.common import Results, ms, parser, pct, scratch, timed


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    results = Results("account search", args)
    results.header()
    n = 5_000 if args.quick else 50_000
    with scratch("search") as tmp:
        from opstesting import make_world

        from bench.population import add_accounts

        world = make_world(tmp)
        codes = add_accounts(world.counter.engine, n, keys=world.counter.keys)
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

        def bare_prefix(text: str) -> None:
            columns = ("r.room_code", "a.account_no", "a.meter_no", "a.holder")
            found = 0
            for column, prefixes in zip(columns, ({text, text.upper()},) * 3 + ({text},), strict=True):
                for prefix in prefixes:
                    campus = "r.campus_id = ?" if column == "r.room_code" else "r.campus_id + 0 = ?"
                    found += len(db.execute(
                        f"SELECT a.id, a.account_no, r.room_code, a.cls, a.status, a.holder, a.meter_no, "
                        f"a.card_serial FROM accounts a JOIN rooms r ON r.id = a.room_id WHERE {campus} "
                        f"AND {column} >= ? AND {column} < ? ORDER BY {column} LIMIT 50",
                        (campus_id, prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1))).fetchall())  # fmt: skip
            if found < 50 and len(text) >= 2 and not any(c.isdigit() for c in text):
                db.execute("SELECT a.id, r.room_code FROM accounts a JOIN rooms r ON r.id = a.room_id "
                           "WHERE r.campus_id = ? AND a.id IN (SELECT id FROM accounts WHERE holder >= '' "
                           "AND lower(holder) LIKE lower(?)) ORDER BY a.id LIMIT 100",
                           (campus_id, f"%{text}%")).fetchall()  # fmt: skip

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
            _search(results, s, db, picks, bare_exact, bare_like, bare_prefix, args.quick)
        else:
            results.note("search_accounts is not on the facade yet: not measured")
        db.close()
        world.close()
    return results.finish()


def _search(results, s, db, picks, bare_exact, bare_like, bare_prefix, quick: bool) -> None:
    keystrokes = [code[:i] for code in picks[: 10 if quick else 60] for i in range(1, len(code) + 1)]
    holders = [r[0] for r in db.execute("SELECT holder FROM accounts WHERE holder IS NOT NULL LIMIT 40")]
    keystrokes += [h[:i] for h in holders[: 5 if quick else 40] for i in range(1, len(h) + 1)]
    for text in keystrokes[:5]:
        s.search_accounts(text)
    facade = [timed(lambda t=t: s.search_accounts(t)) for t in keystrokes]
    prefix = [timed(lambda t=t: bare_prefix(t)) for t in keystrokes]
    like = [timed(lambda t=t: bare_like(t)) for t in keystrokes]
    exact = [timed(lambda c=c: bare_exact(c)) for c in picks[: len(keystrokes)]]
    results.add(f"search_accounts per keystroke p95 ({len(keystrokes)} keystrokes)", ms(pct(facade, 95)), "ms",
                ms(pct(exact, 95)), "bare indexed query p95")  # fmt: skip
    results.add("search_accounts per keystroke p95", ms(pct(facade, 95)), "ms", ms(pct(prefix, 95)),
                "bare prefix queries p95 (same SQL, no ORM)")  # fmt: skip
    results.add("search_accounts per keystroke p50", ms(pct(facade, 50)), "ms", ms(pct(prefix, 50)),
                "bare prefix queries p50")  # fmt: skip
    results.add("search_accounts per keystroke p95", ms(pct(facade, 95)), "ms", ms(pct(like, 95)),
                "bare substring query of before p95")  # fmt: skip
    results.add("search_accounts per keystroke p50", ms(pct(facade, 50)), "ms", ms(pct(like, 50)),
                "bare substring query of before p50")  # fmt: skip
    names = [t for t in keystrokes if len(t) >= 2 and not any(c.isdigit() for c in t)]
    results.add(f"search_accounts, names of 2+ characters p95 ({len(names)}, may scan holders)",
                ms(pct([timed(lambda t=t: s.search_accounts(t)) for t in names], 95)), "ms",
                ms(pct([timed(lambda t=t: bare_prefix(t)) for t in names], 95)), "bare prefix queries p95")  # fmt: skip
    one_char = [t for t in keystrokes if len(t) == 1]
    results.add("search_accounts, first keystroke p95 (most hits)",
                ms(pct([timed(lambda t=t: s.search_accounts(t)) for t in one_char], 95)), "ms",
                ms(pct([timed(lambda t=t: bare_prefix(t)) for t in one_char], 95)), "bare prefix queries p95")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
