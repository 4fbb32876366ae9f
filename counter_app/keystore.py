"""The counter's secret keys: where they live, how they are checked, backed up and restored.

Four keys, 32 random bytes each: the audit HMAC key, the card MAC key, the PSC master key, and the
Ed25519 seed of the receipt signing key (the public key is derived from it).

Two stores, chosen explicitly (`keystore_from_spec`), never by silent fallback:
- the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service), one entry per key,
  base64, under the service "counter-app/<database id>". A missing backend (keyring's `fail`
  backend) or one that silently discards secrets (`null`) raises KeyMissing: a counter that
  forgot its keys after a restart would be worse than one that refuses to start.
- a development file (`file:PATH`, JSON, mode 0600), marked `is_development = True` so self-test
  reports the installation as non-production.

The database keeps a truncated SHA-256 fingerprint of each key (`key_fingerprints`); `open_keys`
names the key that is missing or wrong. Services find the keys on their session:
`bind_keys(session, keys)` at the composition root, `keys_of(session)` where needed (or pass
`info={KEYS_INFO: keys}` to the sessionmaker).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import select
from sqlalchemy.orm import Session

from base.clock import Clock
from base.errors import InputInvalid, KeyMissing, UserFacingError
from base.files import write_private_atomic
from db.models.security import KeyFingerprint

if TYPE_CHECKING:
    import keyring.backend

log = logging.getLogger(__name__)

KEY_KINDS = ("audit_hmac", "card_mac", "psc_master", "receipt_signing")
KEY_LABELS = {
    "audit_hmac": "审计链密钥",
    "card_mac": "卡片MAC密钥",
    "psc_master": "卡密码(PSC)主密钥",
    "receipt_signing": "收据签名私钥",
}
KEY_BYTES = 32
KEYS_INFO = "counter.keys"
# Secrets shared with devices, not generated here: set by a person (`counter-admin keys set-device-
# secret`, co-signed), kept in the same store as the keys, read when used, never shown and never
# fingerprinted (a 4-byte password's fingerprint would give it away to a 2^32 search). Optional: a
# counter opens without them; the operation that needs one refuses with KEY_MISSING naming it.
DEVICE_SECRETS = {"dlt645_password": 4}  # kind: length in bytes
DEVICE_SECRET_LABELS = {"dlt645_password": "DL/T 645 远程控制密码（PA P0 P1 P2）"}
# Windows Credential Manager refuses blobs over 2560 bytes (jaraco/keyring#355, #540).
WINDOWS_BLOB_LIMIT = 2560


@dataclass(frozen=True)
class Keys:
    """The four secrets, checked against the database's fingerprints. Never logged (repr hides)."""

    audit_hmac: bytes = field(repr=False)
    card_mac: bytes = field(repr=False)
    psc_master: bytes = field(repr=False)
    receipt_signing: bytes = field(repr=False)
    # the store the keys came from: device secrets are read from it when used (`device_secret`)
    store: Keystore | None = field(default=None, repr=False, compare=False)

    def device_secret(self, kind: str) -> bytes | None:
        """A device secret (DEVICE_SECRETS) as the store holds it now; None when it is not set."""
        if self.store is None:
            return None
        value = self.store.get(kind)
        return None if value is None else checked_device_secret(kind, value)

    def require_device_secret(self, kind: str) -> bytes:
        value = self.device_secret(kind)
        if value is None:
            where = self.store.description if self.store is not None else "密钥库"
            raise KeyMissing(
                f"{DEVICE_SECRET_LABELS[kind]}未设置（{where}）；请用 counter-admin keys set-device-secret {kind} 设置",
                detail_en=f"{kind} is not set in the keystore (counter-admin keys set-device-secret {kind})",
                data={"key": kind},
            )
        return value

    @classmethod
    def generate(cls) -> Keys:
        new = {kind: secrets.token_bytes(KEY_BYTES) for kind in KEY_KINDS}
        return cls(new["audit_hmac"], new["card_mac"], new["psc_master"], new["receipt_signing"])

    def as_dict(self) -> dict[str, bytes]:
        return {kind: getattr(self, kind) for kind in KEY_KINDS}

    def receipt_private_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.receipt_signing)

    def receipt_public_key_bytes(self) -> bytes:
        return (
            self.receipt_private_key()
            .public_key()
            .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        )


class Keystore(Protocol):
    is_development: bool
    description: str

    def get(self, kind: str) -> bytes | None: ...

    def put(self, kind: str, value: bytes) -> None: ...


