#!/usr/bin/env bash
# The test command of the README: everything the project proves, in one pytest run.
# Needs scripts/setup.sh first. PostgreSQL tests run when COUNTER_TEST_PG_URL is set (scripts/
# start-postgres.sh prints it); with CI=true they must run, so a missing server fails them.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
if [ -z "${COUNTER_TEST_PG_URL:-}" ] && command -v pg_isready >/dev/null 2>&1 \
   && pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  export COUNTER_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
fi
# The PC/SC reader tests need pcscd with vpcd's virtual reader (scripts/setup.sh installs both).
if command -v pcscd >/dev/null 2>&1; then
  scripts/start-pcscd.sh || echo "test.sh: pcscd did not start; PC/SC tests will skip (fail when CI=true)" >&2
fi
exec .venv/bin/python -m pytest -p tests.plugins.suite_timing "$@"
