"""Fixtures of tests/ship: a backup target on another disk than the database."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from counter_app import backups


@pytest.fixture
def usb(tmp_path, monkeypatch) -> Path:
    """A folder standing for a USB drive: on /dev/shm when that is another file system than
    tmp_path (the usual case); otherwise a folder under tmp_path with `same_disk` told apart by
    path, so the refusal of the database's own disk is still tested where it matters."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shm.stat().st_dev != tmp_path.stat().st_dev:
        folder = Path(tempfile.mkdtemp(prefix="counter-usb-", dir=shm))
        yield folder
        shutil.rmtree(folder, ignore_errors=True)
        return
    folder = tmp_path / "usb"
    folder.mkdir()
    real = backups.same_disk
    monkeypatch.setattr(backups, "same_disk", lambda f, db: real(f, db) and usb_path_differs(f, folder))
    yield folder


def usb_path_differs(folder: Path, usb: Path) -> bool:
    return Path(folder).resolve() != usb.resolve()