def checked_device_secret(kind: str, value: bytes) -> bytes:
    """`value` when it is a device secret of the right length; InputInvalid (never the value) else."""
    if kind not in DEVICE_SECRETS:
        raise InputInvalid(
            f"没有这个设备密钥：{kind}", detail_en=f"unknown device secret {kind}", field="kind"
        )
    if len(value) != DEVICE_SECRETS[kind]:
        raise InputInvalid(f"{DEVICE_SECRET_LABELS[kind]}应为 {DEVICE_SECRETS[kind]} 字节",
                           detail_en=f"{kind} must be {DEVICE_SECRETS[kind]} bytes", field="kind")  # fmt: skip
    return value


def set_device_secret(keystore: Keystore, kind: str, value: bytes) -> None:
    keystore.put(kind, checked_device_secret(kind, value))


def _missing(kind: str, why_zh: str, why_en: str) -> UserFacingError:  # a KeyMissing
    label = KEY_LABELS.get(kind, kind)
    return KeyMissing(f"{label}（{kind}）{why_zh}", detail_en=f"{kind}: {why_en}", data={"key": kind})


def _decode_b64(kind: str, text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise _missing(kind, "已损坏（不是 base64）", "stored value is not base64") from exc


# --- the OS keyring ---------------------------------------------------------------------------


class KeyringKeystore:
    """One keyring entry per key under "counter-app/<database id>"."""

    is_development = False

    def __init__(self, *, database_id: str, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self.service = f"counter-app/{database_id}"
        self._backend = backend
        self.description = f"系统钥匙串 {self.service}"

    def _usable_backend(self) -> keyring.backend.KeyringBackend:
        # keyring (and the backends it discovers) is imported only when the OS keyring is used: a
        # slow import a development key file never needs, kept off the window's start (issue 16).
        import keyring
        import keyring.backends.fail
        import keyring.backends.null

        backend = self._backend if self._backend is not None else keyring.get_keyring()
        if isinstance(backend, keyring.backends.fail.Keyring):
            raise KeyMissing(
                "本机没有可用的系统钥匙串（keyring 无后端），无法保存或读取密钥；"
                "请在有钥匙串的账户下运行，或开发时使用 --keystore file:路径",
                detail_en="no OS keyring backend is available (keyring fail backend)",
            )
        if isinstance(backend, keyring.backends.null.Keyring):
            raise KeyMissing(
                "系统钥匙串被设置为 null 后端（会静默丢弃密钥），拒绝使用；请检查 PYTHON_KEYRING_BACKEND",
                detail_en="the keyring null backend silently discards secrets; refused",
            )
        return backend

    def get(self, kind: str) -> bytes | None:
        import keyring.errors  # deferred with keyring itself (_usable_backend)

        backend = self._usable_backend()
        try:
            text = backend.get_password(self.service, kind)
        except keyring.errors.KeyringError as exc:
            raise _missing(
                kind, f"无法从系统钥匙串读取：{type(exc).__name__}", f"keyring read failed: {exc}"
            ) from exc
        return None if text is None else _decode_b64(kind, text)

    def put(self, kind: str, value: bytes) -> None:
        import keyring.errors  # deferred with keyring itself (_usable_backend)

        backend = self._usable_backend()
        text = base64.b64encode(value).decode("ascii")
        if len(text.encode("utf-16-le")) > WINDOWS_BLOB_LIMIT:
            raise _missing(kind, "过长，系统钥匙串无法保存", "too long for the Windows credential store")
        try:
            backend.set_password(self.service, kind, text)
        except keyring.errors.KeyringError as exc:
            raise _missing(
                kind, f"无法写入系统钥匙串：{type(exc).__name__}", f"keyring write failed: {exc}"
            ) from exc
        # Read back: a backend that accepts and forgets must fail here, not after a restart.
        if self.get(kind) != value:
            raise _missing(kind, "写入系统钥匙串后读不回来", "keyring did not keep the value")


# --- the development file -----------------------------------------------------------------------

_FILE_FORMAT = "counter-dev-keystore"


class FileKeystore:
    """Keys in a JSON file (mode 0600). Development only; self-test says so."""

    is_development = True

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.description = f"开发用密钥文件 {self.path}"

    def _load(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise KeyMissing(
                f"开发用密钥文件无法读取：{self.path}", detail_en=f"unreadable key file {self.path}"
            ) from exc
        if (
            not isinstance(doc, dict)
            or doc.get("format") != _FILE_FORMAT
            or not isinstance(doc.get("keys"), dict)
        ):
            raise KeyMissing(
                f"不是开发用密钥文件：{self.path}", detail_en=f"not a development key file: {self.path}"
            )
        return dict(doc["keys"])

    def get(self, kind: str) -> bytes | None:
        text = self._load().get(kind)
        return None if text is None else _decode_b64(kind, text)

    def put(self, kind: str, value: bytes) -> None:
        stored = self._load()
        stored[kind] = base64.b64encode(value).decode("ascii")
        doc = {"format": _FILE_FORMAT, "version": 1, "development": True, "keys": stored}
        _write_private(self.path, json.dumps(doc, indent=2, sort_keys=True).encode("utf-8"))


def _write_private(path: Path, data: bytes) -> None:
    """Write atomically, readable by the owner only (a crash never leaves half a key file)."""
    write_private_atomic(path, data, prefix=".keys-")


def keystore_from_spec(
    spec: str | None = None, *, database_id: str = "default", environ: Mapping[str, str] | None = None
) -> Keystore:
    """None (or "keyring") = the OS keyring; "file:PATH" = a development key file.

    When `spec` is None, COUNTER_KEYSTORE is honoured. Anything else is refused: a typo must not
    quietly select a different store.
    """
    env = os.environ if environ is None else environ
    spec = spec or env.get("COUNTER_KEYSTORE") or None
    if spec is None or spec == "keyring":
        return KeyringKeystore(database_id=database_id)
    if spec.startswith("file:") and len(spec) > len("file:"):
        return FileKeystore(Path(spec[len("file:") :]).expanduser())
    raise InputInvalid(
        f"密钥库设置无效：{spec!r}（应为 keyring 或 file:路径）", detail_en=f"invalid keystore spec {spec!r}"
    )


# --- fingerprints: which keys belong to this database ---------------------------------------


def fingerprint(kind: str, value: bytes) -> str:
    """Truncated SHA-256 (64 bits), domain-separated so it is never a plain hash of the key."""
    return hashlib.sha256(b"counter-key-fingerprint/v1/" + kind.encode() + b"/" + value).hexdigest()[:16]


def init_keys(session: Session, keystore: Keystore, *, clock: Clock) -> Keys:
    """At database creation: keep keys already in the store (e.g. imported), create the others,
    and record every fingerprint. Refused when the database already has fingerprints."""
    if session.scalar(select(KeyFingerprint.id).limit(1)) is not None:
        raise InputInvalid(
            "数据库已有密钥指纹，不能重新生成密钥", detail_en="database already has key fingerprints"
        )
    values: dict[str, bytes] = {}
    for kind in KEY_KINDS:
        value = keystore.get(kind)
        if value is None:
            value = secrets.token_bytes(KEY_BYTES)
            keystore.put(kind, value)
        values[kind] = _checked_length(kind, value)
    now = clock()
    for kind, value in values.items():
        session.add(KeyFingerprint(key_kind=kind, fingerprint=fingerprint(kind, value), created_at=now))
    session.flush()
    log.info("keys initialised in %s", keystore.description)
    return Keys(**values, store=keystore)


def open_keys(session: Session, keystore: Keystore) -> Keys:
    """The keys of this database, each checked against its fingerprint; KeyMissing names the key."""
    expected = dict(
        session.execute(select(KeyFingerprint.key_kind, KeyFingerprint.fingerprint)).tuples().all()
    )
    if not expected:
        raise KeyMissing(
            "数据库中没有密钥指纹（数据库未初始化？）", detail_en="no key fingerprints in the database"
        )
    values: dict[str, bytes] = {}
    for kind in KEY_KINDS:
        value = keystore.get(kind)
        if value is None:
            raise _missing(kind, f"不在{keystore.description}中", f"not in {keystore.description}")
        if kind not in expected:
            raise _missing(kind, "在数据库中没有指纹", "no fingerprint in the database")
        if fingerprint(kind, value) != expected[kind]:
            raise _missing(
                kind, "与数据库创建时的密钥不一致（换了钥匙串或密钥文件？）", "does not match the database"
            )
        values[kind] = value
    return Keys(**values, store=keystore)


def _checked_length(kind: str, value: bytes) -> bytes:
    if len(value) != KEY_BYTES:
        raise _missing(kind, f"长度应为 {KEY_BYTES} 字节", f"must be {KEY_BYTES} bytes")
    return value


def bind_keys(session: Session, keys: Keys) -> None:
    session.info[KEYS_INFO] = keys


def keys_of(session: Session) -> Keys:
    keys = session.info.get(KEYS_INFO)
    if not isinstance(keys, Keys):
        raise KeyMissing("本次数据库会话没有加载密钥", detail_en="no keys bound to this database session")
    return keys


# --- export / import under a passphrase ------------------------------------------------------

# Header: magic, format version, log2 of scrypt's N, salt, nonce. The header is the AES-GCM
# associated data, so a changed header fails like a wrong passphrase.
_MAGIC = b"CNTRKEYS"
_VERSION = 1
_LOG2_N = 15  # scrypt N = 32768, r = 8: 32 MiB, about 0.1 s; raise with the version if needed
_SALT_BYTES = 16
_NONCE_BYTES = 12
_HEADER_BYTES = len(_MAGIC) + 2 + _SALT_BYTES + _NONCE_BYTES
MIN_PASSPHRASE = 8


def _derive(passphrase: str, salt: bytes, log2_n: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**log2_n, r=8, p=1).derive(passphrase.encode("utf-8"))


def export_keys(keystore: Keystore, passphrase: str) -> bytes:
    """All four keys (and the device secrets set on this PC), encrypted under `passphrase`
    (scrypt + AES-256-GCM)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise InputInvalid(
            f"备份口令至少 {MIN_PASSPHRASE} 位", detail_en=f"passphrase needs {MIN_PASSPHRASE}+ characters"
        )
    plain: dict[str, str] = {}
    for kind in KEY_KINDS:
        value = keystore.get(kind)
        if value is None:
            raise _missing(
                kind, f"不在{keystore.description}中，无法导出", "not in the keystore; cannot export"
            )
        plain[kind] = value.hex()
    for kind in DEVICE_SECRETS:  # set on this PC: the other counter needs them too
        secret = keystore.get(kind)
        if secret is not None:
            plain[kind] = checked_device_secret(kind, secret).hex()
    salt, nonce = secrets.token_bytes(_SALT_BYTES), secrets.token_bytes(_NONCE_BYTES)
    header = _MAGIC + bytes([_VERSION, _LOG2_N]) + salt + nonce
    body = json.dumps({"keys": plain}, sort_keys=True).encode("utf-8")
    return header + AESGCM(_derive(passphrase, salt, _LOG2_N)).encrypt(nonce, body, header)


def import_keys(blob: bytes, passphrase: str, *, into: Keystore, replace: bool = False) -> tuple[str, ...]:
    """Decrypt and check everything first; only then write. A key already in `into` with a
    different value is refused unless `replace` (restoring over a live counter's keys would make
    its database unreadable). Returns the kinds written."""
    values = _decrypt_export(blob, passphrase)
    for kind, value in values.items():
        current = into.get(kind)
        if current is not None and current != value and not replace:
            raise InputInvalid(
                f"{KEY_LABELS.get(kind) or DEVICE_SECRET_LABELS[kind]}（{kind}）在目标密钥库中已存在且不同，未导入任何密钥",
                detail_en=f"{kind} already exists with a different value; nothing imported",
            )
    for kind, value in values.items():
        into.put(kind, value)
    return tuple(values)


def _decrypt_export(blob: bytes, passphrase: str) -> dict[str, bytes]:
    if len(blob) <= _HEADER_BYTES or not blob.startswith(_MAGIC):
        raise InputInvalid("不是密钥备份文件", detail_en="not a key export file")
    version, log2_n = blob[len(_MAGIC)], blob[len(_MAGIC) + 1]
    if version != _VERSION or not 10 <= log2_n <= 22:
        raise InputInvalid(
            f"密钥备份文件版本不支持（{version}）", detail_en=f"unsupported key export version {version}"
        )
    header = blob[:_HEADER_BYTES]
    salt = header[len(_MAGIC) + 2 : len(_MAGIC) + 2 + _SALT_BYTES]
    nonce = header[-_NONCE_BYTES:]
    try:
        body = AESGCM(_derive(passphrase, salt, log2_n)).decrypt(nonce, blob[_HEADER_BYTES:], header)
    except InvalidTag as exc:
        raise InputInvalid(
            "备份口令错误或密钥文件已损坏，未导入任何密钥", detail_en="wrong passphrase or damaged file"
        ) from exc
    stored = json.loads(body)["keys"]
    if not set(KEY_KINDS) <= set(stored) <= set(KEY_KINDS) | set(DEVICE_SECRETS):
        raise InputInvalid("密钥备份文件内容不完整", detail_en="key export is incomplete")
    values = {kind: _checked_length(kind, bytes.fromhex(stored[kind])) for kind in KEY_KINDS}
    for kind in DEVICE_SECRETS:
        if kind in stored:
            values[kind] = checked_device_secret(kind, bytes.fromhex(stored[kind]))
    return values
