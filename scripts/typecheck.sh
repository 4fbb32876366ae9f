#!/usr/bin/env bash
# The type check (CI stage "types"): mypy with the configuration of pyproject.toml [tool.mypy] —
# strict for base/, db/, hardware/, receipts/ and the core counter_app/ (no baseline, no exempt
# module); ui/ not checked yet. Prints mypy's report and the error count;
# fails on any error. Needs scripts/setup.sh first (the dev extra brings mypy and the stubs).
# Usage: scripts/typecheck.sh [mypy arguments]   (MYPY=/path/to/mypy for another environment)
set -euo pipefail
cd "$(dirname "$0")/.."
MYPY=${MYPY:-.venv/bin/mypy}
set +e
report=$("$MYPY" "$@" 2>&1)
status=$?
set -e
echo "$report"
errors=$(grep -c ': error:' <<<"$report" || true)
echo "typecheck: $errors errors"
exit "$status"
