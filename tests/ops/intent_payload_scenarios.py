"""One scenario per intent kind (and per variant of a kind: clear's two visits, correction's three
modes, a top-up that also delivers free energy, a free-energy visit): the operation is run through
the facade with its commit lost (the card written, the intent left open), then a restart with the
card back rolls it forward. Used twice:

- `scripts/capture_intent_payloads.py` stores what the code of the day writes — the intent row's
  columns, its payload, and every row the roll-forward adds — as
  tests/fixtures/intent_payloads/v1/<name>.json (v1 = the unversioned payloads stored before
  counter_app.ops.intent_payloads existed; those files stand for intents in the field: never edit);
- tests/ops/test_intent_payloads.py runs the same scenario with today's code, puts the stored v1
  payload in place of the one written now, and checks that recovery adds exactly the stored rows.

Random values are made deterministic while a scenario runs (intent ids, card serials), so two runs
of one scenario write the same rows; secrets that sign receipts differ per world and are left out.
"""

from __future__ import annotations

import contextlib
import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cardops_testing import sell
from opstesting import START, World, make_world
from quotatesting import set_setting
from sqlalchemy import func, select

from base.clock import BUSINESS_TZ
from counter_app.ops import card_writes
from counter_app.ops.common import add_audited
from counter_app.prompts import ScriptedPrompts
from db.models import AccountEvent, CardEvent, CardWriteIntent, Fee, LedgerEntry, LedgerMark, ReceiptEvent
from db.models.intents import PrintJob
from db.models.quota import QuotaDelivery
from db.models.receipts import Receipt
from db.session import unit_of_work
from hardware.sim import card as sim_card

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "intent_payloads"
INTENT_COLUMNS = ("kind", "card_serial", "purchase_counter", "amount_fen", "energy_ckwh", "free_ckwh",
                  "price_e4", "tender", "shift_id", "operator_id", "workstation_id", "created_at",
                  "simulated")  # fmt: skip
# What a roll-forward adds, compared row by row (signatures differ per world: left out).
ADDED_ROWS = (
    LedgerEntry,
    LedgerMark,
    Receipt,
    ReceiptEvent,
    PrintJob,
    AccountEvent,
    CardEvent,
    QuotaDelivery,
)
UNSTABLE_KEYS = ("qr_text", "row_mac")  # row_mac: a seal under this run's random keys


@dataclass(frozen=True)
class Scenario:
    """`prepare(world)` does what comes before (sales, cards) and returns the operation to run with
    its commit lost, and the serial of the card the operation writes."""

    kind: str
    prepare: Callable[[World], tuple[Callable[[], object], str]]


# --- the scenarios --------------------------------------------------------------------------------------


def _shift(world: World) -> Any:
    s = world.login("zhang")
    s.open_shift(float_fen=50_000)
    return s


def _quota(world: World) -> None:
    set_setting(world, "term_ends", ["2027-01-20", "2027-07-05"])
    zhang = world.login("zhang")
    for period in ("2026-11", "2026-12"):
        draft = zhang.prepare_quota_batch(period=period, buildings=["5"])
        zhang.approve_quota_batch(batch_id=draft.batch_id, approval=world.approval("li"))
    world.clock.set(datetime(2026, 12, 5, 10, 0, tzinfo=BUSINESS_TZ))


def top_up(world: World) -> tuple[Callable[[], object], str]:
    """A cash sale that also delivers the free energy owed (allocations in the plan)."""
    _quota(world)
    s = _shift(world)
    serial = world.issue_card("D-5-308", s)
    return lambda: s.top_up(account_no="D-5-308", amount_fen=10_000, tendered_fen=20_000), serial


def top_up_free(world: World) -> tuple[Callable[[], object], str]:
    """`collect_free`: an intent of kind top_up whose plan is "free"."""
    _quota(world)
    s = _shift(world)
    serial = world.issue_card("D-5-308", s)
    return lambda: s.collect_free(account_no="D-5-308"), serial


def top_up_reference(world: World) -> tuple[Callable[[], object], str]:
    s = _shift(world)
    serial = world.issue_card("D-5-308", s)
    return lambda: s.top_up(
        account_no="D-5-308", amount_fen=5_000, tender="wechat", reference="WX-0001"
    ), serial


