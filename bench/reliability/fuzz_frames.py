"""Reliability 12: the reader frame parser (hardware/frames.py) fed 1,000,000 random inputs.

    .venv/bin/python -m bench.reliability.fuzz_frames [--quick] [--inputs 1000000] [--jobs 2]

A plain seeded random loop (no extra dependency), inputs of four kinds, each fed in random chunks
and then expired as a read timeout does:
- random bytes (0–700);
- valid frames with garbage between them that holds no STX — every frame must come out, in order;
- valid frames with random bytes flipped, cut or duplicated;
- hostile headers: STX followed by lengths at and around MAX_DATA and 0xFFFF.
Counted (must be 0): exceptions ("crashes"), inputs that took more than 1 s ("hangs"), bytes left
pending after expire, frames lost from the clean-garbage kind, frames decoded with a wrong CRC.
"""

from __future__ import annotations

import random
import time
from concurrent.futures import ProcessPoolExecutor

from bench.common import Results, parser

HANG_S = 1.0
COUNTS = ("crashes", "hangs", "pending_after_expire", "frames_lost", "bad_frames_accepted")


def _frames(rng: random.Random, n: int):
    from hardware.frames import MAX_DATA, Frame

    return [Frame(rng.randrange(256), rng.randrange(256), rng.randbytes(rng.choice((0, 1, 8, 64, MAX_DATA))
                                                                        if rng.random() < 0.3 else rng.randrange(40)))
            for _ in range(n)]  # fmt: skip


def _no_stx(rng: random.Random, n: int) -> bytes:
    return bytes(b if b != 0x02 else 0x01 for b in rng.randbytes(n))


def make_input(rng: random.Random) -> tuple[bytes, list | None]:
    """(stream, frames that must come out in order, or None when anything goes)."""
    from hardware.frames import MAX_DATA, STX

    kind = rng.randrange(4)
    if kind == 0:
        return rng.randbytes(rng.randrange(700)), None
    frames = _frames(rng, rng.randrange(1, 5))
    if kind == 1:
        stream = b"".join(_no_stx(rng, rng.randrange(20)) + f.encode() for f in frames) + _no_stx(
            rng, rng.randrange(20)
        )
        return stream, frames
    if kind == 2:
        stream = bytearray(b"".join(f.encode() for f in frames))
        for _ in range(rng.randrange(1, 6)):
            if not stream:
                break
            i = rng.randrange(len(stream))
            op = rng.randrange(3)
            if op == 0:
                stream[i] ^= 1 << rng.randrange(8)
            elif op == 1:
                del stream[i : i + rng.randrange(1, 8)]
            else:
                stream[i:i] = stream[i : i + rng.randrange(1, 8)]
        return bytes(stream), None
    length = rng.choice((MAX_DATA, MAX_DATA + 1, 0xFFFF, 0, rng.randrange(0x10000)))
    return bytes([STX]) + length.to_bytes(2, "big") + rng.randbytes(rng.randrange(400)), None


def _chunks(rng: random.Random, stream: bytes):
    i = 0
    while i < len(stream):
        step = rng.choice((1, 2, 7, 64, 512))
        yield stream[i : i + step]
        i += step


def run_share(seed: int, n: int) -> dict[str, int]:
    from hardware.frames import FrameParser, crc16

    rng = random.Random(seed)
    counts = dict.fromkeys(COUNTS, 0)
    for _ in range(n):
        stream, expected = make_input(rng)
        parser_ = FrameParser()
        start = time.perf_counter()
        try:
            out = []
            for chunk in _chunks(rng, stream):
                out += parser_.feed(chunk)
            out += parser_.expire()
        except Exception:
            counts["crashes"] += 1
            continue
        counts["hangs"] += time.perf_counter() - start > HANG_S
        counts["pending_after_expire"] += parser_.pending != 0
        if expected is not None:
            counts["frames_lost"] += out != expected
        for frame in out:  # a decoded frame must re-encode to bytes that were on the line
            encoded = frame.encode()
            body = encoded[1:-3]
            counts["bad_frames_accepted"] += encoded not in stream or crc16(body) != int.from_bytes(
                encoded[-3:-1], "big"
            )
    return counts


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--inputs", type=int, default=None)
    p.add_argument("--jobs", type=int, default=2)
    args = p.parse_args(argv)
    n = args.inputs or (20_000 if args.quick else 1_000_000)
    results = Results("frame-parser fuzzing", args)
    results.header()
    shares = [n // args.jobs + (i < n % args.jobs) for i in range(args.jobs)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        outcomes = list(pool.map(run_share, range(len(shares)), shares))
    elapsed = time.perf_counter() - started
    results.count("inputs", n)
    results.add("inputs per second", n / elapsed, "/s")
    for key in COUNTS:
        results.count(key.replace("_", " "), sum(o[key] for o in outcomes), must_be=0)
    return results.finish()


if __name__ == "__main__":
    raise SystemExit(main())
