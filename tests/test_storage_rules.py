"""Storage knowledge stays in db/ (db/queries/__init__.py, docs/architecture.md "Where queries live").

An AST scan of the core (counter_app/) and the screens (ui/) that fails on SQL shaped for a
dialect or an index, and on "current row of an insert-only history" derivations, outside db/:
- `@compiles` and `sqlalchemy.ext.compiler` (an SQL function compiled per dialect);
- `postgresql_…` / `sqlite_…` keyword arguments (`postgresql_ops`, `sqlite_where`…);
- `….dialect.name` checks, imports from `sqlalchemy.dialects`;
- raw SQL: sqlalchemy's `text("…")` and `exec_driver_sql("…")`;
- a `.desc()` … `.limit(1)` chain: the latest row of a history, which has a named function in
  db/queries (`intent_state`, `open_shift`, `last_write_back_event`, `current_tariff`…).

A plain `select()` serving one service may stay in it: `test_plain_selects_are_counted` prints how
many remain per module (run this file as a script for the list).
"""

from __future__ import annotations

import ast
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("counter_app", "ui")
DIALECT_KWARG_PREFIXES = ("postgresql_", "sqlite_")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}"


class _Scanner(ast.NodeVisitor):
    def __init__(self, path: str) -> None:
        self.path = path
        self.found: list[Finding] = []
        self.text_names: set[str] = set()  # local names of sqlalchemy.text
        self.sqlalchemy_names: set[str] = {"sqlalchemy"}  # `import sqlalchemy as sa` → sa

    def _flag(self, node: ast.AST, rule: str) -> None:
        self.found.append(Finding(self.path, getattr(node, "lineno", 0), rule))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.startswith("sqlalchemy.dialects"):
                self._flag(node, f"import {alias.name} (dialect-specific)")
            elif alias.name == "sqlalchemy.ext.compiler":
                self._flag(node, "import sqlalchemy.ext.compiler (@compiles)")
            elif alias.name == "sqlalchemy":
                self.sqlalchemy_names.add(alias.asname or alias.name)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if module.startswith("sqlalchemy.dialects"):
            self._flag(node, f"from {module} import … (dialect-specific)")
        elif module == "sqlalchemy.ext.compiler":
            self._flag(node, "from sqlalchemy.ext.compiler import … (@compiles)")
        elif module in ("sqlalchemy", "sqlalchemy.sql", "sqlalchemy.sql.expression"):
            self.text_names |= {alias.asname or alias.name for alias in node.names if alias.name == "text"}
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if _name_of(target) == "compiles":
                self._flag(decorator, "@compiles (SQL compiled per dialect)")
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_ClassDef = visit_FunctionDef

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg and node.arg.startswith(DIALECT_KWARG_PREFIXES):
            self._flag(node.value, f"keyword {node.arg}= (dialect-specific)")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "name" and isinstance(node.value, ast.Attribute) and node.value.attr == "dialect":
            self._flag(node, "….dialect.name check")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if self._is_text(func) and _has_string_argument(node):
            self._flag(node, "text(…) raw SQL")
        elif isinstance(func, ast.Attribute) and func.attr == "exec_driver_sql":
            self._flag(node, "exec_driver_sql(…) raw SQL")
        elif _is_latest_row_chain(node):
            self._flag(node, ".desc() … .limit(1) latest-row query (a db/queries function)")
        self.generic_visit(node)

    def _is_text(self, func: ast.expr) -> bool:
        if isinstance(func, ast.Name):
            return func.id in self.text_names
        return (
            isinstance(func, ast.Attribute) and func.attr == "text"
            and isinstance(func.value, ast.Name) and func.value.id in self.sqlalchemy_names
        )  # fmt: skip


def _name_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _has_string_argument(call: ast.Call) -> bool:
    return any(isinstance(arg, ast.Constant | ast.JoinedStr) for arg in call.args)


