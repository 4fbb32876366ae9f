"""The month's files and the repair stock from the command line (docs/api.md "The month's checks"):

    counter-admin readings import FILE --period YYYY-MM --as NAME
    counter-admin k3 import FILE --period YYYY-MM --as NAME
    counter-admin repair-price set CODE --name TEXT --unit TEXT --fen N --from DATE --basis DOC --as A --approver B
    counter-admin module move KIND --model M --quantity N [--on DATE] [--room R] [--electrician E]
                  [--repair-item CODE] [--note TEXT] --as NAME

Every line of a bad file is printed with its number before the refusal; nothing is written then.
"""

from __future__ import annotations

from base.errors import InputInvalid
from base.money import format_yuan
from counter_app.admin.command import CommandContext, acting
from counter_app.imports.k3_file import parse_k3_file
from counter_app.imports.readings_file import parse_readings_file
from counter_app.imports.table import LineError
from counter_app.ops.four_party import import_k3
from counter_app.ops.monthly_checks import import_readings
from counter_app.ops.repairs import record_module_move, set_repair_price


def readings_import(ctx: CommandContext) -> int:
    parsed = parse_readings_file(ctx.args.file)
    _print_errors(ctx, len(parsed.rows), parsed.errors)
    with acting(ctx.invocation()) as admin:
        done = import_readings(admin.ctx, path=ctx.args.file, period=ctx.args.period)
    ctx.out.line(f"已导入 {done.period} 抄表 {done.rows} 行，楼栋：{'、'.join(done.buildings)}")
    return 0


def k3_import(ctx: CommandContext) -> int:
    parsed = parse_k3_file(ctx.args.file)
    _print_errors(ctx, len(parsed.rows), parsed.errors)
    with acting(ctx.invocation()) as admin:
        done = import_k3(admin.ctx, path=ctx.args.file, period=ctx.args.period)
    ctx.out.line(f"已导入 {done.period} K3 数据 {done.rows} 行")
    return 0


def repair_price_set(ctx: CommandContext) -> int:
    a = ctx.args
    with acting(ctx.invocation()) as admin:
        line = set_repair_price(admin.ctx, item_code=a.code, name=a.name, unit=a.unit, price_fen=a.fen,
                                valid_from=a.start, basis=a.basis, approval=ctx.approval)  # fmt: skip
    ctx.out.line(f"维修项目 {line.item_code} {line.name}：{format_yuan(line.price_fen)} 元/{line.unit}，"
                 f"{line.valid_from.isoformat()} 起")  # fmt: skip
    return 0


def module_move(ctx: CommandContext) -> int:
    a = ctx.args
    with acting(ctx.invocation()) as admin:
        line = record_module_move(admin.ctx, kind=a.kind, model=a.model, quantity=a.quantity, on=a.on,
                                  room_code=a.room, electrician=a.electrician, repair_item=a.repair_item,
                                  note=a.note)  # fmt: skip
    ctx.out.line(f"{line.model}：库存 {line.in_stock}，待修 {line.awaiting_repair}")
    return 0


def _print_errors(ctx: CommandContext, good: int, errors: tuple[LineError, ...]) -> None:
    ctx.out.line(f"文件：{ctx.args.file}，有效 {good} 行，错误 {len(errors)} 处")
    for error in errors:
        ctx.out.line(error.describe())
    if errors:
        raise InputInvalid(f"文件有 {len(errors)} 处错误（见上），未写入任何内容",
                           detail_en=f"{len(errors)} errors in the file (listed above); nothing written")  # fmt: skip
