"""The simulators as a separate process (`counter-sim`) and at an emulated line speed."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hw_helpers import MAC_KEY

from base.errors import UserFacingError
from hardware.card_reader import SerialCardReader
from hardware.sim.control import SimControl


def test_counter_sim_serves_and_takes_commands(tmp_path):
    """GIVEN counter-sim started with free ports WHEN a reader connects and commands come on stdin
    THEN the reader identifies the simulator and a new card is on the reader."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hardware.sim.cli",
            "--reader-listen",
            "127.0.0.1:0",
            "--printer-listen",
            "127.0.0.1:0",
            "--sim-dir",
            str(tmp_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        reader_url = proc.stdout.readline().split()[1]
        assert proc.stdout.readline().startswith("printer socket://")
        proc.stdin.write("new-card\n")
        proc.stdin.flush()
        serial = proc.stdout.readline().strip()
        proc.stdin.write(f"present {serial}\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "ok"
        reader = SerialCardReader(reader_url, timeout=2.0)
        try:
            assert reader.version().startswith("SIM")
            assert reader.status().present
            # A card pulled while it is read: the reader answers CARD_REMOVED and the card is gone.
            proc.stdin.write("pull-during read_main\n")
            proc.stdin.flush()
            assert proc.stdout.readline().strip() == "ok"
            reader.power_on()
            with pytest.raises(UserFacingError) as pulled:
                reader.read_main(address=0, length=16)
            assert pulled.value.code == "CARD_REMOVED" and not reader.status().present
        finally:
            reader.close()
        proc.stdin.write("quit\n")
        proc.stdin.flush()
        assert proc.wait(timeout=10) == 0
    finally:
        proc.kill()
        proc.wait(timeout=10)
    assert (tmp_path / "cards" / f"{serial}.json").exists()


def test_emulated_baud_rate_still_answers(tmp_path):
    """GIVEN the simulator pacing bytes as at 115200 baud WHEN the reader reads 256 bytes THEN it gets them."""
    with SimControl(tmp_path, mac_key=MAC_KEY, baud=115200) as sim:
        sim.present_card(sim.new_blank_card())
        reader = SerialCardReader(sim.reader_url, timeout=2.0)
        try:
            reader.power_on()
            assert len(reader.read_main(address=0, length=256)) == 256
        finally:
            reader.close()
