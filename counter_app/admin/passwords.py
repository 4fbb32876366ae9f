"""Passwords for `counter-admin`, read in the one order API.md "Command line" fixes.

Order: the `--as` person's password, the `--approver`'s, then any new password twice (init: the
administrator's twice, then the head's twice). Scripts and the acceptance suite feed them on stdin,
one per line; at a terminal each is prompted for without echo (getpass). A new password typed twice
differently is refused before anything is written.

The order is decided from the parsed command alone (`password_plan`), in this module only, so no
handler can read them in another order.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from base.errors import InputInvalid


@dataclass(frozen=True)
class PasswordRequest:
    """One secret to read: `slot` names it for the handler ("actor", "approver", "new:<name>",
    "passphrase"); `twice` for a new secret (typed again to confirm)."""

    slot: str
    label_zh: str
    label_en: str
    twice: bool = False


@dataclass(frozen=True)
class Credentials:
    """What the handlers get: names from the command line, secrets from stdin."""

    actor: str | None = None
    approver: str | None = None
    secrets: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def actor_password(self) -> str | None:
        return self.secrets.get("actor")

    @property
    def approver_password(self) -> str | None:
        return self.secrets.get("approver")

    def new_password(self, name: str) -> str:
        return self.secrets[f"new:{name}"]

    @property
    def passphrase(self) -> str | None:
        return self.secrets.get("passphrase")


class PasswordSource:
    """Reads secrets one per line from `stream` when it is not a terminal, else prompts via
    `prompt` (getpass) on the terminal. Trailing newline characters are removed, nothing else:
    spaces inside a password are the password's."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        interactive: bool | None = None,
        prompt: Callable[[str], str] = getpass.getpass,
    ) -> None:
        self._stream = stream if stream is not None else sys.stdin
        self._interactive = _isatty(self._stream) if interactive is None else interactive
        self._prompt = prompt

    def read(self, label_zh: str, label_en: str) -> str:
        if self._interactive:
            value = self._prompt(f"{label_zh} / {label_en}: ")
        else:
            raw = self._stream.readline()
            if not raw:
                raise InputInvalid(
                    f"缺少{label_zh}（标准输入已结束）",
                    detail_en=f"{label_en} missing (end of stdin)",
                    field="password",
                )
            value = raw.rstrip("\r\n")
        if not value:
            raise InputInvalid(f"{label_zh}不能为空", detail_en=f"{label_en} is empty", field="password")
        return value

    def read_new(self, label_zh: str, label_en: str) -> str:
        first = self.read(label_zh, label_en)
        again = self.read(f"再次输入{label_zh}", f"{label_en} again")
        if first != again:
            raise InputInvalid(
                f"两次输入的{label_zh}不一致",
                detail_en=f"the two entries of {label_en} differ",
                field="password",
            )
        return first


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream is not a terminal
        return False


def password_plan(args: argparse.Namespace) -> list[PasswordRequest]:
    """The secrets this command needs, in the documented order."""
    plan: list[PasswordRequest] = []
    if getattr(args, "actor", None):
        plan.append(PasswordRequest("actor", f"{args.actor} 的密码", f"password of {args.actor}"))
    if getattr(args, "approver", None):
        plan.append(
            PasswordRequest(
                "approver", f"监督人 {args.approver} 的密码", f"password of approver {args.approver}"
            )
        )
    plan += _command_secrets(args)
    return plan


def _new(name: str, role_zh: str, role_en: str) -> PasswordRequest:
    return PasswordRequest(
        f"new:{name}", f"{role_zh} {name} 的新密码", f"new password of {role_en} {name}", True
    )


def _command_secrets(args: argparse.Namespace) -> list[PasswordRequest]:
    command = args.command
    if command == "init":
        return [_new(args.admin, "管理员", "administrator"), _new(args.head, "主管", "head")]
    if command in ("operator add", "operator reset-password"):
        return [_new(args.name, "操作员", "operator")]
    if command == "keys export":
        # A new secret like a new password: typed twice so a typo cannot lock the keys away.
        return [PasswordRequest("passphrase", "密钥备份口令", "key export passphrase", True)]
    if command == "keys import":
        return [PasswordRequest("passphrase", "密钥备份口令", "key export passphrase")]
    if command == "keys set-device-secret":  # a new secret: typed twice (hex)
        return [PasswordRequest("device_secret", f"{args.kind}（十六进制）", f"{args.kind} (hex)", True)]
    return []


def read_credentials(args: argparse.Namespace, source: PasswordSource) -> Credentials:
    """Read every secret of `password_plan(args)`, in order."""
    secrets: dict[str, str] = {}
    for request in password_plan(args):
        reader = source.read_new if request.twice else source.read
        secrets[request.slot] = reader(request.label_zh, request.label_en)
    return Credentials(getattr(args, "actor", None), getattr(args, "approver", None), secrets)
