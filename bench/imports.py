"""Benchmark 5: importing 20,000 accounts from an XLSX file (`counter-admin accounts import`).

    .venv/bin/python -m bench.imports [--quick]

The file has the yearly import's headers (docs/imports.md) and 20,000 rooms (300 in --quick)
over two campuses, one in five a staff household with a holder. Timed end to end through the
command line's `main` (in process, passwords on stdin, the co-signature): the dry run (parse and
plan) and the real import (audited, written in chunks of one transaction each; the longest chunk
is the longest time the counters' write lock is held). Floors, same run: reading the same file with
calamine (every cell to Python, nothing checked) and bulk-inserting the same number of rooms and
accounts with Core. The old reader's time, openpyxl in read-only mode, is shown beside them.
"""

from __future__ import annotations

import random
import sys

from bench.common import ROOT, Results, parser, scratch, timed

HEADERS = ["校区", "楼栋", "单元", "房间", "类别", "床位", "本科", "研究生", "博士", "电表号", "户主", "电话"]


def write_file(path, n: int) -> None:
    from openpyxl import Workbook

    from bench.population import GIVEN, SURNAMES

    rng = random.Random(5)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("房间")
    ws.append(HEADERS)
    for i in range(n):
        campus = "东校区" if i % 2 == 0 else "西校区"
        building, room = 1 + (i // 2) // 600, (i // 2) % 600
        number = f"{1 + room // 40}{room % 40 + 1:02d}"
        if rng.random() < 0.2:
            holder = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            ws.append([campus, str(building), "", number, "教职工", "", "", "", "", f"{i + 1:08d}", holder,
                       f"138{i:08d}"])  # fmt: skip
        else:
            ws.append([campus, str(building), "", number, "学生公寓", 4, 3, 1, 0, f"{i + 1:08d}", "", ""])
    wb.save(path)


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    results = Results("accounts import", args)
    results.header()
    n = 300 if args.quick else 20_000
    sys.path.insert(0, str(ROOT / "tests"))
    from cli.admincli import AdminDb

    with scratch("imports") as tmp:
        path = tmp / "rooms.xlsx"
        write_file(path, n)
        db = AdminDb.create(tmp / "db")
        db.add_people()
        db.add_campuses()  # an import never creates a campus (issue 12 §6)
        read_floor = timed(lambda: _read_all(path))
        openpyxl_read = timed(lambda: _openpyxl_read_all(path))
        run = {}
        dry = timed(
            lambda: run.setdefault("dry", db.run("accounts", "import", str(path), "--dry-run", as_="admin"))
        )
        chunks = _timing_chunks()
        real = timed(lambda: run.setdefault("real", db.run("accounts", "import", str(path), as_="admin",
                                                           approver="li")))  # fmt: skip
        for name, r in run.items():
            if r.code != 0:
                results.failures.append(f"{name}: exit {r.code}: {r.stderr[-500:]}")
        imported = _count_accounts(db)
        results.count("accounts imported", imported, must_be=n)
        insert_floor = _bulk_floor(tmp / "floor", n)
        results.add(f"dry run ({n:,} rows: parse + plan)", dry, "s", read_floor, "calamine read of the file")
        results.add(f"import ({n:,} rows, audited, co-signed)", real, "s", read_floor + insert_floor,
                    "calamine read + Core bulk insert")  # fmt: skip
        results.add("openpyxl read-only read of the file (the reader before calamine)", openpyxl_read, "s")
        results.add("Core bulk insert of as many rooms and accounts", insert_floor, "s")
        if chunks:  # each chunk is one write transaction: the longest is the longest lock held
            results.add(f"longest of {len(chunks)} chunks (write lock held)", max(chunks), "s")
    return results.finish()


def _timing_chunks() -> list[float]:
    """Wall time of every chunk transaction of the import (counter_app/admin/accounts_import.py)."""
    import time

    from counter_app.admin import accounts_import

    times: list[float] = []
    write = accounts_import._write_chunk

    def timed_chunk(*args, **kwargs):
        start = time.perf_counter()
        try:
            return write(*args, **kwargs)
        finally:
            times.append(time.perf_counter() - start)

    accounts_import._write_chunk = timed_chunk
    return times


def _read_all(path) -> int:
    from python_calamine import CalamineWorkbook

    with CalamineWorkbook.from_path(str(path)) as workbook:
        return sum(1 for _ in workbook.get_sheet_by_index(0).iter_rows())


def _openpyxl_read_all(path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    rows = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return rows


def _count_accounts(db) -> int:
    from sqlalchemy import func, select

    from db.models import Account
    from db.session import unit_of_work

    engine = db.engine()
    try:
        with unit_of_work(engine, read_only=True) as s:
            return s.scalar(select(func.count(Account.id)))
    finally:
        engine.dispose()


def _bulk_floor(tmp, n: int) -> float:
    from opstesting import make_world

    from bench.population import add_accounts

    world = make_world(tmp)
    try:
        return timed(lambda: add_accounts(world.counter.engine, n, keys=world.counter.keys))
    finally:
        world.close()


if __name__ == "__main__":
    raise SystemExit(main())
