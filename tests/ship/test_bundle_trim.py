"""The bundle's trimming helpers (installer/icu_trim.py, installer/unused_libs.py), without a build.

The trimmed ICU library is checked the way the frozen app uses it: Qt loads it in place of PySide6's
own (LD_PRELOAD, same soname) and still sorts Chinese names by pinyin and names the time zone.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "installer" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


icu_trim = _load("icu_trim")
unused_libs = _load("unused_libs")


def _pyside_icu() -> Path:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not found or shutil.which("ld") is None:
        pytest.skip("no ICU in this PySide6 (Windows/macOS wheel) or no binutils")
    return found[0]


def test_which_icu_items_stay():
    keep = ["icudt73l/coll/zh.res", "icudt73l/coll/ucadata.icu", "icudt73l/zh_Hans_CN.res", "icudt73l/root.res",
            "icudt73l/res_index.res", "icudt73l/zone/en.res", "icudt73l/pool.res", "icudt73l/cnvalias.icu",
            "icudt73l/gb18030.cnv", "icudt73l/brkitr/line.brk", "icudt73l/supplementalData.res"]  # fmt: skip
    drop = ["icudt73l/coll/ja.res", "icudt73l/de.res", "icudt73l/zone/fr_CA.res", "icudt73l/brkitr/cjdict.dict",
            "icudt73l/translit/root.res", "icudt73l/ibm-1390_P110-2003.cnv", "icudt73l/unames.icu"]  # fmt: skip
    assert [n for n in keep if not icu_trim.wanted(n)] == []
    assert [n for n in drop if icu_trim.wanted(n)] == []


def test_the_package_reads_and_writes_back_byte_for_byte():
    blob = icu_trim._data_of(_pyside_icu())
    header, items = icu_trim.read_package(blob)
    assert len(items) > 1000
    assert icu_trim.write_package(header, items) == blob


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF only")
def test_qt_sorts_and_names_with_the_trimmed_library(tmp_path):
    library = icu_trim.trimmed_library(_pyside_icu(), tmp_path)
    assert library is not None and library.stat().st_size < 8 * 2**20
    script = (
        "import functools\n"
        "from PySide6.QtCore import QCollator, QLocale, QTimeZone, QDateTime, QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "c = QCollator(QLocale('zh_CN'))\n"
        "print(','.join(sorted(['张三', '李四', '阿明', '赵六'], key=functools.cmp_to_key(c.compare))))\n"
        "print(QTimeZone(b'Asia/Shanghai').displayName(QDateTime.currentDateTime(), QTimeZone.LongName,"
        " QLocale('zh_CN')))\n"
        "print([l.split()[-1] for l in open('/proc/self/maps') if 'icudata' in l][0])\n"
    )
    env = {**os.environ, "LD_PRELOAD": str(library), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    order, zone, loaded = done.stdout.splitlines()
    assert order == "阿明,李四,张三,赵六"  # pinyin: a, li, zhang, zhao
    assert zone == "中国标准时间"
    assert loaded == str(library)


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("readelf") is None, reason="ELF only"
)
def test_a_library_nothing_needs_is_reported():
    python_ext = next(Path(sys.base_prefix).glob("lib/python3*/lib-dynload/_ssl*.so"), None)
    if python_ext is None:
        pytest.skip("no _ssl extension module")
    needed = set(unused_libs.needed_by(str(python_ext)))
    libssl = next(name for name in needed if name.startswith("libssl"))
    binaries = [
        ("python3/lib-dynload/_ssl.so", str(python_ext), "EXTENSION"),
        (libssl, "/nonexistent/" + libssl, "BINARY"),
        ("libnobodyneeds.so.1", "/nonexistent/libnobodyneeds.so.1", "BINARY"),
    ]
    assert unused_libs.unreached(binaries) == {"libnobodyneeds.so.1"}
