"""The grammar of `counter-admin` (fixed by API.md "Command line"): the commands, their options
and the checks on option values. A refused value names its option and exits 2 (counter_app/admin/cli.py).

    counter-admin [--db URL] [--keystore file:PATH] init --admin NAME --head NAME [--dev]
    counter-admin operator add li --role cashier --as admin --approver wang   # passwords on stdin

Every command but `init`, `db upgrade` and `backup verify` takes `--as NAME`; any of them may take
`--approver NAME`, and those that always need a co-signature (`COSIGNED`) refuse to start without
one. The global options are also accepted after the command (`counter-admin audit verify --as a
--db URL`).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from datetime import date, datetime

from base.clock import parse_iso_moment
from base.errors import InputInvalid
from base.vocabulary import CLASS_CODES, ROLES

NOTICE_KINDS = ("repair", "utility", "heating")
REPORT_FORMATS = ("pdf", "xlsx", "csv", "png")
REPORT_KINDS = (
    "day", "week", "month", "year", "collection", "account-detail", "quota", "low-balance",
    "reconciliation", "deposits", "approvals", "card-stock", "tariff-board", "tender-match",
    "sales-register", "weekly-figures", "power-company", "monthly-trend", "arrears", "free-per-room",  # issue 15
    "collection-checks", "visitor-log", "rotation",  # docs/api.md "Department duties"
    "abnormal", "loss-check", "four-party", "k3", "module-stock", "repair-prices",
)  # fmt: skip
# Commands that move money or power, grant rights, or act on the records themselves (DOMAIN.md
# "What needs a co-signature", "two people for every power"; who may co-sign: counter_app/powers.py).
# Others may need one depending on what they touch (`setting set` of a money-affecting or security
# key, `operator disable` of the head, an assistant or a 监督人): the service decides and says so.
COSIGNED = frozenset({"operator add", "operator reset-password", "accounts import", "legacy import",
                      "tariff set", "fee set", "workstation add", "backup restore",
                      "keys export", "keys set-device-secret", "repair-price set"})  # fmt: skip
# counter_app.keystore.DEVICE_SECRETS (the grammar imports no service; a test keeps the two equal)
DEVICE_SECRET_KINDS = ("dlt645_password",)
NO_ACTOR = frozenset({"init", "db upgrade", "backup verify", "devices list"})


# --- option value types: a refusal names the option (argparse prefixes "argument --x:") -------


def _name(text: str) -> str:
    if not text.strip() or len(text) > 64 or any(c.isspace() or not c.isprintable() for c in text):
        raise argparse.ArgumentTypeError(f"名称无效 / invalid name: {text!r}")
    return text


def _pattern(regex: str, what_zh: str, what_en: str) -> Callable[[str], str]:
    compiled = re.compile(regex)

    def check(text: str) -> str:
        if not compiled.fullmatch(text):
            raise argparse.ArgumentTypeError(f"{what_zh}无效 / invalid {what_en}: {text!r}")
        return text

    return check


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期应为 YYYY-MM-DD / expected a date YYYY-MM-DD: {text!r}"
        ) from None


def _moment(text: str) -> datetime:
    try:
        return parse_iso_moment(text)
    except InputInvalid:
        raise argparse.ArgumentTypeError(f"时间应为 ISO 格式 / expected an ISO datetime: {text!r}") from None


def _int(text: str, minimum: int, zh: str, en: str) -> int:
    if not re.fullmatch(r"[0-9]+", text.strip()) or int(text) < minimum:
        raise argparse.ArgumentTypeError(f"应为{zh}整数 / expected a {en} integer: {text!r}")
    return int(text)


def _positive(text: str) -> int:
    return _int(text, 1, "正", "positive")


def _non_negative(text: str) -> int:
    return _int(text, 0, "非负", "non-negative")


def _keystore(text: str) -> str:
    if not text.startswith("file:") or len(text) <= len("file:"):
        raise argparse.ArgumentTypeError(f"应为 file:PATH / expected file:PATH: {text!r}")
    return text


_CODE = _pattern(r"[A-Za-z0-9_-]{1,16}", "窗口代码", "workstation code")
_KEY = _pattern(r"[a-z0-9_.]{1,64}", "名称", "key")
_KEY_UPPER = _pattern(r"[A-Za-z0-9_.-]{1,32}", "项目编号", "item code")
_PERIOD = _pattern(r"[0-9]{4}-(0[1-9]|1[0-2])", "月份", "period YYYY-MM")


# --- the grammar -------------------------------------------------------------------------------


def _add_globals(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=default,
        help="SQLAlchemy URL (default: COUNTER_DB_URL or the local file)",
    )
    parser.add_argument("--keystore", metavar="file:PATH", type=_keystore, default=default,
                        help="development key file (default: COUNTER_KEYSTORE or the OS keyring)")  # fmt: skip


class _Grammar:
    """Builds the leaves: each gets the global options again (after the command), `--as` unless
    it is in NO_ACTOR, `--approver`, and `command` = its full name ("operator add")."""

    def __init__(self, root: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        self.root = root
        self.groups: dict[str, argparse._SubParsersAction[argparse.ArgumentParser]] = {}

    def leaf(self, command: str, help_text: str) -> argparse.ArgumentParser:
        words = command.split()
        parent = self.root
        if len(words) == 2:
            if words[0] not in self.groups:
                group = self.root.add_parser(words[0], help=f"{words[0]} …")
                self.groups[words[0]] = group.add_subparsers(
                    dest="subcommand", required=True, metavar="ACTION"
                )
            parent = self.groups[words[0]]
        parser = parent.add_parser(words[-1], help=help_text, description=help_text)
        parser.set_defaults(command=command)
        _add_globals(parser, argparse.SUPPRESS)
        if command not in NO_ACTOR:
            parser.add_argument(
                "--as", dest="actor", metavar="NAME", type=_name, required=True, help="who acts"
            )
            needed = "required" if command in COSIGNED else "when the operation needs one"
            parser.add_argument("--approver", metavar="NAME", type=_name, help=f"co-signer ({needed})")
        return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counter-admin", description="电费营业室 管理命令 / counter administration"
    )
    _add_globals(parser, None)
    g = _Grammar(parser.add_subparsers(dest="command_word", required=True, metavar="COMMAND"))
    _people_and_places(g)
    _imports_and_money(g)
    _checks_backups_reports(g)
    _monthly(g)
    return parser


def _monthly(g: _Grammar) -> None:
    """The month's files and the module stock (counter_app/admin/monthly.py)."""
    for command, what in (("readings import", "main- and sub-meter readings per building (CSV/XLSX)"),
                          ("k3 import", "K3 ledger figures per building (CSV/XLSX)")):  # fmt: skip
        p = g.leaf(command, what)
        p.add_argument("file", metavar="FILE")
        p.add_argument("--period", type=_PERIOD, required=True, help="accounting month YYYY-MM")
    p = g.leaf("repair-price set", "a repair item's price from a date (维修价目表)")
    p.add_argument("code", metavar="CODE", type=_KEY_UPPER)
    p.add_argument("--name", required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--fen", type=_non_negative, required=True)
    p.add_argument("--from", dest="start", metavar="DATE", type=_date, required=True)
    p.add_argument("--basis", metavar="DOC", required=True)
    p = g.leaf("meter poll", "read the networked meters: one round (--once) or on the schedule until Ctrl+C")
    p.add_argument("--once", action="store_true", help="one round now, then exit")
    p.add_argument("--bus", metavar="NAME", help="only this bus (a name in meter_bus.ports)")
    p = g.leaf("module move", "meter modules received, issued, returned faulty, repaired or scrapped")
    p.add_argument("kind", choices=("received", "issued", "faulty_returned", "repaired", "scrapped"))
    p.add_argument("--model", required=True)
    p.add_argument("--quantity", type=_positive, required=True)
    p.add_argument("--on", type=_date, metavar="DATE")
    p.add_argument("--room")
    p.add_argument("--electrician")
    p.add_argument("--repair-item", metavar="CODE")
    p.add_argument("--note")


def _people_and_places(g: _Grammar) -> None:
    p = g.leaf("init", "create the schema, the keys, the administrator and the head")
    p.add_argument("--admin", metavar="NAME", type=_name, required=True)
    p.add_argument("--head", metavar="NAME", type=_name, required=True)
    p.add_argument("--dev", action="store_true", help="development database (simulators, COUNTER_CLOCK)")
    p = g.leaf("operator add", "add an operator with a role")
    p.add_argument("name", metavar="NAME", type=_name)
    p.add_argument("--role", choices=ROLES, required=True)
    p.add_argument("--display-name", metavar="TEXT", help="the name people read (张敏); default NAME")
    p = g.leaf("operator rename", "set the name people read for an operator (the login id stays)")
    p.add_argument("name", metavar="NAME", type=_name)
    p.add_argument("--display-name", metavar="TEXT", required=True)
    g.leaf("operator disable", "disable an operator").add_argument("name", metavar="NAME", type=_name)
    g.leaf("operator reset-password", "set a new password").add_argument("name", metavar="NAME", type=_name)
    p = g.leaf("supervisor appoint", "appoint a designated supervisor (监督人) for a period")
    p.add_argument("name", metavar="NAME", type=_name)
    p.add_argument("--from", dest="start", metavar="DATE", type=_date, required=True)
    p.add_argument("--to", dest="end", metavar="DATE", type=_date, required=True)
    p = g.leaf("workstation add", "register a counter workstation")
    p.add_argument("code", metavar="CODE", type=_CODE)
    p.add_argument("--campus", metavar="NAME", required=True)


def _imports_and_money(g: _Grammar) -> None:
    p = g.leaf("accounts import", "yearly room list from the housing office (CSV/XLSX)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="check and preview only; write nothing")
    p = g.leaf("legacy import", "accounts taken over from the old vending system")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="check and summarise only; write nothing")
    p = g.leaf("tariff set", "a class's price from a moment, with its document number")
    p.add_argument("--class", dest="cls", choices=CLASS_CODES, required=True)
    p.add_argument("--price-e4", type=_positive, required=True, help="0.0001 yuan/kWh")
    _effective(p)
    p = g.leaf("fee set", "a fee from a moment, with its document number")
    p.add_argument("kind", metavar="KIND", type=_KEY, help="card, heating_rate_per_m2, …")
    p.add_argument("--fen", type=_non_negative, required=True)
    _effective(p)
    p = g.leaf("setting set", "change a setting")
    p.add_argument("key", metavar="KEY", type=_KEY)
    p.add_argument("value", metavar="VALUE")
    p = g.leaf("notice add", "a payment notice (as create_notice)")
    p.add_argument("kind", choices=NOTICE_KINDS)
    p.add_argument("--payer", required=True)
    p.add_argument("--notice-no")
    p.add_argument("--amount-fen", type=_non_negative)
    p.add_argument("--area-dm2", type=_positive, help="heated area in 0.01 m²")
    p.add_argument("--repair-date", type=_date, metavar="DATE")
    p.add_argument("--repairman")
    p.add_argument("--department")


def _effective(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="start", metavar="DATETIME", type=_moment, required=True)
    p.add_argument("--basis", metavar="DOC", required=True, help="依据文件号")


def _checks_backups_reports(g: _Grammar) -> None:
    p = g.leaf("audit verify", "check the audit chain (exit 0 only when intact)")
    head = p.add_mutually_exclusive_group()
    head.add_argument("--head", metavar="SEQ:MAC", type=_chain_head,
                      help="the chain head printed on a Z report (审计序号:审计链头)")  # fmt: skip
    head.add_argument(
        "--head-from-z",
        metavar="SHEET_NO",
        help="the head stored with this settlement sheet (or Z report) number",
    )
    g.leaf("receipt verify", "check a receipt's QR text").add_argument("text", metavar="TEXT")
    g.leaf("backup create", "write a backup").add_argument("--out", metavar="FILE", required=True)
    g.leaf("backup verify", "check a backup file").add_argument("file", metavar="FILE")
    g.leaf("backup restore", "restore a backup").add_argument("file", metavar="FILE")
    g.leaf("keys export", "export the keys under a passphrase").add_argument(
        "--out", metavar="FILE", required=True
    )
    g.leaf("keys import", "import exported keys").add_argument("file", metavar="FILE")
    g.leaf("keys set-device-secret", "store a device secret (hex, typed twice on stdin)").add_argument(
        "kind", metavar="KIND", choices=DEVICE_SECRET_KINDS
    )
    g.leaf("db upgrade", "upgrade the database schema")
    p = g.leaf("report", "a report for a period")
    p.add_argument("kind", metavar="KIND", choices=REPORT_KINDS)
    p.add_argument("--from", dest="start", metavar="DATE", type=_date, required=True)
    p.add_argument("--to", dest="end", metavar="DATE", type=_date, required=True)
    p.add_argument("--format", dest="fmt", choices=REPORT_FORMATS, required=True)
    p.add_argument("--out", metavar="FILE", required=True)
    g.leaf("sums refresh", "bring the ledger's kept sums up to date (what week/month/year reports read)")
    p = g.leaf("tender match", "a campus-card/WeChat/Alipay statement matched against the ledger")
    p.add_argument("--tender", choices=("campus_card", "wechat", "alipay"), required=True)
    p.add_argument("--from", dest="start", metavar="DATE", type=_date, required=True)
    p.add_argument("--to", dest="end", metavar="DATE", type=_date, required=True)
    p.add_argument("--file", metavar="FILE", required=True)
    p.add_argument("--record", action="store_true", help="record and freeze (needs --approver)")
    p = g.leaf("devices list", "serial ports, PC/SC readers and a card host on this PC (no database)")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def usage_problem(args: argparse.Namespace) -> str | None:
    """Checks across options that argparse cannot express; the text names the option."""
    start, end = getattr(args, "start", None), getattr(args, "end", None)
    if isinstance(start, date) and not isinstance(start, datetime) and end is not None and end < start:
        return f"argument --to: 结束日期早于开始日期 / --to is before --from ({end} < {start})"
    if args.command == "init" and args.admin == args.head:
        return "argument --head: 主管与管理员不能是同一人 / --head must differ from --admin"
    if args.command == "notice add":
        if args.kind == "heating" and (args.area_dm2 is None or args.amount_fen is not None):
            return "argument --area-dm2: 供暖费按面积计算，需 --area-dm2 且不带 --amount-fen / heating needs --area-dm2, not --amount-fen"
        if args.kind != "heating" and args.amount_fen is None:
            return (
                f"argument --amount-fen: {args.kind} 通知单需要金额 / a {args.kind} notice needs --amount-fen"
            )
    return None


def _chain_head(text: str) -> tuple[int, str]:
    seq, _, mac = text.strip().partition(":")
    mac = mac.strip().lower()
    if not seq.strip().isdigit() or len(mac) != 64 or any(c not in "0123456789abcdef" for c in mac):
        raise argparse.ArgumentTypeError(
            f"链头应为 序号:64位校验码 / expected SEQ:MAC (64 hex digits): {text!r}"
        )
    return int(seq), mac
