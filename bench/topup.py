"""Benchmark 1: top-up service time through the simulators at an emulated line speed.

    .venv/bin/python -m bench.topup [--quick]

Service time = confirm (the `top_up` call) → card written and read back, ledger committed with its
print job queued (the moment the sale hands over to the print queue). Floor, in the same run: the
wire time of the reader bytes of that sale at the baud (the simulator delays each byte the device
sends, 10 bits per byte) plus one fsync'd SQLite commit. Then the printer is made slow: the sale's
service time must not move (printing is after the commit); the call's total time shows what the
cashier waits for before the facade returns.

`open_counter(simulate=True)` takes no baud, so the script starts `SimControl(baud=…)` itself and
opens the counter with `simulate=False` and the simulators' URLs on the development database.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import Results, fsync_commit_s, ms, parser, pct, scratch

AMOUNT = 1_000
ACCOUNTS = (("D-5-308", "M5308"), ("D-5-309", "M5309"), ("S-12-101", "M12101"), ("B-1-001", "M1001"))


class Line:
    """Counts the bytes a simulated device receives and answers (wraps its `receive`)."""

    def __init__(self, device) -> None:
        self.sent_to_device = self.answered = 0
        inner = device.receive

        def receive(data: bytes) -> bytes:
            out = inner(data)
            self.sent_to_device += len(data)
            self.answered += len(out)
            return out

        device.receive = receive

    def snapshot(self) -> tuple[int, int]:
        return self.sent_to_device, self.answered


class _NoLine:
    """Line's stand-in where the device is in another process: no counts."""

    def snapshot(self) -> tuple[int, int]:
        return 0, 0


class ExternalSim:
    """`counter-sim` in a process of its own (API.md "Command line"), driven through its stdin
    commands: the counter's driver then shares its Python process with no simulator thread, as it
    does with a real reader (issue 16 item 1: what the in-process simulator costs)."""

    def __init__(self, sim_dir: Path, mac_key: bytes, baud: int) -> None:
        key_file = sim_dir.parent / "card-mac.key"
        key_file.write_bytes(mac_key)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "hardware.sim.cli", "--sim-dir", str(sim_dir), "--baud", str(baud),
             "--mac-key-file", str(key_file)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        self.reader_url = self._url("reader")
        self.printer_url = self._url("printer")

    def _url(self, name: str) -> str:
        assert self._proc.stdout is not None
        word, url = self._proc.stdout.readline().split()
        if word != name:
            raise RuntimeError(f"counter-sim printed {word!r}, expected {name!r}")
        return url

    def command(self, line: str) -> str:
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._proc.stdin.write(line + "\n")
        self._proc.stdin.flush()
        answer = self._proc.stdout.readline().strip()
        if answer.startswith(("error", "unknown")):
            raise RuntimeError(f"counter-sim {line!r}: {answer}")
        return answer

    def present_card(self, serial: str) -> None:
        self.command(f"present {serial}")

    def insert_into_meter(self, serial: str) -> None:
        self.command(f"insert {serial}")

    def consume(self, meter: str, ckwh: int) -> None:
        self.command(f"consume {meter} {ckwh}")

    def close(self) -> None:
        try:
            assert self._proc.stdin is not None
            self._proc.stdin.close()  # (then it serves until SIGTERM)
            self._proc.terminate()
            self._proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a benchmark's clean-up: never hide the figures
            self._proc.kill()


