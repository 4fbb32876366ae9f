"""The printer's test slip (诊断 "打印测试页", the device page): a few lines of Chinese and digits
in the printer's GB18030 mode, so a person sees at once that the printer, its code page and the
cutter work. Not a receipt: never queued, never numbered."""

from __future__ import annotations

from receipts.escpos import EscPos

TEST_SLIP = "打印测试 TEST PRINT"


def printer_test_slip(workstation_code: str, stamp: str, *, port: str | None = None) -> bytes:
    slip = EscPos(columns=32).initialize().align("center").bold().line(TEST_SLIP).bold(False)
    slip.line("售电收费工作站").line(f"{workstation_code}  {stamp}")
    if port:
        slip.line(port[:32])
    return slip.line("-" * 32).line("0123456789 电费 ￥12.34").cut().build()
