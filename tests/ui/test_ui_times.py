"""One local time on every screen (issue 14 item 8): Beijing time, as on receipts, whatever zone the
database (UTC) or the PC is in."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from base.errors import Locked
from counter_app.results import AccountInfo, WriteBack
from ui.login import locked_text
from ui.models import Column, RowsModel
from ui.pages.form import plain
from ui.pages.sale_panel import write_back_text
from ui.times import shown_time

UI = Path(__file__).resolve().parents[2] / "ui"
INSTANT = datetime(2026, 11, 23, 1, 5, 30, tzinfo=UTC)  # 09:05:30 in Beijing


@pytest.fixture(autouse=True)
def pc_in_another_zone(monkeypatch):
    """The PC's own zone is neither UTC nor Beijing: a screen that used it would show 20:05."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_utc_instant_is_shown_in_beijing_time():
    assert shown_time(INSTANT) == "2026-11-23 09:05"
    assert shown_time(INSTANT, "%H:%M:%S") == "09:05:30"
    assert shown_time(None) == ""
    with pytest.raises(ValueError):
        shown_time(datetime(2026, 11, 23, 1, 5))  # a naive time is a bug, never guessed


def test_the_lockout_says_until_when_in_beijing_time():
    exc = Locked(data={"until": INSTANT})
    text = locked_text(exc, now=INSTANT - timedelta(minutes=4, seconds=30))
    assert "还需等待 4 分 30 秒" in text and "09:05:30" in text


def test_the_last_write_back_and_tables_and_results_use_beijing_time():
    wb = WriteBack(
        remaining_ckwh=100, consumed_ckwh=0, last_loaded_counter=1, alarms=(), error=None, at=INSTANT
    )
    account = AccountInfo(
        account_no="D-5-308", room_code="5-308", cls="dorm", status="active", holder=None, phone=None,
        meter_no="M5308", card_serial=None, price_e4=5880, purchase_counter=1, write_back=wb,
        free_owed_ckwh=0, opened_on=None,
    )  # fmt: skip
    assert "2026-11-23 09:05" in write_back_text(account, None)
    model = RowsModel([Column("时间", lambda r: r)])
    model.set_rows([INSTANT])
    assert model.data(model.index(0, 0)) == "2026-11-23 09:05:30"
    assert "opened_at: 2026-11-23 09:05:30" in plain(_Opened(INSTANT))


def test_no_screen_formats_a_time_itself():
    """Only ui/times.py turns a moment into text (grep: strftime, astimezone)."""
    offenders = [
        f"{path.relative_to(UI)}:{n}"
        for path in UI.rglob("*.py")
        if path.name != "times.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".strftime(" in line or ".astimezone(" in line
    ]
    assert offenders == []


@dataclass(frozen=True)
class _Opened:
    opened_at: datetime
