"""The simulated printer turns known ESC/POS bytes into the intended text."""

from __future__ import annotations

from hardware.sim.escpos_decode import EscPosDecoder
from hardware.sim.printer import SimPrinter


def gb(text: str) -> bytes:
    return text.encode("gb18030")


def qr(data: str) -> bytes:
    payload = data.encode("utf-8")
    store = b"\x31\x50\x30" + payload
    n = len(store)
    return (
        b"\x1d(k\x04\x001A2\x00"  # model 2
        + b"\x1d(k\x03\x001C\x06"  # module size
        + b"\x1d(k"
        + bytes([n % 256, n // 256])
        + store
        + b"\x1d(k\x03\x001Q0"  # print
    )


RECEIPT = (
    b"\x1b@\x1c&\x1ba\x01\x1bE\x01\x1d!\x11"
    + gb("某某大学能源中心")
    + b"\n"
    + b"\x1bE\x00\x1d!\x00\x1ba\x00"
    + gb("收据号：W01-000123")
    + b"\n"
    + b"\x1c!\x0c"
    + gb("金额：￥12.30  壹拾贰元叁角整")
    + b"\n\x1c!\x00"
    + b"\x1bd\x02"
    + qr("W01|000123|1230|2026-11-23|sig")
    + b"\x1c."
    + b"ASCII line\n"
    + b"\x1bp\x00\x19\xfa"
    + b"\x1bd\x03"
    + b"\x1dVB\x00"
)
EXPECTED = "\n".join(
    [
        "某某大学能源中心",
        "收据号：W01-000123",
        "金额：￥12.30  壹拾贰元叁角整",
        "",
        "",
        "[QR] W01|000123|1230|2026-11-23|sig",
        "ASCII line",
    ]
)


def decode(chunks: list[bytes]) -> tuple[list[str], SimPrinter]:
    import threading

    printer = SimPrinter(threading.RLock())
    for chunk in chunks:
        printer.receive(chunk)
    return printer.printed(), printer


def test_known_receipt_decodes_to_its_text():
    """GIVEN a receipt with Chinese mode, styles, QR, drawer kick and partial cut WHEN received
    THEN the text is exactly the intended lines and the drawer was kicked once."""
    printed, printer = decode([RECEIPT])
    assert printed == [EXPECTED]
    assert printer.drawer_kicks == 1
    first = printer.receipts[0][0]
    assert (first.align, first.bold, first.scale) == (1, True, 2)


def test_byte_by_byte_arrival_gives_the_same_text():
    """GIVEN the same receipt arriving one byte at a time (GB18030 characters split) WHEN received
    THEN the text is the same."""
    printed, _ = decode([RECEIPT[i : i + 1] for i in range(len(RECEIPT))])
    assert printed == [EXPECTED]


def test_receipts_split_at_each_cut():
    """GIVEN two receipts WHEN received THEN two texts; bytes after the last cut are not a receipt yet."""
    printed, _ = decode([RECEIPT + RECEIPT + b"\x1b@" + gb("未切纸") + b"\n"])
    assert printed == [EXPECTED, EXPECTED]


def test_dle_eot_in_the_stream_is_answered_not_printed():
    """GIVEN DLE EOT between lines WHEN received THEN a valid status byte is answered and no text added."""
    import threading

    printer = SimPrinter(threading.RLock())
    answer = printer.receive(b"\x1b@" + gb("一") + b"\n\x10\x04\x01" + gb("二") + b"\n\x1dV\x00")
    assert answer == b"\x12" and printer.printed() == ["一\n二"]


def test_png_of_the_last_receipt(tmp_path):
    """GIVEN a printed receipt WHEN rendered THEN a PNG file exists."""
    _, printer = decode([RECEIPT])
    out = printer.render_png(tmp_path / "r.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_decoder_ignores_unknown_commands():
    """GIVEN an unknown ESC command WHEN received THEN its two bytes do not show as text."""
    cuts = []
    d = EscPosDecoder(on_cut=cuts.append, on_status=lambda n: b"")
    d.feed(b"\x1b\x7fA\n\x1dV\x00")
    assert [line.text for line in cuts[0]] == ["A"]
