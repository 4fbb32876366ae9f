"""Receivables lists imported from finance or the inspection department (issue 15 item 4): every
bad line named with the spreadsheet's line number, all or nothing, the importer never collects; the
reconciliation one list per issuing department, totals equal to plain SQL."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imports.files import write_csv, write_xlsx
from opstesting import make_world
from quotatesting import audit_ok, count, set_setting
from sqlalchemy import text

from base.errors import UserFacingError
from counter_app.imports.notices_file import parse_receivables_file
from db.models.notices import Notice
from db.session import unit_of_work

HEADER = ["通知单号", "类别", "缴费人", "金额（元）", "开单部门", "账号", "维修日期", "维修人"]
GOOD = [
    HEADER,
    ["JC-2026-001", "交费", "校园超市", "123.45", "", "B-1-001", "", ""],
    ["JC-2026-002", "维修", "5-308 寝室", "35.5", "后勤维修中心", "", "2026-11-20", "王师傅"],
    ["JC-2026-003", "采暖", "张老师", "2176.94", "", "", "", ""],
]


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    set_setting(w, "stamped_receipt_for", [])
    yield w
    w.close()


def test_a_list_is_checked_then_imported_and_a_cashier_collects_it(world, tmp_path):
    path = write_csv(tmp_path / "应收.csv", GOOD, "gb18030")
    wang = world.login("wang")
    preview = wang.import_receivables(path=str(path), department="能源稽查科")
    assert (preview.imported, preview.notices, preview.total_fen, preview.errors) == (False, 3, 233_589, ())
    assert [(d.department, d.notices) for d in preview.departments] == [
        ("后勤维修中心", 1),
        ("能源稽查科", 2),
    ]
    assert count(world, Notice) == 0
    done = wang.import_receivables(path=str(path), department="能源稽查科", commit=True)
    assert done.imported and count(world, Notice) == 3
    zhang = world.login("zhang")
    zhang.open_shift(float_fen=0)
    paid = zhang.pay_notice(notice_no="JC-2026-001", amount_fen=12_345, amount_fen_again=12_345)
    assert paid.amount_fen == 12_345
    assert audit_ok(world)


def test_every_bad_line_is_named_and_nothing_is_imported(world, tmp_path):
    world.login("wang").import_receivables(path=str(write_csv(tmp_path / "a.csv", GOOD[:2])), department="稽查",
                                           commit=True)  # fmt: skip
    rows = [
        HEADER,
        ["JC-2026-001", "交费", "超市", "1", "稽查", "", "", ""],  # 2: already imported
        ["JC-9", "电费", "x", "1", "稽查", "", "", ""],  # 3: unknown kind
        ["JC-10", "交费", "x", "1.005", "稽查", "", "", ""],  # 4: three decimals
        ["JC-11", "维修", "x", "5", "稽查", "", "", ""],  # 5: repair without date and repairman
        ["JC-12", "交费", "x", "5", "", "", "", ""],  # 6: no department and none given
        ["JC-13", "交费", "x", "5", "稽查", "NO-SUCH", "", ""],  # 7: unknown account
        ["JC-13", "交费", "x", "5", "稽查", "", "", ""],  # 8: repeats line 7
        ["JC-14", "交费", "x", "5", "稽查", "", "", ""],  # fine
    ]  # fmt: skip
    result = world.login("wang").import_receivables(
        path=str(write_csv(tmp_path / "b.csv", rows)), commit=True
    )
    assert not result.imported and count(world, Notice) == 1
    lines = [int(e.split(" ")[1]) for e in result.errors]
    assert lines == [2, 3, 4, 5, 6, 7, 8], result.errors
    assert "通知单号已存在" in result.errors[0] and "没有账号 NO-SUCH" in result.errors[5]


def test_xlsx_lists_and_only_the_department_roles_import(world, tmp_path):
    rows = [HEADER, ["X-1", "repair", "寝室", 35.5, "维修中心", "", date(2026, 11, 20), "王师傅"]]
    path = write_xlsx(tmp_path / "list.xlsx", rows)
    parsed = parse_receivables_file(path)
    assert parsed.errors == () and parsed.rows[0].amount_fen == 3_550
    assert parsed.rows[0].repair_date == date(2026, 11, 20)
    with pytest.raises(UserFacingError) as err:
        world.login("zhang").import_receivables(path=str(path), commit=True)
    assert err.value.code == "ROLE_FORBIDDEN" and count(world, Notice) == 0


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=10**9))
def test_any_yuan_figure_with_two_decimals_is_read_exactly(tmp_path_factory, fen):
    path = tmp_path_factory.mktemp("p") / "one.csv"
    write_csv(path, [HEADER, ["N-1", "交费", "x", str(Decimal(fen) / 100), "稽查", "", "", ""]])
    assert parse_receivables_file(path).rows[0].amount_fen == fen


def test_one_reconciliation_list_per_department_with_sql_totals(world, tmp_path):
    world.login("wang").import_receivables(path=str(write_csv(tmp_path / "a.csv", GOOD)), department="能源稽查科",
                                           commit=True)  # fmt: skip
    zhang = world.login("zhang")
    zhang.open_shift(float_fen=0)
    zhang.pay_notice(notice_no="JC-2026-003", amount_fen=217_694, amount_fen_again=217_694)
    files = zhang.reconciliation_lists(start=date(2026, 11, 16), end=date(2026, 11, 30), format="xlsx")
    assert sorted(files) == ["后勤维修中心", "能源稽查科"]
    with unit_of_work(world.counter.engine, read_only=True) as s:
        by_sql = dict(s.execute(text(
            "SELECT n.department, sum(n.amount_fen) FROM notices n JOIN notice_payments p ON p.notice_id = n.id "
            "GROUP BY n.department")).all())  # fmt: skip
        from counter_app.ops.notice_reports import department_reconciliations
        from counter_app.settlement.reports import ReportQuery

        tables = department_reconciliations(s, ReportQuery(date(2026, 11, 16), date(2026, 11, 30)))
    assert tables["能源稽查科"].total[4] == by_sql["能源稽查科"] == 217_694
    assert tables["后勤维修中心"].total[4] == 0 and "后勤维修中心" in tables["后勤维修中心"].sign_labels
    if shutil.which("pdftotext"):
        pdf = zhang.reconciliation_lists(start=date(2026, 11, 16), end=date(2026, 11, 30))["能源稽查科"]
        (tmp_path / "r.pdf").write_bytes(pdf)
        shown = subprocess.run(["pdftotext", "-layout", str(tmp_path / "r.pdf"), "-"], capture_output=True,
                               text=True, check=True).stdout  # fmt: skip
        assert "能源稽查科" in shown and "2176.94" in shown and "JC-2026-002" not in shown
