"""Several counters on PostgreSQL: the cashier role cannot rewrite history, a full top-up works as
that role, an unreachable server starts no sale and leaves nothing half-written, and the pg_dump /
pg_restore drill gives a database whose audit chain verifies."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from dbtesting import create_pg_database, drop_pg_database, pg_server_url, unique_db_name
from opstesting import PASSWORD, make_world
from sqlalchemy import exc, func, make_url, select

from base.errors import DbUnreachable
from counter_app import audit
from counter_app.installation import load_keys
from db.base import Base
from db.engine import make_engine
from db.models import SEALED_TABLES, CardWriteIntent, LedgerEntry
from db.session import unit_of_work

# psycopg comes with the `pg` extra: without it (`pip install -e .[dev]`) this module is skipped
# instead of breaking collection. CI installs the extra, so nothing is skipped there.
psycopg = pytest.importorskip("psycopg")

ROOT = Path(__file__).resolve().parents[2]
ROLES_SQL = ROOT / "installer" / "postgres" / "roles.sql"
CASHIER_PASSWORD = "cashier-test-pw"


def _list(name: str) -> set[str]:
    body = re.search(name + r" text\[\] := ARRAY\[(.*?)\];", ROLES_SQL.read_text(), re.S).group(1)
    return set(re.findall(r"'([a-z0-9_]+)'", body))


def test_every_table_is_in_exactly_one_list_of_the_roles_script():
    import db.models  # noqa: F401

    mutable, append_only, admin_only = _list("mutable"), _list("append_only"), _list("admin_only")
    assert not mutable & append_only and not mutable & admin_only and not append_only & admin_only
    assert mutable | append_only | admin_only == set(Base.metadata.tables) | {"alembic_version"}
    # Rights and prices are administration's (issue 12 §2).
    assert {"operators", "role_grants", "supervisor_appointments", "setting_values", "tariffs",
            "fees"} <= admin_only  # fmt: skip
    # Sealed insert-only rows the cashier writes get their seal by an UPDATE of row_mac alone.
    sealed = {m.__table__.name for m in SEALED_TABLES}
    assert _list("sealed_after_insert") == (sealed & append_only)
    for history in (
        "ledger_entries",
        "receipts",
        "approvals",
        "approval_uses",
        "audit_log",
        "setting_values",
    ):
        assert history in append_only | admin_only


def _libpq(url: str, **changes) -> str:
    return make_url(url).set(drivername="postgresql", **changes).render_as_string(hide_password=False)


def apply_roles(db_url: str) -> str:
    """Run roles.sql on the database; the URL a cashier PC would use."""
    with psycopg.connect(_libpq(db_url), autocommit=True) as conn:
        conn.execute(ROLES_SQL.read_text())
        conn.execute(f"ALTER ROLE counter_cashier PASSWORD '{CASHIER_PASSWORD}'")
    return (
        make_url(db_url)
        .set(username="counter_cashier", password=CASHIER_PASSWORD)
        .render_as_string(hide_password=False)
    )


@pytest.fixture
def pg_world(tmp_path, pg_url):
    world = make_world(tmp_path, db_url=pg_url)
    yield world
    world.close()


@pytest.mark.pg
def test_the_cashier_role_inserts_history_but_never_rewrites_it(pg_world):
    world = pg_world
    s = world.login("zhang")
    s.open_shift(float_fen=50_000, supervisor="li")
    world.issue_card("D-5-308", session=s)
    s.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=10_000)  # history to attack

    cashier_url = apply_roles(world.db_url)
    world.counter.close()
    world.db_url = cashier_url
    world.counter = world.reopen()  # the counter PC connects as counter_cashier from now on

    engine = make_engine(cashier_url)
    try:
        for statement in (
            "UPDATE ledger_entries SET id = id",
            "DELETE FROM ledger_entries",
            "UPDATE audit_log SET mac = mac",
            "DELETE FROM audit_log",
            "UPDATE approvals SET id = id",
            "DELETE FROM approval_uses",
            "UPDATE receipts SET id = id",
            "DELETE FROM setting_values",
            "UPDATE tariffs SET id = id",
            "DROP TABLE ledger_entries",
            "UPDATE alembic_version SET version_num = 'x'",
            # Least privilege (issue 12 §2): rights, settings and prices are administration's.
            "UPDATE operators SET disabled = false",
            "UPDATE operators SET password_hash = password_hash",
            "INSERT INTO role_grants (operator_id, role, action, at) VALUES (1, 'head', 'grant', now())",
            "UPDATE supervisor_appointments SET to_date = '2030-12-31'",
            "INSERT INTO supervisor_appointments (operator_id, from_date, to_date, appointed_by_id, at) "
            "VALUES (1, '2026-01-01', '2030-12-31', 2, now())",
            "INSERT INTO setting_values (key, value, set_by, set_at) VALUES ('min_top_up_fen', '1', 1, now())",
            "INSERT INTO tariffs (cls, price_e4, effective_from, basis, set_by, created_at) "
            "VALUES ('dorm', 1, now(), 'x', 1, now())",
            "INSERT INTO fees (kind, fen, effective_from, basis, set_by, created_at) VALUES ('card', 1, now(), 'x', 1, now())",
            "UPDATE installation SET dev = NOT dev",
            # A sealed insert-only row: only its seal column may be written after the insert.
            "UPDATE shift_counts SET counted_fen = 0",
            "UPDATE z_reports SET audit_head = audit_head",
        ):
            with pytest.raises(exc.ProgrammingError) as refused, engine.begin() as conn:
                conn.exec_driver_sql(statement)
            assert isinstance(refused.value.orig, psycopg.errors.InsufficientPrivilege), statement
    finally:
        engine.dispose()

    # A whole day's work as counter_cashier: sale, second sale, close.
    s = world.login("zhang")
    world.issue_card("D-5-309", session=s)
    sold = s.top_up(account_no="D-5-309", amount_fen=5_000, tendered_fen=5_000)
    assert sold.receipt_no
    s.close_shift(counted={10000: 6, 5000: 1})
    with unit_of_work(world.counter.engine, read_only=True) as db:
        assert db.scalar(select(func.count()).select_from(LedgerEntry)) >= 2
        keys, _, _ = load_keys(world.counter.engine, world.keystore)
        assert audit.verify(db, keys.audit_hmac).ok


class Proxy:
    """A TCP relay to the PostgreSQL server that the test can cut, as a pulled network cable."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.open = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        finally:
            for s in (a, b):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        self.open = False
        for s in self.sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.sockets.clear()

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.mark.pg
def test_an_unreachable_server_starts_no_sale_and_leaves_nothing_half_written(pg_world):
    world = pg_world
    real = make_url(world.db_url)
    proxy = Proxy(real.host or "127.0.0.1", real.port or 5432)
    try:
        world.counter.close()
        world.db_url = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        world.counter = world.reopen()
        s = world.login("zhang")
        s.open_shift(float_fen=50_000, supervisor="li")
        card = world.issue_card("D-5-308", session=s)
        before = world.sim.card_image(card)

        proxy.cut()  # the network goes away between two sales
        with pytest.raises(DbUnreachable) as raised:
            s.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=10_000)
        assert raised.value.code == "DB_UNREACHABLE" and getattr(raised.value, "intent_id", None) is None
        assert world.sim.card_image(card) == before  # the card was not written
    finally:
        proxy.close()

    # Straight to the server: no intent, no ledger row for the sale that never started.
    engine = make_engine(real.render_as_string(hide_password=False))
    try:
        with unit_of_work(engine, read_only=True) as db:
            assert db.scalar(select(func.count()).select_from(CardWriteIntent).where(
                CardWriteIntent.kind == "top_up")) == 0  # fmt: skip
            assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    finally:
        engine.dispose()


