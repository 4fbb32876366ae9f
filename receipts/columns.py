"""Text laid out by display columns, as a thermal printer in Chinese mode draws it.

A 58 mm printer has 32 columns, an 80 mm one 48. A Han character or a full-width sign (￥ ：)
takes two columns (unicodedata East Asian Width W or F). In Chinese mode the printer draws every
multi-byte GB18030 character from its double-width Hanzi font, so "ambiguous" characters such as
· × — é also take two columns there: we count every non-ASCII character as two, which for W/F is
the same answer as unicodedata and for the rest is what the paper shows.

    pair_line("金额", "￥100.00", 32)   # '金额' + 19 spaces + '￥100.00'
    wrap("壹万贰仟叁佰肆拾伍元陆角柒分", 16)
"""

from __future__ import annotations

PAPER_COLUMNS = {58: 32, 80: 48}


# No ASCII character is East Asian Wide or Fullwidth, and every other character is two columns on
# the paper (above), so the width is one question: ASCII or not. Asked in C, not per character in
# Python: a sale's two receipts measure some 30,000 characters (issue 16);
# tests/receipts/test_receipt_columns.py checks this against the unicodedata rule for every code point.
def char_width(ch: str) -> int:
    return 1 if ch < "\x80" else 2


def display_width(text: str) -> int:
    if text.isascii():
        return len(text)
    # Each ASCII character survives the encoding, every other one is dropped: 2 per character, less 1 per ASCII one.
    return 2 * len(text) - len(text.encode("ascii", "ignore"))


def pad_right(text: str, columns: int) -> str:
    return text + " " * max(0, columns - display_width(text))


def pad_left(text: str, columns: int) -> str:
    return " " * max(0, columns - display_width(text)) + text


def rule(columns: int, char: str = "-") -> str:
    """A full-width rule line of a one-column character."""
    if display_width(char) != 1:
        raise ValueError("rule character must be one column wide")
    return char * columns


def pair_line(left: str, right: str, columns: int) -> list[str]:
    """A label on the left and a value flush right; on two lines when they do not fit on one."""
    gap = columns - display_width(left) - display_width(right)
    if gap >= 1:
        return [left + " " * gap + right]
    lines = wrap(left, columns)
    return lines + [pad_left(line, columns) for line in wrap(right, columns)]


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most `columns` display columns. ASCII words stay whole when they fit on a line;
    Han text breaks between any two characters, as Chinese typesetting allows."""
    if columns < 2:
        raise ValueError("need at least two columns (a Han character is two wide)")
    lines: list[str] = []
    current = ""
    for token in _tokens(text):
        current = _place(token, current, columns, lines)
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def _place(token: str, current: str, columns: int, lines: list[str]) -> str:
    """Append `token` to the line being built, flushing full lines into `lines`."""
    if token.isspace() and not current:
        return current  # no line starts with a space
    if display_width(current) + display_width(token) <= columns:
        return current + token
    if token.isspace():
        lines.append(current.rstrip())
        return ""
    if current.strip():
        lines.append(current.rstrip())
    current = ""
    for ch in token:  # a word longer than a line, or a Han character: break by character
        if display_width(current) + char_width(ch) > columns:
            lines.append(current)
            current = ""
        current += ch
    return current


def _tokens(text: str) -> list[str]:
    """Runs of ASCII letters/digits/punctuation, single spaces, and single other characters."""
    tokens: list[str] = []
    for ch in text:
        if ch.isascii() and not ch.isspace() and tokens and _is_word(tokens[-1]):
            tokens[-1] += ch
        else:
            tokens.append(" " if ch.isspace() else ch)
    return tokens


def _is_word(token: str) -> bool:
    return token.isascii() and not token.isspace()
