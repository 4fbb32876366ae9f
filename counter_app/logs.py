"""Logging, and the "internal error, see log N" rule.

Errors a person can act on are `UserFacingError`s and are shown as they are. Anything else is a bug:
it is logged here with a short id, and the person sees only "内部错误，请查看日志 <id>" — enough for
the IT staff to find the traceback, nothing that leaks internals to the customer at the counter.
"""

from __future__ import annotations

import logging
import logging.handlers
import secrets
from dataclasses import dataclass
from pathlib import Path

from base.errors import UserFacingError

log = logging.getLogger("counter")


@dataclass(frozen=True)
class ShownError:
    """What a person is shown for any exception: a code, Chinese and English text."""

    code: str
    message: str
    message_en: str
    log_id: str | None = None


def setup_logging(log_dir: Path | None, level: int = logging.INFO) -> None:
    """Rotating file log (10 × 5 MB) in `log_dir`, plus stderr for warnings."""
    root = logging.getLogger()
    root.setLevel(level)
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_dir / "counter.log", maxBytes=5_000_000, backupCount=10, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    root.addHandler(console)


def new_log_id() -> str:
    return secrets.token_hex(3).upper()


def explain(exc: BaseException) -> ShownError:
    """The text a person sees for `exc`; internal errors are logged with a fresh id."""
    if isinstance(exc, UserFacingError):
        return ShownError(exc.code, exc.message, exc.message_en)
    log_id = new_log_id()
    log.error("internal error %s", log_id, exc_info=(type(exc), exc, exc.__traceback__))
    return ShownError(
        "INTERNAL",
        f"内部错误，请查看日志 {log_id}",
        f"Internal error, see log {log_id}",
        log_id,
    )
