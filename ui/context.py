"""What every page of one logged-in workstation shares: the counter, the session, the approval type.

A plain object handed to pages (no globals, no `QApplication.instance()` lookups). The session is
replaced when the same operator unlocks the lock screen; pages read `ctx.session` at call time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ui.facade import (
    Counter,
    WorkstationSession,
    is_simulated,
    session_display_name,
    session_name,
    session_role,
    session_roles,
)


def default_approval_factory() -> Callable[..., Any]:
    """`counter_app.api.Approval`: a second person's credentials, checked when the facade uses them."""
    # Imported when first asked for (a login is needed first), not with this module: the main window's
    # modules load as the counter opens, before the facade's session and operations (issue 16;
    # counter_app/main.py `warm_up`).
    from counter_app.api import Approval

    return Approval


@dataclass
class Workstation:
    counter: Counter
    session: WorkstationSession
    approval_factory: Callable[..., Any] | None = None
    idle_lock_minutes: int = 5
    restricted: bool = False  # a supervisor unlocked the lock screen: shift close/hand-over only
    # THE lock state of this login. It lives here, on the object the WorkstationApp keeps for the
    # whole login, not on a window: a window rebuilt (language switch) starts locked when this is
    # set, and only the lock screen's password check clears it (MainWindow.unlock*).
    locked: bool = False
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def operator(self) -> str:
        """The login id: for comparisons (lock screen, maker ≠ checker), never for display."""
        return session_name(self.session)

    @property
    def operator_name(self) -> str:
        """What people read (张敏); `operator` is the login id (zhang)."""
        return session_display_name(self.session)

    @property
    def role(self) -> str:
        return session_role(self.session)

    @property
    def roles(self) -> frozenset[str]:
        return session_roles(self.session)

    @property
    def simulated(self) -> bool:
        return is_simulated(self.counter)

    def approval(self, name: str, password: str) -> Any:
        factory = self.approval_factory or default_approval_factory()
        return factory(name=name, password=password)
