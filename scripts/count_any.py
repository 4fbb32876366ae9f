"""Count the uses of `typing.Any` per package: how much of the code the type checker cannot see into.

    .venv/bin/python scripts/count_any.py            # per package, then the total
    .venv/bin/python scripts/count_any.py --files    # per file too

House rule (issue 11): `Any` only at the edges (JSON documents, a Qt or driver object, an argument
passed through untouched). A use is the identifier `Any` (or `typing.Any`) anywhere in the code —
annotations, aliases, casts — not its import. The core (counter_app) is split by subpackage, its
loose modules counted as "counter_app (core modules)".
"""

from __future__ import annotations

import argparse
import ast
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("base", "db", "hardware", "receipts", "counter_app", "ui")
SKIP_DIRS = {"__pycache__", "versions"}  # db/migrations/versions: generated, not type-checked


def python_files(package: str) -> Iterator[Path]:
    for path in sorted((ROOT / package).rglob("*.py")):
        if not SKIP_DIRS & set(path.relative_to(ROOT).parts):
            yield path


def any_uses(path: Path) -> int:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return sum(
        1
        for node in ast.walk(tree)
        if (isinstance(node, ast.Name) and node.id == "Any")
        or (isinstance(node, ast.Attribute) and node.attr == "Any")
    )


def group_of(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    if parts[0] == "counter_app":
        return f"counter_app.{parts[1]}" if len(parts) > 2 else "counter_app (core modules)"
    return parts[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", action="store_true", help="list every file with a use")
    args = parser.parse_args()
    by_group: Counter[str] = Counter()
    for package in PACKAGES:
        for path in python_files(package):
            n = any_uses(path)
            by_group[group_of(path)] += n
            if args.files and n:
                print(f"{n:5}  {path.relative_to(ROOT)}")
    for group in sorted(by_group):
        print(f"{by_group[group]:5}  {group}")
    print(f"{sum(by_group.values()):5}  total")


if __name__ == "__main__":
    main()
