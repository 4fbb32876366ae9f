"""`counter-admin`: the grammar of API.md "Command line", the order passwords are read from stdin,
option validation and exit codes. Handlers are replaced by recorders where the database is needed."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from base.errors import AccountUnknown
from cli.admincli import AdminDb
from counter_app.admin import cli
from counter_app.admin.cli import main

DATA = Path(__file__).resolve().parents[1] / "imports" / "data"


class Run:
    def __init__(self, code: int, stdout: str, stderr: str, stdin: io.StringIO) -> None:
        self.code, self.stdout, self.stderr, self.stdin = code, stdout, stderr, stdin


def run(argv, stdin="", environ=None) -> Run:
    streams = io.StringIO(stdin), io.StringIO(), io.StringIO()
    code = main(argv, stdin=streams[0], stdout=streams[1], stderr=streams[2], environ=environ or {})
    return Run(code, streams[1].getvalue(), streams[2].getvalue(), streams[0])


@pytest.fixture
def seen(monkeypatch):
    """Every handler replaced by one that records its context and succeeds."""
    contexts = []

    def record(ctx):
        contexts.append(ctx)
        return 0

    for command in cli.HANDLERS:
        monkeypatch.setitem(cli.HANDLERS, command, record)
    return contexts


def test_help_works_at_the_top_and_for_every_command():
    top = run(["--help"])
    assert top.code == 0 and "counter-admin" in top.stdout and "accounts" in top.stdout
    for command in cli.HANDLERS:
        assert run([*command.split(), "--help"]).code == 0, command


def test_init_reads_the_admins_password_twice_then_the_heads(seen):
    result = run(["--db", "sqlite:///x.db", "--keystore", "file:/tmp/k.json", "init", "--admin", "root", "--head", "zhang", "--dev"],
                 stdin="admin pw\nadmin pw\nhead-pw\nhead-pw\n")  # fmt: skip
    assert result.code == 0, result.stderr
    (ctx,) = seen
    assert ctx.credentials.new_password("root") == "admin pw"  # spaces inside are the password's
    assert ctx.credentials.new_password("zhang") == "head-pw"
    assert ctx.credentials.actor is None and ctx.args.dev
    assert (ctx.db_url, ctx.keystore) == ("sqlite:///x.db", "file:/tmp/k.json")


def test_as_then_approver_then_the_new_password_twice(seen):
    result = run(["operator", "add", "li", "--role", "cashier", "--as", "admin", "--approver", "wang"],
                 stdin="p-admin\r\np-wang\nnew\nnew\n")  # fmt: skip
    assert result.code == 0, result.stderr
    creds = seen[0].credentials
    assert (creds.actor, creds.actor_password, creds.approver, creds.approver_password) == (
        "admin",
        "p-admin",
        "wang",
        "p-wang",
    )
    assert creds.new_password("li") == "new"
    assert seen[0].args.role == "cashier"


@pytest.mark.parametrize(
    ("argv", "stdin"),
    [
        (["init", "--admin", "a", "--head", "h"], "x\ny\nh\nh\n"),
        (["init", "--admin", "a", "--head", "h"], "x\nx\nh\nH\n"),
        (["operator", "reset-password", "li", "--as", "a", "--approver", "w"], "pa\npw\none\ntwo\n"),
        (
            ["keys", "export", "--out", "k.bin", "--as", "a", "--approver", "h"],
            "pa\nph\nphrase-1\nphrase-2\n",
        ),
    ],
)
def test_new_passwords_that_differ_are_refused(seen, argv, stdin):
    result = run(argv, stdin)
    assert result.code == 1 and not seen
    assert "错误 [INPUT_INVALID]" in result.stderr and "不一致" in result.stderr and "differ" in result.stderr


def test_running_out_of_passwords_is_a_clear_error(seen):
    result = run(
        ["operator", "add", "li", "--role", "cashier", "--as", "admin", "--approver", "wang"], "p1\np2\nnew\n"
    )
    assert result.code == 1 and not seen
    assert "标准输入已结束" in result.stderr


def test_keys_import_reads_the_passphrase_once_after_the_actor(seen):
    assert run(["keys", "import", "k.bin", "--as", "a"], "pa\nphrase\n").code == 0
    assert seen[0].credentials.passphrase == "phrase" and seen[0].credentials.actor_password == "pa"


@pytest.mark.parametrize("argv", [["db", "upgrade"], ["backup", "verify", "b.bak"]])
def test_commands_without_as_read_no_password(seen, argv):
    assert run(argv).code == 0 and seen[0].credentials.secrets == {}
    assert run([*argv, "--as", "a"]).code == 2  # they take no --as at all


def test_other_commands_require_as(seen):
    result = run(["audit", "verify"])
    assert result.code == 2 and "--as" in result.stderr


def test_global_options_after_the_command_and_from_the_environment(seen):
    assert run(["audit", "verify", "--as", "a", "--db", "sqlite:///late.db"], "p\n").code == 0
    assert seen[-1].db_url == "sqlite:///late.db"
    assert (
        run(
            ["audit", "verify", "--as", "a"],
            "p\n",
            environ={"COUNTER_DB_URL": "pg://x", "COUNTER_KEYSTORE": "file:k"},
        ).code
        == 0
    )
    assert (seen[-1].db_url, seen[-1].keystore) == ("pg://x", "file:k")


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (
            ["tariff", "set", "--class", "dorm", "--price-e4", "0", "--from", "2025-09-01", "--basis", "D1"],
            "--price-e4",
        ),
        (
            [
                "tariff",
                "set",
                "--class",
                "dorm",
                "--price-e4",
                "0.58",
                "--from",
                "2025-09-01",
                "--basis",
                "D1",
            ],
            "--price-e4",
        ),
        (
            ["tariff", "set", "--class", "dorm", "--price-e4", "-5", "--from", "2025-09-01", "--basis", "D1"],
            "--price-e4",
        ),
        (
            [
                "tariff",
                "set",
                "--class",
                "dorm",
                "--price-e4",
                "5883",
                "--from",
                "next monday",
                "--basis",
                "D1",
            ],
            "--from",
        ),
        (
            [
                "tariff",
                "set",
                "--class",
                "hotel",
                "--price-e4",
                "5883",
                "--from",
                "2025-09-01",
                "--basis",
                "D1",
            ],
            "--class",
        ),
        (["fee", "set", "card", "--fen", "-1", "--from", "2025-09-01T08:00", "--basis", "D1"], "--fen"),
        (["fee", "set", "Card Fee", "--fen", "100", "--from", "2025-09-01T08:00", "--basis", "D1"], "KIND"),
        (["supervisor", "appoint", "li", "--from", "2025-13-01", "--to", "2025-12-31"], "--from"),
        (["supervisor", "appoint", "li", "--from", "2025-09-01", "--to", "2025-08-31"], "--to"),
        (["operator", "add", "li", "--role", "boss", "--approver", "w"], "--role"),
        (
            ["report", "day", "--from", "2025-09-01", "--to", "2025-09-01", "--format", "doc", "--out", "r"],
            "--format",
        ),
        (
            [
                "report",
                "weekly",
                "--from",
                "2025-09-01",
                "--to",
                "2025-09-01",
                "--format",
                "pdf",
                "--out",
                "r",
            ],
            "KIND",
        ),
        (["notice", "add", "heating", "--payer", "x", "--amount-fen", "100"], "--area-dm2"),
        (["notice", "add", "repair", "--payer", "x"], "--amount-fen"),
        (["--keystore", "/tmp/k.json", "audit", "verify"], "--keystore"),
    ],
)
def test_bad_option_values_exit_2_naming_the_option(seen, argv, option):
    result = run([*argv, "--as", "admin"], "pw\n")
    assert result.code == 2 and not seen
    assert option in result.stderr


def test_good_values_are_parsed_to_types(seen):
    argv = ["tariff", "set", "--class", "staff", "--price-e4", "5883", "--from", "2025-09-01 08:00", "--basis", "校发〔2025〕3号",
            "--as", "a", "--approver", "w"]  # fmt: skip
    assert run(argv, "p\nq\n").code == 0
    args = seen[0].args
    assert args.price_e4 == 5883 and args.cls == "staff" and args.start.tzinfo is not None
    assert (
        run(
            [
                "fee",
                "set",
                "card",
                "--fen",
                "0",
                "--from",
                "2025-09-01",
                "--basis",
                "D",
                "--as",
                "a",
                "--approver",
                "w",
            ],
            "p\nq\n",
        ).code
        == 0
    )
    assert (
        run(["notice", "add", "heating", "--payer", "食堂", "--area-dm2", "12000", "--as", "a"], "p\n").code
        == 0
    )
    assert seen[-1].args.area_dm2 == 12000


def test_co_signed_commands_without_approver_are_refused_before_reading_passwords(seen):
    result = run(
        [
            "tariff",
            "set",
            "--class",
            "dorm",
            "--price-e4",
            "5883",
            "--from",
            "2025-09-01",
            "--basis",
            "D",
            "--as",
            "a",
        ],
        "p\n",
    )
    assert result.code == 1 and not seen
    assert "错误 [APPROVAL_REQUIRED]" in result.stderr and "--approver" in result.stderr
    assert result.stdin.tell() == 0


def test_nobody_approves_their_own_operation(seen):
    result = run(["operator", "disable", "li", "--as", "wang", "--approver", "wang"], "p\np\n")
    assert result.code == 1 and "SELF_APPROVAL" in result.stderr and not seen


def test_user_facing_errors_exit_1_with_chinese_and_english(monkeypatch):
    def fail(ctx):
        raise AccountUnknown("5-308")

    monkeypatch.setitem(cli.HANDLERS, "receipt verify", fail)
    result = run(["receipt", "verify", "QRTEXT", "--as", "a"], "p\n")
    assert result.code == 1
    assert result.stderr.splitlines() == [
        "错误 [ACCOUNT_UNKNOWN] 账户不存在：5-308",
        "Error [ACCOUNT_UNKNOWN] Unknown account: 5-308",
    ]


def test_internal_errors_exit_3_with_a_log_id(monkeypatch):
    def bug(ctx):
        raise RuntimeError("a bug, not the user's fault")

    monkeypatch.setitem(cli.HANDLERS, "db upgrade", bug)
    result = run(["db", "upgrade"])
    assert result.code == 3
    assert "错误 [INTERNAL] 内部错误，请查看日志" in result.stderr


def test_audit_verify_without_an_initialised_database_is_not_0(tmp_path):
    (tmp_path / "empty.db").touch()  # a file with no schema in it
    result = run(["audit", "verify", "--as", "a", "--db", f"sqlite:///{tmp_path / 'empty.db'}"], "p\n")
    assert result.code == 1 and "counter-admin db upgrade" in result.stderr


def test_audit_verify_on_a_missing_path_is_db_not_found_and_creates_nothing(tmp_path):
    result = run(["audit", "verify", "--as", "a", "--db", f"sqlite:///{tmp_path / 'none.db'}"], "p\n")
    assert result.code == 1 and "[DB_NOT_FOUND]" in result.stderr and "counter-admin init" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_accounts_import_dry_run_prints_the_preview_and_summary(tmp_path):
    db = AdminDb.create(tmp_path)
    db.add_campuses()
    result = db.run("accounts", "import", str(DATA / "yearly_example.csv"), "--dry-run", as_="admin")
    assert result.code == 0, result.stderr
    assert "有效 4 行，错误 0 处" in result.stdout
    assert "东校区 学生公寓：2 间，床位 10，入住 8 人" in result.stdout
    assert "未写入" in result.stdout


def test_accounts_import_dry_run_names_every_bad_line(tmp_path):
    path = tmp_path / "bad.csv"
    shutil.copy(DATA / "yearly_example.csv", path)
    with path.open("a", encoding="utf-8") as f:
        f.write("东校区,5,,308,学生公寓,4,3,1,0,99,,\n东校区,5,,400,宿舍,2,0,0,0,98,,\n")
    result = run(["accounts", "import", str(path), "--dry-run", "--as", "admin"], "p\n")
    assert result.code == 1  # the file is checked before any database is opened
    assert (
        "第 2 行 [房间]" in result.stdout
        and "第 6 行 [房间]" in result.stdout
        and "第 7 行 [类别]" in result.stdout
    )
    assert "错误 [INPUT_INVALID]" in result.stderr and "3 处错误" in result.stderr


def test_accounts_import_for_real_needs_an_approver(tmp_path):
    db = AdminDb.create(tmp_path)
    db.add_campuses()
    argv = ["accounts", "import", str(DATA / "yearly_example.csv")]
    refused = db.run(*argv, as_="admin")
    assert refused.code == 1 and "APPROVAL_REQUIRED" in refused.stderr
    assert db.run(*argv, as_="admin", approver="zhao").code == 0


def test_legacy_import_dry_run(tmp_path):
    db = AdminDb.create(tmp_path)
    db.add_campuses()
    assert (
        db.run("accounts", "import", str(DATA / "yearly_example.csv"), as_="admin", approver="zhao").code == 0
    )
    result = db.run("legacy", "import", str(DATA / "legacy_example.csv"), "--dry-run", as_="admin")
    assert result.code == 0, result.stderr
    assert "账户 3 个，购电记录 3 条，余额合计 155.70 kWh" in result.stdout
