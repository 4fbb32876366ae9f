"""演示控制: drive the simulated devices (`counter.sim`, API.md "Simulator control").

A newcomer's first steps: type a room, "为该户发卡" (a blank card made the account's card, on the
reader), sell on the 售电 page, "插入电表" (the meter loads the purchase and writes back), "用电",
then the next visit. Also: put the account's card back on the reader, take it off, a new blank card,
the printer's paper. Every call goes through the worker like any facade call: the simulators sit
behind the same serial ports as real devices.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGridLayout, QPushButton, QVBoxLayout, QWidget

from base.errors import InputInvalid
from base.money import format_kwh, parse_kwh
from ui.context import Workstation
from ui.ops import FacadeOp, error_text
from ui.widgets import Field, heading, info_label

translate = QCoreApplication.translate


class DemoPanel(QWidget):
    def __init__(self, ctx: Workstation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.room = Field(translate("Demo", "房间号（找卡/电表）"))
        self.card = Field(translate("Demo", "卡号"))
        self.meter = Field(translate("Demo", "电表号"))
        self.kwh = Field(translate("Demo", "用电 kWh"))
        self.paper_out = QCheckBox(translate("Demo", "打印机缺纸"))
        self.paper_out.toggled.connect(self.toggle_paper)
        self.output = info_label()
        form = QFormLayout()
        for label, field in (
            (translate("Demo", "房间"), self.room),
            (translate("Demo", "卡"), self.card),
            (translate("Demo", "电表"), self.meter),
            (translate("Demo", "电量"), self.kwh),
        ):
            form.addRow(label, field)
        grid = QGridLayout()
        buttons = [
            (translate("Demo", "为该户发卡"), self.issue_for_room),
            (translate("Demo", "放该户的卡"), self.present_room_card),
            (translate("Demo", "按房间找卡"), self.find_card),
            (translate("Demo", "新空白卡"), self.new_card),
            (translate("Demo", "放到读卡器"), self.present),
            (translate("Demo", "从读卡器取下"), self.remove),
            (translate("Demo", "插入电表"), self.insert),
            (translate("Demo", "用电"), self.consume),
            (translate("Demo", "电表状态"), self.meter_state),
            (translate("Demo", "最近凭条"), self.printed),
        ]
        # The first two (the newcomer's first steps) have long English names: a row each; the rest
        # two to a row. No button text is cut (tests/ui/test_ui_face.py).
        for i, (text, slot) in enumerate(buttons):
            button = QPushButton(text)
            button.clicked.connect(slot)
            if i < 2:
                grid.addWidget(button, i, 0, 1, 2)
            else:
                grid.addWidget(button, 2 + (i - 2) // 2, (i - 2) % 2)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(translate("Demo", "模拟设备")))
        layout.addLayout(form)
        layout.addLayout(grid)
        layout.addWidget(self.paper_out)
        layout.addWidget(self.output)
        layout.addStretch(1)

    @property
    def sim(self):
        return self.ctx.counter.sim

    def _run(self, fn, done) -> None:
        FacadeOp(self, fn).success(done).failure(lambda exc: self.output.setText(error_text(exc))).run()

    def find_card(self) -> None:
        session, room = self.ctx.session, self.room.text()
        self._run(lambda: session.find_account(room_code=room), self._found)

    def _found(self, account) -> None:
        self.card.set_text(account.card_serial or "")
        self.meter.set_text(account.meter_no or "")
        self.output.setText(
            translate("Demo", "{0}：卡 {1}，电表 {2}").format(
                account.room_code, account.card_serial, account.meter_no
            )
        )

    def new_card(self) -> None:
        sim = self.sim

        def blank_on_reader() -> str:
            serial = sim.new_blank_card()
            sim.present_card(serial)
            return serial

        self._run(
            blank_on_reader,
            lambda serial: (
                self.card.set_text(serial),
                self.output.setText(translate("Demo", "新空白卡 {0} 已放到读卡器").format(serial)),
            ),
        )

    def issue_for_room(self) -> None:
        """A blank card on the reader becomes the room's card (API.md `issue_card`)."""
        session, sim, room = self.ctx.session, self.sim, self.room.text()
        if not room:
            self.room.show_error(translate("Demo", "请输入房间号，如 1-101"))
            return

        def issue():
            account = session.find_account(room_code=room)
            serial = sim.new_blank_card()
            sim.present_card(serial)
            session.issue_card(account_no=account.account_no)
            return session.find_account(account_no=account.account_no)

        self._run(issue, self._issued)

    def _issued(self, account) -> None:
        self._found(account)
        self.output.setText(
            translate("Demo", "已为 {0} 发卡 {1}，卡在读卡器上：到“售电”页直接回车").format(
                account.room_code, account.card_serial
            )
        )

    def present_room_card(self) -> None:
        session, sim, room = self.ctx.session, self.sim, self.room.text()

        def present():
            account = session.find_account(room_code=room)
            if not account.card_serial:
                raise InputInvalid(translate("Demo", "该户还没有卡：请先点“为该户发卡”"), field="room_code")
            sim.present_card(account.card_serial)
            return account

        self._run(present, lambda a: (
            self._found(a),
            self.output.setText(translate("Demo", "{0} 的卡 {1} 已放到读卡器").format(a.room_code, a.card_serial)),
        ))  # fmt: skip

    def present(self) -> None:
        serial, sim = self.card.text() or None, self.sim
        self._run(
            lambda: sim.present_card(serial),
            lambda _r: self.output.setText(translate("Demo", "卡 {0} 已放到读卡器").format(serial)),
        )

    def remove(self) -> None:
        sim = self.sim
        self._run(
            lambda: sim.present_card(None),
            lambda _r: self.output.setText(translate("Demo", "读卡器上已无卡")),
        )

    def insert(self) -> None:
        """Into its meter: the meter loads (or refuses) and writes back; the card leaves the reader."""
        serial, meter, sim = self.card.text(), self.meter.text(), self.sim
        if not serial:
            self.card.show_error(translate("Demo", "请先发卡或按房间找卡"))
            return

        def insert():
            event = sim.insert_into_meter(serial)
            return event, (sim.meter_state(meter) if meter else None)

        self._run(insert, lambda r: self.output.setText(insert_text(serial, *r)))

    def consume(self) -> None:
        try:
            ckwh = parse_kwh(self.kwh.text() or "0")
        except Exception as exc:  # noqa: BLE001 — shown next to the field
            self.kwh.show_error(error_text(exc))
            return
        meter, sim = self.meter.text(), self.sim
        self._run(
            lambda: sim.consume(meter, ckwh),
            lambda _r: self.output.setText(
                translate("Demo", "电表 {0} 用电 {1} kWh").format(meter, format_kwh(ckwh))
            ),
        )

    def meter_state(self) -> None:
        meter, sim = self.meter.text(), self.sim
        self._run(
            lambda: sim.meter_state(meter),
            lambda s: self.output.setText(
                translate("Demo", "第 {0} 次，剩余 {1} kWh，累计 {2} kWh，报警 {3}").format(
                    s.counter,
                    format_kwh(s.remaining_ckwh),
                    format_kwh(s.consumed_ckwh),
                    "、".join(s.alarms) or "—",
                )
            ),
        )

    def toggle_paper(self, out: bool) -> None:
        sim, counter = self.sim, self.ctx.counter

        def toggle() -> int:
            sim.printer(paper_out=out)
            return counter.device_status().queued_receipts

        self._run(toggle, lambda waiting: self.output.setText(paper_text(out, waiting)))

    def printed(self) -> None:  # the last receipt as the printer decoded it
        sim = self.sim
        self._run(
            sim.printed,
            lambda texts: self.output.setText(texts[-1] if texts else translate("Demo", "尚无凭条")),
        )


