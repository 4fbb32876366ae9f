"""Room codes as typed at the counter (`5-308`, `05308`) and as stored (`5-308`).

The pattern is the `room_code_pattern` setting: a regular expression with the named groups
`building` and `room`. The stored form drops leading zeros of a numeric building code, so `5-308`
and `05308` find the same room.
"""

from __future__ import annotations

import re

from base.errors import InputInvalid

DEFAULT_ROOM_CODE_PATTERN = r"^(?P<building>\d{1,2})-?(?P<room>\d{3,4})$"


def normalise_room_code(text: str, pattern: str = DEFAULT_ROOM_CODE_PATTERN) -> str:
    """'05308' → '5-308'; InputInvalid when the text does not match the pattern."""
    match = re.match(pattern, str(text).strip())
    if not match:
        raise InputInvalid(f"房间号格式不对：{text!r}", detail_en=f"room code not recognised: {text!r}",
                           field="room_code")  # fmt: skip
    building = match.group("building")
    building = (building.lstrip("0") or "0") if building.isdigit() else building.upper()
    return f"{building}-{match.group('room')}"


def check_room_code_pattern(pattern: str) -> None:
    """Raise ValueError unless `pattern` compiles and has the groups `building` and `room`."""
    compiled = re.compile(pattern)
    if not {"building", "room"} <= set(compiled.groupindex):
        raise ValueError("the pattern needs the named groups 'building' and 'room'")
