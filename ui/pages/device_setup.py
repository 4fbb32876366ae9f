"""本机设备设置, a box on the 设备诊断 page: find what is connected, pick the card reader and the
printer, test-read a card, print a test slip, save the choice for this PC.

Facade: `counter.list_devices()`, `test_read_card(url)`, `print_test_slip(url)`,
`saved_device_choice()`, `save_device_choice(...)` (docs/api.md "Devices"), all on the worker. Only
the administrator saves (DOMAIN "People and roles": the administrator keeps the devices); anyone who
sees the page may look and test, which changes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from ui import style
from ui.facade import Counter, DeviceChoice, Found, PrinterCheck, ReaderCheck
from ui.ops import FacadeOp, error_text
from ui.widgets import info_label

translate = QCoreApplication.translate
READER_KINDS = ("pcsc", "cardhost", "serial")  # a serial port may be a reference-protocol reader
PRINTER_KINDS = ("serial",)
SAVERS = frozenset({"admin"})


def _kind_text(kind: str) -> str:
    return {
        "pcsc": translate("DeviceSetup", "PC/SC 读卡器"),
        "cardhost": translate("DeviceSetup", "读卡主机"),
        "serial": translate("DeviceSetup", "串口"),
    }.get(kind, kind)


def item_text(found: Found) -> str:
    text = translate("DeviceSetup", "{0}：{1} — {2}").format(
        _kind_text(found.kind), found.description, found.url
    )
    return text + (translate("DeviceSetup", "（{0}）").format(found.note) if found.note else "")


def chosen_url(combo: QComboBox) -> str:
    """The URL behind the picked item, or what the person typed (an editable box)."""
    index = combo.currentIndex()
    if index >= 0 and combo.itemText(index) == combo.currentText():
        data = combo.itemData(index)
        return str(data) if data else ""
    return combo.currentText().strip()


def reader_text(check: ReaderCheck) -> str:
    lines = [translate("DeviceSetup", "读卡器应答：{0}").format(check.version)]
    if not check.card_present:
        lines.append(translate("DeviceSetup", "读卡器上没有卡。放一张卡再试。"))
    elif check.problem:
        lines.append(translate("DeviceSetup", "有卡（卡号 {0}），但无法识别：{1}").format(
            check.card_serial or "—", check.problem))  # fmt: skip
    else:
        lines.append(
            translate("DeviceSetup", "有卡：类型 {0}，卡号 {1}").format(check.card_kind, check.card_serial)
        )
    return "\n".join(lines)


def found_text(found: list[Found]) -> str:
    """What was found, one line each, so the person sees the list without opening the boxes; a
    missing PC/SC stack is a line saying what to install."""
    devices = [f for f in found if f.kind != "problem"]
    lines = [translate("DeviceSetup", "找到 {0} 个设备，在上面的框里选择：").format(len(devices))]
    lines += ["· " + item_text(f) for f in devices]
    lines += ["· " + translate("DeviceSetup", "注意：{0}（{1}）").format(f.description, f.note)
              for f in found if f.kind == "problem"]  # fmt: skip
    return "\n".join(lines)


def printer_text(check: PrinterCheck) -> str:
    state = translate("DeviceSetup", "联机") if check.online else translate("DeviceSetup", "未联机或未知")
    return translate("DeviceSetup", "测试页已发送到 {0}（{1}，纸：{2}）。请看打印机是否打出中文。").format(
        check.url, state, check.paper
    )


class DeviceSetupBox(QGroupBox):
    def __init__(self, page: QWidget, counter: Counter, *, role: str) -> None:
        super().__init__(translate("DeviceSetup", "本机设备设置：选择、测试、保存读卡器和打印机"))
        self.page = page
        self.counter = counter
        grid = QGridLayout(self)
        self.find_button = QPushButton(translate("DeviceSetup", "查找设备"))
        self.find_button.clicked.connect(self.find)
        self.reader = QComboBox()
        self.printer = QComboBox()
        for combo in (self.reader, self.printer):
            combo.setEditable(True)  # a URL may be typed (docs/hardware.md), e.g. socket://127.0.0.1:4442
            combo.setMinimumContentsLength(40)
        self.test_read_button = QPushButton(translate("DeviceSetup", "测试读卡"))
        self.test_read_button.clicked.connect(self.test_read)
        self.test_print_button = QPushButton(translate("DeviceSetup", "打印测试页"))
        self.test_print_button.clicked.connect(self.test_print)
        self.save_button = style.primary(QPushButton(translate("DeviceSetup", "保存为本机设备")))
        self.save_button.clicked.connect(self.save)
        if role not in SAVERS:
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(translate("DeviceSetup", "只有管理员可以保存本机设备"))
        grid.addWidget(self.find_button, 0, 0)
        grid.addWidget(QLabel(translate("DeviceSetup", "读卡器")), 1, 0)
        grid.addWidget(self.reader, 1, 1)
        grid.addWidget(self.test_read_button, 1, 2)
        grid.addWidget(QLabel(translate("DeviceSetup", "打印机")), 2, 0)
        grid.addWidget(self.printer, 2, 1)
        grid.addWidget(self.test_print_button, 2, 2)
        grid.addWidget(self.save_button, 3, 2)
        hint = info_label(translate("DeviceSetup", "保存在本机，不写入数据库；重新启动工作站后生效。"))
        grid.addWidget(hint, 3, 0, 1, 2)
        self.output = info_label()
        grid.addWidget(self.output, 4, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        self._found_once = False

    def activated(self) -> None:
        if not self._found_once:
            self._found_once = True
            self.find()

    def find(self) -> None:
        counter = self.counter
        FacadeOp(self.page, lambda: (counter.list_devices(), counter.saved_device_choice())).success(
            lambda r: self._show(*r)
        ).failure(lambda exc: self.output.setText(error_text(exc))).run()

    def _show(self, found: list[Found], saved: DeviceChoice) -> None:
        _fill(self.reader, [f for f in found if f.kind in READER_KINDS], saved.reader_url)
        _fill(self.printer, [f for f in found if f.kind in PRINTER_KINDS], saved.printer_url)
        self.output.setText(found_text(found))

    def test_read(self) -> None:
        url = chosen_url(self.reader)
        if not url:
            self.output.setText(translate("DeviceSetup", "请先选择读卡器"))
            return
        counter = self.counter
        FacadeOp(self.page, lambda: counter.test_read_card(url)).success(
            lambda c: self.output.setText(reader_text(c))
        ).failure(lambda exc: self.output.setText(error_text(exc))).run()

    def test_print(self) -> None:
        url = chosen_url(self.printer)
        if not url:
            self.output.setText(translate("DeviceSetup", "请先选择打印机"))
            return
        counter = self.counter
        FacadeOp(self.page, lambda: counter.print_test_slip(url)).success(
            lambda c: self.output.setText(printer_text(c))
        ).failure(lambda exc: self.output.setText(error_text(exc))).run()

    def save(self) -> None:
        reader, printer = chosen_url(self.reader) or None, chosen_url(self.printer) or None
        counter = self.counter
        FacadeOp(
            self.page, lambda: counter.save_device_choice(reader_url=reader, printer_url=printer)
        ).success(
            lambda path: self.output.setText(
                translate("DeviceSetup", "已保存到 {0}。重新启动工作站后生效。").format(path)
            )
        ).failure(lambda exc: self.output.setText(error_text(exc))).run()


def _fill(combo: QComboBox, found: list[Found], saved: str | None) -> None:
    """The found devices, the saved one picked (added when it is not connected now)."""
    combo.clear()
    combo.addItem(translate("DeviceSetup", "（未选择：不使用）"), "")
    for f in found:
        combo.addItem(item_text(f), f.url)
    if saved:
        index = combo.findData(saved)
        if index < 0:
            combo.addItem(translate("DeviceSetup", "已保存：{0}（现在未找到）").format(saved), saved)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
