"""Count function-level imports of our own modules, and the import cycles among our modules.

    .venv/bin/python scripts/count_imports.py            # per file, then the totals
    .venv/bin/python scripts/count_imports.py --quiet    # the totals only

House rule (docs/architecture.md): an import of our own modules (base, counter_app, db, hardware,
receipts, ui) sits at the top of the module unless a real import cycle forces it into a function,
and then a comment next to it names the cycle. This script shows where the tree stands:

- function-level imports: `import`/`from … import` statements of our packages inside a function
  body (any depth), per file, over every Python file of the repository (tests, bench, scripts too);
- import cycles: strongly connected groups of our modules in grimp's import graph (grimp is what
  import-linter builds on). Counted twice: with every import (grimp sees function-level imports
  too), and at import time, i.e. without the function-level ones and without `if TYPE_CHECKING:`
  imports (those are the cycles Python actually meets when it loads the modules).
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
OURS = ("base", "counter_app", "db", "hardware", "receipts", "ui")
SKIP_DIRS = {".venv", "build", "dist", "__pycache__", ".git", "node_modules"}


def python_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        if not SKIP_DIRS & set(path.relative_to(root).parts):
            yield path


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _absolute(node: ast.ImportFrom, path: Path) -> str:
    """The module an ImportFrom names, relative imports resolved against the file's package."""
    if not node.level:
        return node.module or ""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imported_modules(node: ast.Import | ast.ImportFrom, path: Path) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return [_absolute(node, path)]


def is_ours(module: str) -> bool:
    return module.split(".")[0] in OURS


class _Finder(ast.NodeVisitor):
    """Collects (line, module) of imports of ours, split into function-level and TYPE_CHECKING ones."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.depth = 0
        self.in_type_checking = 0
        self.function_level: list[tuple[int, str]] = []
        self.type_checking: list[tuple[int, str]] = []

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function  # noqa: N815

    def visit_If(self, node: ast.If) -> None:  # noqa: N802
        test = node.test
        guarded = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        )
        self.in_type_checking += guarded
        for child in node.body:
            self.visit(child)
        self.in_type_checking -= guarded
        for child in node.orelse:
            self.visit(child)

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        for module in imported_modules(node, self.path):
            if not is_ours(module):
                continue
            if self.depth:
                self.function_level.append((node.lineno, module))
            elif self.in_type_checking:
                self.type_checking.append((node.lineno, module))

    visit_Import = visit_ImportFrom = _import  # noqa: N815


def scan(path: Path) -> _Finder:
    finder = _Finder(path)
    finder.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return finder


def strongly_connected(nodes: Iterable[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; only groups that really are cycles (size > 1 or a self-import)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in edges.get(node, ()):
                    groups.append(sorted(group))
    return groups


def import_edges(graph: grimp.ImportGraph, skip_lines: dict[str, set[int]]) -> dict[str, set[str]]:
    """importer → imported, leaving out imports made only on the given lines of the importer."""
    edges: dict[str, set[str]] = {}
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            details = graph.get_import_details(importer=importer, imported=imported)
            lines = {d["line_number"] for d in details}
            if lines and lines <= skip_lines.get(importer, set()):
                continue
            edges.setdefault(importer, set()).add(imported)
    return edges


def main(argv: list[str] | None = None) -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--quiet", action="store_true", help="print the totals only")
    quiet = args.parse_args(argv).quiet
    sys.path.insert(0, str(ROOT))

    per_file: dict[Path, int] = {}
    not_at_import_time: dict[str, set[int]] = {}
    for path in python_files(ROOT):
        found = scan(path)
        if found.function_level:
            per_file[path] = len(found.function_level)
        lines = {line for line, _ in found.function_level + found.type_checking}
        if lines:
            not_at_import_time[module_name(path)] = lines

    if not quiet:
        for path, count in sorted(per_file.items()):
            print(f"{count:4d}  {path.relative_to(ROOT)}")
    in_packages = {p: n for p, n in per_file.items() if p.relative_to(ROOT).parts[0] in OURS}
    print(f"function-level imports of our modules: {sum(per_file.values())} in {len(per_file)} files "
          f"({sum(in_packages.values())} in {len(in_packages)} files of {', '.join(OURS)})")  # fmt: skip

    graph = grimp.build_graph(*OURS, cache_dir=None)
    every = strongly_connected(graph.modules, import_edges(graph, {}))
    at_import = strongly_connected(graph.modules, import_edges(graph, not_at_import_time))
    print(f"import cycles among our modules: {len(every)} counting every import, "
          f"{len(at_import)} at import time")  # fmt: skip
    if not quiet:
        for label, groups in (("every import", every), ("at import time", at_import)):
            for group in groups:
                print(f"  cycle ({label}, {len(group)} modules): {' '.join(group)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
