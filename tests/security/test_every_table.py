"""Every table outside the audit chain is sealed, and nothing leaves one unseen (issue 12 §1, §7):
reference rows (card classes, rooms, workstations, key fingerprints), sign-offs, deposits, print
events... are checked whenever the software loads them (an ORM load event, counter_app/row_seals.py),
and the rows the software wrote to each are counted (row_census), so `audit verify` names a deleted
row even where nothing refers to it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from opstesting import make_world, open_world_counter
from sqlalchemy import select

from base.errors import UserFacingError
from counter_app import audit
from counter_app.keystore import bind_keys
from db.models import CENSUS_TABLES, SEALED_TABLES
from db.models.security import RowCensus
from db.session import unit_of_work
from security.test_row_seals import DORM_ONE, into_meter_and_back, one, refused, sql, top_up


@pytest.fixture
def world(tmp_path) -> Iterator:
    w = make_world(tmp_path)
    yield w
    w.close()


@pytest.fixture
def selling(world):
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    world.serial = world.issue_card(DORM_ONE, s)
    return world, s


def delete_row(world, table: str, row_id: int) -> None:
    """The insider's DELETE, foreign keys off (sqlite3 on the file, as bench/reliability/insider.py)."""
    path = world.db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))


def verify_problems(world) -> list[str]:
    with unit_of_work(world.counter.engine, read_only=True) as db:
        bind_keys(db, world.counter.keys)
        return [p.reason for p in audit.verify(db).problems]


def test_every_table_but_the_chain_itself_is_sealed_or_chained():
    from db.base import Base

    sealed = {m.__tablename__ for m in SEALED_TABLES}
    unprotected = [name for name, table in Base.metadata.tables.items()
                   if name not in sealed and not table.info.get("audited")]  # fmt: skip
    assert sorted(unprotected) == ["audit_log", "row_census"]  # the chain; the census seals itself


def test_a_day_of_work_verifies_clean(selling):
    world, s = selling
    top_up(s)
    into_meter_and_back(world)
    top_up(s, 2_000)
    s.x_report()
    s.close_shift(counted={"10000": 5, "1000": 3})
    assert verify_problems(world) == []


def test_a_card_class_regrouped_is_refused_where_sales_are_counted(selling):
    """The class's group decides the sheet line a sale is counted on (dorm or owner)."""
    world, s = selling
    top_up(s)
    sql(world, "UPDATE card_classes SET class_group = 'owner' WHERE code = 'dorm'")
    refused(s.x_report, "card_classes")
    refused(lambda: s.close_shift(counted={"10000": 5, "1000": 1}), "card_classes")
    sql(world, "UPDATE card_classes SET class_group = 'dorm' WHERE code = 'dorm'")
    s.close_shift(counted={"10000": 5, "1000": 1})


def test_a_room_moved_by_sql_is_refused_where_it_is_loaded(selling):
    world, s = selling
    room_id = one(world, "SELECT room_id FROM accounts WHERE account_no = :no", no=DORM_ONE)
    sql(world, "UPDATE rooms SET beds = beds + 2 WHERE id = :id", id=room_id)
    with pytest.raises(UserFacingError) as err:
        s.account_detail(account_no=DORM_ONE) if hasattr(s, "account_detail") else s.find_account(
            account_no=DORM_ONE
        )
    assert err.value.code == "TAMPERED"
    assert any("rooms#" in p for p in verify_problems(world))


def test_a_forged_key_fingerprint_refuses_the_opening(world):
    world.counter.close()
    sql(world, "UPDATE key_fingerprints SET fingerprint = fingerprint WHERE key_kind = 'card_mac'")
    world.counter = open_world_counter(world)  # nothing changed: opens
    world.counter.close()
    sql(world, "UPDATE key_fingerprints SET created_at = '2000-01-01 00:00:00' WHERE key_kind = 'card_mac'")
    with pytest.raises(UserFacingError) as err:
        world.counter = open_world_counter(world)
    assert err.value.code == "TAMPERED" and err.value.data["table"] == "key_fingerprints"


@pytest.mark.parametrize("table", ["print_jobs", "print_job_events", "rooms", "x_report_log"])
def test_a_deleted_row_is_named_by_verify(selling, table):
    """Nothing is ever deleted from these tables; a row gone is named (census), even where no other
    row refers to it."""
    world, s = selling
    top_up(s)
    s.x_report()
    assert verify_problems(world) == []
    last = one(world, f"SELECT max(id) FROM {table}")
    delete_row(world, table, last)
    problems = verify_problems(world)
    assert any(p.startswith(f"{table} 应有") for p in problems), problems


def test_a_census_lowered_with_the_row_is_refused_at_the_next_sale_and_named(selling):
    world, s = selling
    top_up(s)
    into_meter_and_back(world)
    last = one(world, "SELECT max(id) FROM print_jobs")
    delete_row(world, "print_jobs", last)
    sql(world, "UPDATE row_census SET rows = rows - 1 WHERE table_name = 'print_jobs'")
    assert any("print_jobs 的行数记录与校验码不符" in p for p in verify_problems(world))
    refused(lambda: top_up(s), "row_census")


def test_a_deleted_census_is_refused_at_the_next_insert(selling):
    world, s = selling
    top_up(s)
    into_meter_and_back(world)
    sql(world, "DELETE FROM row_census WHERE table_name = 'print_jobs'")
    assert any("print_jobs 有" in p and "行数记录被删除" in p for p in verify_problems(world))
    refused(lambda: top_up(s), "row_census")


def test_every_census_matches_after_the_software_wrote(selling):
    world, s = selling
    top_up(s)
    with unit_of_work(world.counter.engine, read_only=True) as db:
        counted = dict(db.execute(select(RowCensus.table_name, RowCensus.rows)).tuples().all())
        for model in CENSUS_TABLES:
            held = len(db.execute(select(model.__table__)).all())
            assert counted.get(model.__tablename__, 0) == held, model.__tablename__
    assert counted["print_jobs"] >= 1 and counted["rooms"] >= 1
