"""`counter-admin`: the administrator's command line (API.md "Command line").

`main` parses (counter_app/admin/grammar.py), reads the passwords from stdin in the one documented
order (counter_app/admin/passwords.py) and runs the command's handler from `HANDLERS`; each command
group has its module in this package, which prints and calls its services on an `AdminSession`
(counter_app/admin/door.py, `open_admin`).

Exit codes: 0 success; 1 a `UserFacingError` (`错误 [CODE] …` and the English on stderr);
2 a usage error (argparse, or an option's value refused); 3 an internal error, logged with an id.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

import platformdirs

from base.errors import ApprovalRequired, SelfApproval, UserFacingError
from counter_app.admin import (
    backup,
    checks,
    devices,
    imports,
    keys,
    meters,
    monthly,
    notices,
    operators,
    reports,
    schema,
    tariffs,
    tenders,
    workstations,
)
from counter_app.admin.command import CommandContext, Handler
from counter_app.admin.grammar import COSIGNED, build_parser, usage_problem
from counter_app.admin.output import Output
from counter_app.admin.passwords import PasswordSource, read_credentials
from counter_app.logs import explain, setup_logging
from db.errors import translate_db_error

if TYPE_CHECKING:
    import argon2  # annotations only: argon2 loads when a password is hashed or checked (auth.py)

EXIT_OK, EXIT_USER, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

HANDLERS: dict[str, Handler] = {
    "init": operators.init_database,
    "operator add": operators.operator_add,
    "operator rename": operators.operator_rename,
    "operator disable": operators.operator_disable,
    "operator reset-password": operators.operator_reset_password,
    "supervisor appoint": operators.supervisor_appoint,
    "workstation add": workstations.workstation_add,
    "accounts import": imports.accounts_import,
    "legacy import": imports.legacy_import,
    "tariff set": tariffs.tariff_set,
    "fee set": tariffs.fee_set,
    "setting set": tariffs.setting_set,
    "notice add": notices.notice_add,
    "audit verify": checks.audit_verify,
    "receipt verify": checks.receipt_verify,
    "backup create": backup.backup_create,
    "backup verify": backup.backup_verify,
    "backup restore": backup.backup_restore,
    "keys export": keys.keys_export,
    "keys import": keys.keys_import,
    "keys set-device-secret": keys.keys_set_device_secret,
    "db upgrade": schema.db_upgrade,
    "report": reports.report,
    "sums refresh": reports.sums_refresh,
    "tender match": tenders.tender_match,
    "devices list": devices.devices_list,
    "readings import": monthly.readings_import,
    "k3 import": monthly.k3_import,
    "repair-price set": monthly.repair_price_set,
    "module move": monthly.module_move,
    "meter poll": meters.meter_poll,
}


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: dict[str, str] | None = None,
    hasher: argon2.PasswordHasher | None = None,
) -> int:
    """Run one command; returns the exit code (the console script exits with it). `hasher`
    replaces the argon2 parameters (tests use the cheapest profile)."""
    _setup_logging_once()
    out = Output(stdout or sys.stdout, stderr or sys.stderr)
    parser = build_parser()
    args = _parse(parser, list(sys.argv[1:] if argv is None else argv), out)
    if isinstance(args, int):
        return args
    env = os.environ if environ is None else environ
    try:
        _refuse_missing_approver(args)
        credentials = read_credentials(args, PasswordSource(stdin if stdin is not None else sys.stdin))
        ctx = CommandContext(args=args, credentials=credentials, out=out,
                             db_url=args.db or env.get("COUNTER_DB_URL"),
                             keystore=args.keystore or env.get("COUNTER_KEYSTORE"), environ=dict(env),
                             hasher=hasher)  # fmt: skip
        return HANDLERS[args.command](ctx)
    except UserFacingError as exc:
        out.error(explain(exc))
        return EXIT_USER
    except Exception as exc:  # noqa: BLE001 - the one place every bug becomes "see log <id>"
        coded = translate_db_error(exc)  # a driver error met outside a unit of work
        if coded is not None:
            out.error(explain(coded))
            return EXIT_USER
        out.error(explain(exc))
        return EXIT_INTERNAL


_logging_ready: list[bool] = []  # one process, one set of log handlers however often main runs


def _setup_logging_once() -> None:
    """The log file beside the other counter logs, so "see log <id>" can be found."""
    if _logging_ready:
        return
    setup_logging(platformdirs.user_log_path("counter", appauthor=False))
    _logging_ready.append(True)


def _parse(parser: argparse.ArgumentParser, argv: list[str], out: Output) -> argparse.Namespace | int:
    """argparse, with its help and usage messages sent to our streams and its exit turned into a
    return code (main returns; it does not exit)."""
    try:
        with contextlib.redirect_stdout(out.stdout), contextlib.redirect_stderr(out.stderr):
            args = parser.parse_args(argv)
            problem = usage_problem(args)
            if problem:
                parser.error(problem)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    return args


def _refuse_missing_approver(args: argparse.Namespace) -> None:
    """Before any password is read: a co-signed command without --approver cannot succeed, and
    nobody approves their own operation."""
    approver = getattr(args, "approver", None)
    needed = args.command in COSIGNED and not getattr(args, "dry_run", False)
    if needed and not approver:
        raise ApprovalRequired(f"{args.command} 须由第二人确认，请用 --approver 指定确认人",
                               detail_en=f"{args.command} needs a co-signer: name them with --approver",
                               data={"operation": args.command})  # fmt: skip
    if approver and approver == getattr(args, "actor", None):
        raise SelfApproval(
            f"--as 与 --approver 都是 {approver}", detail_en=f"--as and --approver are both {approver}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