def _is_latest_row_chain(call: ast.Call) -> bool:
    """`<… .desc() …>.limit(1)`: a `.limit(1)` whose statement orders by something descending."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "limit"):
        return False
    if not (len(call.args) == 1 and isinstance(call.args[0], ast.Constant) and call.args[0].value == 1):
        return False
    return any(
        isinstance(inner, ast.Call) and _name_of(inner.func) == "desc" for inner in ast.walk(func.value)
    )


def scan_source(source: str, path: str = "<planted>") -> list[Finding]:
    scanner = _Scanner(path)
    scanner.visit(ast.parse(source, filename=path))
    return sorted(scanner.found, key=lambda f: f.line)


def python_files(root: Path, packages: tuple[str, ...] = SCANNED) -> list[Path]:
    return sorted(p for package in packages for p in (root / package).rglob("*.py"))


def scan(root: Path = ROOT, packages: tuple[str, ...] = SCANNED) -> list[Finding]:
    found: list[Finding] = []
    for path in python_files(root, packages):
        found += scan_source(path.read_text(encoding="utf-8"), path.relative_to(root).as_posix())
    return found


def plain_selects(root: Path = ROOT, packages: tuple[str, ...] = ("counter_app",)) -> Counter[str]:
    """How many `select(` calls each module still builds itself (not a failure: a report)."""
    counts: Counter[str] = Counter()
    for path in python_files(root, packages):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        n = sum(1 for node in ast.walk(tree) if isinstance(node, ast.Call) and _name_of(node.func) == "select")
        if n:
            counts[path.relative_to(root).as_posix()] = n
    return counts


# --- the rule --------------------------------------------------------------------------------------


def test_dialect_and_history_sql_stays_in_db() -> None:
    found = scan()
    assert not found, "SQL for a dialect or an index, or a latest-row query, outside db/ (move it to " \
        "db/queries/<area>.py):\n" + "\n".join(map(str, found))  # fmt: skip


def test_plain_selects_are_counted(capsys: pytest.CaptureFixture[str]) -> None:
    counts = plain_selects()
    with capsys.disabled():
        print(f"\n[storage rules] plain select( calls left in counter_app/: {sum(counts.values())} "
              f"in {len(counts)} modules")  # fmt: skip
    assert all(n > 0 for n in counts.values())


# --- the scanner catches what it should (self-test) -------------------------------------------------

PLANTED = {
    "@compiles": "from sqlalchemy.ext.compiler import compiles\n@compiles(X, 'sqlite')\ndef f(e, c): ...\n",
    "keyword postgresql_ops": "Index('ix', 'a', postgresql_ops={'a': 'varchar_pattern_ops'})\n",
    "keyword sqlite_where": "Index('ix', 'a', sqlite_where=x)\n",
    "dialect.name": "if s.get_bind().dialect.name == 'postgresql':\n    pass\n",
    "from sqlalchemy.dialects": "from sqlalchemy.dialects.postgresql import insert\n",
    "import sqlalchemy.dialects": "import sqlalchemy.dialects.sqlite\n",
    "text(…)": "from sqlalchemy import text\ns.execute(text('SELECT 1'))\n",
    "sa.text(…)": "import sqlalchemy as sa\ns.execute(sa.text(f'SELECT {x}'))\n",
    "exec_driver_sql": "conn.exec_driver_sql('PRAGMA quick_check')\n",
    "latest row": "s.scalar(select(E).where(E.a == 1).order_by(E.id.desc()).limit(1))\n",
    "latest row, split": "q = select(E).order_by(E.at.desc())\nrow = s.scalar(select(E).order_by(E.at.desc()).where(x).limit(1))\n",
}


@pytest.mark.parametrize("source", PLANTED.values(), ids=PLANTED.keys())
def test_the_scan_catches_a_planted_violation(source: str) -> None:
    assert scan_source(source), source


CLEAN = """
from sqlalchemy import select, func
rows = s.execute(select(E).where(E.a == 1).order_by(E.id)).all()
first = s.scalar(select(E.id).limit(1))
newest_first = s.scalars(select(E).order_by(E.id.desc())).all()
context = ctx.text("not sqlalchemy")
"""


def test_the_scan_lets_plain_queries_pass() -> None:
    assert scan_source(CLEAN) == []


def test_the_scan_finds_a_planted_file(tmp_path: Path) -> None:
    (tmp_path / "counter_app" / "ops").mkdir(parents=True)
    (tmp_path / "ui").mkdir()
    (tmp_path / "counter_app" / "ops" / "planted.py").write_text(PLANTED["latest row"], encoding="utf-8")
    (tmp_path / "ui" / "fine.py").write_text(CLEAN, encoding="utf-8")
    assert [str(f) for f in scan(tmp_path)] == [
        "counter_app/ops/planted.py:1: .desc() … .limit(1) latest-row query (a db/queries function)"
    ]


if __name__ == "__main__":  # python tests/test_storage_rules.py: the findings and the select( list
    for finding in scan():
        print(finding)
    selects = plain_selects()
    for module, n in sorted(selects.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"{n:4d}  {module}")
    print(f"{sum(selects.values()):4d}  plain select( calls in {len(selects)} modules of counter_app/")
    sys.exit(1 if scan() else 0)
