"""`counter-sim`: the simulators as a separate process (API.md "Command line").

    counter-sim --reader-listen 127.0.0.1:7001 --printer-listen 127.0.0.1:7002 [--cards DIR]
                [--sim-dir DIR] [--baud N] [--pty] [--mac-key-file FILE]

Prints the URLs to open, then reads control commands from stdin, one per line (`help` lists them),
so a person or a test harness can present cards and inject faults. Ends on EOF, `quit` or Ctrl-C.

    counter-sim profile-check MODULE:CLASS | MODEL

runs the meter-profile contract suite (hardware/profile_contract.py) against the simulated card and
meter, prints a plain report and exits 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from hardware.profile import MeterProfile
from hardware.profile_contract import report, run_contract
from hardware.profiles import load_profile, load_profile_spec
from hardware.sim.control import SimControl

log = logging.getLogger(__name__)
# name -> (what it does, given the words after the name; its help line)
Commands = dict[str, tuple[Callable[..., object], str]]


def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="counter-sim", description="Simulated card reader, meters and printer")
    p.add_argument("--reader-listen", type=_host_port, default=("127.0.0.1", 0), metavar="HOST:PORT")
    p.add_argument("--printer-listen", type=_host_port, default=("127.0.0.1", 0), metavar="HOST:PORT")
    p.add_argument("--sim-dir", type=Path, default=Path("sim-data"), help="meters (and cards) persist here")
    p.add_argument("--cards", type=Path, default=None, help="card files (default: SIM_DIR/cards)")
    p.add_argument("--baud", type=int, default=None, help="emulate a line speed (delay per byte)")
    p.add_argument("--pty", action="store_true", help="serve pty paths instead of TCP (Linux)")
    p.add_argument(
        "--vpcd",
        action="store_true",
        help="put the card in vpcd's virtual PC/SC reader (pcscd must run: scripts/start-pcscd.sh)",
    )
    p.add_argument(
        "--mac-key-file",
        type=Path,
        default=None,
        help="card MAC key (raw bytes) for the meters; without it meters reject every purchase",
    )
    return p


def _commands(sim: SimControl) -> Commands:
    def printer(*flags: str) -> None:
        sim.printer(**{f.replace("-", "_"): True for f in flags})

    return {
        "new-card": (sim.new_blank_card, "new-card → serial of a new blank card"),
        "present": (lambda serial=None: sim.present_card(serial), "present [SERIAL] (none = take off)"),
        "insert": (
            lambda serial, meter=None: sim.insert_into_meter(serial, meter_no=meter),
            "insert SERIAL [METER] → meter event",
        ),
        "install-meter": (
            lambda m, c="0", r="0": sim.install_meter(m, counter=int(c), remaining_ckwh=int(r)),
            "install-meter METER [COUNTER] [REMAINING_CKWH]",
        ),
        "consume": (lambda m, e: sim.consume(m, int(e)), "consume METER CKWH"),
        "alarm": (lambda m, a: sim.set_alarm(m, a), "alarm METER tamper|cover_open|overload"),
        "break": (lambda m: sim.break_meter(m), "break METER"),
        "meter": (lambda m: sim.meter_state(m), "meter METER → state"),
        "pull-at": (
            lambda n: sim.pull_card_at_byte(int(n)),
            "pull-at N (next card write torn after N bytes)",
        ),
        "pull-during": (
            lambda command: sim.pull_card_during(command.upper()),
            "pull-during COMMAND (the card leaves as the reader runs it next, e.g. READ_MAIN)",
        ),
        "tear-write-back": (lambda n: sim.tear_write_back_at_byte(int(n)), "tear-write-back N"),
        "printer": (printer, "printer [paper-out] [cover-open] [offline] [near-end] (none = all fine)"),
        "printed": (sim.printed, "printed → receipts as text"),
        "reader-garbage": (
            lambda hexbytes: setattr(sim.reader_line, "garbage_before_next", bytes.fromhex(hexbytes)),
            "reader-garbage HEX (before the next answer)",
        ),
        "reader-flip": (lambda n="1": setattr(sim.reader_line, "flip_bits_next", int(n)), "reader-flip [N]"),
        "reader-silent": (lambda n="1": setattr(sim.reader_line, "drop_next", int(n)), "reader-silent [N]"),
        "reader-mute": (lambda on="on": setattr(sim.reader_line, "mute", on == "on"), "reader-mute on|off"),
        "reader-slow": (lambda s: setattr(sim.reader_line, "delay_s", float(s)), "reader-slow SECONDS"),
        "reader-close": (
            lambda: setattr(sim.reader_line, "close_next", True),
            "reader-close (instead of next answer)",
        ),
        "printer-mute": (
            lambda on="on": setattr(sim.printer_line, "mute", on == "on"),
            "printer-mute on|off",
        ),
        **_bus_commands(sim),
    }


def _bus_commands(sim: SimControl) -> Commands:
    """Networked meter modules (docs/hardware.md §12); a bus is named by its number, from 0."""

    def start(protocol: str, *addresses: str) -> str:
        bus = sim.start_meter_bus(protocol, meters=addresses)
        return f"bus {len(sim.meter_buses) - 1} {protocol} {bus.url}"

    def add(n: str, address: str, energy: str = "0", load_w: str = "0") -> None:
        sim.meter_buses[int(n)].add_meter(address, energy_ckwh=int(energy), load_w=int(load_w))

    def fault(n: str, address: str, name: str, value: str = "on") -> None:
        bus = sim.meter_buses[int(n)]
        if name == "answers-for":
            bus.set_fault(address, answers_for=None if value == "none" else value)
        else:
            bus.set_fault(address, **{name.replace("-", "_"): value == "on"})

    def state(n: str, address: str) -> str:
        meter = sim.meter_buses[int(n)].meter(address)
        return f"energy_ckwh={meter.energy_ckwh} relay={'closed' if meter.relay_closed else 'open'}"

    return {
        "bus-start": (start, "bus-start dlt645|modbus [ADDRESS…] → bus N and its URL"),
        "bus-meter": (add, "bus-meter N ADDRESS [ENERGY_CKWH] [LOAD_W]"),
        "bus-fault": (fault, "bus-fault N ADDRESS mute|bad-checksum|refuse on|off, or answers-for OTHER|none"),
        "bus-state": (state, "bus-state N ADDRESS → energy and relay"),
    }


def _run_command(commands: Commands, line: str) -> str:
    words = line.split()
    if not words:
        return ""
    if words[0] == "help":
        return "\n".join(text for _fn, text in commands.values())
    if words[0] not in commands:
        return f"unknown command {words[0]!r} (help lists them)"
    try:
        result = commands[words[0]][0](*words[1:])
    except (TypeError, ValueError, KeyError) as exc:
        return f"error: {exc}"
    return "ok" if result is None else str(result)


def _serve_stdin(commands: Commands) -> bool:
    """Answer commands until EOF (True: keep serving) or `quit` (False)."""
    for line in sys.stdin:
        if line.strip() in ("quit", "exit"):
            return False
        sys.stdout.write(_run_command(commands, line) + "\n")
        sys.stdout.flush()
    return True


def profile_check(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="counter-sim profile-check",
                                description="Run the meter-profile contract suite on the simulated card and meter")  # fmt: skip
    p.add_argument("profile", metavar="MODULE:CLASS", help="a profile class, or the name of a registered meter model")
    args = p.parse_args(argv)
    try:
        profile: MeterProfile = (
            load_profile_spec(args.profile) if ":" in args.profile else load_profile(args.profile)
        )
    except Exception as exc:  # an import error, a typo, not a profile: a plain message, exit 1
        sys.stdout.write(f"cannot load meter profile {args.profile!r}: {exc}\n")
        return 1
    results = run_contract(profile)
    sys.stdout.write(report(profile, results) + "\n")
    return 0 if all(c.ok for c in results) else 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["profile-check"]:
        return profile_check(argv[1:])
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    mac_key = args.mac_key_file.read_bytes() if args.mac_key_file else b"counter-sim-no-key"
    sim = SimControl(
        args.sim_dir,
        mac_key=mac_key,
        cards_dir=args.cards,
        transport="vpcd" if args.vpcd else "pty" if args.pty else "socket",
        baud=args.baud,
        reader_listen=args.reader_listen,
        printer_listen=args.printer_listen,
    )
    sys.stdout.write(f"reader {sim.reader_url}\nprinter {sim.printer_url}\n")
    sys.stdout.flush()
    commands = _commands(sim)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        if _serve_stdin(commands):
            stop.wait()  # stdin ended (e.g. started in the background): serve until SIGTERM / Ctrl-C
    except KeyboardInterrupt:
        pass
    finally:
        sim.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
