"""`accounts import` and `legacy import` end to end: dry run writes nothing, the real import is
all-or-nothing and co-signed, a class change makes the account pending, legacy counters continue."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cli.admincli import AdminDb
from db.models import Account, AccountEvent, Card, LedgerEntry, Room
from db.session import unit_of_work

DATA = Path(__file__).resolve().parents[1] / "imports" / "data"
YEARLY = str(DATA / "yearly_example.csv")
LEGACY = str(DATA / "legacy_example.csv")


@pytest.fixture
def db(tmp_path) -> AdminDb:
    db = AdminDb.create(tmp_path)
    db.add_people()
    db.add_campuses()
    return db


def _scalar(db: AdminDb, query):
    engine = db.engine()
    try:
        with unit_of_work(engine, read_only=True) as s:
            return s.scalar(query)
    finally:
        engine.dispose()


def _accounts(db: AdminDb) -> dict[str, tuple]:
    engine = db.engine()
    try:
        with unit_of_work(engine, read_only=True) as s:
            rows = s.execute(select(Account.account_no, Account.cls, Account.status, Account.beds,
                                    Account.meter_no, Account.purchase_counter, Account.card_serial))  # fmt: skip
            return {r[0]: tuple(r[1:]) for r in rows}
    finally:
        engine.dispose()


def _import(db: AdminDb, path: str, *extra: str, approver: str | None = "li"):
    return db.run("accounts", "import", path, *extra, as_="admin", approver=approver)


def test_dry_run_changes_nothing_and_the_import_needs_a_cosignature(db):
    dry = _import(db, YEARLY, "--dry-run", approver=None)
    assert dry.code == 0, dry.stderr
    assert "新增 4 间" in dry.stdout and "未写入" in dry.stdout
    assert _accounts(db) == {}
    assert _import(db, YEARLY, approver=None).code == 1
    assert _import(db, YEARLY, approver="zhang").code == 1  # a cashier does not co-sign
    assert _accounts(db) == {}
    done = _import(db, YEARLY)
    assert done.code == 0, done.stderr
    accounts = _accounts(db)
    assert accounts["D-5-308"] == ("dorm", "active", 4, "10000308", 0, None)
    assert set(accounts) == {"D-5-308", "D-5-309", "S-12-2-101", "B-B-1"}
    assert _scalar(db, select(func.count(AccountEvent.id)).where(AccountEvent.kind == "imported")) == 4
    assert db.run("audit", "verify", as_="admin").code == 0


def test_one_bad_line_writes_nothing_and_every_bad_line_is_named(db, tmp_path):
    path = tmp_path / "bad.csv"
    shutil.copy(YEARLY, path)
    with path.open("a", encoding="utf-8") as f:
        f.write("东校区,5,,310,学生公寓,2,3,0,0,10000310,,\n东校区,5,,311,宿舍,2,0,0,0,10000311,,\n")
    r = _import(db, str(path))
    assert r.code == 1
    assert "第 6 行" in r.stdout and "第 7 行 [类别]" in r.stdout and "2 处错误" in r.stderr
    assert _accounts(db) == {}


def test_reimport_updates_fields_class_change_makes_pending_missing_rooms_kept(db, tmp_path):
    assert _import(db, YEARLY).code == 0
    changed = tmp_path / "2027.csv"
    changed.write_text(
        "校区,楼栋,单元,房间,类别,床位,本科,研究生,博士,电表号,户主,电话\n"
        "东校区,5,,308,学生公寓,6,5,1,0,10000308,,\n"  # beds and occupants change
        "东校区,5,,309,教职工,,,,,10000309,李老师,\n"  # dorm → staff: pending
        "东校区,5,,310,学生公寓,4,4,0,0,10000310,,\n",  # new; 12-2-101 is missing (kept)
        encoding="utf-8",
    )
    dry = _import(db, str(changed), "--dry-run", approver=None)
    assert "类别变更 第 3 行" in dry.stdout and "缺少 东校区 12-2-101" in dry.stdout
    done = _import(db, str(changed))
    assert done.code == 0, done.stderr
    accounts = _accounts(db)
    assert accounts["D-5-308"][:4] == ("dorm", "active", 6, "10000308")
    assert accounts["D-5-309"][:2] == ("staff", "pending")
    assert accounts["D-5-310"][1] == "active" and "S-12-2-101" in accounts  # missing: not deleted
    assert "待确认类别：D-5-309" in done.stdout
    assert _scalar(db, select(Room.beds).where(Room.room_code == "5-308")) == 6
    assert db.run("audit", "verify", as_="admin").code == 0


def test_meters_may_swap_between_rooms_in_one_file(db, tmp_path):
    assert _import(db, YEARLY).code == 0
    swapped = (
        Path(YEARLY).read_text(encoding="utf-8").replace("10000308", "X").replace("10000309", "10000308")
    )
    path = tmp_path / "swap.csv"
    path.write_text(swapped.replace("X", "10000309"), encoding="utf-8")
    assert _import(db, str(path)).code == 0
    assert _accounts(db)["D-5-308"][3] == "10000309" and _accounts(db)["D-5-309"][3] == "10000308"


def test_legacy_import_continues_counters_with_priced_purchases(db):
    assert _import(db, YEARLY).code == 0
    dry = db.run("legacy", "import", LEGACY, "--dry-run", as_="admin")
    assert dry.code == 0, dry.stderr
    assert _scalar(db, select(func.count(LedgerEntry.id))) == 0
    assert db.run("legacy", "import", LEGACY, as_="admin").code == 1  # co-signed
    done = db.run("legacy", "import", LEGACY, as_="admin", approver="wang")
    assert done.code == 0, done.stderr
    accounts = _accounts(db)
    assert accounts["D-5-308"][4:] == (12, "A1B2C3D4") and accounts["D-5-309"][4:] == (0, "A1B2C3D5")
    engine = db.engine()
    with unit_of_work(engine, read_only=True) as s:
        entries = s.execute(select(LedgerEntry.kind, LedgerEntry.purchase_counter, LedgerEntry.energy_ckwh,
                                   LedgerEntry.fen, LedgerEntry.price_e4).order_by(LedgerEntry.id)).all()  # fmt: skip
        assert [tuple(e) for e in entries] == [("legacy_purchase", 11, 16998, 10000, 5883),
                                               ("legacy_purchase", 12, 8499, 5000, 5883),
                                               ("legacy_purchase", 3, 20000, 10300, 5150)]  # fmt: skip
        account = s.scalar(select(Account).where(Account.account_no == "D-5-308"))
        assert account.legacy_balance_ckwh == 3520
        assert s.scalar(select(Card.status).where(Card.serial == "A1B2C3D4")) == "issued"
    engine.dispose()
    again = db.run("legacy", "import", LEGACY, as_="admin", approver="wang")
    assert again.code == 1 and "已接管" in again.stderr  # once only
    assert db.run("audit", "verify", as_="admin").code == 0


def test_legacy_import_of_unknown_rooms_names_them_and_writes_nothing(db):
    r = db.run("legacy", "import", LEGACY, as_="admin", approver="wang")
    assert r.code == 1 and "东校区 5-308" in r.stderr and "没有有效账户" in r.stderr
    assert _scalar(db, select(func.count(Card.id))) == 0


def test_an_unknown_campus_is_refused_with_its_lines_and_the_known_ones(db, tmp_path):
    """Issue 12 §6: a typo'd campus (东区) is never created silently; the lines and the registered
    campuses are named, nothing is written, in the dry run and for real."""
    path = tmp_path / "campus.csv"
    shutil.copy(YEARLY, path)
    with path.open("a", encoding="utf-8") as f:
        f.write("东区,5,,320,学生公寓,2,1,0,0,10000320,,\n")
    for extra in (("--dry-run",), ()):
        r = _import(db, str(path), *extra)
        assert r.code == 1 and "未登记的校区“东区”" in r.stderr and "第 6 行" in r.stderr
        assert "东校区" in r.stderr and "西校区" in r.stderr  # the known campuses are listed
    assert _accounts(db) == {}
    assert _scalar(db, select(func.count()).select_from(Room)) == 0