def paper_text(out: bool, waiting: int) -> str:
    """Only what is true at that moment: the waiting receipts print by themselves a moment later
    (the print queue watches the printer), so they are said to be waiting, never "已补打"."""
    if out:
        return translate("Demo", "打印机缺纸")
    if waiting:
        return translate("Demo", "打印机已装纸：{0} 张待打印凭条即将自动打印（见状态栏）").format(waiting)
    return translate("Demo", "打印机已装纸")


def insert_text(serial: str, event: str | None, state) -> str:
    said = {
        "loaded": translate("Demo", "电表已充入本次购电"),
        "no_load": translate("Demo", "电表未充值（本次已充过）"),
        "cleared": translate("Demo", "电表已清零"),
        "parameter": translate("Demo", "参数已写入电表"),
        "check": translate("Demo", "检查卡已读回电表状态"),
        "error": translate("Demo", "电表拒绝此卡（见返写错误）"),
        None: translate("Demo", "电表无响应（损坏或未安装）"),
    }.get(event, event or "")
    text = translate("Demo", "卡 {0} 插入电表：{1}；卡已从读卡器取下，回读卡器可见返写").format(serial, said)
    if state is not None:
        text += translate("Demo", "\n电表剩余 {0} kWh，第 {1} 次").format(
            format_kwh(state.remaining_ckwh), state.counter
        )
    return text