def issue(world: World) -> tuple[Callable[[], object], str]:
    s = _shift(world)
    blank = world.sim.new_blank_card()
    world.sim.present_card(blank)
    return lambda: s.issue_card(account_no="S-12-101"), blank


def replace_card(world: World) -> tuple[Callable[[], object], str]:
    """With a fee and an unloaded purchase carried to the new card."""
    ctx = world.login("admin").ctx
    with ctx.uow() as u:
        fee = Fee(kind="card", fen=1_000, effective_from=datetime(2026, 1, 1, tzinfo=START.tzinfo),
                  basis="校发〔2026〕2号", set_by=ctx.operator_id, created_at=ctx.now())  # fmt: skip
        add_audited(ctx, u, fee, "fee.set", fee_kind="card", fen=1_000)
    s = _shift(world)
    old = world.issue_card("D-5-308", s)
    sell(world, s, "D-5-308", old)
    s.report_lost_card(account_no="D-5-308")
    new = world.sim.new_blank_card()
    world.sim.present_card(new)
    return lambda: s.replace_card(account_no="D-5-308", tender="alipay", reference="ALI-42"), new


def parameter(world: World) -> tuple[Callable[[], object], str]:
    s = _shift(world)
    tool = world.sim.new_blank_card()
    world.sim.present_card(tool)
    return lambda: s.replace_meter(account_no="D-5-308", new_meter_no="M5308B", carried_ckwh=1_500,
                                   approval=world.approval("li")), tool  # fmt: skip


def clear_make(world: World) -> tuple[Callable[[], object], str]:
    s = _shift(world)
    serial = world.issue_card("D-5-308", s)
    sell(world, s, "D-5-308", serial)
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    return lambda: s.issue_clear_card(
        account_no="D-5-308", reason="毕业离校", approval=world.approval("li")
    ), serial


def clear_restore(world: World) -> tuple[Callable[[], object], str]:
    s = _shift(world)
    serial = world.issue_card("D-5-308", s)
    sell(world, s, "D-5-308", serial)
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    s.issue_clear_card(account_no="D-5-308", reason="毕业离校", approval=world.approval("li"))
    world.clock.advance(minutes=5)
    world.sim.insert_into_meter(serial)
    world.sim.present_card(serial)
    return lambda: s.complete_clear(account_no="D-5-308"), serial


def correction_rewrite(world: World) -> tuple[Callable[[], object], str]:
    s = _shift(world)
    serial = world.issue_card("D-5-308", s)
    sale = sell(world, s, "D-5-308", serial, amount_fen=10_000)
    return lambda: s.correct(receipt_no=sale.receipt_no, reason="多输了", amount_fen=5_000,
                             approval=world.approval("li")), serial  # fmt: skip


def _wrong_room(world: World) -> tuple[Any, str, str, Any]:
    s = _shift(world)
    right = world.issue_card("D-5-308", s)
    wrong = world.issue_card("D-5-309", s)
    sale = s.top_up(account_no="D-5-309", amount_fen=10_000)
    return s, right, wrong, sale


def correction_void(world: World) -> tuple[Callable[[], object], str]:
    """The first half of a wrong-room correction (the void on the wrong room's card)."""
    s, _, wrong, sale = _wrong_room(world)
    return lambda: s.correct(receipt_no=sale.receipt_no, reason="房间号错", account_no="D-5-308",
                             approval=world.approval("li")), wrong  # fmt: skip


def correction_new_sale(world: World) -> tuple[Callable[[], object], str]:
    """The second half: the void done, the sale on the right room's card."""
    s, right, _, sale = _wrong_room(world)
    ask = dict(receipt_no=sale.receipt_no, reason="房间号错", account_no="D-5-308")
    with contextlib.suppress(Exception):  # stops after the void: CARD_MISMATCH (resume)
        s.correct(**ask, approval=world.approval("li"), prompts=ScriptedPrompts(yes_no=[False]))
    world.sim.present_card(right)
    return lambda: s.correct(**ask, approval=world.approval("li")), right


SCENARIOS: dict[str, Scenario] = {
    "top_up": Scenario("top_up", top_up),
    "top_up_free": Scenario("top_up", top_up_free),
    "top_up_reference": Scenario("top_up", top_up_reference),
    "issue": Scenario("issue", issue),
    "replace_card": Scenario("replace_card", replace_card),
    "parameter": Scenario("parameter", parameter),
    "clear_make": Scenario("clear", clear_make),
    "clear_restore": Scenario("clear", clear_restore),
    "correction_rewrite": Scenario("correction", correction_rewrite),
    "correction_void": Scenario("correction", correction_void),
    "correction_new_sale": Scenario("correction", correction_new_sale),
}


