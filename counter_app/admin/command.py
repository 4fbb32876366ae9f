"""What a `counter-admin` handler is given, and the one way it opens the database as `--as`.

A handler takes a `CommandContext` (the parsed arguments, the secrets read from stdin, the output)
and returns the exit code; it raises `UserFacingError` for anything a person can fix (exit 1).
Handlers stay thin: they print; the work is done by the service functions beside them, on an
`AdminSession` (counter_app/admin/door.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from base.errors import ApprovalRequired
from counter_app.admin.door import AdminSession, open_admin
from counter_app.admin.output import Output
from counter_app.admin.passwords import Credentials
from counter_app.approvals import Approval
from counter_app.imports.accounts_file import RoomKey
from counter_app.imports.accounts_plan import ExistingRoom

if TYPE_CHECKING:
    import argon2  # annotations only: argon2 loads when a password is hashed or checked (auth.py)

# Given the campuses a file covers, the rooms the database knows there (see accounts_plan).
ExistingRooms = Callable[[frozenset[str]], Mapping[RoomKey, ExistingRoom]]


@dataclass(frozen=True)
class Invocation:
    """What a command brings from the command line: where, who, and the secrets read."""

    db_url: str | None
    keystore: str | None
    environ: Mapping[str, str]
    actor: str | None = None
    actor_password: str | None = None
    approver: str | None = None
    approver_password: str | None = None
    hasher: argon2.PasswordHasher | None = None

    @property
    def approval(self) -> Approval | None:
        if not self.approver:
            return None
        return Approval(name=self.approver, password=self.approver_password or "")

    def open(self) -> AdminSession:
        """The database of `--db` with the keys of `--keystore`; nobody logged in yet."""
        return open_admin(self.db_url, keystore=self.keystore, environ=self.environ, hasher=self.hasher)


@contextmanager
def acting(invocation: Invocation) -> Iterator[AdminSession]:
    """The database opened and `--as` authenticated; closed when the block ends."""
    with invocation.open() as admin:
        admin.login(invocation.actor or "", invocation.actor_password or "")
        yield admin


@dataclass
class CommandContext:
    args: argparse.Namespace
    credentials: Credentials
    out: Output
    db_url: str | None = None
    keystore: str | None = None  # "file:PATH", or None for the OS keyring
    existing_rooms: ExistingRooms | None = None  # replaces the database's rooms (tests)
    environ: Mapping[str, str] = field(default_factory=dict)  # COUNTER_CLOCK (development databases)
    hasher: argon2.PasswordHasher | None = None  # tests pass a cheap one; None = the default

    def invocation(self) -> Invocation:
        c = self.credentials
        return Invocation(db_url=self.db_url, keystore=self.keystore, environ=self.environ, actor=c.actor,
                          actor_password=c.actor_password, approver=c.approver,
                          approver_password=c.approver_password, hasher=self.hasher)  # fmt: skip

    @property
    def approval(self) -> Approval | None:
        return self.invocation().approval


Handler = Callable[[CommandContext], int]


def required(approval: Approval | None) -> Approval:
    """The co-signature an operation cannot go without (the grammar asks for it up front; a
    service called otherwise refuses the same way)."""
    if approval is None:
        raise ApprovalRequired("请用 --approver 指定监督人", detail_en="name the co-signer with --approver")
    return approval


def iso(moment: date | datetime) -> str:
    return moment.isoformat()
