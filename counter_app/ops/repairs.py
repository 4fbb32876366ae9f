"""Meter-module repair price list and module stock (003:58-70, 4.1.3-4.1.4). Facade mixin `RepairOps`.

- Price list (维修项目及收费标准): each item (code, name, unit, price) valid from a date; a later row
  for the same code supersedes it, nothing is overwritten. A new price moves money, so it is
  co-signed. Repair notices and receipts name the item code (`repair_price` gives the price then).
- Module stock (模块维修登记): modules received into stock, issued to a room with its electrician,
  faulty ones returned, repaired back into stock or scrapped. `module_stock` sums the movements per
  model: in stock = received + repaired − issued − scrapped; awaiting repair = faulty returned −
  repaired − scrapped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from base.errors import InputInvalid
from base.validation import checked_fen, checked_int, checked_text, optional_checked_text
from counter_app.approvals import Approval
from counter_app.context import OpContext
from counter_app.ops.area import SessionArea
from counter_app.ops.common import add_audited
from db.models.monthly import STOCK_MOVES, ModuleStockMove, RepairPrice

REPAIR_ROLES = ("assistant", "head", "admin")
MAX_MODULES = 10_000  # one delivery; a larger quantity is a typo


@dataclass(frozen=True)
class PriceLine:
    item_code: str
    name: str
    unit: str
    price_fen: int
    valid_from: date
    basis: str


@dataclass(frozen=True)
class StockLine:
    model: str
    received: int
    issued: int
    faulty_returned: int
    repaired: int
    scrapped: int

    @property
    def in_stock(self) -> int:
        return self.received + self.repaired - self.issued - self.scrapped

    @property
    def awaiting_repair(self) -> int:
        return self.faulty_returned - self.repaired - self.scrapped


def price_list(s: DbSession, on: date) -> list[PriceLine]:
    """Every item's price valid on `on` (the newest row from on or before that date)."""
    current: dict[str, RepairPrice] = {}
    rows = s.scalars(select(RepairPrice).where(RepairPrice.valid_from <= on)
                     .order_by(RepairPrice.valid_from, RepairPrice.id))  # fmt: skip
    for row in rows:
        current[row.item_code] = row
    return [PriceLine(r.item_code, r.name, r.unit, r.price_fen, r.valid_from, r.basis)
            for r in sorted(current.values(), key=lambda r: r.item_code)]  # fmt: skip


def repair_price(s: DbSession, item_code: str, on: date) -> PriceLine:
    for line in price_list(s, on):
        if line.item_code == item_code:
            return line
    raise InputInvalid(
        f"维修价目表中没有项目 {item_code}", detail_en=f"no repair item {item_code}", field="item_code"
    )


def stock(s: DbSession, until: date) -> list[StockLine]:
    sums: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STOCK_MOVES, 0))
    for move in s.scalars(select(ModuleStockMove).where(ModuleStockMove.on <= until)):
        sums[move.model][move.kind] += move.quantity
    return [StockLine(model, **counts) for model, counts in sorted(sums.items())]


def set_repair_price(ctx: OpContext, *, item_code: str, name: str, unit: str, price_fen: int, valid_from: date,
                     basis: str, approval: Approval | None) -> PriceLine:  # fmt: skip
    code = checked_text(item_code, field="item_code", label="项目编号", max_len=32)
    fields = {"name": checked_text(name, field="name", label="项目名称", max_len=100),
              "unit": checked_text(unit, field="unit", label="单位", max_len=16),
              "basis": checked_text(basis, field="basis", label="依据", max_len=200)}  # fmt: skip
    fen = checked_fen(price_fen, field="price_fen", label="价格")
    if not isinstance(valid_from, date):
        raise InputInvalid("生效日期无效", detail_en="valid_from must be a date", field="valid_from")
    with ctx.uow() as s:
        ctx.require_role(s, *REPAIR_ROLES)
        payload = {"item_code": code, **fields, "price_fen": fen, "valid_from": valid_from.isoformat()}
        approval_id = ctx.approve(s, approval, kind="repair.price", payload=payload)
        add_audited(ctx, s, RepairPrice(item_code=code, price_fen=fen, valid_from=valid_from, at=ctx.now(),
                                        operator_id=ctx.operator_id, approval_id=approval_id, **fields),
                    "repair.price_set", item_code=code, price_fen=fen)  # fmt: skip
    return PriceLine(code, fields["name"], fields["unit"], fen, valid_from, fields["basis"])


