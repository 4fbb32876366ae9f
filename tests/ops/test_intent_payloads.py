"""Typed intent payloads and the intent-kind table (counter_app/ops/intent_payloads.py,
counter_app/ops/intent_kinds.py): the table covers every kind the schema allows; every stored v1
payload (tests/fixtures/intent_payloads/v1, written by scripts/capture_intent_payloads.py before the
payloads were typed) still parses, and an open intent carrying it is rolled forward exactly as the
code of that day did; each payload type survives to_json → JSON text → from_json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from intent_payload_scenarios import FIXTURES, SCENARIOS, columns_of, deterministic, leave_open, roll_forward
from opstesting import make_world
from sqlalchemy import select

from counter_app.ops.intent_kinds import INTENT_KIND_TABLE, Settle, committer_for, recovery_rule
from counter_app.ops.intent_payloads import (
    SCHEMA_KEY,
    SCHEMA_VERSION,
    ClearMakePayload,
    ClearRestorePayload,
    CorrectionPayload,
    IssuePayload,
    OriginalSale,
    ParameterPayload,
    ReplaceCardPayload,
    TopUpPayload,
    schema_version,
)
from db.models import CardWriteIntent
from db.models.intents import INTENT_KINDS
from db.session import unit_of_work

V1 = sorted((FIXTURES / "v1").glob("*.json"))


def _fixture(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_table_covers_exactly_the_kinds_the_schema_allows():
    assert set(INTENT_KIND_TABLE) == set(INTENT_KINDS)
    for kind, entry in INTENT_KIND_TABLE.items():
        assert entry.kind == kind
        written = bool(entry.payload_types)
        assert (entry.parse is not None, entry.commit is not None, entry.recovery is not None) == (
            written,
        ) * 3
        if written:
            rule = recovery_rule(kind)
            assert (rule.own_record, rule.other_record, rule.no_card) == (
                Settle.ROLL_FORWARD,
                Settle.ABORT,
                Settle.STILL_OPEN,
            )  # today's rule, for every kind
        else:
            with pytest.raises(LookupError):
                committer_for(kind)


def test_every_kind_written_today_has_a_v1_fixture():
    stored = {_fixture(path)["kind"] for path in V1}
    assert stored == {k for k, e in INTENT_KIND_TABLE.items() if e.payload_types}
    assert {path.stem for path in V1} == set(SCENARIOS)


@pytest.mark.parametrize("path", V1, ids=lambda p: p.stem)
def test_a_v1_payload_parses_and_its_dropped_amounts_are_the_columns(path):
    data = _fixture(path)
    entry = INTENT_KIND_TABLE[data["kind"]]
    payload, columns = data["payload"], data["columns"]
    assert SCHEMA_KEY not in payload and schema_version(payload) == 1
    typed = entry.parse(payload)
    assert type(typed) in entry.payload_types
    assert type(typed).from_json(typed.to_json()) == typed
    assert typed.to_json()[SCHEMA_KEY] == SCHEMA_VERSION
    # v1 repeated the columns: what was dropped must be exactly what the columns hold.
    if isinstance(typed, TopUpPayload | CorrectionPayload):
        assert (
            payload["amount_fen"],
            payload["energy_ckwh"] + payload["carried_ckwh"],
            payload["price_e4"],
        ) == (columns["amount_fen"], columns["energy_ckwh"], columns["price_e4"])
    if isinstance(typed, TopUpPayload):
        assert (payload["free_ckwh"], payload["tender"]) == (columns["free_ckwh"], columns["tender"])
    if isinstance(typed, ParameterPayload):
        assert payload["carried_ckwh"] == columns["energy_ckwh"]
    if isinstance(typed, ClearMakePayload):
        assert payload["card_serial"] == columns["card_serial"]
    if isinstance(typed, ReplaceCardPayload):
        assert typed.carried_amount_fen == payload["record_amount_fen"]


def test_a_newer_version_is_refused_rather_than_misread():
    with pytest.raises(ValueError):
        IssuePayload.from_json({SCHEMA_KEY: SCHEMA_VERSION + 1, "account_no": "A", "meter_no": "M"})


@pytest.mark.parametrize("path", V1, ids=lambda p: p.stem)
def test_an_open_intent_carrying_a_v1_payload_rolls_forward_exactly_as_before(tmp_path, path):
    stored = _fixture(path)
    world = make_world(tmp_path)
    try:
        with deterministic():
            intent, serial = leave_open(world, stored["scenario"])
            # Today's code writes the same columns, and a payload that means the same.
            assert columns_of(intent) == stored["columns"]
            parse = INTENT_KIND_TABLE[intent.kind].parse
            assert intent.payload[SCHEMA_KEY] == SCHEMA_VERSION
            assert parse(_as_v1(intent.payload)) == parse(stored["payload"])
            with unit_of_work(world.counter.engine) as s:
                row = s.scalar(select(CardWriteIntent).where(CardWriteIntent.intent_id == intent.intent_id))
                row.payload = stored["payload"]  # as a crash before the upgrade left it
            assert roll_forward(world, intent, serial) == stored["rolled_forward"]
    finally:
        world.close()


def _as_v1(payload: dict[str, Any]) -> dict[str, Any]:
    """Today's payload without what was added since v1 on purpose: a clear's `wb_before` also records
    the write-back's event and meter (issue 12: a "loaded" and a "cleared" write-back stamped in the
    same second with the same figures are different answers; clears.what_it_says)."""
    wb = payload.get("wb_before")
    if not isinstance(wb, dict):
        return payload
    return {**payload, "wb_before": {k: v for k, v in wb.items() if k not in ("event", "meter_no")}}


# --- round trips ----------------------------------------------------------------------------------------

texts = st.text(max_size=12)
opt_texts = st.none() | texts
counts = st.integers(min_value=0, max_value=10**12)
opt_counts = st.none() | counts
write_backs = st.fixed_dictionaries({
    "remaining_ckwh": counts, "consumed_ckwh": counts, "last_loaded_counter": counts,
    "alarms": st.lists(texts, max_size=3), "error": opt_texts, "at": opt_texts,
})  # fmt: skip
originals = st.builds(OriginalSale, entry_id=counts, receipt_no=texts, receipt_id=counts, account_no=texts,
                      charge=opt_texts, fen=st.integers(), energy_ckwh=st.integers(), price_e4=counts,
                      purchase_counter=counts, tender=opt_texts, reference=opt_texts)  # fmt: skip
PAYLOADS = {
    TopUpPayload: st.builds(TopUpPayload, ledger_kind=st.sampled_from(("sale", "free")), account_no=texts,
                            meter_no=texts, carried_ckwh=counts, reference=opt_texts, tendered_fen=opt_counts,
                            change_fen=counts, override_reason=opt_texts, approval_id=opt_counts,
                            allocations=st.lists(st.tuples(counts, counts), max_size=4).map(tuple)),
    CorrectionPayload: st.builds(CorrectionPayload, mode=st.sampled_from(("rewrite", "void", "new_sale")),
                                 original=originals, reason=texts, approval_id=counts, account_no=texts,
                                 meter_no=texts, carried_ckwh=counts, change_fen=counts, target_account_no=opt_texts),
    ClearMakePayload: st.builds(ClearMakePayload, account_no=texts, meter_no=texts, reason=texts, approval_id=counts,
                                clear_seq=counts, wb_before=st.none() | write_backs),
    ClearRestorePayload: st.builds(ClearRestorePayload, account_no=texts, meter_no=texts, make_intent_id=texts,
                                   cleared_ckwh=counts, write_back=write_backs, reason=opt_texts),
    ParameterPayload: st.builds(ParameterPayload, account_no=texts, old_meter_no=texts, new_meter_no=texts,
                                approval_id=opt_counts, param_seq=counts, new_meter_model=opt_texts),
    IssuePayload: st.builds(IssuePayload, account_no=texts, meter_no=texts, previous_serial=opt_texts),
    ReplaceCardPayload: st.builds(ReplaceCardPayload, account_no=texts, meter_no=texts, lost_serial=opt_texts,
                                  carried_amount_fen=counts, carried_from=opt_texts, reference=opt_texts,
                                  fee_id=opt_counts, meter_counter=counts),
}  # fmt: skip


def test_every_payload_type_of_the_table_has_a_round_trip():
    assert {t for e in INTENT_KIND_TABLE.values() for t in e.payload_types} == set(PAYLOADS)


@pytest.mark.parametrize("cls", PAYLOADS, ids=lambda c: c.__name__)
def test_a_payload_survives_json(cls):
    @settings(
        max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )  # 6 helpers share 2 cores
    @given(PAYLOADS[cls])
    def round_trip(payload):
        stored = json.loads(json.dumps(payload.to_json()))  # what the JSON column gives back
        assert stored[SCHEMA_KEY] == SCHEMA_VERSION
        assert cls.from_json(stored) == payload
        assert cls.from_json(payload.to_json()) == payload

    round_trip()
