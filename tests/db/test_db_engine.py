"""Engine set-up: SQLite pragmas and locking, refused places, unreachable servers, aware times."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime

import pytest
from sqlalchemy import exc, select, text

from base.errors import DbUnreachable, InputInvalid
from db.engine import default_db_url, is_network_path, make_engine, sqlite_url_for
from db.models import Campus, Workstation
from db.session import unit_of_work

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
server:/export /mnt/nfs nfs4 rw,vers=4.2 0 0
//fileserver/counter /mnt/share cifs rw,vers=3.0 0 0
/dev/sdb1 /mnt/share/local\\040disk ext4 rw 0 0
"""


def test_sqlite_pragmas_are_in_force(sqlite_engine):
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_foreign_keys_are_enforced(sqlite_engine, now):
    with pytest.raises(exc.IntegrityError), unit_of_work(sqlite_engine) as s:
        s.add(Workstation(code="W09", campus_id=12345, created_at=now))


def test_second_writer_waits_at_begin_not_at_upgrade(sqlite_url, sqlite_engine):
    """GIVEN one connection in a write transaction WHEN a second begins THEN the second blocks at
    BEGIN (IMMEDIATE) and times out there, instead of reading first and failing on the upgrade."""
    other = make_engine(sqlite_url)
    with sqlite_engine.connect() as first:
        first.begin()
        first.execute(text("SELECT count(*) FROM campuses")).scalar()
        with other.connect() as second:
            second.connection.driver_connection.execute("PRAGMA busy_timeout = 200")
            started = time.monotonic()
            with pytest.raises(exc.OperationalError, match="locked"):
                second.begin()
                second.execute(text("SELECT 1"))  # the BEGIN IMMEDIATE runs with the first statement
            assert time.monotonic() - started >= 0.15
        first.rollback()
    other.dispose()


def test_read_only_unit_of_work_does_not_block_a_writer(sqlite_url, sqlite_engine, now):
    other = make_engine(sqlite_url)
    with unit_of_work(sqlite_engine, read_only=True) as reader:
        reader.execute(select(Campus)).all()
        with unit_of_work(other) as writer:
            writer.add(Campus(code="c2", name="东校区"))
    with unit_of_work(sqlite_engine, read_only=True) as s:
        assert s.execute(select(Campus.code)).scalars().all() == ["c2"]
    other.dispose()


def test_unit_of_work_commits_or_rolls_back(sqlite_engine):
    with pytest.raises(RuntimeError), unit_of_work(sqlite_engine) as s:
        s.add(Campus(code="gone", name="x"))
        s.flush()
        raise RuntimeError("boom")
    with unit_of_work(sqlite_engine) as s:
        s.add(Campus(code="kept", name="y"))
    with unit_of_work(sqlite_engine, read_only=True) as s:
        assert s.execute(select(Campus.code)).scalars().all() == ["kept"]


def test_a_file_that_cannot_do_wal_is_refused(tmp_path, monkeypatch):
    """A database whose pragmas do not stick is refused with a message a person can act on."""
    import db.engine as engine_module

    monkeypatch.setattr(
        engine_module, "_sqlite_on_connect", lambda conn, rec: setattr(conn, "isolation_level", None)
    )
    with pytest.raises(InputInvalid) as raised:
        make_engine(sqlite_url_for(tmp_path / "x.db"), create=True)
    assert raised.value.code == "INPUT_INVALID"
    assert "journal_mode" in raised.value.message_en


@pytest.mark.parametrize(
    ("path", "network"),
    [
        ("\\\\server\\share\\counter.db", True),
        ("//server/share/counter.db", True),
        ("/mnt/nfs/counter.db", True),
        ("/mnt/share/sub/counter.db", True),
        ("/mnt/share/local disk/counter.db", False),  # a local disk mounted inside a share
        ("/var/lib/counter/counter.db", False),
        ("/mnt/nfsish/counter.db", False),  # a prefix of a mount point is not inside it
    ],
)
def test_network_paths_are_recognised(path, network):
    assert is_network_path(path, mounts_text=MOUNTS) is network


def test_database_on_a_network_share_is_refused():
    with pytest.raises(InputInvalid) as raised:
        make_engine("sqlite:////mnt/nfs/counter.db", mounts_text=MOUNTS)
    assert "network share" in raised.value.message_en
    assert "网络共享" in raised.value.message


