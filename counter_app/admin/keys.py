"""Keys: `keys export` (the keys of this PC's store, under a passphrase, for another counter of the
same database; co-signed by 主管 or 部门助理, counter_app/powers.py), `keys import` (such an
export into this PC's store) and `keys set-device-secret KIND` (a secret shared with devices, e.g.
the DL/T 645 remote-control password, typed twice on stdin as hex, co-signed; never shown)."""

from __future__ import annotations

import os
from pathlib import Path

from base.errors import InputInvalid
from counter_app import keystore
from counter_app.admin.command import CommandContext, Invocation, acting
from counter_app.admin.door import AdminSession, open_admin
from counter_app.approvals import Approval
from counter_app.powers import co_sign

# --- handlers --------------------------------------------------------------------------------------


def keys_export(ctx: CommandContext) -> int:
    with acting(ctx.invocation()) as admin:
        export_keys(
            admin, out=ctx.args.out, passphrase=ctx.credentials.passphrase or "", approval=ctx.approval
        )
    ctx.out.line(f"密钥已导出到 {ctx.args.out}（请与口令分开保管），确认人 {ctx.credentials.approver}")
    return 0


def keys_import(ctx: CommandContext) -> int:
    kinds = import_keys(ctx.invocation(), file=ctx.args.file, passphrase=ctx.credentials.passphrase or "")
    ctx.out.line(f"已导入密钥：{', '.join(kinds)}")
    return 0


def keys_set_device_secret(ctx: CommandContext) -> int:
    with acting(ctx.invocation()) as admin:
        set_device_secret(admin, kind=ctx.args.kind, hex_text=ctx.credentials.secrets.get("device_secret", ""),
                          approval=ctx.approval)  # fmt: skip
        where = admin.keystore.description
    ctx.out.line(
        f"{keystore.DEVICE_SECRET_LABELS[ctx.args.kind]}已保存到{where}（不显示其值），确认人 {ctx.credentials.approver}"
    )
    return 0


# --- services --------------------------------------------------------------------------------------


def parse_device_secret(kind: str, hex_text: str) -> bytes:
    """The hex typed (spaces allowed) as bytes of the secret's length; the refusal never repeats it."""
    text = "".join(str(hex_text).split())
    try:
        value = bytes.fromhex(text)
    except ValueError:
        raise InputInvalid("设备密钥须为十六进制数字", detail_en="the device secret must be hex digits",
                           field="kind") from None  # fmt: skip
    return keystore.checked_device_secret(kind, value)


def set_device_secret(admin: AdminSession, *, kind: str, hex_text: str, approval: Approval | None) -> None:
    """Co-signed (power `keys.device_secret`: it lets the counter switch rooms' power), then written
    into this PC's keystore, then audited (the kind, never the value). Each counter PC that
    switches needs it in its own store (or through `keys export` / `keys import`)."""
    value = parse_device_secret(kind, hex_text)
    ctx = admin.ctx
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        approval_id = co_sign(ctx, s, approval, "keys.device_secret",
                              {"kind": kind, "keystore": admin.keystore.description})  # fmt: skip
    keystore.set_device_secret(admin.keystore, kind, value)
    with ctx.uow() as s:
        ctx.audit(s, "keys.device_secret_set", secret=kind, keystore=admin.keystore.description,
                  approval_id=approval_id)  # fmt: skip


def export_keys(admin: AdminSession, *, out: str, passphrase: str, approval: Approval | None) -> None:
    """All the keys, co-signed: the approval is checked and recorded first (its own transaction),
    then the file is written, then the export is audited with the approval's id."""
    ctx = admin.ctx
    where = str(Path(out).absolute())
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        approval_id = co_sign(ctx, s, approval, "keys.export", {"out": where})
    blob = keystore.export_keys(admin.keystore, passphrase)
    _write_private(Path(out), blob)
    with ctx.uow() as s:
        ctx.audit(s, "keys.exported", out=where, approval_id=approval_id)


def _write_private(path: Path, data: bytes) -> None:
    """Only the owner may read a key export (it is as good as the keys to whoever guesses the
    passphrase)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


class _Staged:
    """A keystore in memory: the imported keys are checked against the database before any is
    written to the real store."""

    is_development = True
    description = "导入文件"

    def __init__(self) -> None:
        self.values: dict[str, bytes] = {}

    def get(self, kind: str) -> bytes | None:
        return self.values.get(kind)

    def put(self, kind: str, value: bytes) -> None:
        self.values[kind] = value


def import_keys(invocation: Invocation, *, file: str, passphrase: str) -> tuple[str, ...]:
    """Keys exported from another counter of the same database into this PC's keystore. The keys
    must match the database's fingerprints (a counter's keys never go into another database), and
    `--as` is authenticated with them: this PC may have no keys of its own yet."""
    try:
        blob = Path(file).read_bytes()
    except OSError as exc:
        raise InputInvalid(f"无法读取 {file}：{exc.strerror}", detail_en=f"cannot read {file}") from exc
    staged = _Staged()
    keystore.import_keys(blob, passphrase, into=staged)  # decrypt and check before anything else
    with open_admin(invocation.db_url, keystore=invocation.keystore, environ=invocation.environ,
                    hasher=invocation.hasher, keys_from=staged) as admin:  # fmt: skip
        admin.login(invocation.actor or "", invocation.actor_password or "")
        ctx = admin.ctx
        with ctx.reading() as s:
            ctx.require_role(s, "admin")
        written = keystore.import_keys(blob, passphrase, into=admin.keystore)
        with ctx.uow() as s:
            ctx.audit(s, "keys.imported", kinds=list(written), keystore=admin.keystore.description)
        return written
