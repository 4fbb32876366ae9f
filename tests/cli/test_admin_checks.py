"""`counter-admin` checks and tools end to end: audit verify (and tampering by SQL), receipt
verify, keys export/import, backups (create, verify, restore, a corrupted one refused), reports,
db upgrade; init and a few commands on PostgreSQL."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from base.clock import BUSINESS_TZ
from cli.admincli import PASSWORD, AdminDb
from counter_app.installation import load_keys
from counter_app.receipt_signing import sign_receipt
from db.session import unit_of_work


@pytest.fixture
def db(tmp_path) -> AdminDb:
    db = AdminDb.create(tmp_path)
    db.add_people()
    tariff = [
        "tariff",
        "set",
        "--class",
        "dorm",
        "--price-e4",
        "5883",
        "--from",
        "2026-01-01",
        "--basis",
        "D1",
    ]
    assert db.run(*tariff, as_="admin", approver="li").code == 0
    return db


def _sql(db: AdminDb, statement: str) -> None:
    engine = db.engine()
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def test_audit_verify_names_the_entry_after_an_update_by_sql(db):
    ok = db.run("audit", "verify", as_="admin")
    assert ok.code == 0 and "审计链完好" in ok.stdout
    _sql(db, "UPDATE tariffs SET price_e4 = 1 WHERE cls = 'dorm'")
    bad = db.run("audit", "verify", as_="admin")
    assert bad.code != 0
    assert "tariffs#1" in bad.stdout and "被修改" in bad.stdout and "第 " in bad.stdout


def test_audit_verify_flags_a_row_inserted_behind_the_softwares_back(db):
    _sql(
        db,
        "INSERT INTO setting_values (key, value, set_by, set_at) VALUES ('centre_name', '\"x\"', 1, '2026-11-23 01:00:00')",
    )
    bad = db.run("audit", "verify", as_="admin")
    assert bad.code != 0 and "绕过系统插入" in bad.stdout


def test_receipt_verify(db):
    engine = db.engine()
    keys, _, _ = load_keys(engine, db.keystore)
    engine.dispose()
    qr = sign_receipt(keys.receipt_signing, workstation="W01", receipt_no="W01-00000001", amount_fen=10000,
                      at=datetime(2026, 11, 23, 9, 30, tzinfo=BUSINESS_TZ))  # fmt: skip
    good = db.run("receipt", "verify", qr, as_="zhang")
    assert good.code == 0 and "收据真实" in good.stdout and "100.00" in good.stdout
    forged = db.run("receipt", "verify", qr.replace("|10000|", "|90000|"), as_="zhang")
    assert forged.code == 1 and "无效" in forged.stdout


def test_keys_export_and_import_round_trip(db, tmp_path):
    out = tmp_path / "keys.bin"
    assert (
        db.run("keys", "export", "--out", str(out), as_="zhang", approver="zhao",
               stdin_extra="pass-phrase-1\n" * 2).code == 1
    )  # fmt: skip
    r = db.run(
        "keys", "export", "--out", str(out), as_="admin", approver="zhao", stdin_extra="pass-phrase-1\n" * 2
    )
    assert r.code == 0, r.stderr
    assert out.stat().st_mode & 0o077 == 0
    # a second PC: an empty key file; the export brings the keys, checked against the database
    other = AdminDb(db.db_url, f"file:{tmp_path / 'pc2-keys.json'}", tmp_path, dict(db.passwords))
    assert other.run("audit", "verify", as_="admin").code == 1  # KEY_MISSING
    wrong = other.run("keys", "import", str(out), as_="admin", stdin_extra="wrong-phrase\n")
    assert wrong.code == 1 and not (tmp_path / "pc2-keys.json").exists()
    done = other.run("keys", "import", str(out), as_="admin", stdin_extra="pass-phrase-1\n")
    assert done.code == 0, done.stderr
    assert json.loads((tmp_path / "pc2-keys.json").read_text()) == json.loads(
        (tmp_path / "keys.json").read_text()
    )
    assert other.run("audit", "verify", as_="admin").code == 0


def test_backup_create_verify_restore_and_a_corrupted_backup_refused(db, tmp_path):
    backup = tmp_path / "b" / "counter-backup.db"
    made = db.run("backup", "create", "--out", str(backup), as_="admin")
    assert made.code == 0, made.stderr
    assert db.run("backup", "create", "--out", str(backup), as_="admin").code == 1  # never overwritten
    verified = db.raw(["backup", "verify", str(backup)])
    assert verified.code == 0 and "备份完好" in verified.stdout
    # after the backup: a new operator; the restore brings the database back to before it
    assert (
        db.run("operator", "add", "wu", "--role", "cashier", as_="admin", approver="zhao", new=PASSWORD).code
        == 0
    )
    restored = db.run("backup", "restore", str(backup), as_="admin", approver="zhao")
    assert restored.code == 0, restored.stderr
    assert db.run("audit", "verify", as_="wu").code == 1  # wu did not exist at backup time
    assert db.run("audit", "verify", as_="admin").code == 0
    corrupt = tmp_path / "corrupt.db"
    data = bytearray(backup.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    corrupt.write_bytes(bytes(data))
    assert db.raw(["backup", "verify", str(corrupt)]).code == 1
    refused = db.run("backup", "restore", str(corrupt), as_="admin", approver="zhao")
    assert refused.code == 1 and "备份文件不可用" in refused.stderr
    assert db.run("audit", "verify", as_="admin").code == 0  # the live database untouched


def test_backup_with_a_tampered_chain_is_refused(db, tmp_path):
    backup = tmp_path / "b.db"
    assert db.run("backup", "create", "--out", str(backup), as_="admin").code == 0
    shutil.copy(backup, tmp_path / "t.db")
    import sqlite3

    conn = sqlite3.connect(tmp_path / "t.db")
    conn.execute("UPDATE tariffs SET price_e4 = 1")
    conn.commit()
    conn.close()
    bad = db.raw(["backup", "verify", str(tmp_path / "t.db")])
    assert bad.code == 1 and "审计链" in bad.stderr


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_report_writes_a_pdf_with_its_title(db, tmp_path):
    out = tmp_path / "day.pdf"
    r = db.run(
        "report",
        "day",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-23",
        "--format",
        "pdf",
        "--out",
        str(out),
        as_="qian",
    )
    assert r.code == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF")
    text_out = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "日报表" in text_out
    board = tmp_path / "board.csv"
    assert db.run("report", "tariff-board", "--from", "2026-11-23", "--to", "2026-11-23", "--format", "csv",
                  "--out", str(board), as_="qian").code == 0  # fmt: skip
    assert "0.5883" in board.read_text(encoding="utf-8-sig")
    register = tmp_path / "register.pdf"  # issue 15: the kinds added beside API.md's are commands too
    assert db.run("report", "sales-register", "--from", "2026-11-01", "--to", "2026-11-23", "--format", "pdf",
                  "--out", str(register), as_="qian").code == 0  # fmt: skip
    assert "售电登记表" in subprocess.run(["pdftotext", str(register), "-"], capture_output=True, text=True).stdout


def test_db_upgrade_is_idempotent_on_a_current_database(db):
    r = db.raw(["db", "upgrade"])
    assert r.code == 0 and "已升级" in r.stdout


@pytest.mark.pg
def test_init_and_commands_on_postgresql(pg_empty_url, tmp_path):
    db = AdminDb.create(tmp_path, db_url=pg_empty_url)
    db.add_people()
    tariff = [
        "tariff",
        "set",
        "--class",
        "staff",
        "--price-e4",
        "5383",
        "--from",
        "2026-01-01",
        "--basis",
        "D2",
    ]
    assert db.run(*tariff, as_="admin", approver="li").code == 0
    assert db.run("workstation", "add", "W01", "--campus", "主校区", as_="admin", approver="zhao").code == 0
    db.add_campuses()
    assert db.run("accounts", "import", str(Path(__file__).parents[1] / "imports" / "data" / "yearly_example.csv"),
                  as_="admin", approver="li").code == 0  # fmt: skip
    assert db.run("audit", "verify", as_="admin").code == 0
    engine = db.engine()
    with unit_of_work(engine) as s:
        s.execute(text("UPDATE tariffs SET basis = 'X'"))
    engine.dispose()
    assert db.run("audit", "verify", as_="admin").code != 0


def test_sums_refresh_keeps_the_ledger_summed_for_the_period_reports(db, tmp_path):
    """`counter-admin sums refresh` (issue 16): batches written, on record; the month report the same."""
    month = ["report", "month", "--from", "2026-10-26", "--to", "2026-11-25", "--format", "csv"]
    engine = db.engine()
    with engine.begin() as conn:  # two bills paid, as the ledger holds them (no account: 其他)
        for fen in (1500, 2500):
            conn.execute(text("INSERT INTO ledger_entries (kind, charge, fen, energy_ckwh, free_ckwh, tender, "
                              "at, simulated) VALUES ('bill_payment', 'repair', :fen, 0, 0, 'cash', "
                              "'2026-11-20 02:00:00.000000', 0)"), {"fen": fen})  # fmt: skip
    engine.dispose()
    assert db.run(*month, "--out", str(tmp_path / "before.csv"), as_="qian").code == 0
    r = db.run("sums", "refresh", as_="qian")
    assert r.code == 0, r.stderr
    assert "写入 1 批，覆盖 2 笔" in r.stdout
    assert "写入 0 批" in db.run("sums", "refresh", as_="qian").stdout  # nothing new
    assert db.run(*month, "--out", str(tmp_path / "after.csv"), as_="qian").code == 0
    after = (tmp_path / "after.csv").read_bytes()
    assert after == (tmp_path / "before.csv").read_bytes() and "40.00" in after.decode("utf-8-sig")