def test_default_url_is_per_workstation_and_overridable():
    assert default_db_url({"COUNTER_DB_URL": "postgresql+psycopg://h/db"}) == "postgresql+psycopg://h/db"
    url = default_db_url({})
    assert url.startswith("sqlite:///") and url.endswith("counter.db")


def test_unreachable_postgresql_is_db_unreachable():
    started = time.monotonic()
    with pytest.raises(DbUnreachable) as raised:
        make_engine("postgresql+psycopg://nobody:secret@127.0.0.1:1/counter")
    assert raised.value.code == "DB_UNREACHABLE"
    assert "127.0.0.1:1" in raised.value.message_en
    assert "secret" not in str(raised.value)
    assert time.monotonic() - started < 10


def test_naive_datetimes_are_refused(db_engine):
    with pytest.raises(exc.StatementError, match="naive datetime"), unit_of_work(db_engine) as s:
        s.add(Campus(code="c", name="n"))
        s.flush()
        s.add(Workstation(code="W05", campus_id=1, created_at=datetime(2025, 9, 1, 12, 0)))
        s.flush()


def test_times_come_back_aware_and_equal(db_engine, now):
    with unit_of_work(db_engine) as s:
        campus = Campus(code="c", name="n")
        s.add(campus)
        s.flush()
        s.add(Workstation(code="W05", campus_id=campus.id, created_at=now))
    with unit_of_work(db_engine, read_only=True) as s:
        stored = s.execute(select(Workstation.created_at)).scalar_one()
    assert stored.tzinfo is not None and stored == now


def test_pysqlite_itself_is_left_in_autocommit(sqlite_engine):
    # The recipe: pysqlite must not issue its own BEGIN (it would be DEFERRED).
    with sqlite_engine.connect() as conn:
        assert conn.connection.driver_connection.isolation_level is None
        assert isinstance(conn.connection.driver_connection, sqlite3.Connection)


# --- PostgreSQL: a pooled connection is tested before use only after sitting idle ----------------


def _terminate_own_backends(engine) -> None:
    """Drop every server connection of `engine`'s database from outside, as a server restart would."""
    import psycopg
    from sqlalchemy import make_url

    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    with psycopg.connect(host=url.host, port=url.port or 5432, user=url.username,
                         password=url.password or None, dbname="postgres", autocommit=True) as server:  # fmt: skip
        server.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                       "AND pid <> pg_backend_pid()", (url.database,))  # fmt: skip


def _pings(engine, monkeypatch) -> list[int]:
    seen: list[int] = []
    real = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda c: seen.append(1) or real(c))
    return seen


def _backend_pid(engine) -> int:
    with unit_of_work(engine, read_only=True) as s:
        return s.execute(text("SELECT pg_backend_pid()")).scalar_one()


@pytest.mark.pg
def test_a_connection_handed_back_just_now_is_used_without_a_ping(pg_engine, monkeypatch):
    """GIVEN a connection handed back milliseconds ago (a sale's next transaction)
    WHEN it is taken again THEN no ping goes to the server first, and it is the same connection."""
    first = _backend_pid(pg_engine)
    pings = _pings(pg_engine, monkeypatch)
    for _ in range(5):
        assert _backend_pid(pg_engine) == first
    assert pings == []


@pytest.mark.pg
def test_an_idle_connection_the_server_dropped_is_renewed_before_use(pg_engine, monkeypatch):
    """GIVEN a pooled connection idle longer than IDLE_BEFORE_PING_S, then dropped by the server
    (a restart while the counter stood idle) WHEN the next unit of work runs THEN the ping finds it
    gone and the work runs on a new connection, no error reaching the cashier."""
    import db.engine as engine_module

    first = _backend_pid(pg_engine)
    _terminate_own_backends(pg_engine)
    monkeypatch.setattr(engine_module, "IDLE_BEFORE_PING_S", 0.0)
    pings = _pings(pg_engine, monkeypatch)
    assert _backend_pid(pg_engine) != first
    assert pings == [1]


@pytest.mark.pg
def test_a_connection_dropped_within_a_sale_fails_once_then_the_pool_renews(pg_engine):
    """GIVEN a connection dropped moments after use (no ping: it was handed back just now) WHEN the
    next unit of work runs THEN it fails as DB_UNREACHABLE, a coded error, not a traceback; and the
    unit after it runs on a new connection."""
    first = _backend_pid(pg_engine)
    _terminate_own_backends(pg_engine)
    with pytest.raises(DbUnreachable):
        _backend_pid(pg_engine)
    assert _backend_pid(pg_engine) != first