class Station:
    """A counter on its own simulators at `baud`, with a card issued for every account. `external`:
    the simulators run as `counter-sim` in another process (no byte counts then: a sale's bytes are
    the same as in process)."""

    def __init__(self, tmp: Path, baud: int, *, external: bool = False) -> None:
        from opstesting import CHEAP, make_world

        from counter_app.counter import open_counter
        from hardware.sim.control import SimControl

        world = make_world(tmp)
        s = world.login("zhang")
        s.open_shift(float_fen=0)
        self.cards = {no: world.issue_card(no, s) for no, _ in ACCOUNTS}
        keys = world.counter.keys
        world.close()
        self.world = world
        self.sim: Any = (
            ExternalSim(tmp / "sim", keys.card_mac, baud)
            if external
            else SimControl(tmp / "sim", mac_key=keys.card_mac, clock=world.clock, baud=baud)
        )
        self.counter = open_counter(world.db_url, workstation="W01", reader_url=self.sim.reader_url,
                                    printer_url=self.sim.printer_url, simulate=False, clock=world.clock,
                                    keystore=world.keystore, hasher=CHEAP)  # fmt: skip
        self.session = self.counter.login("zhang", "secret-123")
        self.reader = _NoLine() if external else Line(self.sim.reader)
        self.printer = _NoLine() if external else Line(self.sim.printer_device)
        self.committed_at: list[float] = []
        self.reader_at_commit: list[tuple[int, int]] = []
        self._hook_commit()

    def _hook_commit(self) -> None:
        """The sale calls drain_quietly right after its commit: that is 'committed'. The sale module
        holds its own reference (imported at its top), so that is the one to wrap."""
        import counter_app.ops.sales as sales

        inner = sales.drain_quietly

        def drain_quietly(ctx):
            self.committed_at.append(time.perf_counter())
            self.reader_at_commit.append(self.reader.snapshot())
            return inner(ctx)

        sales.drain_quietly = drain_quietly  # type: ignore[assignment]
        self._unhook = lambda: setattr(sales, "drain_quietly", inner)

    def sale(self, i: int) -> dict:
        account_no, meter = ACCOUNTS[i % len(ACCOUNTS)]
        serial = self.cards[account_no]
        self.sim.present_card(serial)
        r0, p0 = self.reader.snapshot(), self.printer.snapshot()
        start = time.perf_counter()
        self.session.top_up(account_no=account_no, amount_fen=AMOUNT, tendered_fen=AMOUNT)
        end = time.perf_counter()
        rc = self.reader_at_commit[-1]
        p1 = self.printer.snapshot()
        self.sim.insert_into_meter(serial)  # loaded, so the next sale needs no override
        self.sim.consume(meter, 1_500)
        return {"service": self.committed_at[-1] - start, "call": end - start,
                "reader_in": rc[0] - r0[0], "reader_out": rc[1] - r0[1],
                "printer_in": p1[0] - p0[0], "printer_out": p1[1] - p0[1]}  # fmt: skip

    def close(self) -> None:
        self._unhook()
        self.counter.close()
        self.sim.close()


def run_baud(results: Results, baud: int, n: int, commit_floor: float) -> list[dict]:
    with scratch(f"topup{baud}") as tmp:
        station = Station(tmp, baud)
        try:
            station.sale(0)  # warm-up: connections, imports, first page of the database
            sales = [station.sale(i) for i in range(1, n + 1)]
            slow = _slow_printer(station, n)
        finally:
            station.close()
    service = [s["service"] for s in sales]
    answered = pct([s["reader_out"] for s in sales], 50)
    both_ways = pct([s["reader_in"] + s["reader_out"] for s in sales], 50)
    wire = _emulated_wire_s(answered, baud)
    floor = wire + commit_floor
    results.add(f"{baud} Bd: service time p50 (confirm → committed)", ms(pct(service, 50)), "ms",
                ms(floor), "emulated reader wire time + 1 fsync'd commit")  # fmt: skip
    results.add(f"{baud} Bd: service time p95", ms(pct(service, 95)), "ms", ms(floor),
                "emulated reader wire time + 1 fsync'd commit")  # fmt: skip
    results.add(f"{baud} Bd: whole call p50 (incl. printing)", ms(pct([s["call"] for s in sales], 50)),
                "ms", ms(floor), "same floor")  # fmt: skip
    results.note(f"{baud} Bd: a sale moves {both_ways} reader bytes ({answered} answered by the card "
                 f"reader, the direction the simulator delays); real-line wire time both ways "
                 f"{ms(both_ways * 10 / baud):.0f} ms; receipt {pct([s['printer_in'] for s in sales], 50)} "
                 f"bytes to the printer")  # fmt: skip
    slow_service = [s["service"] for s in slow]
    results.add(f"{baud} Bd, printer slow: service time p50", ms(pct(slow_service, 50)), "ms",
                ms(pct(service, 50)), "same sale, printer normal")  # fmt: skip
    results.add(f"{baud} Bd, printer slow: whole call p50", ms(pct([s["call"] for s in slow], 50)), "ms",
                ms(pct([s["call"] for s in sales], 50)), "same call, printer normal")  # fmt: skip
    return sales


