"""The frozen bundle (PyInstaller one-folder) and the Windows installer script.

Builds dist/counter with scripts/build_bundle.sh unless a build at least as new as the sources is
there already (COUNTER_REBUILD=1 forces it), then runs the FROZEN programs offscreen:
`counter-admin init --dev`, `workstation add`, `counter-app --self-test` (development passes;
`--production` fails naming the checks). Then compiles installer/counter.nsi with the Linux bundle
as a stand-in payload.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist" / "counter"
APP, ADMIN = DIST / "counter-app", DIST / "counter-admin"
SOURCES = ("counter_app", "ui", "hardware", "db", "receipts", "installer")

pytestmark = pytest.mark.slow


def _newest_source() -> float:
    return max(
        p.stat().st_mtime
        for d in SOURCES
        for p in (ROOT / d).rglob("*")
        if p.suffix in (".py", ".spec", ".ts")
    )


@pytest.fixture(scope="module")
def bundle() -> Path:
    if shutil.which("pyinstaller", path=str(ROOT / ".venv" / "bin")) is None:
        pytest.fail("pyinstaller missing: scripts/setup.sh installs the build extra")
    fresh = APP.is_file() and ADMIN.is_file() and APP.stat().st_mtime >= _newest_source()
    if os.environ.get("COUNTER_REBUILD") == "1" or not fresh:
        done = subprocess.run([str(ROOT / "scripts" / "build_bundle.sh")], cwd=ROOT, capture_output=True,
                              text=True, timeout=600)  # fmt: skip
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert "bundle: dist/counter" in done.stdout
    return DIST


def frozen(
    program: Path, *args: str, stdin: str = "", env_extra=None, cwd=None
) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8",
           **(env_extra or {})}  # fmt: skip
    return subprocess.run([str(program), *args], input=stdin, capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=180)  # fmt: skip


def test_the_bundle_holds_what_it_needs_and_not_more(bundle):
    internal = bundle / "_internal"
    assert (internal / "fonts" / "wqy-microhei.ttc").is_file()
    assert (internal / "ui" / "i18n" / "counter_en.qm").is_file()
    assert (internal / "db" / "migrations" / "env.py").is_file()
    assert sorted(p.name for p in (internal / "db" / "migrations" / "versions").glob("0*.py"))
    qms = [p.name for p in internal.rglob("*.qm") if p.parent.name == "translations"]
    assert qms and all(n.endswith(("_zh_CN.qm", "_en.qm")) for n in qms)
    names = {p.name for p in internal.rglob("*")}
    for unused in ("libQt6Qml.so.6", "libQt6Quick.so.6", "libQt6Network.so.6", "libQt6Pdf.so.6",
                   "QtQml.abi3.so", "QtNetwork.abi3.so", "libqgtk3.so"):  # fmt: skip
        assert unused not in names
    # One shared Python archive, not a copy in each program (installer/rthook_shared_pyz.py).
    assert (internal / "counter.pyz").stat().st_size > 5_000_000
    assert all((bundle / name).stat().st_size < 2_000_000 for name in ("counter-app", "counter-admin"))
    # ICU data for root/en/zh only (installer/icu_trim.py); libraries nothing loads are gone.
    icu = list(internal.rglob("libicudata.so.*"))
    assert all(p.stat().st_size < 8 * 2**20 for p in icu)
    for unused in (
        "libgio-2.0.so.0",
        "libkrb5.so.3",
        "libjpeg.so.62",
        "libreadline.so.8",
        "libQt6OpenGL.so.6",
    ):
        assert unused not in names
    size_mib = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()) / 2**20
    assert size_mib <= 120, f"the bundle grew to {size_mib:.0f} MiB (issue 16: at most 120 MiB)"


def test_frozen_init_dev_and_self_test(bundle, tmp_path):
    db = f"sqlite:///{tmp_path / 'counter.db'}"
    common = ["--db", db, "--keystore", f"file:{tmp_path / 'keys.json'}"]
    init = frozen(ADMIN, *common, "init", "--admin", "admin", "--head", "zhao", "--dev",
                  stdin="pw-admin-123\npw-admin-123\npw-head-123\npw-head-123\n", cwd=tmp_path)  # fmt: skip
    assert init.returncode == 0, init.stdout + init.stderr
    added = frozen(ADMIN, *common, "workstation", "add", "W01", "--campus", "主校区", "--as", "admin",
                   "--approver", "zhao", stdin="pw-admin-123\npw-head-123\n", cwd=tmp_path)  # fmt: skip
    assert added.returncode == 0, added.stdout + added.stderr
    verified = frozen(
        ADMIN, *common, "audit", "verify", "--as", "admin", stdin="pw-admin-123\n", cwd=tmp_path
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr

    test = frozen(APP, *common, "--self-test", cwd=tmp_path)
    assert test.returncode == 0, test.stdout + test.stderr
    assert "✓ 数据库 / database" in test.stdout and "self-test passed" in test.stdout
    assert "wqy-microhei.ttc (bundled)" in test.stdout  # the font inside the bundle, not the system's

    production = frozen(APP, *common, "--self-test", "--production", cwd=tmp_path)
    assert production.returncode == 1
    assert "keystore" in production.stdout.splitlines()[-1]


def test_the_windows_installer_compiles_with_the_bundle_as_payload(bundle, tmp_path):
    makensis = shutil.which("makensis")
    if makensis is None:
        pytest.fail("makensis missing: scripts/setup.sh installs nsis")
    out = tmp_path / "counter-setup.exe"
    done = subprocess.run([makensis, "-V2", "-DFAST", f"-DPAYLOAD={bundle}", f"-DOUTFILE={out}", "-DVERSION=0.0.0-ci",
                           str(ROOT / "installer" / "counter.nsi")], capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert out.stat().st_size > 50_000_000 and out.read_bytes()[:2] == b"MZ"
