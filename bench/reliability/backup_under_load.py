"""Reliability 14: backups taken while 100 sales run restore to databases that verify.

    .venv/bin/python -m bench.reliability.backup_under_load [--quick] [--sales 100] [--backups 5]

A child process sells `--sales` top-ups on a SQLite counter (four cards, each loaded into its meter
after its sale) while this process runs `counter-admin backup create` (the SQLite online backup of
counter_app/admin/backup.py) `--backups` times, spread over the run. Each backup is then checked
with `backup verify`, restored into a fresh database with `backup restore`, and the restored
database is checked with `audit verify` and for receipt numbers without gaps. Counted, must be 0:
backups that fail to verify, restores that fail, restored databases whose audit chain does not
verify or whose receipts have a gap. Sales caught mid-write in a backup show as open intents
there (recovery settles them when that counter starts again): reported, not failures.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.common import ROOT, Results, parser, scratch

ACCOUNTS = {"D-5-308": "M5308", "D-5-309": "M5309", "S-12-101": "M12101", "B-1-001": "M1001"}


def seller(world_dir: Path, sales: int) -> None:
    """In the child: sell `sales` top-ups, writing the count done to progress.txt after each."""
    from opstesting import existing_world

    cards = json.loads((world_dir / "cards.json").read_text())
    world = existing_world(world_dir)
    s = world.login("zhang")
    for i in range(sales):
        account_no = list(cards)[i % len(cards)]
        world.sim.present_card(cards[account_no])
        s.top_up(account_no=account_no, amount_fen=1_000, tendered_fen=1_000)
        world.sim.insert_into_meter(cards[account_no])
        world.sim.consume(ACCOUNTS[account_no], 1_500)
        (world_dir / "progress.txt").write_text(str(i + 1))
    world.close()


def sales_done(world_dir: Path) -> int:
    try:
        return int((world_dir / "progress.txt").read_text() or 0)
    except (OSError, ValueError):
        return 0


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--sales", type=int, default=None)
    p.add_argument("--backups", type=int, default=None)
    p.add_argument("--seller", help=__import__("argparse").SUPPRESS)
    args = p.parse_args(argv)
    sales = args.sales or (12 if args.quick else 100)
    if args.seller:
        seller(Path(args.seller), sales)
        return 0
    n_backups = args.backups or (2 if args.quick else 5)
    results = Results("backup under load", args)
    results.header()
    sys.path.insert(0, str(ROOT / "tests"))
    from cli.admincli import AdminDb
    from opstesting import make_world

    counts = dict.fromkeys(("verify_failed", "restore_failed", "audit_failed", "receipt_gap"), 0)
    open_intents = []
    with scratch("backup") as tmp:
        world_dir = tmp / "live"
        world = make_world(world_dir)
        s = world.login("zhang")
        s.open_shift(float_fen=0)
        cards = {no: world.issue_card(no, s) for no in ACCOUNTS}
        (world_dir / "cards.json").write_text(json.dumps(cards))
        live = AdminDb(world.db_url, world.keystore, world_dir)
        world.close()
        child = subprocess.Popen([sys.executable, "-m", "bench.reliability.backup_under_load", "--seller",
                                  str(world_dir), "--sales", str(sales)], cwd=ROOT, stderr=subprocess.PIPE, text=True)  # fmt: skip
        targets = [round(sales * (i + 1) / (n_backups + 1)) for i in range(n_backups)]
        made = []
        for i, target in enumerate(targets):
            while sales_done(world_dir) < target and child.poll() is None:
                time.sleep(0.05)
            out = tmp / f"backup{i}.db"
            run = live.run("backup", "create", "--out", str(out), as_="admin")
            if run.code != 0:
                results.failures.append(f"backup create failed: {run.stderr[-500:]}")
                continue
            made.append((out, sales_done(world_dir)))
        _, stderr = child.communicate(timeout=1800)
        if child.returncode != 0:
            results.failures.append(f"the selling child failed: {stderr[-1500:]}")
        for i, (backup, during) in enumerate(made):
            counts_for = _check_backup(AdminDb, tmp, i, backup, world.keystore, counts)
            open_intents.append((during, counts_for))
    results.count("sales sold while backing up", sales)
    results.count("backups taken during the sales", len(made), must_be=n_backups)
    results.note("backups (sales done when taken → open intents in the backup): "
                 + ", ".join(f"{d} → {o}" for d, o in open_intents))  # fmt: skip
    for key, value in counts.items():
        results.count(key.replace("_", " "), value, must_be=0)
    return results.finish()


def _check_backup(AdminDb, tmp: Path, i: int, backup: Path, keystore: str, counts: dict[str, int]) -> int:
    from db.engine import sqlite_url_for

    restored = AdminDb(sqlite_url_for(tmp / f"restored{i}" / "counter.db"), keystore, tmp / f"restored{i}")
    if restored.raw(["backup", "verify", str(backup)]).code != 0:
        counts["verify_failed"] += 1
    if restored.run("backup", "restore", str(backup), as_="admin", approver="zhao").code != 0:  # co-signed
        counts["restore_failed"] += 1
        return -1
    counts["audit_failed"] += restored.run("audit", "verify", as_="admin").code != 0
    conn = sqlite3.connect(tmp / f"restored{i}" / "counter.db")
    seqs = [r[0] for r in conn.execute("SELECT seq FROM receipts WHERE series = 'main' ORDER BY seq")]
    intents = conn.execute("SELECT count(*) FROM card_write_intents i WHERE NOT EXISTS (SELECT 1 FROM intent_events e "
                           "WHERE e.intent_id = i.intent_id AND e.state IN ('committed', 'aborted', 'suspense'))"
                           ).fetchone()[0]  # fmt: skip
    conn.close()
    counts["receipt_gap"] += seqs != list(range(1, len(seqs) + 1))
    return intents


if __name__ == "__main__":
    raise SystemExit(main())
