"""`counter-admin keys set-device-secret dlt645_password` (issue 17 §2: the DL/T 645 remote-control
password lives in the keystore, not in a setting): co-signed, typed twice as hex, stored in this
PC's keystore, audited by kind only, never printed, exported and imported with the keys."""

from __future__ import annotations

import json

import pytest

from cli.admincli import AdminDb
from counter_app.admin.grammar import DEVICE_SECRET_KINDS
from counter_app.keystore import DEVICE_SECRETS, keystore_from_spec


@pytest.fixture
def db(tmp_path):
    return AdminDb.create(tmp_path)


def test_the_grammar_names_every_device_secret():
    assert set(DEVICE_SECRET_KINDS) == set(DEVICE_SECRETS)


def test_set_the_password_co_signed_stored_and_never_shown(db, tmp_path):
    store = keystore_from_spec(db.keystore)
    alone = db.run("keys", "set-device-secret", "dlt645_password", as_="admin", stdin_extra="02123456\n" * 2)
    assert alone.code != 0 and store.get("dlt645_password") is None  # APPROVAL_REQUIRED
    differ = db.run("keys", "set-device-secret", "dlt645_password", as_="admin", approver="zhao",
                    stdin_extra="02123456\n02123457\n")  # fmt: skip
    assert differ.code != 0 and store.get("dlt645_password") is None
    short = db.run("keys", "set-device-secret", "dlt645_password", as_="admin", approver="zhao",
                   stdin_extra="021234\n" * 2)  # fmt: skip
    assert short.code != 0 and "021234" not in short.stdout + short.stderr
    done = db.run("keys", "set-device-secret", "dlt645_password", as_="admin", approver="zhao",
                  stdin_extra="02 12 34 56\n" * 2)  # fmt: skip
    assert done.code == 0, done.stderr
    assert store.get("dlt645_password") == bytes.fromhex("02123456")
    assert "02123456" not in done.stdout + done.stderr and "12 34" not in done.stdout
    assert db.run("audit", "verify", as_="admin").code == 0
    # exported with the keys, so a second counter PC can switch too
    out = tmp_path / "keys.bin"
    assert db.run("keys", "export", "--out", str(out), as_="admin", approver="zhao",
                  stdin_extra="pass-phrase-1\n" * 2).code == 0  # fmt: skip
    other = AdminDb(db.db_url, f"file:{tmp_path / 'pc2-keys.json'}", tmp_path, dict(db.passwords))
    assert other.run("keys", "import", str(out), as_="admin", stdin_extra="pass-phrase-1\n").code == 0
    stored = json.loads((tmp_path / "pc2-keys.json").read_text())["keys"]
    assert "dlt645_password" in stored
    assert keystore_from_spec(other.keystore).get("dlt645_password") == bytes.fromhex("02123456")
