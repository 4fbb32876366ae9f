"""The yearly import written in chunks (counter_app/admin/accounts_import.py): an imported account
is sealed, counted and sells at the counter, on SQLite and PostgreSQL; a failure in a later chunk
leaves the earlier ones committed and running the same file again resumes."""

from __future__ import annotations

import pytest
from opstesting import make_world
from sqlalchemy import func, select

from base.errors import InputInvalid
from cli.admincli import AdminDb
from counter_app import row_seals
from counter_app.admin import accounts_import, import_rooms
from db.models import Account, AccountEvent, Room
from db.session import unit_of_work

ROWS = [("7", "101", "M7101"), ("7", "102", "M7102"), ("8", "201", "M8201"), ("8", "202", "M8202")]


def _file(tmp_path) -> str:
    lines = ["校区,楼栋,单元,房间,类别,床位,本科,研究生,博士,电表号,户主,电话"]
    lines += [f"主校区,{b},,{r},学生公寓,4,4,0,0,{m},," for b, r, m in ROWS]
    path = tmp_path / "rooms.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _import(world, tmp_path):
    admin = AdminDb(world.db_url, world.keystore, tmp_path)
    return admin.run("accounts", "import", _file(tmp_path), as_="admin", approver="li")


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def world(request, tmp_path, monkeypatch):
    monkeypatch.setattr(accounts_import, "CHUNK_WEIGHT", 2)  # four rooms: two chunks
    db_url = request.getfixturevalue("pg_url") if request.param == "pg" else None
    w = make_world(tmp_path, db_url=db_url)
    yield w
    w.close()


def test_an_imported_account_is_sealed_counted_and_sells(world, tmp_path):
    done = _import(world, tmp_path)
    assert done.code == 0, done.stderr
    with unit_of_work(world.counter.engine, read_only=True) as s:
        accounts = {a.account_no: a for a in s.scalars(select(Account).where(Account.meter_no.like("M7%")))}
        assert set(accounts) == {"D-7-101", "D-7-102"}
        assert all(row_seals.genuine(world.counter.keys.audit_hmac, a) for a in accounts.values())
        room = s.scalar(select(Room).where(Room.room_code == "7-101"))
        assert row_seals.genuine(world.counter.keys.audit_hmac, room)
        events = s.scalar(select(func.count(AccountEvent.id)).where(AccountEvent.kind == "imported"))
        assert events == 4
    admin = AdminDb(world.db_url, world.keystore, tmp_path)
    verify = admin.run("audit", "verify", as_="admin")  # every seal, every census, the chain
    assert verify.code == 0, verify.stdout + verify.stderr
    world.sim.install_meter("M7101")
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    world.issue_card("D-7-101", s)
    sale = s.top_up(account_no="D-7-101", amount_fen=1_000, tendered_fen=1_000)
    assert sale.receipt_no


def test_a_failed_chunk_leaves_the_earlier_ones_and_a_rerun_resumes(world, tmp_path, monkeypatch):
    real = import_rooms.NewRooms.add_new
    calls = []

    def second_chunk_fails(self, ctx, s, rows, ids, approval_id):
        calls.append(len(rows))
        if len(calls) == 2:
            real(self, ctx, s, rows, ids, approval_id)  # written, then refused: rolled back whole
            raise InputInvalid("第 4 行：模拟故障", detail_en="line 4: simulated failure")
        return real(self, ctx, s, rows, ids, approval_id)

    monkeypatch.setattr(import_rooms.NewRooms, "add_new", second_chunk_fails)
    failed = _import(world, tmp_path)
    assert failed.code == 1
    assert "2 行已写入并提交" in failed.stderr and "第 4 行起" in failed.stderr
    with unit_of_work(world.counter.engine, read_only=True) as s:
        nos = set(s.scalars(select(Account.account_no).where(Account.meter_no.in_([m for _, _, m in ROWS]))))
    assert nos == {"D-7-101", "D-7-102"}  # the first chunk, nothing of the second
    monkeypatch.setattr(import_rooms.NewRooms, "add_new", real)
    again = _import(world, tmp_path)
    assert again.code == 0, again.stderr
    assert "新建账户 2 个" in again.stdout
    with unit_of_work(world.counter.engine, read_only=True) as s:
        nos = list(s.scalars(select(Account.account_no).where(Account.meter_no.in_([m for _, _, m in ROWS]))))
    assert sorted(nos) == ["D-7-101", "D-7-102", "D-8-201", "D-8-202"]
    admin = AdminDb(world.db_url, world.keystore, tmp_path)
    verify = admin.run("audit", "verify", as_="admin")
    assert verify.code == 0, verify.stdout + verify.stderr
