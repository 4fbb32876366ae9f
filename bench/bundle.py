"""Benchmark 7: the frozen bundle's size and start time (when scripts/build_bundle.sh has made one).

    .venv/bin/python -m bench.bundle [--quick]

Looks for dist/counter/counter-app (PyInstaller one-folder bundle). Without it the script says so
and exits 0 (skipped, not failed). Size: everything under dist/counter, then per component (Qt,
ICU, Python runtime, …; `components`) and the 30 largest files. `--bundle DIR` measures another
build's folder (size only; e.g. a baseline built to /tmp). Start time: the bundle's
`counter-app --self-test` on a development database made here (a full start of the core: imports,
database, keys, fonts — everything but the window), against the same command run from the source
tree with the venv's Python in the same run. Median of 5 (1 in --quick).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bench.common import ROOT, Results, median, ms, parser, scratch, timed

BUNDLE = ROOT / "dist" / "counter"


def size_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


# (component, test on the path relative to _internal); the first match wins, the rest is "other".
COMPONENTS: list[tuple[str, re.Pattern[str]]] = [
    ("ICU (libicu*)", re.compile(r"^PySide6/Qt/lib/libicu")),
    ("Qt libraries", re.compile(r"^PySide6/Qt/lib/")),
    ("Qt plugins", re.compile(r"^PySide6/Qt/plugins/")),
    ("Qt translations", re.compile(r"^PySide6/Qt/translations/")),
    ("PySide6 + shiboken bindings", re.compile(r"^(PySide6|shiboken6)/")),
    (
        "executables + Python code (PYZ: in each executable, or the one shared counter.pyz)",
        re.compile(r"^(\.\./|counter\.pyz$)"),
    ),
    (
        "Python runtime (libpython, lib-dynload, base_library.zip)",
        re.compile(r"^(libpython|python3\.\d+/|base_library\.zip$)"),
    ),
    ("cryptography", re.compile(r"^cryptography")),
    ("psycopg binary (libpq, its OpenSSL, Kerberos, LDAP)", re.compile(r"^psycopg_binary")),
    ("Pillow (PIL, pillow.libs)", re.compile(r"^(PIL|pillow\.libs)/")),
    ("CJK font", re.compile(r"^fonts/")),
    ("system libraries (top-level lib*.so*)", re.compile(r"^lib[^/]*\.so")),
]


def _files(bundle: Path) -> list[tuple[str, int]]:
    """(path relative to _internal — the executables as ../name —, bytes) of every real file."""
    internal = bundle / "_internal"
    return [(os.path.relpath(f, internal), f.stat().st_size) for f in bundle.rglob("*")
            if f.is_file() and not f.is_symlink()]  # fmt: skip


def components(bundle: Path) -> dict[str, float]:
    """MiB per component (COMPONENTS order, then "other")."""
    sizes = dict.fromkeys([name for name, _ in COMPONENTS] + ["other"], 0.0)
    for rel, size in _files(bundle):
        name = next((n for n, test in COMPONENTS if test.search(rel)), "other")
        sizes[name] += size / 2**20
    return sizes


def largest(bundle: Path, n: int = 30) -> list[tuple[str, float]]:
    return [(rel, size / 2**20) for rel, size in sorted(_files(bundle), key=lambda e: -e[1])[:n]]


def main(argv: list[str] | None = None) -> int:
    cli = parser(__doc__.splitlines()[0])
    cli.add_argument("--bundle", type=Path, default=BUNDLE, help="the one-folder bundle to measure")
    args = cli.parse_args(argv)
    bundle = args.bundle
    results = Results("frozen bundle", args)
    results.header()
    exe = bundle / ("counter-app.exe" if os.name == "nt" else "counter-app")
    if not exe.exists():
        results.note(f"SKIPPED: no bundle at {exe} (build it with scripts/build_bundle.sh)")
        return results.finish()
    results.add(f"bundle size ({bundle})", size_mib(bundle), "MiB")
    for name, mib in components(bundle).items():
        results.add(f"  {name}", mib, "MiB")
    for rel, mib in largest(bundle):
        results.note(f"{mib:7.2f} MiB  {rel}")
    if bundle != BUNDLE:
        return results.finish()
    runs = 1 if args.quick else 5
    with scratch("bundle") as tmp:
        from opstesting import make_world

        world = make_world(tmp)
        world.close()
        argv_ = ["--self-test", "--db", world.db_url, "--keystore", world.keystore]
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "HOME": str(tmp),
            "XDG_DATA_HOME": str(tmp / "d"),
        }

        def start(cmd: list[str]) -> float:
            def go() -> None:
                done = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=120)
                if done.returncode != 0:
                    results.note(
                        f"{cmd[0]} exited {done.returncode}: {done.stdout[-600:]} {done.stderr[-600:]}"
                    )

            return timed(go)

        frozen = [start([str(exe), *argv_]) for _ in range(runs)]
        source = [start([sys.executable, "-m", "counter_app.main", *argv_]) for _ in range(runs)]
    results.add("bundle: counter-app --self-test (median)", ms(median(frozen)), "ms", ms(median(source)),
                "same command from source, venv Python")  # fmt: skip
    return results.finish()


if __name__ == "__main__":
    raise SystemExit(main())
