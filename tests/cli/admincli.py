"""Running `counter-admin` end to end in tests: a real SQLite file (or PostgreSQL), a development
key file, the cheapest argon2 profile, passwords on stdin.

    db = AdminDb.create(tmp_path)                  # counter-admin init --admin admin --head zhao --dev
    r = db.run("operator", "add", "li", "--role", "cashier", as_="admin", approver="zhao", new="pw-li-123")
    assert r.code == 0, r.stderr
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import argon2

from counter_app.admin.cli import main
from db.engine import make_engine, sqlite_url_for

CHEAP = argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
PASSWORD = "secret-123"
CLOCK = "2026-11-23T09:00:00+08:00"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


@dataclass
class AdminDb:
    db_url: str
    keystore: str
    tmp: Path
    passwords: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(cls, tmp_path: Path, db_url: str | None = None) -> AdminDb:
        db = cls(
            db_url or sqlite_url_for(tmp_path / "counter.db"), f"file:{tmp_path / 'keys.json'}", tmp_path
        )
        r = db.raw(["init", "--admin", "admin", "--head", "zhao", "--dev"], stdin=f"{PASSWORD}\n" * 4)
        assert r.code == 0, r.stderr
        db.passwords.update(admin=PASSWORD, zhao=PASSWORD)
        return db

    def raw(self, argv: list[str], stdin: str = "", environ: dict[str, str] | None = None) -> Run:
        streams = io.StringIO(stdin), io.StringIO(), io.StringIO()
        env = {"COUNTER_CLOCK": CLOCK, **(environ or {})}
        code = main(["--db", self.db_url, "--keystore", self.keystore, *argv], stdin=streams[0],
                    stdout=streams[1], stderr=streams[2], environ=env, hasher=CHEAP)  # fmt: skip
        return Run(code, streams[1].getvalue(), streams[2].getvalue())

    def run(self, *argv: str, as_: str | None = None, approver: str | None = None, new: str | None = None,
            stdin_extra: str = "", approver_password: str | None = None) -> Run:  # fmt: skip
        args, lines = list(argv), []
        if as_:
            args += ["--as", as_]
            lines.append(self.passwords.get(as_, PASSWORD))
        if approver:
            args += ["--approver", approver]
            lines.append(approver_password or self.passwords.get(approver, PASSWORD))
        if new:
            lines += [new, new]
        return self.raw(args, "".join(f"{line}\n" for line in lines) + stdin_extra)

    def add_people(self) -> None:
        """li 监督人 (standing supervisor role), wang 部门助理, zhang 营业员, qian 财务."""
        for name, role in (
            ("li", "supervisor"),
            ("wang", "assistant"),
            ("zhang", "cashier"),
            ("qian", "finance"),
        ):
            r = self.run("operator", "add", name, "--role", role, as_="admin", approver="zhao", new=PASSWORD)
            assert r.code == 0, r.stderr
            self.passwords[name] = PASSWORD

    def add_campuses(self, *names: str) -> None:
        """Register the campuses an import names (an import never creates one): a workstation each."""
        for i, name in enumerate(names or ("东校区", "西校区"), start=1):
            r = self.run("workstation", "add", f"C{i:02d}", "--campus", name, as_="admin", approver="zhao")
            assert r.code == 0, r.stderr

    def engine(self):
        return make_engine(self.db_url)
