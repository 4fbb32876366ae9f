"""`counter-admin tender match`: the statement checked (nothing written), then recorded with the
approver's co-signature and frozen; `report tender-match` lists it."""

from __future__ import annotations

import pytest

from cli.admincli import AdminDb

CSV = "交易时间,微信订单号,应结订单金额\n`2026-11-23 09:00:00,`WX-9,`5.00\n"


@pytest.fixture
def db(tmp_path) -> AdminDb:
    db = AdminDb.create(tmp_path)
    db.add_people()
    return db


def test_tender_match_checked_then_recorded_and_frozen(db, tmp_path):
    statement = tmp_path / "wx.csv"
    statement.write_text(CSV, encoding="utf-8")
    args = ["tender", "match", "--tender", "wechat", "--from", "2026-11-23", "--to", "2026-11-23",
            "--file", str(statement)]  # fmt: skip
    checked = db.run(*args, as_="qian")
    assert checked.code == 0, checked.stderr
    assert "仅对账单有\tWX-9" in checked.stdout and "未记录" in checked.stdout
    unsigned = db.run(*args, "--record", as_="qian")
    assert unsigned.code != 0
    recorded = db.run(*args, "--record", as_="qian", approver="li")
    assert recorded.code == 0, recorded.stderr
    assert "已记录并冻结：WX-20261123-20261123" in recorded.stdout
    again = db.run(*args, "--record", as_="qian", approver="li")
    assert again.code == 1 and "已核对签字，不能重做" in again.stderr, again.stderr
    out = tmp_path / "tm.csv"
    assert db.run("report", "tender-match", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv",
                  "--out", str(out), as_="qian").code == 0  # fmt: skip
    assert "WX-20261123-20261123" in out.read_text(encoding="utf-8-sig")
