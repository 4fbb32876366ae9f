"""The yearly import against the rooms already known: new, updated, class changed, missing."""

from __future__ import annotations

from counter_app.imports.accounts_file import ImportRow, Occupants, RoomKey
from counter_app.imports.accounts_plan import ExistingRoom, FieldChange, diff_import, preview_lines


def row(line, room, cls="dorm", beds=4, occ=(2, 0, 0), meter=None, campus="东校区", holder="", phone=""):
    return ImportRow(
        line, campus, "5", "", room, cls, beds, Occupants(*occ), meter or f"m{room}", holder, phone
    )


def known(room, cls="dorm", beds=4, occ=(2, 0, 0), meter=None, status="active", campus="东校区", **kw):
    return RoomKey(campus, "5", "", room), ExistingRoom(
        cls, beds, Occupants(*occ), meter or f"m{room}", status, **kw
    )


def test_new_updated_class_changed_missing_and_unchanged():
    existing = dict([
        known("101"),                                   # unchanged
        known("102", beds=6, occ=(6, 0, 0)),            # beds and occupants change
        known("103", cls="staff", occ=(0, 0, 0)),       # becomes a business
        known("104"),                                   # missing from the file
        known("105", status="closed"),                  # missing but closed: not listed
        known("1", campus="西校区"),                     # another campus: not this file's business
    ])  # fmt: skip
    rows = [row(2, "101"), row(3, "102", beds=4, occ=(3, 1, 0)), row(4, "103", cls="business", beds=0, occ=(0, 0, 0)),
            row(5, "106")]  # fmt: skip
    plan = diff_import(rows, existing)
    assert [r.room for r in plan.new] == ["106"]
    assert plan.unchanged == (RoomKey("东校区", "5", "", "101"),)
    by_room = {u.key.room: u for u in plan.updated}
    assert by_room["102"].changes == (
        FieldChange("beds", 6, 4), FieldChange("undergrad", 6, 3), FieldChange("master", 0, 1),
    )  # fmt: skip
    assert not by_room["102"].becomes_pending
    assert by_room["103"].changes[0] == FieldChange("cls", "staff", "business")
    assert by_room["103"].becomes_pending
    assert [u.key.room for u in plan.class_changed] == ["103"]
    assert [m.key.room for m in plan.missing] == ["104"]
    assert plan.ok


def test_a_meter_change_is_listed_and_plain_tuples_work_as_keys():
    key, room = known("101", meter="OLD")
    plan = diff_import([row(2, "101", meter="NEW")], {tuple(key): room})
    assert plan.updated[0].changes == (FieldChange("meter_no", "OLD", "NEW"),)


def test_a_closed_account_whose_class_changed_stays_closed():
    plan = diff_import([row(2, "101", cls="staff", holder="张")], dict([known("101", status="closed")]))
    assert plan.updated[0].class_changed and not plan.updated[0].becomes_pending


def test_holder_compared_only_when_known_and_given():
    existing = dict([known("101", cls="staff", holder="张", phone="1"), known("102", cls="staff")])
    rows = [row(2, "101", cls="staff", holder="李", phone=""), row(3, "102", cls="staff", holder="王")]
    plan = diff_import(rows, existing)
    assert [u.changes for u in plan.updated] == [(FieldChange("holder", "张", "李"),)]


def test_a_meter_still_held_by_a_room_not_in_the_file_is_a_conflict():
    existing = dict([known("101", meter="M1"), known("102", meter="M2")])
    plan = diff_import([row(2, "101", meter="M2")], existing)  # 102 keeps M2 (missing from file)
    assert [(e.line, e.field) for e in plan.conflicts] == [(2, "电表号")]
    assert not plan.ok
    swapped = diff_import([row(2, "101", meter="M2"), row(3, "102", meter="M1")], existing)
    assert swapped.ok


def test_preview_lines_in_chinese():
    existing = dict([known("102", beds=6), known("103", cls="staff", occ=(0, 0, 0)), known("104")])
    rows = [row(2, "102"), row(3, "103", cls="business", beds=0, occ=(0, 0, 0)), row(4, "106")]
    lines = preview_lines(diff_import(rows, existing))
    assert lines[0].startswith("新增 1 间，更新 2 间（其中类别变更 1 间")
    assert "新增 第 4 行：东校区 5-106 学生公寓，床位 4" in lines[1]
    assert any(line.startswith("更新 第 2 行：东校区 5-102：床位 6 → 4") for line in lines)
    assert any("教职工 → 实体经营" in line and "账户转为待确认" in line for line in lines)
    assert lines[-1] == "缺少 东校区 5-104（正常），保留不删除"
