"""Property tests of the reader frame parser (notes/libraries.md §7, reliability.md §6)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hardware.frames import MAX_DATA, MAX_FRAME, Frame, FrameParser, crc16, encode_frame

frames_st = st.builds(
    Frame, seq=st.integers(0, 255), cmd=st.integers(0, 255), data=st.binary(max_size=MAX_DATA)
)


def parse_all(stream: bytes, cuts: list[int] | None = None) -> list[Frame]:
    parser = FrameParser()
    points = sorted({c % (len(stream) + 1) for c in cuts or []})
    out: list[Frame] = []
    for a, b in zip([0, *points], [*points, len(stream)], strict=True):
        out += parser.feed(stream[a:b])
    return out + parser.expire()


def test_crc_is_ccitt_false():
    """GIVEN the standard check input WHEN hashed THEN it is CRC-16/CCITT-FALSE's check value."""
    assert crc16(b"123456789") == 0x29B1


@given(st.lists(frames_st, max_size=5))
def test_round_trip(frames):
    assert parse_all(b"".join(f.encode() for f in frames)) == frames


@given(st.lists(frames_st, max_size=4), st.lists(st.integers(0, 2000), max_size=20))
def test_arbitrary_chunking_gives_the_same_frames(frames, cuts):
    assert parse_all(b"".join(f.encode() for f in frames), cuts) == frames


@given(st.binary(max_size=600), st.lists(frames_st, min_size=1, max_size=3), st.lists(st.integers(0, 2000)))
def test_resyncs_after_garbage_prefix(garbage, frames, cuts):
    stream = garbage + b"".join(f.encode() for f in frames)
    assert parse_all(stream, cuts)[-len(frames) :] == frames


@given(frames_st, st.data())
def test_single_bit_flip_is_never_accepted(frame, data):
    raw = bytearray(frame.encode())
    bit = data.draw(st.integers(0, len(raw) * 8 - 1))
    raw[bit // 8] ^= 1 << (bit % 8)
    stream = bytes(raw)
    for got in parse_all(stream):
        assert got != frame
        # Anything found must be a frame wholly inside the damaged stream, not covering the flip.
        enc = got.encode()
        assert enc in stream[: bit // 8] or enc in stream[bit // 8 + 1 :]


@given(st.lists(st.binary(max_size=400), max_size=10))
def test_noise_never_raises_and_buffer_stays_bounded(chunks):
    parser = FrameParser()
    for chunk in chunks:
        parser.feed(chunk)
        assert parser.pending < MAX_FRAME
    parser.expire()
    assert parser.pending == 0


def test_oversized_length_is_rejected_without_waiting():
    """GIVEN a header claiming more than MAX_DATA WHEN fed THEN it is dropped and the next frame read."""
    good = encode_frame(1, 2, b"ok")
    bogus = b"\x02\xff\xff" + b"\x00" * 5
    assert FrameParser().feed(bogus + good) == [Frame(1, 2, b"ok")]


@given(frames_st)
def test_reading_what_the_parser_wants_takes_exactly_one_frame(frame):
    """GIVEN a reader that asks the port for `wanted()` bytes at a time (card_reader._await) WHEN one
    frame arrives THEN it comes out after exactly its own bytes: the reader never asks for a byte
    past the frame's end (which would wait for the read timeout) and wakes at most three times."""
    wire = frame.encode()
    parser, taken, wakes, out = FrameParser(), 0, 0, []
    while not out:
        want = parser.wanted()
        assert want >= 1 and taken + want <= len(wire)
        out = parser.feed(wire[taken : taken + want])
        taken, wakes = taken + want, wakes + 1
    assert out == [frame] and taken == len(wire) and wakes <= 3


@given(st.binary(max_size=40))
def test_wanted_is_at_least_one_whatever_came(noise):
    parser = FrameParser()
    parser.feed(noise)
    assert parser.wanted() >= 1
