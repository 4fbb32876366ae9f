"""Keys: the keyring path for real (an in-memory backend), refused backends, the development
file, fingerprints at open, export/import under a passphrase."""

from __future__ import annotations

import os
import stat

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.null
import pytest

from base.errors import InputInvalid, KeyMissing
from counter_app.keystore import (
    KEY_KINDS,
    FileKeystore,
    KeyringKeystore,
    Keys,
    export_keys,
    import_keys,
    init_keys,
    keystore_from_spec,
    open_keys,
)
from security.helpers import work


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_keyring_path_init_then_open(memory_keyring, engine, clock, keys):
    store = keystore_from_spec(None, database_id="db-1", environ={})
    assert isinstance(store, KeyringKeystore) and not store.is_development
    with work(engine, keys) as session:
        created = init_keys(session, store, clock=clock)
    assert {user for service, user in memory_keyring.store if service == "counter-app/db-1"} == set(KEY_KINDS)
    with work(engine, keys) as session:
        assert open_keys(session, store) == created
    assert len(created.receipt_public_key_bytes()) == 32


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring()])
def test_fail_and_null_backends_are_refused(backend):
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        store = KeyringKeystore(database_id="x")
        with pytest.raises(KeyMissing) as err:
            store.put("audit_hmac", os.urandom(32))
        assert "钥匙串" in err.value.message
        with pytest.raises(KeyMissing):
            store.get("audit_hmac")
    finally:
        keyring.set_keyring(previous)


def test_a_backend_that_forgets_is_caught_at_write():
    class Forgetful(MemoryKeyring):
        def set_password(self, service, username, password):
            pass

    with pytest.raises(KeyMissing, match="读不回来"):
        KeyringKeystore(database_id="x", backend=Forgetful()).put("card_mac", os.urandom(32))


def test_file_keystore_is_development_and_private(tmp_path):
    store = keystore_from_spec(f"file:{tmp_path / 'dev-keys.json'}")
    assert isinstance(store, FileKeystore) and store.is_development
    value = os.urandom(32)
    store.put("psc_master", value)
    assert store.get("psc_master") == value
    assert stat.S_IMODE(os.stat(tmp_path / "dev-keys.json").st_mode) == 0o600


def test_spec_from_environment_and_bad_spec(tmp_path):
    store = keystore_from_spec(None, environ={"COUNTER_KEYSTORE": f"file:{tmp_path / 'k.json'}"})
    assert isinstance(store, FileKeystore)
    with pytest.raises(InputInvalid):
        keystore_from_spec("vault:somewhere")


def test_wrong_key_is_named(engine, clock, keys, tmp_path):
    store = FileKeystore(tmp_path / "k.json")
    with work(engine, keys) as session:
        init_keys(session, store, clock=clock)
    store.put("card_mac", os.urandom(32))  # someone swapped one key
    with work(engine, keys) as session, pytest.raises(KeyMissing) as err:
        open_keys(session, store)
    assert err.value.data["key"] == "card_mac"
    assert "卡片MAC密钥" in err.value.message


def test_missing_key_is_named(engine, clock, keys, tmp_path):
    with work(engine, keys) as session:
        init_keys(session, FileKeystore(tmp_path / "k.json"), clock=clock)
    empty = FileKeystore(tmp_path / "other.json")
    with work(engine, keys) as session, pytest.raises(KeyMissing) as err:
        open_keys(session, empty)
    assert err.value.data["key"] == "audit_hmac"


def test_uninitialised_database_has_no_fingerprints(engine, keys, tmp_path):
    with work(engine, keys) as session, pytest.raises(KeyMissing, match="指纹"):
        open_keys(session, FileKeystore(tmp_path / "k.json"))


def test_export_import_round_trip(tmp_path):
    source = FileKeystore(tmp_path / "a.json")
    original = Keys.generate()
    for kind, value in original.as_dict().items():
        source.put(kind, value)
    blob = export_keys(source, "long passphrase")
    target = FileKeystore(tmp_path / "b.json")
    assert import_keys(blob, "long passphrase", into=target) == KEY_KINDS
    assert {kind: target.get(kind) for kind in KEY_KINDS} == original.as_dict()


def test_wrong_passphrase_writes_nothing(tmp_path):
    source = FileKeystore(tmp_path / "a.json")
    for kind, value in Keys.generate().as_dict().items():
        source.put(kind, value)
    blob = export_keys(source, "long passphrase")
    target = FileKeystore(tmp_path / "b.json")
    with pytest.raises(InputInvalid, match="口令"):
        import_keys(blob, "wrong passphrase", into=target)
    with pytest.raises(InputInvalid):
        import_keys(blob[:-1] + bytes([blob[-1] ^ 1]), "long passphrase", into=target)
    assert not (tmp_path / "b.json").exists()


def test_import_refuses_to_overwrite_different_keys(tmp_path):
    source, target = FileKeystore(tmp_path / "a.json"), FileKeystore(tmp_path / "b.json")
    for kind, value in Keys.generate().as_dict().items():
        source.put(kind, value)
    target.put("audit_hmac", os.urandom(32))
    before = target.get("audit_hmac")
    with pytest.raises(InputInvalid, match="已存在"):
        import_keys(export_keys(source, "long passphrase"), "long passphrase", into=target)
    assert target.get("audit_hmac") == before and target.get("card_mac") is None


def test_keys_repr_hides_secrets():
    keys = Keys.generate()
    assert keys.audit_hmac.hex() not in repr(keys)
