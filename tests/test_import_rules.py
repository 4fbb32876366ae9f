"""The layering rules of docs/architecture.md, checked on the source text of every module.

The layers, lowest first: `base` (imports nothing of ours) <- `hardware`, `db`, `receipts` (each
imports only `base`, never each other) <- `counter_app`, the core <- `ui`.

- Only `ui/` and the composition root `counter_app/main.py` import Qt (PySide6) or `ui`.
- `hardware` imports neither `ui`, `db` nor the core.
- `receipts` imports neither `ui`, `db`, `hardware` nor the core: it builds bytes and documents from
  plain data.
- `db` imports no `ui`, `hardware`, `receipts` or the core.

An AST walk rather than grep so that imports inside functions and `from x import y` forms count too.
(`lint-imports` runs the same contracts from pyproject.toml in .ci/run.)
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["base", "counter_app", "ui", "hardware", "db", "receipts"]
QT = {"PySide6", "shiboken6"}

FORBIDDEN = {
    "base": QT | {"ui", "counter_app", "hardware", "db", "receipts"},
    "counter_app": QT | {"ui"},
    "hardware": QT | {"ui", "db", "receipts", "counter_app"},
    "receipts": QT | {"ui", "db", "hardware", "counter_app"},
    "db": QT | {"ui", "hardware", "receipts", "counter_app"},
}
COMPOSITION_ROOTS = {Path("counter_app/main.py")}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def python_files(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations/versions" not in p.as_posix())


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_respects_its_import_rules(package: str) -> None:
    violations = []
    for path in python_files(package):
        relative = path.relative_to(ROOT)
        if relative in COMPOSITION_ROOTS:
            continue
        bad = imported_top_levels(path) & FORBIDDEN[package]
        if bad:
            violations.append(f"{relative}: imports {sorted(bad)}")
    assert not violations, "layering broken:\n" + "\n".join(violations)


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """Guard against a checker that silently passes: a Qt import inside a function is found."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from PySide6.QtWidgets import QWidget\n    import db.models\n")
    assert imported_top_levels(module) == {"PySide6", "db"}


def test_no_test_imports_a_conftest() -> None:
    """Several `conftest` modules exist under tests/; `from conftest import x` gets whichever one
    pytest imported first, so it passes alone and fails in the full run (CI once went red on it).
    Shared helpers live in uniquely named modules (dbtesting, opstesting, hw_helpers, pcsc_rig...)."""
    offenders = [
        p.relative_to(ROOT).as_posix()
        for p in sorted((ROOT / "tests").rglob("*.py"))
        if "conftest" in imported_top_levels(p)
    ]
    assert offenders == []


def test_the_conftest_rule_sees_a_conftest_import(tmp_path: Path) -> None:
    sample = tmp_path / "test_sample.py"
    sample.write_text("def test_x():\n    from conftest import helper\n", encoding="utf-8")
    assert "conftest" in imported_top_levels(sample)


def test_the_core_opens_without_pymodbus() -> None:
    """The counter opens behind the login window (issue 16); pymodbus and its framers load with the
    first Modbus bus, real or simulated, not with the core: a counter without networked meters
    never pays for them."""
    import subprocess
    import sys

    probe = "import sys, counter_app.api, counter_app.devices; print(sorted(m for m in sys.modules if m.startswith('pymodbus')))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


# What opening the counter imports (counter_app/main.py `open_from_args`) must not bring: the session
# and its operation areas, the administrator's door, the scheduled meter rounds, every intent kind's
# commit, the simulators (a counter on real devices), nor the libraries of reports, imports and
# password hashing. The login window waits for the open (issue 16); these load behind it.
OFF_THE_OPEN = (
    "counter_app.api", "counter_app.session", "counter_app.admin", "counter_app.meter_polling",
    "counter_app.ops.sales", "counter_app.ops.bus_rounds", "counter_app.ops.intent_kinds",
    "counter_app.ops.card_writes", "counter_app.imports", "hardware.sim", "alembic", "argon2", "keyring",
    "openpyxl", "xlsxwriter", "reportlab", "PIL", "qrcode", "pymodbus", "python_calamine",
)  # fmt: skip


# What the checks a login depends on (`open_for_login`) do not need, so the workstation's login button
# turns on before they load: the rest of the open (`Counter.finish_open`: recovery, the print queue and
# the receipts' documents, the backups) loads behind it.
REST_OF_THE_OPEN = (
    "counter_app.ops.recovery", "counter_app.results", "counter_app.printing", "counter_app.documents",
    "counter_app.backups", "receipts.data",
)  # fmt: skip


def _loaded_after(imports: str, wanted: tuple[str, ...] = OFF_THE_OPEN) -> list[str]:
    import subprocess
    import sys

    probe = (f"import json, sys; {imports}; wanted = {wanted!r}; "
             "print(json.dumps(sorted(m for m in sys.modules if any(m == w or m.startswith(w + '.') "
             "for w in wanted))))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_counter_opens_without_its_operations() -> None:
    assert _loaded_after("import counter_app.main, counter_app.counter, counter_app.demo") == []


def test_the_login_checks_open_without_the_rest_of_the_open() -> None:
    assert (
        _loaded_after("import counter_app.main, counter_app.counter, counter_app.demo", REST_OF_THE_OPEN)
        == []
    )
    # ... and the probe sees them once the rest of the open is asked for.
    assert set(
        _loaded_after(
            "import counter_app.ops.recovery, counter_app.printing, counter_app.backups", REST_OF_THE_OPEN
        )
    ) == set(REST_OF_THE_OPEN)


def test_the_facade_still_brings_the_operations() -> None:
    """The probe above can fail: the whole facade loads the session and its operations."""
    loaded = _loaded_after("import counter_app.api")
    assert {"counter_app.session", "counter_app.ops.sales", "counter_app.admin.door"} <= set(loaded)