# --- look-ups: a short read with no transaction on PostgreSQL ----------------------------------------


def _in_transaction(session) -> bool:
    """Whether the driver connection under `session` is inside a transaction now."""
    raw = session.connection().connection.dbapi_connection
    if hasattr(raw, "info"):  # psycopg
        import psycopg

        return raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE
    return raw.in_transaction  # sqlite3


@pytest.mark.pg
def test_a_look_up_on_postgresql_runs_no_transaction(pg_engine):
    """GIVEN a server at READ COMMITTED WHEN a look-up reads THEN no transaction is open around its
    statements (no BEGIN, no ROLLBACK round trips)."""
    from db.session import look_up

    with look_up(pg_engine) as s:
        assert s.execute(text("SELECT count(*) FROM campuses")).scalar_one() == 0
        assert not _in_transaction(s)


@pytest.mark.pg
def test_a_write_in_a_look_up_is_refused_and_nothing_stays(pg_engine, now):
    """GIVEN a look-up (autocommit: a write would stand at once, a row lock be let go at once) WHEN
    something in it writes, or locks rows THEN it is refused before it reaches the server, and
    nothing was written."""
    from db.session import look_up

    with pytest.raises(RuntimeError, match="may only read"):
        with look_up(pg_engine) as s:
            s.add(Campus(code="X", name="x"))
            s.flush()
    with unit_of_work(pg_engine, read_only=True) as s:
        assert s.scalars(select(Campus)).all() == []
    with pytest.raises(RuntimeError, match="may only read"):  # a row lock would be let go at once
        with look_up(pg_engine) as s:
            s.execute(select(Campus).with_for_update())


@pytest.mark.pg
def test_after_a_look_up_the_same_connection_writes_in_a_transaction_again(pg_engine):
    """GIVEN a pooled connection a look-up just used in autocommit WHEN a unit of work takes it and
    fails THEN its write is rolled back: the connection went back to transactions."""
    from db.session import look_up

    with look_up(pg_engine) as s:
        pid = s.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with pytest.raises(LookupError):
        with unit_of_work(pg_engine) as s:
            assert s.execute(text("SELECT pg_backend_pid()")).scalar_one() == pid
            assert _in_transaction(s)
            s.add(Campus(code="Y", name="y"))
            s.flush()
            raise LookupError("the operation fails after its write")
    with unit_of_work(pg_engine, read_only=True) as s:
        assert s.scalars(select(Campus)).all() == []


@pytest.mark.pg
def test_a_server_at_another_isolation_keeps_look_ups_in_a_transaction(pg_url):
    """GIVEN a server whose default isolation is REPEATABLE READ (a look-up's statements would then
    share one snapshot in a transaction) WHEN a look-up runs THEN it runs in a transaction."""
    from db.session import look_up

    engine = make_engine(pg_url + "?options=-c%20default_transaction_isolation%3Drepeatable%5C%20read")
    try:
        with look_up(engine) as s:
            assert s.execute(text("SHOW transaction_isolation")).scalar_one() == "repeatable read"
            assert _in_transaction(s)
    finally:
        engine.dispose()


def test_a_look_up_on_sqlite_is_a_read_transaction(sqlite_engine):
    """GIVEN SQLite (a read transaction is one snapshot and costs no round trip) WHEN a look-up reads
    THEN it reads in a transaction."""
    from db.session import look_up

    with look_up(sqlite_engine) as s:
        s.execute(select(Campus)).all()
        assert _in_transaction(s)


@pytest.mark.pg
def test_postgresql_connections_plan_every_execution_and_keep_given_options(pg_url):
    """GIVEN the counter's PostgreSQL engine, with options of the URL's own WHEN a connection asks
    THEN prepared statements are planned per execution (a generic plan made from a new database's
    statistics kept the print queue's read quadratic) and the URL's options still hold."""
    engine = make_engine(pg_url + "?options=-c%20statement_timeout%3D7000")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW plan_cache_mode")).scalar_one() == "force_custom_plan"
            assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "7s"
    finally:
        engine.dispose()
