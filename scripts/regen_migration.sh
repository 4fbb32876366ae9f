#!/usr/bin/env bash
# Regenerate the initial migration (db/migrations/versions/0001_initial.py) from the models.
# Allowed only until the first release: after it, add a new revision instead
# (.venv/bin/python -m db.regen --new "what changed").
# Then: review the file, run the tests, and refresh the schema fixture of the current head:
#   .venv/bin/python scripts/make_schema_fixture.py 0.1.0-dev
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m db.regen "$@"
.venv/bin/ruff format -q db/migrations/versions
