"""The public name of the error family (../shared/API.md: `counter_app.errors.UserFacingError`).

The family lives in the base layer (`base/errors.py`) so that hardware/, db/ and receipts/ can
raise it without importing the core; this module re-exports it under the contract's name. Code in
this repository imports `base.errors`.
"""

from base.errors import *  # noqa: F403
from base.errors import _TABLE, ALL_CODES, UserFacingError

__all__ = ["ALL_CODES", "UserFacingError", *(name for name, *_ in _TABLE)]
