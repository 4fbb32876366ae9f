"""The networked meters' rounds without a window (docs/operations.md "Networked meters"):

    counter-admin meter poll --once [--bus NAME] --as NAME     # one round now, then exit
    counter-admin meter poll --as NAME                         # the scheduled rounds until Ctrl+C

For a PC that runs no workstation window (a headless PC beside the buses, or a scheduled task).
`--as` names a meter reader (营业员, 监督人, 部门助理, 主任): the audit entries name that person;
the readings are stored with source "scheduled", as the workstation's rounds store them. A round
exits 0 when every bus could be used (meters that did not answer are recorded, not an error) and
1 when a bus could not be read at all (no port, a port that fails, a simulator on production).
"""

from __future__ import annotations

import threading

from base.errors import InputInvalid
from counter_app.admin.command import CommandContext, acting
from counter_app.meter_polling import MeterPolling
from counter_app.ops.bus_rounds import RoundResult, read_buses_now


def meter_poll(ctx: CommandContext, *, stop: threading.Event | None = None) -> int:
    if ctx.args.bus and not ctx.args.once:
        raise InputInvalid("--bus 只能与 --once 一起用", detail_en="--bus goes with --once only", field="bus")
    with acting(ctx.invocation()) as admin:
        if ctx.args.once:
            results = read_buses_now(admin.ctx, bus=ctx.args.bus, source="scheduled")
            for result in results:
                ctx.out.line(_line(result))
            if not results:
                raise InputInvalid("没有联网计量的总线", detail_en="no networked meter bus", field="bus")
            return 1 if any(r.port_failed or r.problem for r in results) else 0
        polling = MeterPolling()
        state = polling.start(admin.ctx)
        ctx.out.line(f"定时抄表：每 {state.minutes} 分钟，总线 {'、'.join(state.buses) or '无'}"
                     f"{'（' + state.reason + '）' if state.reason else ''}；Ctrl+C 结束")  # fmt: skip
        until = stop or threading.Event()
        try:
            while not until.wait(1.0):  # a timed wait: Ctrl+C reaches it on Windows too
                pass
        except KeyboardInterrupt:
            pass
        finally:
            polling.stop()
    return 0


def _line(r: RoundResult) -> str:
    if r.problem:
        return f"总线 {r.bus}：未抄（{r.problem}）"
    if r.port_failed:
        return f"总线 {r.bus}：端口无法使用，{r.meters} 块表未抄 / port failed"
    return f"总线 {r.bus}：{r.meters} 块表，应答 {r.answered}，无应答 {r.unanswered}"
