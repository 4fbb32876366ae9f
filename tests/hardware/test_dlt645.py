"""DL/T 645-2007 frames: known bytes, and property tests of the incremental parser (as the reader's
in test_frames.py): round trip, any chunking, resync after garbage, no single bit flip accepted,
noise never raises."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from base.clock import BUSINESS_TZ
from hardware import dlt645
from hardware.dlt645 import MAX_FRAME, ControlCommand, DataId, Frame, FrameParser

addresses = st.text("0123456789", min_size=12, max_size=12)
frames_st = st.builds(Frame, address=addresses, control=st.integers(0, 255), data=st.binary(max_size=255))


def parse_all(stream: bytes, cuts: list[int] | None = None) -> list[Frame]:
    parser = FrameParser()
    points = sorted({c % (len(stream) + 1) for c in cuts or []})
    out: list[Frame] = []
    for a, b in zip([0, *points], [*points, len(stream)], strict=True):
        out += parser.feed(stream[a:b])
    return out + parser.expire()


def test_read_energy_request_bytes():
    """GIVEN meter 000000000001 WHEN asked for total energy (00 00 00 00) THEN the bytes on the line
    are FE×4, 68, the address low byte first, 68, 11, 04, the DI +33H each, CS, 16."""
    raw = dlt645.read_request("000000000001", DataId.COMBINED_ACTIVE_TOTAL).encode()
    body = bytes.fromhex("68 01 00 00 00 00 00 68 11 04 33 33 33 33")
    assert raw == b"\xfe" * 4 + body + bytes([sum(body) % 256, 0x16])
    assert sum(body) % 256 == 0xB2


def test_energy_answer_is_bcd_kwh_with_two_decimals():
    """GIVEN an answer carrying 123456.78 kWh WHEN parsed THEN 12345678 (0.01 kWh)."""
    request = dlt645.read_request("201800001234", DataId.COMBINED_ACTIVE_TOTAL)
    answer = dlt645.normal_reply(request, request.data + bytes.fromhex("78563412"))
    (got,) = parse_all(answer.encode())
    assert got.address == "201800001234" and got.control == 0x91
    assert got.encode(wake=False)[1:7] == bytes.fromhex("341200001820")
    assert dlt645.energy_ckwh(got.data[4:]) == 12345678


def test_not_bcd_energy_is_no_reading():
    assert dlt645.energy_ckwh(bytes.fromhex("7A563412")) is None


def test_abnormal_answer_carries_the_error_byte():
    request = dlt645.read_request("000000000001", 0x12345678)
    (got,) = parse_all(dlt645.abnormal_reply(request, dlt645.ErrorBit.NO_DATA).encode())
    assert (got.control, got.is_abnormal, got.data) == (0xD1, True, b"\x02")


def test_remote_control_payload_layout():
    """GIVEN a trip WHEN built THEN DATA is password(4) operator(4) N1=1A N2=00 deadline ssmmhhDDMMYY."""
    until = datetime(2026, 12, 3, 14, 5, 9, tzinfo=BUSINESS_TZ)
    frame = dlt645.control_request(
        "000000000001",
        ControlCommand.TRIP,
        password=bytes.fromhex("02123456"),
        operator=bytes.fromhex("01020304"),
        valid_until=until,
    )
    assert frame.control == 0x1C
    assert frame.data == bytes.fromhex("02123456 01020304 1A 00 09 05 14 03 12 26")


def test_broadcast_time_and_read_address_frames():
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=BUSINESS_TZ)
    broadcast = dlt645.broadcast_time_request(moment).encode(wake=False)
    assert broadcast[1:7] == b"\x99" * 6 and broadcast[8] == 0x08
    assert broadcast[10:16] == bytes(b + 0x33 for b in bytes.fromhex("050403020126"))
    assert dlt645.read_address_request().encode(wake=False)[1:10] == b"\xaa" * 6 + b"\x68\x13\x00"


@given(st.integers(0, 99_999_999))
def test_bcd_round_trip(value):
    assert dlt645.bcd_decode(dlt645.bcd_encode(value, 4)) == value


def test_builders_refuse_what_no_caller_should_pass():
    with pytest.raises(ValueError):
        dlt645.address_bytes("12345")
    with pytest.raises(ValueError):
        dlt645.bcd_encode(100_000_000, 4)


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
    raw = bytearray(frame.encode(wake=False))
    bit = data.draw(st.integers(0, len(raw) * 8 - 1))
    raw[bit // 8] ^= 1 << (bit % 8)
    stream = bytes(raw)
    for got in parse_all(stream):
        assert got != frame
        enc = got.encode(wake=False)
        assert enc in stream[: bit // 8] or enc in stream[bit // 8 + 1 :]


@given(st.lists(st.binary(max_size=400), max_size=10))
def test_noise_never_raises_and_buffer_stays_bounded(chunks):
    parser = FrameParser()
    for chunk in chunks:
        for frame in parser.feed(chunk):
            assert len(frame.address) == 12
        assert parser.pending < MAX_FRAME
    parser.expire()
    assert parser.pending == 0


def test_a_false_start_does_not_swallow_the_frame_behind_it():
    """GIVEN a stray 68 whose fake length runs past a real frame WHEN the line goes quiet THEN the
    real frame is still found (expire drops the stray start one byte at a time)."""
    good = dlt645.read_request("000000000007", DataId.COMBINED_ACTIVE_TOTAL).encode()
    assert parse_all(b"\x68\x00\x00\x00\x00\x00\x00\x68\x11\xff" + good) == [
        dlt645.read_request("000000000007", DataId.COMBINED_ACTIVE_TOTAL)
    ]
