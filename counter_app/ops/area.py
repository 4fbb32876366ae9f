"""The base of the facade's area mixins (`…Ops` in counter_app/ops/*), which
`counter_app.session.Session` combines: what a mixin's methods use of the session, declared once
so each mixin type-checks on its own. `Session` provides both."""

from __future__ import annotations

from typing import TYPE_CHECKING

from counter_app.context import OpContext
from counter_app.ops.door import guard_public_methods

if TYPE_CHECKING:  # for the annotation only: counter_app.counter reaches the session at run time
    from counter_app.counter import Counter


class SessionArea:
    counter: Counter

    def __init_subclass__(cls, **kwargs: object) -> None:
        # Every facade method checks its arguments at the door (counter_app/ops/door.py).
        super().__init_subclass__(**kwargs)
        guard_public_methods(cls)

    @property
    def ctx(self) -> OpContext:
        """The operator's context for one operation (`Session.ctx`)."""
        raise NotImplementedError("provided by counter_app.session.Session")
