"""The check at every facade door (issue 12 §6): whatever the UI, the CLI or a script hands a
`Session` method is refused with INPUT_INVALID before it reaches a service when it cannot be money
or text.

`SessionArea.__init_subclass__` wraps every public method of every `…Ops` mixin (and of `Session`)
with `guard_door`, so a new facade method is covered without anyone remembering to:

- any text argument: no NUL or other control character except tab and line breaks (a reason typed
  in a multi-line box keeps its lines), no lone surrogate (it cannot be encoded: the database,
  the log and the printer crash on it), at most DOOR_TEXT_MAX characters;
- any argument named `…_fen` or `…_ckwh`: an int (never bool or float), at most AMOUNT_MAX_FEN in
  size (base.validation says why).

These are the floor every argument must clear; each operation then applies its own tighter rule
(a holder's name has no line breaks and at most 100 characters, the tendered amount is bounded by
the amount due, a float by FLOAT_MAX_FEN…).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar, cast

from base.errors import InputInvalid, UserFacingError
from base.money import format_kwh, format_yuan
from base.validation import AMOUNT_MAX_FEN, checked_fen, text_problem
from counter_app.auditor import refuse_unless_readable

# Longer than any reason, name or QR text the counter reads; a longer argument is a paste accident.
DOOR_TEXT_MAX = 4_000
_LINE_BREAKS = str.maketrans({"\t": " ", "\n": " ", "\r": " "})

_F = TypeVar("_F", bound=Callable[..., Any])


def check_door_argument(name: str, value: Any) -> None:
    """INPUT_INVALID naming `name` when `value` may not pass a facade door (see the module doc)."""
    if value is not None and (name.endswith("_fen") or name.endswith("_ckwh")):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > AMOUNT_MAX_FEN:
            raise _out_of_range(name)  # said in yuan or kWh: a person typed it (the sale page, as typed)
        checked_fen(value, field=name, label=name, minimum=-AMOUNT_MAX_FEN, maximum=AMOUNT_MAX_FEN)
    elif isinstance(value, str):
        problem = text_problem(value.translate(_LINE_BREAKS), DOOR_TEXT_MAX)
        if problem is not None:
            raise InputInvalid(f"{name} {problem[0]}", detail_en=f"{name} {problem[1]}", field=name)


def _out_of_range(name: str) -> UserFacingError:
    if name.endswith("_fen"):
        zh, en = f"金额超出上限 {format_yuan(AMOUNT_MAX_FEN)} 元", f"amount above {format_yuan(AMOUNT_MAX_FEN)} yuan"
    else:
        zh, en = f"电量超出上限 {format_kwh(AMOUNT_MAX_FEN)} kWh", f"energy above {format_kwh(AMOUNT_MAX_FEN)} kWh"
    return InputInvalid(zh, detail_en=en, field=name, data={"maximum": AMOUNT_MAX_FEN})


def guard_door(method: _F) -> _F:
    """`method` with every argument checked by `check_door_argument` first."""
    signature = inspect.signature(method)

    @functools.wraps(method)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if args:  # an auditor's session reads only (counter_app/auditor.py), whatever the arguments
            refuse_unless_readable(args[0], method.__name__)
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return method(*args, **kwargs)  # let Python name the wrong call as it always does
        for name, value in list(bound.arguments.items())[1:]:  # [0] is self
            check_door_argument(name, value)
        try:
            result = method(*args, **kwargs)
        except BaseException:
            _mark_saved_quietly(args[0])
            raise
        _mark_saved(args[0])
        return result

    guarded.door_guarded = True  # type: ignore[attr-defined]  # the marker tests read
    return cast(_F, guarded)


def _mark_saved(area: Any) -> None:
    """No call returns before the high-water mark of what it committed is on disk (it is written
    on its own thread, alongside the printing: base/latest_writer.py `LatestWriter`)."""
    high_water = getattr(getattr(area, "counter", None), "high_water", None)
    if high_water is not None:
        high_water.saved()


def _mark_saved_quietly(area: Any) -> None:
    """The same on the way out of a refusal, whose own error is the one the caller must see."""
    try:
        _mark_saved(area)
    except Exception:  # noqa: BLE001 - logged by the writer; the refusal goes on
        pass


def guard_public_methods(cls: type) -> None:
    """Wrap the public functions `cls` itself defines (properties and inherited ones are left:
    the class that defines them wraps them)."""
    for name, member in list(vars(cls).items()):
        if name.startswith("_") or not inspect.isfunction(member) or getattr(member, "door_guarded", False):
            continue
        setattr(cls, name, guard_door(member))