@pytest.mark.pg
def test_opening_a_counter_on_a_closed_port_is_db_unreachable(pg_world):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = make_url(pg_world.db_url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
    with pytest.raises(DbUnreachable):
        make_engine(url)


@pytest.mark.pg
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump not installed")
def test_pg_dump_and_restore_drill(pg_world, tmp_path):
    """The routine of docs/operations.md: pg_dump -Fc, pg_restore into a NEW database, audit verify."""
    world = pg_world
    s = world.login("zhang")
    s.open_shift(float_fen=50_000, supervisor="li")
    for account in ("D-5-308", "D-5-309"):
        world.issue_card(account, session=s)
        s.top_up(account_no=account, amount_fen=10_000, tendered_fen=10_000)
    dump = tmp_path / "counter.dump"
    done = subprocess.run(
        ["pg_dump", "-Fc", "-f", str(dump), _libpq(world.db_url)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr

    server = pg_server_url()
    name = unique_db_name("drill")
    restored_url = create_pg_database(server, name)
    try:
        done = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "-d", _libpq(restored_url), str(dump)],
                              capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 0, done.stderr
        verified = subprocess.run(  # the real command line, as the release checklist runs it
            [sys.executable, "-m", "counter_app.admin.cli", "--db", restored_url, "--keystore", world.keystore,
             "audit", "verify", "--as", "admin"], input=PASSWORD + "\n", capture_output=True, text=True,
            cwd=ROOT, timeout=120)  # fmt: skip
        assert verified.returncode == 0, verified.stdout + verified.stderr
        engine = make_engine(restored_url)
        with unit_of_work(engine, read_only=True) as db:
            assert db.scalar(select(func.count()).select_from(LedgerEntry)) == 2
        engine.dispose()
    finally:
        drop_pg_database(server, name)
