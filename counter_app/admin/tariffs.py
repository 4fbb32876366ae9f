"""Money and settings: `tariff set`, `fee set`, `setting set`.

Tariffs and fees are append-only rows effective from a moment, each with the document it rests
on (依据文件号), co-signed and audited. Settings are as `Session.set_setting`: administrators; the
money-affecting and security keys co-signed (one service for both: counter_app/powers.py).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select

from base.errors import InputInvalid
from base.money import format_price, format_yuan
from base.vocabulary import CLASS_LABELS
from counter_app.admin.command import CommandContext, acting, iso
from counter_app.admin.door import Acting
from counter_app.approvals import Approval
from counter_app.ops.common import add_audited
from counter_app.powers import change_setting, co_sign
from db.models import Fee, Tariff

# --- handlers --------------------------------------------------------------------------------------


def tariff_set(ctx: CommandContext) -> int:
    a = ctx.args
    with acting(ctx.invocation()) as admin:
        set_tariff(admin, cls=a.cls, price_e4=a.price_e4, start=a.start, basis=a.basis, approval=ctx.approval)
    ctx.out.line(
        f"电价已设定：{CLASS_LABELS[a.cls]} {format_price(a.price_e4)} 元/kWh，自 {a.start.isoformat()} 起（{a.basis}）"
    )
    return 0


def fee_set(ctx: CommandContext) -> int:
    a = ctx.args
    with acting(ctx.invocation()) as admin:
        set_fee(admin, kind=a.kind, fen=a.fen, start=a.start, basis=a.basis, approval=ctx.approval)
    ctx.out.line(
        f"收费标准已设定：{a.kind} = {format_yuan(a.fen)} 元，自 {a.start.isoformat()} 起（{a.basis}）"
    )
    return 0


def setting_set(ctx: CommandContext) -> int:
    with acting(ctx.invocation()) as admin:
        stored = set_setting(admin, key=ctx.args.key, text=ctx.args.value, approval=ctx.approval)
    ctx.out.line(f"设置 {ctx.args.key} = {stored!r}")
    return 0


# --- services --------------------------------------------------------------------------------------


def set_tariff(admin: Acting, *, cls: str, price_e4: int, start: datetime, basis: str,
               approval: Approval | None) -> None:  # fmt: skip
    _add_rate(admin, Tariff, "tariff.set", key=("cls", cls), value=("price_e4", price_e4), start=start,
              basis=basis, approval=approval, taken_zh=f"{cls} 在 {iso(start)} 已有电价",
              taken_en=f"{cls} already has a tariff from {iso(start)}")  # fmt: skip


def set_fee(admin: Acting, *, kind: str, fen: int, start: datetime, basis: str,
            approval: Approval | None) -> None:  # fmt: skip
    _add_rate(admin, Fee, "fee.set", key=("kind", kind), value=("fen", fen), start=start, basis=basis,
              approval=approval, taken_zh=f"{kind} 在 {iso(start)} 已有收费标准",
              taken_en=f"{kind} already set from {iso(start)}")  # fmt: skip


def _add_rate(admin: Acting, model: type[Tariff] | type[Fee], kind: str, *, key: tuple[str, str],
              value: tuple[str, int], start: datetime, basis: str, approval: Approval | None, taken_zh: str,
              taken_en: str) -> None:  # fmt: skip
    """A new tariff or fee row (append-only, effective from `start`, with its basis document),
    co-signed and audited; refused when one already starts at that moment."""
    ctx = admin.ctx
    basis = _basis(basis)
    with ctx.uow() as s:
        ctx.require_role(s, "admin")
        existing = select(model.id).where(getattr(model, key[0]) == key[1], model.effective_from == start)
        if s.scalar(existing) is not None:
            raise InputInvalid(taken_zh, detail_en=taken_en)
        payload = {key[0]: key[1], value[0]: value[1], "from": iso(start), "basis": basis}
        approval_id = co_sign(ctx, s, approval, kind, payload)
        row = model(**{key[0]: key[1], value[0]: value[1]}, effective_from=start, basis=basis,
                    set_by=ctx.operator_id, approval_id=approval_id, created_at=ctx.now())  # fmt: skip
        add_audited(ctx, s, row, kind, content=payload, approval_id=approval_id)


def _basis(text: str) -> str:
    text = text.strip()
    if not text or len(text) > 100:
        raise InputInvalid(
            "依据文件号不能为空，最多 100 字", detail_en="--basis: 1 to 100 characters", field="basis"
        )
    return text


def parse_setting_value(text: str) -> Any:
    """JSON when the text parses as JSON (`5000`, `true`, `[7, 8]`), else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def set_setting(admin: Acting, *, key: str, text: str, approval: Approval | None) -> Any:
    """As `Session.set_setting` (the same service): administrators; money-affecting and security
    keys co-signed."""
    return change_setting(admin.ctx, key, parse_setting_value(text), approval)