# --- running one ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def deterministic() -> Iterator[None]:
    """Intent ids and simulated card serials from counters instead of randomness."""
    ids = itertools.count(1)
    serials = itertools.count(1)
    saved_uuid, saved_secrets = card_writes.uuid, sim_card.secrets

    class _Uuid:
        @staticmethod
        def uuid4() -> uuid.UUID:
            return uuid.UUID(int=next(ids))

    class _Secrets:
        @staticmethod
        def token_bytes(n: int) -> bytes:
            return next(serials).to_bytes(n, "big")

    card_writes.uuid, sim_card.secrets = _Uuid, _Secrets  # type: ignore[assignment]  # test doubles
    try:
        yield
    finally:
        card_writes.uuid, sim_card.secrets = saved_uuid, saved_secrets


@contextlib.contextmanager
def commit_lost() -> Iterator[None]:
    """The process dies after the card was written, before the commit transaction."""
    saved = card_writes.commit_intent

    def lose(ctx: Any, intent_id: str, *, recovered: bool) -> Any:
        raise RuntimeError("power cut")

    card_writes.commit_intent = lose  # type: ignore[assignment]  # the crash being simulated
    try:
        yield
    finally:
        card_writes.commit_intent = saved  # type: ignore[assignment]


def leave_open(world: World, name: str) -> tuple[CardWriteIntent, str]:
    """Run scenario `name` up to the lost commit; the open intent (detached) and the card's serial."""
    scenario = SCENARIOS[name]
    run, serial = scenario.prepare(world)
    with commit_lost():
        try:
            run()
        except RuntimeError:
            pass
        else:
            raise AssertionError(f"{name}: the commit was not reached")
    with unit_of_work(world.counter.engine, read_only=True) as s:
        intent = s.scalars(select(CardWriteIntent).order_by(CardWriteIntent.id.desc())).first()
        s.expunge(intent)
    assert intent.kind == scenario.kind, (name, intent.kind)
    return intent, serial


def columns_of(intent: CardWriteIntent) -> dict[str, Any]:
    return {name: plain(getattr(intent, name)) for name in INTENT_COLUMNS}


def last_ids(world: World) -> dict[str, int]:
    with unit_of_work(world.counter.engine, read_only=True) as s:
        return {m.__tablename__: int(s.scalar(select(func.max(m.id))) or 0) for m in ADDED_ROWS}


def rows_added(world: World, since: dict[str, int]) -> dict[str, list[dict[str, Any]]]:
    added: dict[str, list[dict[str, Any]]] = {}
    with unit_of_work(world.counter.engine, read_only=True) as s:
        for model in ADDED_ROWS:
            found = s.scalars(select(model).where(model.id > since[model.__tablename__]).order_by(model.id))
            added[model.__tablename__] = [
                {
                    c.key: plain(getattr(row, c.key))
                    for c in model.__table__.columns
                    if c.key not in UNSTABLE_KEYS
                }
                for row in found
            ]
    return added


def roll_forward(world: World, intent: CardWriteIntent, serial: str) -> dict[str, Any]:
    """Restart with the card back; recovery must roll the intent forward. What it added."""
    world.reopen()
    since = last_ids(world)
    world.sim.present_card(serial)
    results = world.counter.recover()
    assert [(r.intent_id, r.action) for r in results] == [(intent.intent_id, "rolled_forward")], results
    return {"receipt_no": results[0].receipt_no, "rows": rows_added(world, since)}


def plain(value: Any) -> Any:
    """JSON-ready, with the per-world signatures left out."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k not in UNSTABLE_KEYS}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def capture(name: str, folder: Path) -> dict[str, Any]:
    """Everything the fixture of scenario `name` holds, run in a fresh world under `folder`."""
    world = make_world(folder)
    try:
        with deterministic():
            intent, serial = leave_open(world, name)
            outcome = roll_forward(world, intent, serial)
        return {"scenario": name, "kind": intent.kind, "intent_id": intent.intent_id,
                "columns": columns_of(intent), "payload": intent.payload, "rolled_forward": outcome}  # fmt: skip
    finally:
        world.close()
