"""The head's and administrator's work at the workstation (issue 14; counter_app/ops/people_admin.py):
the same services as `counter-admin`, so the same roles, co-signatures and audit entries, on a real
SQLite file."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from opstesting import PASSWORD, make_world
from sqlalchemy import func, select

from base.clock import BUSINESS_TZ
from base.errors import ApprovalRequired, InputInvalid, RoleForbidden, UserFacingError
from db.models import Fee, Tariff
from db.models.security import AuditEntry, SupervisorAppointment
from db.session import unit_of_work

FROM = datetime(2026, 12, 1, tzinfo=BUSINESS_TZ)


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


def _audit_kinds(world) -> list[str]:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        return list(s.scalars(select(AuditEntry.kind).order_by(AuditEntry.id)))


def _count(world, model) -> int:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        return s.scalar(select(func.count()).select_from(model))


def _shown(world, preview, name="li"):
    return dataclasses.replace(world.approval(name), shown_sha256=preview.summary.sha256)


def test_adding_an_operator_is_co_signed_and_the_new_person_logs_in_by_name(world) -> None:
    admin = world.login("admin")
    args = {"name": "sun", "role": "cashier", "password": "sun-pass-1", "display_name": "孙丽"}
    with pytest.raises(ApprovalRequired):
        admin.add_operator(**args)
    preview = admin.approval_preview("add_operator", **args)
    assert preview.needed and preview.kind == "operator.add"
    assert dict(preview.summary.rows()) == {"登录名": "sun", "角色": "营业员"}
    person = admin.add_operator(**args, approval=_shown(world, preview))
    assert (person.name, person.display_name, person.roles, person.disabled) == (
        "sun",
        "孙丽",
        ("cashier",),
        False,
    )
    assert "sun" in [p.name for p in admin.list_people()]
    assert {"operator.created", "role.granted"} & set(_audit_kinds(world))
    assert world.counter.login("孙丽", "sun-pass-1").name == "sun"


def test_the_maker_never_co_signs_and_a_wrong_display_name_is_refused_before_the_co_signature(world) -> None:
    admin = world.login("admin")
    args = {"name": "sun", "role": "cashier", "password": "sun-pass-1"}
    with pytest.raises(UserFacingError) as refused:
        admin.add_operator(**args, approval=world.approval("admin"))
    assert refused.value.code == "SELF_APPROVAL"
    with pytest.raises(InputInvalid):  # 张敏's name would log in two people: refused in the preview
        admin.approval_preview("add_operator", **args, display_name="li")
    assert "sun" not in [p.name for p in admin.list_people()]


def test_only_the_administrator_keeps_people_prices_and_workstations(world) -> None:
    for who in ("zhang", "zhao"):
        session = world.login(who)
        with pytest.raises(RoleForbidden):
            session.add_operator(
                name="sun", role="cashier", password="sun-pass-1", approval=world.approval("wang")
            )
        with pytest.raises(RoleForbidden):
            session.set_tariff(cls="dorm", price_e4=6000, start=FROM, basis="校发〔2026〕9号",
                               approval=world.approval("wang"))  # fmt: skip
    with pytest.raises(RoleForbidden):
        world.login("zhang").list_workstations()


def test_disabling_a_cashier_is_alone_a_supervisor_needs_the_head_or_an_assistant(world) -> None:
    admin = world.login("admin")
    assert admin.disable_operator(name="wu").disabled
    with pytest.raises(ApprovalRequired):
        admin.disable_operator(name="li")
    preview = admin.approval_preview("disable_operator", name="li")
    assert preview.kind == "operator.disable" and dict(preview.summary.rows())["所任角色"] == "监督人"
    with pytest.raises(UserFacingError):  # a 监督人 signs away no 监督人
        admin.disable_operator(name="li", approval=_shown(world, preview, "li"))
    assert admin.disable_operator(name="li", approval=_shown(world, preview, "zhao")).disabled


def test_a_password_reset_is_co_signed_and_never_by_its_owner(world) -> None:
    admin = world.login("admin")
    with pytest.raises(ApprovalRequired):
        admin.reset_password(name="zhang", password="new-pass-1")
    with pytest.raises(InputInvalid):
        admin.reset_password(name="li", password="new-pass-1", approval=world.approval("li"))
    preview = admin.approval_preview("reset_password", name="zhang", password="new-pass-1")
    assert preview.summary.title() == "重置他人密码"
    admin.reset_password(name="zhang", password="new-pass-1", approval=_shown(world, preview))
    assert world.counter.login("zhang", "new-pass-1").name == "zhang"
    with pytest.raises(UserFacingError):
        world.counter.login("zhang", PASSWORD)


def test_the_head_appoints_a_supervisor_the_administrator_does_not(world) -> None:
    with pytest.raises(RoleForbidden):
        world.login("admin").appoint_supervisor(name="zhang", start=date(2026, 12, 1), end=date(2026, 12, 7))
    before = _count(world, SupervisorAppointment)
    person = world.login("zhao").appoint_supervisor(
        name="zhang", start=date(2026, 12, 1), end=date(2026, 12, 7)
    )
    assert person.appointments[-1] == (date(2026, 12, 1), date(2026, 12, 7))
    assert _count(world, SupervisorAppointment) == before + 1
    with pytest.raises(RoleForbidden):
        world.login("zhao").appoint_supervisor(name="zhao", start=date(2026, 12, 1), end=date(2026, 12, 7))


def test_tariffs_and_fees_are_co_signed_with_their_basis_document(world) -> None:
    admin = world.login("admin")
    args = {"cls": "dorm", "price_e4": 6000, "start": FROM, "basis": "校发〔2026〕9号"}
    with pytest.raises(ApprovalRequired):
        admin.set_tariff(**args)
    preview = admin.approval_preview("set_tariff", **args)
    assert dict(preview.summary.rows()) == {"类别": "学生公寓", "电价": "0.6000 元/kWh",
                                            "生效时间": "2026-12-01 00:00", "依据文件": "校发〔2026〕9号"}  # fmt: skip
    admin.set_tariff(**args, approval=_shown(world, preview))
    with pytest.raises(InputInvalid):  # the same class and moment twice
        admin.approval_preview("set_tariff", **args)
    with pytest.raises(InputInvalid):
        admin.set_fee(kind="card", fen=1500, start=FROM, basis="  ", approval=world.approval())
    fee = {"kind": "card", "fen": 1500, "start": FROM, "basis": "校发〔2026〕10号"}
    preview = admin.approval_preview("set_fee", **fee)
    assert dict(preview.summary.rows())["标准"] == "￥15.00"
    admin.set_fee(**fee, approval=_shown(world, preview, "wang"))
    assert _count(world, Tariff) == 4 and _count(world, Fee) >= 1
    prices = {(p.what, p.code, p.value, p.basis) for p in admin.list_prices()}
    assert ("tariff", "dorm", 6000, "校发〔2026〕9号") in prices and (
        "fee",
        "card",
        1500,
        "校发〔2026〕10号",
    ) in prices
    assert {"tariff.set", "fee.set"} <= set(_audit_kinds(world))


def test_a_workstation_is_registered_by_the_head_s_or_an_assistant_s_co_signature(world) -> None:
    admin = world.login("admin")
    with pytest.raises(ApprovalRequired):
        admin.add_workstation(code="W03", campus="东校区")
    preview = admin.approval_preview("add_workstation", code="W03", campus="东校区")
    assert dict(preview.summary.rows()) == {"窗口代码": "W03", "校区": "东校区"}
    with pytest.raises(UserFacingError):  # a 监督人 may not add a counter
        admin.add_workstation(code="W03", campus="东校区", approval=_shown(world, preview, "li"))
    assert admin.add_workstation(code="W03", campus="东校区", approval=_shown(world, preview, "wang")) is True
    rows = {w.code: w.campus for w in admin.list_workstations()}
    assert rows == {"W01": "主校区", "W02": "主校区", "W03": "东校区"}
    keys = admin.list_key_fingerprints()
    assert keys and all(len(k.fingerprint) >= 16 for k in keys)
    assert "workstation.added" in _audit_kinds(world)


def test_a_setting_is_signed_in_people_s_units(world) -> None:
    admin = world.login("admin")
    preview = admin.approval_preview("set_setting", key="min_top_up_fen", value=2000)
    assert dict(preview.summary.rows()) == {"设置项": "min_top_up_fen", "新值": "20.00 元"}
    assert dict(preview.summary.rows("en"))["New value"] == "20.00 yuan"
    admin.set_setting("min_top_up_fen", 2000, approval=_shown(world, preview))
    assert admin.get_setting("min_top_up_fen") == 2000


@pytest.mark.pg
def test_the_same_powers_on_postgresql(tmp_path, pg_url) -> None:
    """On the production database: an operator added and a tariff set, each co-signed on the words
    shown; the maker's own signature refused."""
    world = make_world(tmp_path, db_url=pg_url)
    try:
        admin = world.login("admin")
        args = {"name": "sun", "role": "cashier", "password": "sun-pass-1", "display_name": "孙丽"}
        with pytest.raises(UserFacingError) as refused:
            admin.add_operator(**args, approval=world.approval("admin"))
        assert refused.value.code == "SELF_APPROVAL"
        preview = admin.approval_preview("add_operator", **args)
        assert admin.add_operator(**args, approval=_shown(world, preview)).display_name == "孙丽"
        tariff = {"cls": "staff", "price_e4": 5500, "start": FROM, "basis": "校发〔2026〕9号"}
        preview = admin.approval_preview("set_tariff", **tariff)
        admin.set_tariff(**tariff, approval=_shown(world, preview, "wang"))
        assert ("tariff", "staff", 5500, "校发〔2026〕9号") in {
            (p.what, p.code, p.value, p.basis) for p in admin.list_prices()
        }
    finally:
        world.close()
