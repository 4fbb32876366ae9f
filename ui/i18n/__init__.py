"""Languages: Chinese (the source language, default) and English.

UI strings are written in Chinese in the source via `QCoreApplication.translate("Context", "中文")`;
`ui/i18n/counter_en.ts` holds the English, compiled into counter_en.qm (generated, not committed;
.gitignore). scripts/setup.sh builds it (scripts/build_translations.sh) and the bundle ships it
(installer/counter.spec). A source checkout whose .qm is missing or older than the .ts compiles it
on first use with the lrelease that comes with PySide6 (`ensure_compiled`); when that is impossible
the app stays Chinese and says so on screen (`missing_text`, shown by the window), not only in the log.

Qt's own `qtbase_zh_CN.qm` is always loaded for Chinese so standard buttons read 确定/取消.
QTranslators are kept referenced here: a collected translator silently stops translating.
The chosen language is a workstation preference (QSettings), not a counter setting.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
HERE = Path(__file__).resolve().parent
_installed: list[QTranslator] = []
_current = "zh_CN"


def current_language() -> str:
    return _current


def saved_language() -> str:
    value = QSettings("counter", "workstation").value("language", "zh_CN")
    return value if value in LANGUAGES else "zh_CN"


def save_language(lang: str) -> None:
    QSettings("counter", "workstation").setValue("language", lang)


def qm_path() -> Path:
    return HERE / "counter_en.qm"


def _lrelease() -> Path | None:
    """The lrelease binary shipped in the PySide6(-Essentials) wheel, if this is such an install."""
    try:
        import PySide6
    except ImportError:  # pragma: no cover — Qt is imported above
        return None
    folder = Path(PySide6.__file__).resolve().parent
    for name in ("lrelease", "lrelease.exe"):
        if (folder / name).is_file():
            return folder / name
    return None


def ensure_compiled() -> bool:
    """The English .qm exists and is not older than the .ts: compile it if needed (source checkouts;
    a frozen bundle carries its .qm and has no lrelease). True when a usable .qm is there."""
    qm, ts = qm_path(), HERE / "counter_en.ts"
    stale = not qm.is_file() or (ts.is_file() and ts.stat().st_mtime > qm.stat().st_mtime)
    if not stale:
        return True
    lrelease = None if getattr(sys, "frozen", False) else _lrelease()
    if lrelease is not None and ts.is_file():
        try:
            subprocess.run(
                [str(lrelease), str(ts), "-qm", str(qm)], check=True, capture_output=True, timeout=60
            )
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("could not compile %s: %s", ts, exc)
    return qm.is_file()


def missing_text() -> str:
    """Said on screen when English was asked for and cannot be loaded: in both languages, since the
    English texts are what is missing."""
    return (
        f"英文界面文件缺失（{qm_path().name}），界面保持中文。请管理员运行 scripts/build_translations.sh"
        "（或重新运行 scripts/setup.sh / 重新安装）。\n"
        f"The English translation ({qm_path().name}) is missing, so the screens stay in Chinese. "
        "Ask the administrator to run scripts/build_translations.sh (or scripts/setup.sh, or reinstall)."
    )


def available(lang: str) -> bool:
    """Whether `lang` can be installed now (English needs its .qm; it is compiled when possible)."""
    return lang != "en" or ensure_compiled()


def install(app: QCoreApplication, lang: str) -> str:
    """Install the translators for `lang`; returns the language actually in effect."""
    global _current
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if lang == "en":
        ours = QTranslator()
        if ensure_compiled() and ours.load(str(qm_path())):
            _keep(app, ours)
            _current = "en"
        else:
            log.warning(
                "counter_en.qm missing or unreadable (run scripts/build_translations.sh); staying Chinese"
            )
            lang = "zh_CN"
    if lang == "zh_CN":
        qt = QTranslator()
        if qt.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", qt_dir):
            _keep(app, qt)
        _current = "zh_CN"
    return _current


def _keep(app: QCoreApplication, translator: QTranslator) -> None:
    app.installTranslator(translator)
    _installed.append(translator)
