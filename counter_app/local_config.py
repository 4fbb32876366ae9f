"""This PC's own settings: which card reader and printer the counter here uses. Kept in a small JSON
file on this PC (`config_path`), never in the shared database: every counter PC has its own devices
on its own ports.

Precedence (counter_app/main.py, counter_app/selftest.py): `--reader`/`--printer`, then
COUNTER_READER_URL / COUNTER_PRINTER_URL, then this file. The file is written 0600: it names the
ports through which cards are written.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

FILE_NAME = "devices.json"


@dataclass(frozen=True)
class DeviceChoice:
    reader_url: str | None = None
    printer_url: str | None = None


def config_path(environ: Mapping[str, str] = os.environ) -> Path:
    """COUNTER_LOCAL_CONFIG, else the machine's data folder when it is writable (Windows:
    %ProgramData%\\counter, made writable by the installer, so every Windows user of the PC shares the
    choice), else this user's config folder."""
    if environ.get("COUNTER_LOCAL_CONFIG"):
        return Path(environ["COUNTER_LOCAL_CONFIG"])
    machine = Path(platformdirs.site_data_dir("counter", appauthor=False))
    if machine.is_dir() and os.access(machine, os.W_OK):
        return machine / FILE_NAME
    return Path(platformdirs.user_config_dir("counter", appauthor=False)) / FILE_NAME


def load_device_choice(path: Path | None = None) -> DeviceChoice:
    """The saved choice; an absent or unreadable file is "nothing chosen" (logged), so a damaged
    file never keeps the counter from starting."""
    path = path or config_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return DeviceChoice()
    except (OSError, ValueError) as exc:
        log.warning("ignoring the device choice in %s: %s", path, exc)
        return DeviceChoice()
    if not isinstance(data, dict):
        return DeviceChoice()
    return DeviceChoice(_text(data.get("reader_url")), _text(data.get("printer_url")))


def save_device_choice(choice: DeviceChoice, path: Path | None = None) -> Path:
    """Write the choice atomically (temporary file, then replace), readable by this user only."""
    path = path or config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"reader_url": choice.reader_url, "printer_url": choice.printer_url},
                      ensure_ascii=False, indent=2)  # fmt: skip
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(body)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(temporary, 0o600)  # O_CREAT's mode does not apply to a file left by an earlier try
    os.replace(temporary, path)
    return path


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
