"""Issue 12 §6: a broken database is a coded error at every door — the app's start (`open_counter`),
`counter-admin` (a few lines and exit 1, never a traceback) and `--self-test` — and a missing path is
never created (only `counter-admin init` creates the file).

    breakage                        code
    header overwritten              DB_CORRUPT   (SQLITE_NOTADB)
    file of zeros                   DB_CORRUPT   (SQLITE_NOTADB)
    truncated to half               DB_CORRUPT   (SQLITE_CORRUPT)
    random bytes in every page      DB_CORRUPT   (SQLITE_CORRUPT)
    random bytes in the schema page DB_CORRUPT   (SQLITE_CORRUPT)
    missing file                    DB_NOT_FOUND (not created)
    read-only folder                DB_READ_ONLY (tmpfs remounted read-only; root only)
    full disk                       DISK_FULL    (tmpfs filled; SQLITE_IOERR_SHMSIZE; root only)
"""

from __future__ import annotations

import io
import os
import random
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from opstesting import CHEAP, PASSWORD, make_world
from sqlalchemy import text

from base.errors import UserFacingError
from counter_app import selftest
from counter_app.admin.cli import EXIT_USER
from counter_app.admin.cli import main as admin_main
from counter_app.counter import open_counter
from counter_app.main import parse_args
from db.engine import make_engine, sqlite_url_for
from db.session import unit_of_work


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """An initialised database file (WAL checkpointed into it) and its development key file."""
    folder = tmp_path_factory.mktemp("healthy")
    world = make_world(folder)
    world.close()
    assert not Path(f"{folder / 'counter.db'}-wal").exists()
    return folder / "counter.db", world.keystore


def _header(path: Path) -> None:
    with open(path, "r+b") as f:
        f.write(b"not a database!!")


def _zeros(path: Path) -> None:
    path.write_bytes(b"\0" * path.stat().st_size)


def _truncated(path: Path) -> None:
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)


def _random_pages(path: Path) -> None:
    noise = random.Random(1)
    size = path.stat().st_size
    with open(path, "r+b") as f:
        for offset in range(4096, size, 4096):
            f.seek(offset + 100)
            f.write(noise.randbytes(200))


def _schema_page(path: Path) -> None:
    with open(path, "r+b") as f:
        f.seek(100)
        f.write(random.Random(2).randbytes(3000))


def _missing(path: Path) -> None:
    path.unlink()


BREAKAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "header": (_header, "DB_CORRUPT"),
    "zeros": (_zeros, "DB_CORRUPT"),
    "truncated": (_truncated, "DB_CORRUPT"),
    "random_pages": (_random_pages, "DB_CORRUPT"),
    "schema_page": (_schema_page, "DB_CORRUPT"),
    "missing": (_missing, "DB_NOT_FOUND"),
}


def _broken_copy(healthy: tuple[Path, str], folder: Path, breakage: str) -> Path:
    path = folder / "counter.db"
    shutil.copy(healthy[0], path)
    BREAKAGES[breakage][0](path)
    return path


def _assert_every_door_says(path: Path, keystore: str, code: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = sqlite_url_for(path)
    existed = path.exists()
    # the app's start
    with pytest.raises(UserFacingError) as raised:
        open_counter(url, workstation="W01", keystore=keystore, hasher=CHEAP)
    assert raised.value.code == code
    assert str(path) in raised.value.message
    # counter-admin: the coded message in a few lines, exit 1
    capsys.readouterr()
    out, err = io.StringIO(), io.StringIO()
    exit_code = admin_main(["--db", url, "--keystore", keystore, "audit", "verify", "--as", "admin"],
                           stdin=io.StringIO(f"{PASSWORD}\n"), stdout=out, stderr=err, environ={},
                           hasher=CHEAP)  # fmt: skip
    stray = capsys.readouterr()
    assert exit_code == EXIT_USER, err.getvalue()
    assert f"[{code}]" in err.getvalue() or code in err.getvalue()
    assert "Traceback" not in err.getvalue() + stray.err + stray.out
    assert len((err.getvalue() + stray.err).strip().splitlines()) <= 4
    # the self-test: the database line names the code
    assert selftest.main(parse_args(["--self-test", "--db", url, "--keystore", keystore])) == 1
    report = capsys.readouterr().out
    database_line = next(line for line in report.splitlines() if "数据库 / database" in line)
    assert database_line.startswith("✗") and code in database_line, report
    assert path.exists() == existed  # nothing created, whatever the door


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_broken_database_is_a_coded_error_at_every_door(
    healthy: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], breakage: str
) -> None:
    path = _broken_copy(healthy, tmp_path, breakage)
    _assert_every_door_says(path, healthy[1], BREAKAGES[breakage][1], capsys)


def test_a_missing_path_in_a_missing_folder_creates_neither(healthy: tuple[Path, str], tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    path = tmp_path / "not-yet" / "counter.db"
    _assert_every_door_says(path, healthy[1], "DB_NOT_FOUND", capsys)
    assert not path.parent.exists()


def test_only_init_creates_the_file(tmp_path: Path) -> None:
    path = tmp_path / "new" / "counter.db"
    keystore = f"file:{tmp_path / 'keys.json'}"
    code = admin_main(["--db", sqlite_url_for(path), "--keystore", keystore, "init", "--admin", "admin",
                       "--head", "zhao", "--dev"], stdin=io.StringIO(f"{PASSWORD}\n" * 4),
                      stdout=io.StringIO(), stderr=io.StringIO(), environ={}, hasher=CHEAP)  # fmt: skip
    assert code == 0 and path.is_file()
    make_engine(sqlite_url_for(path)).dispose()  # and then it opens without `create`


def test_a_file_deleted_under_an_open_engine_is_not_recreated(healthy: tuple[Path, str], tmp_path: Path) -> None:
    """Every connection opens the file with mode=rw: SQLite itself refuses to create it."""
    path = tmp_path / "counter.db"
    shutil.copy(healthy[0], path)
    engine = make_engine(sqlite_url_for(path))
    engine.dispose()
    path.unlink()
    with pytest.raises(UserFacingError) as raised, unit_of_work(engine, read_only=True) as s:
        s.execute(text("SELECT 1"))
    assert raised.value.code == "DB_NOT_FOUND" and str(path) in raised.value.message
    assert not path.exists()
    engine.dispose()


# --- a read-only folder and a full disk (a tmpfs: root only) -----------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)],
                          capture_output=True, check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_read_only_folder_is_db_read_only_at_every_door(
    healthy: tuple[Path, str], small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = small_disk / "counter.db"
    shutil.copy(healthy[0], path)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    _assert_every_door_says(path, healthy[1], "DB_READ_ONLY", capsys)


def test_a_full_disk_is_disk_full_at_every_door(
    healthy: tuple[Path, str], small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = small_disk / "counter.db"
    shutil.copy(healthy[0], path)
    fd = os.open(small_disk / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        while True:
            os.write(fd, b"\0" * 512)
    except OSError:
        pass
    finally:
        os.close(fd)
    _assert_every_door_says(path, healthy[1], "DISK_FULL", capsys)
