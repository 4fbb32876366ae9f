"""Golden bytes for each ESC/POS command we emit (python-escpos's own testing style)."""

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from receipts.columns import pair_line
from receipts.escpos import EscPos, _clean, _qr_payload
from receipts.escpos_text import parse_escpos, printed_text

ESC, GS, FS, LF = b"\x1b", b"\x1d", b"\x1c", b"\n"


def build(columns: int = 32) -> EscPos:
    return EscPos(columns=columns)


def test_initialize_resets_and_enters_chinese_mode() -> None:
    assert build().initialize().build() == ESC + b"@" + FS + b"&"


def test_leave_chinese_mode() -> None:
    assert build().leave_chinese_mode().build() == FS + b"."


@pytest.mark.parametrize(("where", "n"), [("left", 0), ("center", 1), ("right", 2)])
def test_align(where: str, n: int) -> None:
    assert build().align(where).build() == ESC + b"a" + bytes([n])


def test_bold_on_and_off() -> None:
    assert build().bold().bold(False).build() == ESC + b"E\x01" + ESC + b"E\x00"


@pytest.mark.parametrize(
    ("wide", "tall", "gs", "fs"),
    [
        (False, False, 0x00, 0x00),
        (True, True, 0x11, 0x0C),
        (False, True, 0x01, 0x08),
        (True, False, 0x10, 0x04),
    ],
)
def test_size_sets_ascii_and_chinese_size_together(wide: bool, tall: bool, gs: int, fs: int) -> None:
    assert build().size(wide=wide, tall=tall).build() == GS + b"!" + bytes([gs]) + FS + b"!" + bytes([fs])


def test_double_width_halves_the_columns() -> None:
    doc = build(48).size(wide=True)
    assert doc.columns == 24


def test_feed_and_cut() -> None:
    assert build().feed(3).build() == ESC + b"d\x03"
    assert build().cut().build() == ESC + b"d\x04" + GS + b"V\x01"
    assert build().cut(feed_lines=0, partial=False).build() == ESC + b"d\x00" + GS + b"V\x00"


def test_drawer_kick() -> None:
    assert build().kick_drawer().build() == ESC + b"p\x00\x19\xfa"


def test_whole_text_is_gb18030_including_ascii_and_yuan_sign() -> None:
    data = build().line("金额：￥12.30").build()
    assert data == "金额：￥12.30".encode("gb18030") + LF
    assert data == b"\xbd\xf0\xb6\xee\xa3\xba\xa3\xa412.30\n"  # GBK bytes: printable on a GBK printer


def test_half_width_yen_sign_is_printed_as_full_width() -> None:
    data = build().line("¥5").build()
    assert data == "￥5\n".encode("gb18030")
    assert "¥".encode("gb18030") not in data


@pytest.mark.parametrize("columns", [32, 48])
def test_pair_line_golden(columns: int) -> None:
    doc = build(columns)
    doc.lines(pair_line("金额", "￥100.00", columns))
    spaces = columns - 4 - 8  # 金额 = 4 columns, ￥100.00 = 2 + 6
    assert doc.build() == "金额".encode("gb18030") + b" " * spaces + "￥100.00".encode("gb18030") + LF


def test_qr_blocks_have_correct_length_bytes() -> None:
    payload = "CR1|W01|W01-00000123|10000"
    data = build().qr(payload, module_size=5).build()
    k = len(payload) + 3
    expected = (
        GS
        + b"(k\x04\x00\x31\x41\x32\x00"  # model 2
        + GS
        + b"(k\x03\x00\x31\x43\x05"  # module size 5
        + GS
        + b"(k\x03\x00\x31\x45\x31"  # error correction M
        + GS
        + b"(k"
        + bytes([k % 256, k // 256])
        + b"\x31\x50\x30"
        + payload.encode("ascii")  # store
        + GS
        + b"(k\x03\x00\x31\x51\x30"  # print
    )
    assert data == expected


def test_long_qr_uses_the_high_length_byte() -> None:
    payload = "A" * 300
    data = build().qr(payload).build()
    store = [c for c in parse_escpos(data) if c.name == "GS ( k" and c.args[2:4] == b"\x31\x50"]
    assert store[0].args[:2] == (303).to_bytes(2, "little")
    assert store[0].args[5:] == payload.encode()


@pytest.mark.parametrize("bad", ["", "二维码", "a\x10\x04b", "x" * 501])
def test_qr_refuses_non_ascii_empty_control_or_long_data(bad: str) -> None:
    with pytest.raises(ValueError):
        build().qr(bad)


def test_control_characters_in_text_become_spaces() -> None:
    data = build().line("张\x10\x04三\x1b@").build()
    assert data == "张  三 @".encode("gb18030") + LF


def test_over_wide_line_is_wrapped_not_cut_by_the_printer() -> None:
    doc = build(32)
    doc.line("很" * 20)
    assert printed_text(doc.build()) == "很" * 16 + "\n" + "很" * 4


def test_build_refuses_a_real_time_command_that_slipped_in() -> None:
    doc = build()
    doc._raw(b"\x10\x04\x01")  # only a bug could do this: the builder's own methods cannot
    with pytest.raises(ValueError, match="real-time"):
        doc.build()


@given(st.text(max_size=200), st.sampled_from([32, 48]))
def test_no_text_can_produce_dle_eot_and_all_of_it_decodes_back(text: str, columns: int) -> None:
    doc = build(columns).initialize()
    doc.line(text)
    data = doc.build()  # raises if any DLE EOT / ENQ / DC4 appears
    decoded = "".join(c.text for c in parse_escpos(data) if c.name == "TEXT")
    expected = "".join(
        " " if ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029" else ch for ch in text
    )
    # Lines are trimmed of trailing white space (NBSP included), so compare without white space.
    assert "".join(decoded.split()) == "".join(expected.replace("¥", "￥").split())


def per_character_clean(text: str) -> str:
    """`_clean` as it was before it became one `str.translate` (issue 16): the reference."""

    def is_control(ch: str) -> bool:
        return ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029"

    return "".join(" " if is_control(ch) else {"\u00a5": "\uffe5"}.get(ch, ch) for ch in text)


@given(st.text())
def test_cleaning_agrees_with_the_per_character_rule(text: str) -> None:
    assert _clean(text) == per_character_clean(text)


def test_cleaning_agrees_with_the_per_character_rule_on_every_code_point() -> None:
    every = "".join(chr(code) for code in range(sys.maxunicode + 1))
    assert _clean(every) == per_character_clean(every)
    # Each alone too (the fast path for printable text); the basic plane holds every one it changes.
    assert [ch for ch in every[:0x10000] if _clean(ch) != per_character_clean(ch)] == []


@given(st.text(max_size=8) | st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=8))
def test_qr_data_check_agrees_with_the_per_character_rule(data: str) -> None:
    accepted_before = bool(data) and all(0x20 <= ord(ch) < 0x7F for ch in data)
    try:
        _qr_payload(data)
        accepted = True
    except ValueError:
        accepted = False
    assert accepted == accepted_before
