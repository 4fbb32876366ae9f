"""`counter-admin audit verify --head SEQ:MAC / --head-from-z SHEET_NO`: a consistent truncation
(the newest audit entries deleted together with the rows they name) passes a bare `audit verify`
and is caught only against a chain head kept elsewhere — the one printed on a Z report."""

from __future__ import annotations

import re
import sqlite3

from opstesting import make_world

from cli.admincli import AdminDb


def _printed_head(stdout: str) -> str:
    found = re.search(r"当前链头 / head: (\d+:[0-9a-f]{64})", stdout)
    assert found, stdout
    return found.group(1)


def _truncate(db_path, keep_up_to: int) -> None:
    """What someone with the database file can do: drop the entries after `keep_up_to` and every
    row they name, newest first, with no foreign keys checked (sqlite3's default)."""
    con = sqlite3.connect(db_path)
    named = con.execute(
        "SELECT subject_table, subject_id FROM audit_log WHERE sequence > ? AND subject_table IS NOT NULL "
        "ORDER BY sequence DESC",
        (keep_up_to,),
    ).fetchall()
    for table, row_id in named:
        con.execute(f'DELETE FROM "{table}" WHERE id = ?', (row_id,))
    con.execute("DELETE FROM audit_log WHERE sequence > ?", (keep_up_to,))
    con.commit()
    con.close()


def test_a_truncated_tail_passes_without_head_and_fails_with_the_earlier_head(tmp_path):
    db = AdminDb.create(tmp_path)
    db.add_people()
    first = db.run("audit", "verify", as_="admin")
    assert first.code == 0 and "未与日结单链头核对" in first.stdout
    head = _printed_head(first.stdout)  # as a Z report printed it then
    cut = int(head.split(":")[0]) - 3  # the tamperer also removes entries the Z already covered
    for cls, price in (("dorm", "5883"), ("staff", "5383")):
        r = db.run("tariff", "set", "--class", cls, "--price-e4", price, "--from", "2026-01-01",
                   "--basis", "D1", as_="admin", approver="li")  # fmt: skip
        assert r.code == 0, r.stderr
    assert db.run("audit", "verify", "--head", head, as_="admin").code == 0  # intact: later entries are fine
    _truncate(tmp_path / "counter.db", cut)

    bare = db.run("audit", "verify", as_="admin")
    assert bare.code == 0, bare.stdout  # the chain that is left is self-consistent
    checked = db.run("audit", "verify", "--head", head, as_="admin")
    assert checked.code == 1
    assert "末尾被截断" in checked.stdout or "链头不符" in checked.stdout


def test_a_changed_head_mac_is_refused(tmp_path):
    db = AdminDb.create(tmp_path)
    seq, mac = _printed_head(db.run("audit", "verify", as_="admin").stdout).split(":")
    wrong = ("0" if mac[0] != "0" else "1") + mac[1:]
    r = db.run("audit", "verify", "--head", f"{seq}:{wrong}", as_="admin")
    assert r.code == 1 and "链头不符" in r.stdout


def test_a_malformed_head_is_a_usage_error(tmp_path):
    db = AdminDb.create(tmp_path)
    for bad in ("12", "x:" + "0" * 64, "3:abc", "3:" + "g" * 64):
        r = db.run("audit", "verify", "--head", bad, as_="admin")
        assert r.code == 2, (bad, r.stderr)
        assert "--head" in r.stderr
    both = db.run("audit", "verify", "--head", "1:" + "0" * 64, "--head-from-z", "S1", as_="admin")
    assert both.code == 2


def test_head_from_a_z_report_of_this_database(tmp_path):
    world = make_world(tmp_path)
    s = world.login("zhang")
    s.open_shift(float_fen=0)
    sheet = s.close_shift(counted={10_000: 0})
    db = AdminDb(world.db_url, world.keystore, tmp_path)
    ok = db.run("audit", "verify", "--head-from-z", sheet.sheet_no, as_="admin")
    assert ok.code == 0 and "已与给定链头核对" in ok.stdout, ok.stdout
    assert db.run("audit", "verify", "--head-from-z", "NO-SUCH-SHEET", as_="admin").code == 1

    con = sqlite3.connect(tmp_path / "counter.db")
    (z_seq,) = con.execute("SELECT audit_seq FROM z_reports").fetchone()
    con.close()
    _truncate(tmp_path / "counter.db", z_seq - 1)  # the shift's close is gone, the Z row kept
    assert db.run("audit", "verify", as_="admin").code == 0
    caught = db.run("audit", "verify", "--head-from-z", sheet.sheet_no, as_="admin")
    # the bare verify above already appended new entries past the cut: the MAC there differs
    assert caught.code == 1 and ("末尾被截断" in caught.stdout or "链头不符" in caught.stdout)
