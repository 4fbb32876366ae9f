"""The contents a queued operation is stored with, typed (counter_app/ops/holiday.py): each reads
back to exactly the dict its operation gave `ctx.approve` (whose hash the re-run must match), and
and the queue shows the core's summary of it (counter_app.approval_summary), naming what matters."""

from __future__ import annotations

from typing import Any

import pytest

from counter_app.approval_summary import summarise
from counter_app.ops import holiday
from counter_app.queueing import QUEUEABLE

CONTENTS: list[tuple[str, dict[str, Any], str]] = [
    ("account.confirm_class", {"account_no": "S-12-101", "cls": "staff"}, "S-12-101"),
    ("account.replace_meter", {"account_no": "D-5-308", "new_meter_no": "M5308B", "carried_ckwh": 1_500},
     "M5308B"),
    ("card.issue_tool_card", {"kind": "parameter", "meter_no": "M5308", "params": {"alarm_threshold_ckwh": 500}},
     "M5308"),
    ("clear.issue", {"account_no": "D-5-308", "meter_no": "M5308", "card_serial": "00AB", "reason": "调离"},
     "调离"),
    ("refund_room", {"account_no": "D-5-308", "payee_name": "王同学", "payee_id": "2022001", "payee_account": None,
                     "manual_reading_ckwh": None, "reason": None, "refund_fen": 12_345, "refundable_ckwh": 20_000,
                     "clear_entry_id": 7}, "￥123.45"),
    ("account.close", {"account_no": "B-1-001", "clear_entry_id": 9}, "B-1-001"),
    ("correction", {"receipt_no": "W01-00000001", "reason": "多输了", "from_account": "D-5-308",
                    "to_account": "D-5-308", "amount_fen": 5_000, "energy_ckwh": None, "original_fen": 10_000,
                    "original_ckwh": 17_000}, "更正为：￥50.00"),
    ("intent.suspense", {"intent_id": "0123456789abcdef", "reason": "顾客离开"}, "0123456789abcdef"),
    ("intent.roll_forward", {"intent_id": "0123456789abcdef"}, "0123456789abcdef"),
    ("intent.refund", {"intent_id": "0123456789abcdef"}, "0123456789abcdef"),
]  # fmt: skip
TYPES = {
    "account.confirm_class": holiday.ConfirmClassContent, "account.replace_meter": holiday.ReplaceMeterContent,
    "card.issue_tool_card": holiday.ToolCardContent, "clear.issue": holiday.ClearIssueContent,
    "refund_room": holiday.RoomRefundContent, "account.close": holiday.CloseAccountContent,
    "correction": holiday.CorrectionContent, "intent.suspense": holiday.SuspenseContent,
    "intent.roll_forward": holiday.ResolveSuspenseContent, "intent.refund": holiday.ResolveSuspenseContent,
}  # fmt: skip


@pytest.mark.parametrize(("kind", "content", "summary"), CONTENTS, ids=[c[0] for c in CONTENTS])
def test_a_queued_content_reads_back_exactly_and_is_summarised_by_the_core(kind, content, summary):
    assert TYPES[kind].from_json(content).to_json() == content
    line = QUEUEABLE[kind].summary(content)
    assert line == summarise(kind, content).one_line("zh")
    assert summary in line


def test_a_manual_reading_refund_is_never_queued():
    refund = dict(CONTENTS[4][1])
    assert QUEUEABLE["refund_room"].when(refund)
    assert not QUEUEABLE["refund_room"].when({**refund, "manual_reading_ckwh": 1_000})
