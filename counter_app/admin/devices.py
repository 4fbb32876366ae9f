"""`counter-admin devices list`: what is connected to this PC (hardware/discovery.py), as a plain
table or `--json`, for the person setting up a counter (docs/operations.md "Setting up the devices
at a counter"). Needs no database and no password: it only looks at this PC."""

from __future__ import annotations

import json

from counter_app.admin.command import CommandContext
from hardware.discovery import PROBLEM, Found, discover

KIND_ZH = {"serial": "串口", "pcsc": "PC/SC 读卡器", "cardhost": "读卡主机", PROBLEM: "问题"}


def devices_list(ctx: CommandContext) -> int:
    found = discover()
    if getattr(ctx.args, "json", False):
        ctx.out.line(json.dumps([f.as_dict() for f in found], ensure_ascii=False, indent=2))
        return 0
    for line in table(found):
        ctx.out.line(line)
    return 0


def table(found: list[Found]) -> list[str]:
    """One line per device: kind, the URL to use, description, note; problems say what to do."""
    if not any(f.kind != PROBLEM for f in found):
        lines = ["未发现设备 / no devices found"]
    else:
        lines = [f"{'类型/kind':<16} {'地址/URL (--reader, --printer)':<40} 说明/description"]
    for f in found:
        kind = f"{KIND_ZH.get(f.kind, f.kind)}/{f.kind}"
        note = f"  [{f.note}]" if f.note else ""
        lines.append(f"{kind:<16} {f.url or '-':<40} {f.description}{note}")
    return lines
