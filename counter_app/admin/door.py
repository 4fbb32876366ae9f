"""`open_admin`: the administrator's door, beside `open_counter` (counter_app/counter.py).

`counter-admin` reaches an initialised database through here and nowhere else: the engine (schema
checked, never migrated: that is `db upgrade`'s job), the installation and its keys (each checked
against its fingerprint), the clock (COUNTER_CLOCK only on a development database, API.md
"Command line") and, once a command has named one with `--as`, the acting operator.

    with open_admin(db_url, keystore="file:keys.json") as admin:
        admin.login("admin", password)          # lockout and attempts as at a counter
        services(admin.ctx, …)                  # an OpContext with no workstation

The command line is not a counter: `admin.ctx.station` is None (see counter_app/context.py for
why, and for what that records). The one command that acts at a counter (`notice add`) asks for
`admin.at_counter(station)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Engine

from base.clock import Clock, clock_from_env, system_clock
from counter_app.auth import AuthenticatedOperator, authenticate
from counter_app.context import OpContext, WorkstationRef
from counter_app.devices import Devices
from counter_app.installation import InstallationInfo, keystore_for, load_keys, read_installation
from counter_app.keystore import Keys, Keystore, open_keys
from db.engine import make_engine, sqlite_file_of
from db.errors import translated_db_errors
from db.migrate import check_schema
from db.session import unit_of_work

if TYPE_CHECKING:
    import argon2  # annotations only: argon2 loads when a password is hashed or checked (auth.py)


class Acting(Protocol):
    """What the people, prices and workstation services read of their caller: the context to act
    in. An `AdminSession` (the command line, at no workstation) or the workstation's facade
    (counter_app/ops/people_admin.py, at a counter): one service for both."""

    @property
    def ctx(self) -> OpContext: ...


@dataclass
class AdminSession:
    """An open database for the administrator: its keys, its clock, the acting operator once
    `login` has checked one. Close it (or use it as a context manager) to release the engine."""

    engine: Engine
    keys: Keys
    info: InstallationInfo
    keystore: Keystore  # where this PC keeps the keys (`keys export` reads it, `keys import` fills it)
    clock: Clock
    hasher: argon2.PasswordHasher | None = None  # None: the production argon2 parameters
    operator: AuthenticatedOperator | None = None
    devices: Devices = field(default_factory=Devices)  # none: the command line drives no device

    @property
    def ctx(self) -> OpContext:
        """What the services take: this database, acting as `operator`, at no workstation."""
        return OpContext(engine=self.engine, keys=self.keys, clock=self.clock, station=None,
                         devices=self.devices, dev_database=self.info.dev, operator=self.operator,
                         hasher=self.hasher)  # fmt: skip

    def at_counter(self, station: WorkstationRef) -> OpContext:
        """`ctx` as if at `station`: for a step numbered per counter (a notice's number)."""
        return replace(self.ctx, station=station)

    def login(self, name: str, password: str) -> AuthenticatedOperator:
        """`--as`, checked like a login at a counter (lockout, attempts recorded, refusals kept)."""
        ctx = self.ctx
        with ctx.uow() as s:
            self.operator = authenticate(s, name=name, password=password, workstation=ctx.place,
                                         clock=self.clock, hasher=self.hasher)  # fmt: skip
        return self.operator

    def close(self) -> None:
        self.devices.close()  # the meter bus ports `meter poll` opened
        self.engine.dispose()

    def __enter__(self) -> AdminSession:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def choose_clock(dev: bool, environ: Mapping[str, str] | None = None) -> Clock:
    """COUNTER_CLOCK (from `environ`, else the process environment) only on a development database."""
    from_env = clock_from_env(None if environ is None else dict(environ))
    return from_env if (from_env is not None and dev) else system_clock


def open_admin(
    db_url: str | None = None,
    *,
    keystore: str | None = None,
    clock: Clock | None = None,
    environ: Mapping[str, str] | None = None,
    hasher: argon2.PasswordHasher | None = None,
    keys_from: Keystore | None = None,
) -> AdminSession:
    """The database at `db_url` (None: COUNTER_DB_URL or the local file) opened for administration.

    `keystore` is the key store spec (`file:PATH`; None: the OS keyring). `keys_from` reads the keys
    from another store instead (`keys import` checks the keys of an export file against the
    database before writing them into `keystore`). `clock` replaces the chosen clock (tests);
    `environ` is where COUNTER_CLOCK is looked up. Raises KEY_MISSING for a database that is not
    initialised, and the schema errors of `db.migrate.check_schema`.
    """
    engine = make_engine(db_url)
    try:
        with translated_db_errors(url=engine.url, path=sqlite_file_of(engine)):
            return admin_on(engine, keystore=keystore, clock=clock, environ=environ, hasher=hasher,
                            keys_from=keys_from)  # fmt: skip
    except BaseException:
        engine.dispose()
        raise


def admin_on(
    engine: Engine,
    *,
    keystore: str | None = None,
    clock: Clock | None = None,
    environ: Mapping[str, str] | None = None,
    hasher: argon2.PasswordHasher | None = None,
    keys_from: Keystore | None = None,
) -> AdminSession:
    """`open_admin` on an engine the caller already holds (a restore keeps one engine on the file
    it copies into); closing the session disposes it."""
    check_schema(engine)
    if keys_from is None:
        keys, info, store = load_keys(engine, keystore)
    else:
        with unit_of_work(engine, read_only=True) as s:
            keys = open_keys(s, keys_from)
            info = read_installation(s)
            store = keystore_for(s, keystore)
    chosen = clock if clock is not None else choose_clock(info.dev, environ)
    return AdminSession(engine, keys, info, store, chosen, hasher)
