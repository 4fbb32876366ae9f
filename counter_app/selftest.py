"""`counter-app --self-test [--production]`: a readable report, one line per check, and an exit code.

Checks, in order: the database (reachable, initialised, at this program's schema); durability
(SQLite pragmas and quick_check, or PostgreSQL fsync and synchronous_commit); the keystore; the
clock against the database server; the CJK font for PDFs; the workstation and its devices; the
backup target. Nothing is changed: no migration, no backup, no Qt (runs without a display).

Each check ends `ok`, `dev` (acceptable on a development installation only: a development key file,
simulators, devices or backup target not configured, a fallback font) or `fail`. Production rules
apply with `--production` and on a production database (`init` without --dev): there a `dev`
result fails too. Exit 0 when nothing fails under the rules in force, 1 otherwise.

Where a counter's devices are configured (per PC, so per workstation): `--reader URL` /
`--printer URL`, else the environment variables COUNTER_READER_URL / COUNTER_PRINTER_URL (pyserial
URLs: COM3, /dev/ttyUSB0, socket://host:port; a PC/SC reader is pcsc://<index or reader name>).
counter-app opens the same ones.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine, func, select

from base.clock import system_clock
from base.errors import SchemaNewer, SchemaOlder, UserFacingError
from counter_app import backups, settings
from counter_app.installation import load_keys, read_installation
from counter_app.local_config import config_path, load_device_choice
from db.engine import is_postgresql, is_sqlite, make_engine, sqlite_file_of
from db.errors import translated_db_errors
from db.health import durability
from db.migrate import check_schema, current_revisions, head_revision
from db.models import Workstation
from db.session import unit_of_work
from hardware.printer import SerialPrinter
from hardware.readers import PCSC_SCHEME, open_card_reader
from receipts.pdf_fonts import resolve_cjk_font
from receipts.pdf_pages import page_pngs

OK, DEV, FAIL = "ok", "dev", "fail"


@dataclass(frozen=True)
class Check:
    name_zh: str
    name_en: str
    state: str
    detail: str

    def line(self, production: bool) -> str:
        failed = self.state == FAIL or (production and self.state == DEV)
        suffix = "（仅限开发 / development only）" if self.state == DEV else ""
        return f"{'✗' if failed else '✓'} {self.name_zh} / {self.name_en}: {self.detail}{suffix}"


@dataclass
class Found:
    """What the checks learn along the way and hand to the next ones."""

    engine: Any = None
    info: Any = None
    keys: Any = None
    db_file: str | None = None
    checks: list[Check] = field(default_factory=list)


def device_urls(
    args: argparse.Namespace, environ: Mapping[str, str] = os.environ
) -> tuple[str | None, str | None]:
    """--reader/--printer, else COUNTER_READER_URL/COUNTER_PRINTER_URL, else this PC's saved choice
    (counter_app/local_config.py, the device page's 保存)."""
    reader = getattr(args, "reader", None) or environ.get("COUNTER_READER_URL") or None
    printer = getattr(args, "printer", None) or environ.get("COUNTER_PRINTER_URL") or None
    if reader is None or printer is None:
        saved = load_device_choice(config_path(environ))
        reader, printer = reader or saved.reader_url, printer or saved.printer_url
    return reader, printer


def run_checks(args: argparse.Namespace) -> tuple[list[Check], bool]:
    """The checks and whether production rules apply."""
    found = Found()
    steps: list[Callable[[argparse.Namespace, Found], Check | None]] = [
        _database, _durability, _keystore, _clock, _fonts, _pdf_preview, _workstation, _reader, _printer,
        _backup_target,
    ]  # fmt: skip
    try:
        for step in steps:
            if found.engine is None and step not in (_database, _fonts, _pdf_preview):
                continue  # nothing more to learn without the database (fonts and previews need none)
            check = _checked(step, args, found)
            if check is not None:
                found.checks.append(check)
    finally:
        if found.engine is not None:
            found.engine.dispose()
    production = bool(args.production) or (found.info is not None and not found.info.dev)
    return found.checks, production


def _checked(
    step: Callable[[argparse.Namespace, Found], Check | None], args: argparse.Namespace, found: Found
) -> Check | None:
    """One check; a database fault met on the way (a page found damaged by quick_check's read, a
    disk that fills) is that check's plain failure with its code, never a traceback."""
    try:
        with translated_db_errors(url=found.engine.url if found.engine is not None else None,
                                  path=sqlite_file_of(found.engine) if found.engine is not None else None):  # fmt: skip
            return step(args, found)
    except UserFacingError as exc:
        name = step.__name__.lstrip("_").replace("_", " ")
        return Check(name, name, FAIL, _say(exc))


def main(args: argparse.Namespace) -> int:
    out = _output()
    if not logging.getLogger().handlers:  # the report says it all; no stray log lines on stderr
        logging.getLogger().addHandler(logging.NullHandler())
    checks, production = run_checks(args)
    mode = "生产 / production" if production else "开发 / development"
    print(f"售电收费工作站自检 / counter self-test — 规则 / rules: {mode}", file=out)
    for check in checks:
        print(check.line(production), file=out)
    failed = [c for c in checks if c.state == FAIL or (production and c.state == DEV)]
    if failed:
        names = ", ".join(c.name_en for c in failed)
        print(f"✗ 自检未通过 / self-test FAILED: {names}", file=out)
    else:
        print("✓ 自检通过 / self-test passed", file=out)
    out.flush()
    return 1 if failed else 0


def _output() -> TextIO:
    """stdout that never dies on ✓ (a GBK console or file); on a windowed Windows build (no
    stdout) the console of the cmd.exe that started us."""
    out = sys.stdout
    if out is None and sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        if ctypes.windll.kernel32.AttachConsole(-1):
            out = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    if out is None:
        return open(os.devnull, "w")  # noqa: SIM115 — the exit code still tells
    reconfigure = getattr(out, "reconfigure", None)  # a TextIOWrapper's; not every stream has it
    try:
        if reconfigure is not None:
            reconfigure(errors="replace")
    except (AttributeError, ValueError):
        pass
    return out


def _say(exc: BaseException) -> str:
    message = getattr(exc, "message", None)
    if message is not None:
        return f"{getattr(exc, 'code', '')} {message} / {getattr(exc, 'message_en', '')}"
    return f"{type(exc).__name__}: {exc}"


# --- the checks -----------------------------------------------------------------------------------


def _database(args: argparse.Namespace, found: Found) -> Check:
    name = ("数据库", "database")
    try:
        engine = make_engine(args.db)
    except UserFacingError as exc:
        return Check(*name, FAIL, _say(exc))
    found.engine = engine
    where = _where(engine)
    try:
        with translated_db_errors(url=engine.url, path=sqlite_file_of(engine)):
            check_schema(engine)
            with unit_of_work(engine, read_only=True) as s:
                found.info = read_installation(s)
    except (SchemaOlder, SchemaNewer) as exc:
        found.engine = None
        engine.dispose()
        have = ", ".join(current_revisions(engine)) or "—"
        return Check(*name, FAIL, f"{where} 版本 {have}，程序 {head_revision()}：{_say(exc)}")
    except UserFacingError as exc:
        found.engine = None
        engine.dispose()
        return Check(*name, FAIL, f"{where}: {_say(exc)}")
    found.db_file = sqlite_file_of(engine)
    kind = "开发数据库 / development database" if found.info.dev else "生产数据库 / production database"
    return Check(*name, OK, f"{where}，版本 / schema {head_revision()}，{kind}")


def _where(engine: Engine) -> str:
    url = engine.url
    if is_sqlite(engine):
        return f"SQLite {url.database}"
    return f"PostgreSQL {url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def _durability(args: argparse.Namespace, found: Found) -> Check:
    name = ("持久写入", "durability")
    good, text = durability(found.engine)
    return Check(*name, OK if good else FAIL, text)


def _keystore(args: argparse.Namespace, found: Found) -> Check:
    name = ("密钥", "keystore")
    try:
        keys, info, store = load_keys(found.engine, args.keystore)
    except UserFacingError as exc:
        return Check(*name, FAIL, _say(exc))
    found.keys = keys
    if store.is_development:
        return Check(*name, DEV, f"{store.description} (development key file)")
    return Check(*name, OK, f"{store.description}，4 个密钥与指纹一致 / 4 keys match their fingerprints")


def _clock(args: argparse.Namespace, found: Found) -> Check:
    name = ("时钟", "clock")
    if not is_postgresql(found.engine):
        return Check(*name, OK, "本机数据库，与本机时钟一致 / local database, same clock")
    with unit_of_work(found.engine, read_only=True) as s:
        server = s.execute(select(func.now())).scalar_one()
        limit = settings.get_setting(s, "clock_skew_max_s")
    skew = abs(system_clock() - server)
    text = f"与服务器相差 / {skew.total_seconds():.1f} s apart (限 / limit {limit} s)"
    return Check(*name, OK if skew <= timedelta(seconds=limit) else FAIL, text)


def _fonts(args: argparse.Namespace, found: Found) -> Check:
    name = ("中文字体", "CJK font")
    font = resolve_cjk_font()
    if font.warning:
        return Check(*name, DEV, f"{font.source}: {font.warning}")
    return Check(*name, OK, f"{font.path} ({font.source})")


def _pdf_preview(args: argparse.Namespace, found: Found) -> Check:
    """The sheet viewer and the low-balance PNG render PDFs in-process (PDFium): a bundle that lost
    its binary would only show on the first sheet to sign, so the self-test renders one page."""
    name = ("PDF 预览", "PDF preview")
    try:
        png = page_pngs(_ONE_PAGE_PDF, dpi=30)[0]
    except Exception as exc:  # noqa: BLE001 — any failure here is the check's plain answer
        return Check(*name, FAIL, f"{type(exc).__name__}: {exc}")
    return Check(*name, OK, f"PDFium ({len(png)} B PNG)")


# A minimal one-page PDF (a blank 72×72 pt page) without an xref table: PDFium rebuilds it, as
# it does for any damaged file; the check is that the renderer loads and draws, not the file.
_ONE_PAGE_PDF = (
    b"%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _workstation(args: argparse.Namespace, found: Found) -> Check:
    name = ("窗口", "workstation")
    with unit_of_work(found.engine, read_only=True) as s:
        row = s.execute(select(Workstation).where(Workstation.code == args.workstation)).scalar_one_or_none()
        if row is None:
            return Check(
                *name, FAIL, f"{args.workstation} 未登记 / not registered (counter-admin workstation add)"
            )
        if row.simulated:
            return Check(*name, DEV, f"{args.workstation} 使用模拟设备 / uses simulators")
    return Check(*name, OK, f"{args.workstation}")


def _reader(args: argparse.Namespace, found: Found) -> Check:
    name = ("读卡器", "card reader")
    url, _ = device_urls(args)
    if not url:
        return Check(*name, DEV, "未配置（设备页、--reader 或 COUNTER_READER_URL） / not configured")
    reader = open_card_reader(url, timeout=1.0, read_retries=1)
    try:
        version = reader.version()
        reader.status()
    except Exception as exc:  # a port that does not open or a device that does not answer
        return Check(*name, FAIL, f"{url}: {_say(exc)}")
    finally:
        reader.close()
    if version.startswith("SIM"):
        return Check(*name, DEV, f"{url}: 模拟器 / simulator {version}")
    return Check(*name, OK, f"{url}: {version}（{reader_transport(url)}）")


def reader_transport(url: str) -> str:
    """How the counter reaches the reader, in the words of docs/hardware.md's readers table (the
    PC/SC family is in the driver's own version text: "ACS ACR39U … (ACS commands)")."""
    if url.startswith(PCSC_SCHEME):
        return "PC/SC"
    if url.startswith(("socket://127.0.0.1", "socket://localhost")):
        return "读卡主机 / card host"
    return "串口参考协议 / serial reference protocol"


def _printer(args: argparse.Namespace, found: Found) -> Check:
    name = ("打印机", "printer")
    _, url = device_urls(args)
    if not url:
        return Check(*name, DEV, "未配置（设备页、--printer 或 COUNTER_PRINTER_URL） / not configured")
    printer = SerialPrinter(url, timeout=1.0)
    try:
        version = printer.version()
        status = printer.status()
    except Exception as exc:
        return Check(*name, FAIL, f"{url}: {_say(exc)}")
    finally:
        printer.close()
    if not status.known:
        return Check(*name, FAIL, f"{url}: 无应答 / no answer")
    if version and version.startswith("SIM"):
        return Check(*name, DEV, f"{url}: 模拟器 / simulator {version}")
    state = "就绪 / ready" if status.ready else f"未就绪 / not ready ({status})"
    return Check(*name, OK if status.ready else FAIL, f"{url}: {version or '?'}，{state}")


def _backup_target(args: argparse.Namespace, found: Found) -> Check:
    name = ("备份", "backup target")
    with unit_of_work(found.engine, read_only=True) as s:
        target = settings.get_setting(s, "backup.target_dir")
    if not target:
        if not is_sqlite(found.engine):
            return Check(*name, DEV, "未设置 backup.target_dir；服务器由 pg_dump 例程备份 / not set "
                         "(the server itself is backed up by the pg_dump routine)")  # fmt: skip
        return Check(*name, DEV, "未设置 backup.target_dir / not set")
    folder = Path(target)
    if not folder.is_dir():
        return Check(*name, FAIL, f"{target} 不存在或未连接 / missing or not mounted")
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".selftest-"):
            pass
    except OSError as exc:
        return Check(*name, FAIL, f"{target} 不可写 / not writable: {exc}")
    if found.db_file and backups.same_disk(folder, Path(found.db_file)):
        return Check(*name, FAIL, f"{target} 与数据库在同一磁盘 / on the database's own disk")
    status = None
    if found.keys is not None:
        status = backups.backup_status(
            backups.Backend(found.engine, found.keys, system_clock, args.workstation)
        )
    last = (
        "从未 / never" if status is None or status.last_good_at is None else status.last_good_at.isoformat()
    )
    return Check(*name, OK, f"{target}，上次备份 / last backup: {last}")
