"""Languages: Chinese (the source language, default) and English.

UI strings are written in Chinese in the source via `QCoreApplication.translate("Context", "中文")`;
`ui/i18n/counter_en.ts` holds the English, compiled by scripts/build_translations.sh into
counter_en.qm (generated, not committed). Without the .qm the app simply stays Chinese.

Qt's own `qtbase_zh_CN.qm` is always loaded for Chinese so standard buttons read 确定/取消.
QTranslators are kept referenced here: a collected translator silently stops translating.
The chosen language is a workstation preference (QSettings), not a counter setting.
"""

from __future__ import annotations

import logging
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


def install(app: QCoreApplication, lang: str) -> str:
    """Install the translators for `lang`; returns the language actually in effect."""
    global _current
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if lang == "en":
        ours = QTranslator()
        if ours.load(str(HERE / "counter_en.qm")):
            _keep(app, ours)
            _current = "en"
        else:
            log.warning("counter_en.qm missing (run scripts/build_translations.sh); staying Chinese")
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
