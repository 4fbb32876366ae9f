"""Rows checked where they are used (issue 12 §1, counter_app/row_seals.py): an insider with write
access to the database changes a row that decides money, numbering or rights; the use of that row
is refused with TAMPERED naming table and row, the refusal is in the audit log, and the head sees
it in the morning list. Putting the row back makes it usable again (the attempt stays recorded)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from opstesting import make_world, open_world_counter, set_columns
from sqlalchemy import select, text

from base.canonical import canonical_json
from base.errors import UserFacingError
from counter_app import row_seals, seals
from counter_app.approvals import Approval, payload_sha256
from counter_app.auth import disable_operator, hash_password
from counter_app.keystore import bind_keys
from db.engine import make_engine
from db.models import SEALED_TABLES, Account
from db.models.security import AuditEntry
from db.queries.tariffs import current_fee
from db.session import unit_of_work

DORM_ONE = "D-5-308"


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


def sql(world, statement: str, **params) -> list:
    """What the insider does: plain SQL on the database file, no keys."""
    engine = make_engine(world.db_url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return list(result) if result.returns_rows else []
    finally:
        engine.dispose()


def one(world, statement: str, **params):
    return sql(world, statement, **params)[0][0]


def refused(call, table: str) -> UserFacingError:
    with pytest.raises(UserFacingError) as err:
        call()
    assert err.value.code == "TAMPERED", err.value
    assert err.value.data["table"] == table
    assert table in err.value.message
    return err.value


def tamper_entries(world) -> list[dict]:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        rows = s.scalars(select(AuditEntry.payload_json).where(AuditEntry.kind == seals.TAMPER_KIND))
        return [json.loads(p) for p in rows]


def into_meter_and_back(world) -> None:
    """The customer loads the purchase into the meter and brings the card back (a next sale)."""
    world.sim.insert_into_meter(world.serial)
    world.sim.present_card(world.serial)


def top_up(s, amount_fen: int = 1_000):
    return s.top_up(account_no=DORM_ONE, amount_fen=amount_fen, tendered_fen=amount_fen)


# --- money ---------------------------------------------------------------------------------------


def test_an_account_class_switched_for_one_sale_is_refused_and_put_back_sells_again(selling):
    world, s = selling
    account_id = one(world, "SELECT id FROM accounts WHERE account_no = :no", no=DORM_ONE)
    sql(world, "UPDATE accounts SET cls = 'staff' WHERE id = :id", id=account_id)
    error = refused(lambda: top_up(s), "accounts")
    assert error.data["row_id"] == account_id
    assert {"table": "accounts", "row_id": account_id} in tamper_entries(world)
    sql(world, "UPDATE accounts SET cls = 'dorm' WHERE id = :id", id=account_id)
    assert top_up(s).price_e4 == 5_883
    head = world.login("zhao")
    alarms = [item for item in head.morning_list() if item.kind == "tampered"]
    assert alarms and alarms[0].reference == f"accounts #{account_id}"


def test_a_legitimate_update_never_launders_a_tampered_account(selling):
    """The seal is renewed only over a row that was genuine when loaded."""
    world, s = selling
    sql(world, "UPDATE accounts SET cls = 'staff' WHERE account_no = :no", no=DORM_ONE)
    refused(lambda: top_up(s), "accounts")
    sql(world, "UPDATE accounts SET cls = 'dorm' WHERE account_no = :no", no=DORM_ONE)
    top_up(s)  # sells: the purchase counter's update resealed the genuine row
    into_meter_and_back(world)
    sql(world, "UPDATE accounts SET cls = 'staff' WHERE account_no = :no", no=DORM_ONE)
    refused(
        lambda: top_up(s), "accounts"
    )  # still refused after that update: the purchase counter's update resealed the genuine row


def test_an_update_through_the_software_refuses_a_row_tampered_before_it(world):
    """The seal is renewed only after the row as loaded passed its check (the ORM hook)."""
    sql(world, "UPDATE accounts SET cls = 'staff' WHERE account_no = :no", no=DORM_ONE)
    with pytest.raises(UserFacingError) as err:
        set_columns(world, Account, Account.account_no == DORM_ONE, phone="13800000000")
    assert err.value.code == "TAMPERED" and err.value.data["table"] == "accounts"


def test_a_card_status_changed_by_sql_is_refused_at_the_sale(selling):
    world, s = selling
    sql(world, "UPDATE cards SET meter_no = 'M9999' WHERE account_id = "
               "(SELECT id FROM accounts WHERE account_no = :no)", no=DORM_ONE)  # fmt: skip
    refused(lambda: top_up(s), "cards")


def test_a_lowered_float_is_refused_at_the_sale_and_at_the_close(selling):
    world, s = selling
    top_up(s)
    into_meter_and_back(world)
    shift_id = one(world, "SELECT id FROM shifts WHERE is_open")
    sql(world, "UPDATE shifts SET float_fen = 10000 WHERE id = :id", id=shift_id)
    refused(lambda: top_up(s), "shifts")
    refused(lambda: s.close_shift(counted={"10000": 5, "1000": 1}), "shifts")
    sql(world, "UPDATE shifts SET float_fen = 50000 WHERE id = :id", id=shift_id)
    assert s.close_shift(counted={"10000": 5, "1000": 1}).difference_fen == 0
    assert sum(1 for e in tamper_entries(world) if e["table"] == "shifts") == 2


def test_a_changed_shift_count_is_refused_at_the_close(selling):
    world, s = selling
    with pytest.raises(UserFacingError):  # the count is declared, the close refused (no reason given)
        s.close_shift(counted={"10000": 4})
    sql(world, "UPDATE shift_counts SET counted_fen = 50000, counted = :c", c='{"10000": 5}')
    refused(lambda: s.close_shift(counted={"10000": 5}), "shift_counts")


def test_a_receipt_counter_moved_back_is_refused(selling):
    world, s = selling
    top_up(s)
    into_meter_and_back(world)
    sql(world, "UPDATE receipt_counters SET value = value - 1 WHERE series = 'main'")
    refused(lambda: top_up(s), "receipt_counters")
    sql(world, "UPDATE receipt_counters SET value = value + 1 WHERE series = 'main'")
    assert top_up(s).receipt_no == "W01-00000002"


def test_a_changed_tariff_is_refused_at_the_sale(selling):
    world, s = selling
    sql(world, "UPDATE tariffs SET price_e4 = 2000 WHERE cls = 'dorm'")
    refused(lambda: top_up(s), "tariffs")


def co_sign(world, approval: Approval):
    """An operation the 监督人 co-signs: a money setting changed by the administrator."""
    return world.login("admin").set_setting("min_top_up_fen", 500, approval=approval)


def test_a_changed_setting_is_refused_where_it_is_read(selling):
    world, s = selling
    co_sign(world, world.approval("li"))
    sql(world, "UPDATE setting_values SET value = :v WHERE key = 'min_top_up_fen'", v="1")
    refused(lambda: top_up(s), "setting_values")


def test_a_changed_fee_is_refused_where_it_is_charged(world):
    sql(world, "INSERT INTO fees (kind, fen, effective_from, basis, set_by, created_at) "
               "VALUES ('card', 100, '2026-01-01 00:00:00', 'x', 1, '2026-01-01 00:00:00')")  # fmt: skip
    with unit_of_work(world.counter.engine, read_only=True) as s:
        bind_keys(s, world.counter.keys)
        refused(lambda: row_seals.check(s, current_fee(s, "card", world.clock())), "fees")


# --- printing ------------------------------------------------------------------------------------


def test_a_rewritten_print_job_is_never_reprinted(selling):
    world, s = selling
    sale = top_up(s, 10_000)
    payload = one(world, "SELECT payload FROM print_jobs WHERE document = 'sale' ORDER BY id LIMIT 1")
    forged = payload.replace("10000", "20000") if isinstance(payload, str) else json.dumps(payload)
    assert forged != payload
    sql(world, "UPDATE print_jobs SET payload = :p WHERE document = 'sale'", p=forged)
    refused(lambda: s.reprint_receipt(receipt_no=sale.receipt_no), "print_jobs")


# --- rights --------------------------------------------------------------------------------------


def test_a_swapped_password_hash_neither_logs_in_nor_co_signs(selling):
    world, s = selling
    genuine = one(world, "SELECT password_hash FROM operators WHERE name = 'li'")
    sql(world, "UPDATE operators SET password_hash = :h WHERE name = 'li'", h=hash_password("known-to-me"))
    with pytest.raises(UserFacingError) as err:
        world.counter.login("li", "known-to-me")
    assert err.value.code == "TAMPERED"
    refused(lambda: co_sign(world, Approval(name="li", password="known-to-me")), "operators")
    sql(world, "UPDATE operators SET password_hash = :h WHERE name = 'li'", h=genuine)
    assert world.login("li") is not None
    assert sum(1 for e in tamper_entries(world) if e["table"] == "operators") >= 2


def test_an_inserted_grant_is_refused_at_login(world):
    zhang = one(world, "SELECT id FROM operators WHERE name = 'zhang'")
    sql(world, "INSERT INTO role_grants (operator_id, role, action, at) "
               "VALUES (:id, 'head', 'grant', '2026-11-23 00:00:00')", id=zhang)  # fmt: skip
    refused(lambda: world.login("zhang"), "role_grants")


def test_an_extended_appointment_is_refused_at_co_sign(selling):
    world, s = selling
    li = one(world, "SELECT id FROM operators WHERE name = 'li'")
    sql(world, "UPDATE supervisor_appointments SET to_date = '2030-12-31' WHERE operator_id = :id", id=li)
    refused(lambda: co_sign(world, world.approval("li")), "supervisor_appointments")


def test_a_disabled_supervisor_re_enabled_by_sql_cannot_co_sign(world):
    li = one(world, "SELECT id FROM operators WHERE name = 'li'")
    with unit_of_work(world.counter.engine) as s:
        bind_keys(s, world.counter.keys)
        disable_operator(s, operator_id=li, actor_id=1, workstation="W01", clock=world.clock)
    sql(world, "UPDATE operators SET disabled = 0 WHERE id = :id", id=li)
    refused(lambda: co_sign(world, world.approval("li")), "operators")


# --- the holiday queue ---------------------------------------------------------------------------


def test_a_rewritten_queued_payload_with_its_sha256_recomputed_is_refused(world):
    world.login("admin").set_setting("single_operator_mode", True, approval=world.approval("li"))
    zhang = world.login("zhang")
    with pytest.raises(UserFacingError) as err:
        zhang.back_charge(account_no="S-12-101", discovered_on=date(2026, 11, 20), electrician="刘电工",
                          evidence="私接", approval=None)  # fmt: skip
    assert err.value.code == "QUEUED"
    queue_id = err.value.queue_id
    kind, payload = sql(world, "SELECT kind, payload FROM queued_operations WHERE id = :id", id=queue_id)[0]
    payload = json.loads(payload) if isinstance(payload, str) else payload
    payload["account_no"] = "D-5-309"
    forged = canonical_json(payload).decode()
    sql(world, "UPDATE queued_operations SET payload = :p, payload_sha256 = :h WHERE id = :id",
        p=forged, h=payload_sha256(kind, payload), id=queue_id)  # fmt: skip
    world.login("admin").set_setting("single_operator_mode", False, approval=world.approval("li"))
    li = world.login("li")
    refused(
        lambda: li.approve_queued(queue_id=queue_id, approval=world.approval("wang")), "queued_operations"
    )


# --- the installation ----------------------------------------------------------------------------


def test_a_flipped_development_flag_refuses_the_opening(world):
    world.counter.close()
    sql(world, "UPDATE installation SET dev = NOT dev")
    with pytest.raises(UserFacingError) as err:
        world.counter = open_world_counter(world)
    assert err.value.code == "TAMPERED" and err.value.data["table"] == "installation"
    sql(world, "UPDATE installation SET dev = NOT dev")
    world.counter = open_world_counter(world)
    assert {"table": "installation", "row_id": 1} in tamper_entries(world)


def test_every_sealed_row_written_by_the_software_is_genuine(selling):
    """Whatever the software writes (a day of sales, a close) passes every seal."""
    world, s = selling
    top_up(s)
    s.close_shift(counted={"10000": 5, "1000": 1})
    with unit_of_work(world.counter.engine, read_only=True) as db:
        bind_keys(db, world.counter.keys)
        for model in SEALED_TABLES:
            row_seals.check_all(db, db.scalars(select(model)))


@pytest.mark.pg
def test_on_postgresql_tampered_rows_are_refused_at_use(tmp_path, pg_url):
    """A subset on PostgreSQL (JSONB, timestamptz, the receipt counter's upsert): an account, the
    receipt counter and a swapped password hash."""
    w = make_world(tmp_path, db_url=pg_url)
    try:
        s = w.login("zhang")
        s.open_shift(float_fen=50_000)
        w.serial = w.issue_card(DORM_ONE, s)
        sql(w, "UPDATE accounts SET cls = 'staff' WHERE account_no = :no", no=DORM_ONE)
        refused(lambda: top_up(s), "accounts")
        sql(w, "UPDATE accounts SET cls = 'dorm' WHERE account_no = :no", no=DORM_ONE)
        top_up(s)
        into_meter_and_back(w)
        sql(w, "UPDATE receipt_counters SET value = value - 1 WHERE series = 'main'")
        refused(lambda: top_up(s), "receipt_counters")
        sql(w, "UPDATE receipt_counters SET value = value + 1 WHERE series = 'main'")
        assert top_up(s).receipt_no == "W01-00000002"
        sql(w, "UPDATE operators SET password_hash = :h WHERE name = 'li'", h=hash_password("known-to-me"))
        refused(lambda: co_sign(w, Approval(name="li", password="known-to-me")), "operators")
        assert {e["table"] for e in tamper_entries(w)} == {"accounts", "receipt_counters", "operators"}
    finally:
        w.close()


def test_a_row_checked_as_loaded_is_not_hashed_again_until_it_is_reloaded(world, monkeypatch):
    """`check` of a row `_on_load` already checked costs no second seal (issue 16); once the row is
    expired and read again, what the database now holds is checked: an insider's edit between the
    two reads is refused."""
    hashed: list[str] = []
    real_mac_of = row_seals.mac_of

    def counting_mac_of(key, table, values):
        hashed.append(table.name)
        return real_mac_of(key, table, values)

    monkeypatch.setattr(row_seals, "mac_of", counting_mac_of)
    with unit_of_work(world.counter.engine) as s:
        bind_keys(s, world.counter.keys)
        account = s.scalars(select(Account).where(Account.account_no == DORM_ONE)).one()
        assert hashed == ["accounts"]  # checked as loaded
        row_seals.check(s, account)
        assert hashed == ["accounts"]  # not again
        # The insider's edit, here on this session's own connection (plain SQL: no ORM event, no seal).
        s.connection().execute(
            text("UPDATE accounts SET cls = 'business' WHERE account_no = :no"), {"no": DORM_ONE}
        )
        s.expire(account)
        with pytest.raises(UserFacingError) as info:
            row_seals.check(s, account)  # reloaded: the edit is seen
        assert info.value.code == "TAMPERED"
