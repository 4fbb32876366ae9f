"""PasswordSource: one secret per stdin line, prompts at a terminal, new secrets twice; and the
accounts import handler with a database seam (existing rooms) plugged in."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from base.errors import InputInvalid
from counter_app.admin.command import CommandContext
from counter_app.admin.imports import accounts_import
from counter_app.admin.output import Output
from counter_app.admin.passwords import Credentials, PasswordSource
from counter_app.imports.accounts_file import Occupants, RoomKey
from counter_app.imports.accounts_plan import ExistingRoom

DATA = Path(__file__).resolve().parents[1] / "imports" / "data"


def test_lines_are_read_in_order_keeping_inner_spaces():
    source = PasswordSource(io.StringIO(" a b \r\nsecond\n"))
    assert source.read("密码", "password") == " a b "
    assert source.read("密码", "password") == "second"


def test_empty_and_missing_lines_are_refused():
    source = PasswordSource(io.StringIO("\n"))
    with pytest.raises(InputInvalid, match="不能为空"):
        source.read("密码", "password")
    with pytest.raises(InputInvalid, match="标准输入已结束"):
        source.read("密码", "password")


def test_a_terminal_prompts_without_echo_for_each_entry():
    prompts = []
    answers = iter(["s3cret", "s3cret"])

    def prompt(text):
        prompts.append(text)
        return next(answers)

    source = PasswordSource(io.StringIO("not read\n"), interactive=True, prompt=prompt)
    assert source.read_new("新密码", "new password") == "s3cret"
    assert prompts == ["新密码 / new password: ", "再次输入新密码 / new password again: "]


def test_new_passwords_must_match():
    with pytest.raises(InputInvalid) as caught:
        PasswordSource(io.StringIO("one\ntwo\n")).read_new("新密码", "new password")
    assert caught.value.code == "INPUT_INVALID" and "不一致" in caught.value.message


def test_the_dry_run_shows_the_plan_when_the_database_supplies_rooms():
    asked = []

    def existing_rooms(campuses):
        asked.append(campuses)
        return {RoomKey("东校区", "5", "", "308"): ExistingRoom("dorm", 6, Occupants(3, 1, 0), "10000308", "active"),
                RoomKey("东校区", "5", "", "310"): ExistingRoom("dorm", 4, Occupants(), "10000310", "active")}  # fmt: skip

    stdout = io.StringIO()
    args = argparse.Namespace(command="accounts import", file=str(DATA / "yearly_example.csv"), dry_run=True)
    ctx = CommandContext(
        args, Credentials("admin"), Output(stdout, io.StringIO()), existing_rooms=existing_rooms
    )
    assert accounts_import(ctx) == 0
    assert asked == [frozenset({"东校区", "西校区"})]
    text = stdout.getvalue()
    assert "新增 3 间，更新 1 间" in text and "床位 6 → 4" in text and "缺少 东校区 5-310" in text