def record_module_move(ctx: OpContext, *, kind: str, model: str, quantity: int, on: date | None,
                       room_code: str | None, electrician: str | None, repair_item: str | None,
                       note: str | None) -> StockLine:  # fmt: skip
    on = on or ctx.today()
    if kind not in STOCK_MOVES:
        raise InputInvalid(f"未知的出入库类型：{kind}", detail_en=f"unknown stock move {kind}", field="kind")
    model = checked_text(model, field="model", label="模块型号", max_len=50)
    quantity = checked_int(quantity, field="quantity", label="数量", minimum=1, maximum=MAX_MODULES)
    room_code = optional_checked_text(room_code, field="room_code", label="房间", max_len=50)
    electrician = optional_checked_text(electrician, field="electrician", label="电工", max_len=100)
    if kind in ("issued", "faulty_returned") and not (room_code and electrician):
        raise InputInvalid("发出或退回模块须填写房间和电工", detail_en="an issue or return names the room and electrician",
                           field="room_code")  # fmt: skip
    with ctx.uow() as s:
        ctx.require_role(s, *REPAIR_ROLES)
        if repair_item:
            repair_price(s, repair_item, on)  # the item must be on the price list
        if kind in ("issued", "scrapped"):
            _refuse_short(s, model, quantity, on, kind)
        add_audited(ctx, s, ModuleStockMove(
            kind=kind, model=model, quantity=quantity, on=on, room_code=room_code, electrician=electrician,
            repair_item=repair_item or None,
            note=optional_checked_text(note, field="note", label="备注", max_len=500),
            at=ctx.now(), operator_id=ctx.operator_id, workstation_id=ctx.workstation_id,
        ), "repair.module_move", move=kind, model=model, quantity=quantity)  # fmt: skip
        return next(line for line in stock(s, on) if line.model == model)


def _refuse_short(s: DbSession, model: str, quantity: int, on: date, kind: str) -> None:
    line = next((x for x in stock(s, on) if x.model == model), None)
    have = (line.in_stock if kind == "issued" else line.in_stock + line.awaiting_repair) if line else 0
    if quantity > have:
        raise InputInvalid(
            f"{model} 库存只有 {have} 个", detail_en=f"only {have} of {model} in stock", field="quantity"
        )


def read_price_list(ctx: OpContext, *, on: date | None) -> list[PriceLine]:
    with ctx.reading() as s:
        return price_list(s, on or ctx.today())


def read_stock(ctx: OpContext, *, on: date | None) -> list[StockLine]:
    with ctx.reading() as s:
        ctx.require_role(s, *REPAIR_ROLES)
        return stock(s, on or ctx.today())


class RepairOps(SessionArea):
    """Repair price list and module stock (docs/api.md "The month's checks")."""


    def set_repair_price(self, *, item_code: str, name: str, unit: str, price_fen: int, valid_from: date,
                         basis: str, approval: Approval | None = None) -> PriceLine:  # fmt: skip
        return set_repair_price(self.ctx, item_code=item_code, name=name, unit=unit, price_fen=price_fen,
                                valid_from=valid_from, basis=basis, approval=approval)  # fmt: skip

    def repair_prices(self, *, on: date | None = None) -> list[PriceLine]:
        return read_price_list(self.ctx, on=on)

    def record_module_move(self, *, kind: str, model: str, quantity: int, on: date | None = None,
                           room_code: str | None = None, electrician: str | None = None,
                           repair_item: str | None = None, note: str | None = None) -> StockLine:  # fmt: skip
        return record_module_move(self.ctx, kind=kind, model=model, quantity=quantity, on=on,
                                  room_code=room_code, electrician=electrician, repair_item=repair_item,
                                  note=note)  # fmt: skip

    def module_stock(self, *, on: date | None = None) -> list[StockLine]:
        return read_stock(self.ctx, on=on)
