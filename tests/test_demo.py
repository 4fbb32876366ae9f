"""The demo database (`counter-app --demo`): the counts README and the brief promise, reuse on a
second call, an intact audit chain, and a counter that opens on it with simulated devices."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, make_url, select

from counter_app import audit
from counter_app.counter import open_counter
from counter_app.demo import PASSWORD, prepare_demo
from counter_app.installation import load_keys
from counter_app.keystore import bind_keys
from counter_app.roles import has_role, roles_of
from db.engine import make_engine
from db.models import Account, Building, Campus, Fee, Tariff, Workstation
from db.models.security import Operator
from db.session import unit_of_work


def test_prepare_demo_builds_the_demo_once_and_a_counter_opens_on_it(tmp_path):
    db_url, keystore, sim_dir = prepare_demo(tmp_path)  # (how long it takes: bench/, not a test)
    engine = make_engine(db_url)
    keys, info, _ = load_keys(engine, keystore)
    assert info.dev
    with unit_of_work(engine, read_only=True) as s:
        bind_keys(s, keys)
        count = lambda model, *where: s.scalar(select(func.count()).select_from(model).where(*where))  # noqa: E731
        assert count(Campus) == 2 and count(Building) == 20
        assert count(Account, Account.cls == "dorm") == 2000
        assert (
            count(Account, Account.cls == "staff") == 200 and count(Account, Account.cls == "business") == 50
        )
        assert s.scalar(select(func.sum(Account.beds))) > 8000
        assert count(Tariff) == 3 and s.scalar(select(Fee.fen).where(Fee.kind == "card")) == 0
        people = {name: op_id for name, op_id in s.execute(select(Operator.name, Operator.id)).tuples()}
        assert set(people) == {"admin", "zhao", "zhang", "li", "wang", "qian"}
        assert roles_of(s, people["admin"]) == {"admin"} and roles_of(s, people["qian"]) == {"finance"}
        assert has_role(s, people["li"], "supervisor", on=info_today())
        assert s.scalar(select(Workstation.simulated).where(Workstation.code == "W01"))
        assert audit.verify(s).ok
    engine.dispose()

    database = Path(str(make_url(db_url).database))
    before = database.stat()
    assert prepare_demo(tmp_path) == (db_url, keystore, sim_dir)
    after = database.stat()  # reused, not rebuilt: the same file, not written again
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_size,
    )

    counter = open_counter(db_url, workstation="W01", simulate=True, sim_dir=sim_dir, keystore=keystore)
    try:
        session = counter.login("zhang", PASSWORD)
        assert session.find_account(room_code="5-308").account_no == "D-5-308"
    finally:
        counter.close()


def info_today():
    from base.clock import business_date, system_clock

    return business_date(system_clock())
