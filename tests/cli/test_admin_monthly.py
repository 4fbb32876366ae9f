"""`readings import`, `k3 import`, `repair-price set` and `module move` end to end: a bad file is
refused with its lines printed, a good one is imported, a price needs a co-signature."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from cli.admincli import AdminDb
from db.session import unit_of_work


@pytest.fixture
def db(tmp_path) -> AdminDb:
    db = AdminDb.create(tmp_path)
    db.add_people()
    return db


def count(db: AdminDb, table: str) -> int:
    engine = db.engine()
    try:
        with unit_of_work(engine, read_only=True) as s:
            return s.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


def test_readings_import_prints_bad_lines_and_imports_a_good_file(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("楼栋,表类型,表号,上次读数,本次读数\n5,总表,T5,10,9\n", encoding="utf-8")
    run = db.run("readings", "import", str(bad), "--period", "2026-11", as_="wang")
    assert run.code == 1 and "第 2 行" in run.stdout and count(db, "meter_readings") == 0
    good = tmp_path / "good.csv"
    good.write_text("楼栋,表类型,表号,上次读数,本次读数\n5,总表,T5,10,19\n5,分表,M1,1,9\n", encoding="utf-8")
    run = db.run("readings", "import", str(good), "--period", "2026-11", as_="wang")
    assert run.code == 0, run.stderr
    assert "2 行" in run.stdout and count(db, "meter_readings") == 2
    assert db.run("readings", "import", str(good), "--period", "2026-13", as_="wang").code == 2


def test_k3_import(db, tmp_path):
    path = tmp_path / "k3.csv"
    path.write_text("楼栋,收入(元),电量(kWh)\n5,100.00,170\n", encoding="utf-8")
    run = db.run("k3", "import", str(path), "--period", "2026-11", as_="qian")
    assert run.code == 0, run.stderr
    assert count(db, "k3_figures") == 1


def test_a_repair_price_is_co_signed_and_modules_move(db):
    args = ("repair-price", "set", "R01", "--name", "更换模块", "--unit", "个", "--fen", "8000", "--from",
            "2026-01-01", "--basis", "003-4.1.3")  # fmt: skip
    assert db.run(*args, as_="wang").code != 0
    run = db.run(*args, as_="wang", approver="li")
    assert run.code == 0, run.stderr
    assert "80.00" in run.stdout
    run = db.run("module", "move", "received", "--model", "DDSY", "--quantity", "5", as_="wang")
    assert run.code == 0 and "库存 5" in run.stdout, run.stderr
    run = db.run("module", "move", "issued", "--model", "DDSY", "--quantity", "1", "--room", "5-308",
                 "--electrician", "刘", "--repair-item", "R01", as_="wang")  # fmt: skip
    assert run.code == 0 and "库存 4" in run.stdout, run.stderr
