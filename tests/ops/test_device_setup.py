"""Setting up a PC's devices (issue 13 §5): the per-PC choice file (0600, never the database) and
its place after --reader/--printer and the environment, the test read and test slip on a device the
person picked, `counter-admin devices list`, and the self-test naming the reader it found."""

from __future__ import annotations

import argparse
import io
import os
import stat

import pytest
from opstesting import make_world

from counter_app import device_setup, selftest
from counter_app.admin.cli import main as admin_main
from counter_app.local_config import DeviceChoice, config_path, load_device_choice, save_device_choice
from hardware import discovery
from hardware.card_reader import CardStatus


@pytest.fixture
def world(tmp_path):
    w = make_world(tmp_path)
    yield w
    w.close()


@pytest.fixture
def local_file(tmp_path, monkeypatch):
    path = tmp_path / "cfg" / "devices.json"
    monkeypatch.setenv("COUNTER_LOCAL_CONFIG", str(path))
    monkeypatch.delenv("COUNTER_READER_URL", raising=False)
    monkeypatch.delenv("COUNTER_PRINTER_URL", raising=False)
    return path


def test_the_choice_round_trips_in_a_file_only_this_user_reads(local_file):
    assert load_device_choice() == DeviceChoice()  # nothing saved yet
    written = save_device_choice(DeviceChoice("pcsc://ACS%20ACR39U", "COM3"))
    assert written == local_file == config_path()
    assert stat.S_IMODE(os.stat(local_file).st_mode) == 0o600
    assert load_device_choice() == DeviceChoice("pcsc://ACS%20ACR39U", "COM3")


def test_a_damaged_file_is_nothing_chosen(local_file):
    local_file.parent.mkdir(parents=True)
    local_file.write_text("{not json", encoding="utf-8")
    assert load_device_choice() == DeviceChoice()


def test_flags_then_environment_then_the_saved_choice(local_file, monkeypatch):
    save_device_choice(DeviceChoice("socket://127.0.0.1:4442", "/dev/ttyUSB0"))
    args = argparse.Namespace(reader=None, printer=None)
    assert selftest.device_urls(args) == ("socket://127.0.0.1:4442", "/dev/ttyUSB0")
    monkeypatch.setenv("COUNTER_PRINTER_URL", "COM7")
    assert selftest.device_urls(args) == ("socket://127.0.0.1:4442", "COM7")
    args = argparse.Namespace(reader="pcsc://0", printer=None)
    assert selftest.device_urls(args) == ("pcsc://0", "COM7")


def test_test_read_on_the_counters_own_reader_names_the_card(world):
    serial = world.issue_card("D-5-308")
    check = device_setup.test_read_card(world.counter.context(), world.sim.reader_url)
    assert check.card_present and check.card_serial == serial and check.card_kind
    assert check.version.startswith("SIM")


def test_test_read_without_a_card_and_on_a_blank_card(world):
    world.sim.present_card(None)
    check = world.counter.test_read_card(world.sim.reader_url)
    assert not check.card_present and check.card_serial is None
    blank = world.sim.new_blank_card()
    world.sim.present_card(blank)
    check = world.counter.test_read_card(world.sim.reader_url)
    assert check.card_present and check.card_kind == "blank" and check.card_serial == blank


def test_a_test_slip_on_the_picked_printer(world):
    check = world.counter.print_test_slip(world.sim.printer_url)
    assert check.online and "TEST PRINT" in world.sim.printed()[-1]


def test_saving_through_the_facade_writes_the_local_file_not_the_database(world, local_file):
    path = world.counter.save_device_choice(reader_url="pcsc://0", printer_url=None)
    assert path == str(local_file)
    assert world.counter.saved_device_choice() == DeviceChoice("pcsc://0", None)


def _devices_list(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = admin_main(["devices", "list", *argv], stdin=io.StringIO(), stdout=out, stderr=err, environ={})
    return code, out.getvalue(), err.getvalue()


def test_devices_list_prints_a_table_and_json(monkeypatch):
    found = [discovery.Found("serial", "/dev/ttyUSB0", "USB-Serial Controller (Prolific)", "USB 067B:2303"),
             discovery.Found("problem", "", "未安装 PC/SC 支持（pyscard / pcsc-lite） / PC/SC support not installed",
                             "pip install 'counter[pcsc]'")]  # fmt: skip
    monkeypatch.setattr("counter_app.admin.devices.discover", lambda: found)
    code, out, err = _devices_list()
    assert code == 0 and not err
    assert "/dev/ttyUSB0" in out and "USB 067B:2303" in out and "pyscard" in out
    code, out, _ = _devices_list("--json")
    assert code == 0 and '"url": "/dev/ttyUSB0"' in out


def test_devices_list_with_nothing_connected(monkeypatch):
    monkeypatch.setattr("counter_app.admin.devices.discover", lambda: [])
    code, out, _ = _devices_list()
    assert code == 0 and "未发现设备" in out


class _NamedReader:
    url = "pcsc://ACS%20ACR39U%20ICC%20Reader%2000%2000"

    def version(self) -> str:
        return "ACS ACR39U ICC Reader 00 00 (ACS commands)"

    def status(self) -> CardStatus:
        return CardStatus(present=False)

    def close(self) -> None:
        pass


def test_self_test_names_the_reader_and_its_family(world, monkeypatch):
    monkeypatch.setattr(selftest, "open_card_reader", lambda url, **kw: _NamedReader())
    args = argparse.Namespace(reader=_NamedReader.url, printer=None)
    check = selftest._reader(args, selftest.Found())
    assert check.state == selftest.OK
    assert "ACS ACR39U ICC Reader 00 00 (ACS commands)" in check.detail and "PC/SC" in check.detail
    assert selftest.reader_transport("socket://127.0.0.1:4442").startswith("读卡主机")
    assert selftest.reader_transport("COM3").startswith("串口")