def _simulator_apart(results: Results, baud: int, n: int, commit_floor: float, answered: int) -> None:
    """The same sales with `counter-sim` in its own process (issue 16 item 1): what the simulator
    threads in the counter's process cost the driver. The floor is the same sale's wire time, its
    bytes counted in the in-process run (the sale and the card format are the same)."""
    with scratch(f"topup{baud}x") as tmp:
        station = Station(tmp, baud, external=True)
        try:
            station.sale(0)
            sales = [station.sale(i) for i in range(1, n + 1)]
        finally:
            station.close()
    floor = _emulated_wire_s(answered, baud) + commit_floor
    results.add(f"{baud} Bd, simulators in their own process: service time p50",
                ms(pct([s["service"] for s in sales], 50)), "ms", ms(floor),
                "emulated reader wire time + 1 fsync'd commit")  # fmt: skip


def _emulated_wire_s(answered: int, baud: int) -> float:
    """The wire time of `answered` bytes at `baud` (10 bits a byte). The simulator paces its
    answers on an absolute schedule (hardware/sim/transport.py `_paced`), so this is what it
    spends; before issue 16 it slept once per byte, overshooting each sleep, and this floor
    measured those sleeps instead (about twice the wire time at 115200 Bd)."""
    return answered * 10.0 / baud


def _no_line_delay(results: Results, n: int, commit_floor: float) -> None:
    """The same sales with no emulated line: what the software itself costs per sale."""
    with scratch("topup0") as tmp:
        station = Station(tmp, 0)
        try:
            station.sale(0)
            sales = [station.sale(i) for i in range(1, n + 1)]
        finally:
            station.close()
    results.add("no line delay: service time p50", ms(pct([s["service"] for s in sales], 50)), "ms",
                ms(commit_floor), "1 fsync'd commit")  # fmt: skip
    results.add("no line delay: service time p95", ms(pct([s["service"] for s in sales], 95)), "ms",
                ms(commit_floor), "1 fsync'd commit")  # fmt: skip


def _slow_printer(station: Station, n: int) -> list[dict]:
    """Every printer answer delayed 0.3 s (a slow or busy printer; under the 0.5 s read timeout)."""
    station.sim.printer_line.delay_s = 0.3
    try:
        return [station.sale(1000 + i) for i in range(max(1, n // 4))]
    finally:
        station.sim.printer_line.delay_s = 0.0


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    results = Results("top-up service time", args)
    results.header()
    n = 2 if args.quick else 40
    with scratch("fsync") as tmp:
        commit_floor = fsync_commit_s(tmp)
    results.add("one fsync'd commit (SQLite WAL, synchronous=FULL)", ms(commit_floor), "ms")
    for baud in (115200, 9600):
        sales = run_baud(results, baud, n, commit_floor)
        if baud == 115200:
            _simulator_apart(results, baud, n, commit_floor, pct([s["reader_out"] for s in sales], 50))
    if not args.quick:
        _no_line_delay(results, n, commit_floor)
    return results.finish()


if __name__ == "__main__":
    raise SystemExit(main())
