#!/usr/bin/env bash
# Compile ui/i18n/counter_en.ts into counter_en.qm (generated, not committed; scripts/setup.sh runs
# this, and a source checkout compiles it on first use: ui/i18n ensure_compiled). With --update, first
# refresh the .ts from the sources (new strings come in unfinished).
# VENV=/path/to/venv picks another venv (a git worktree shares the main checkout's).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
if [ "${1:-}" = "--update" ]; then
  "$BIN/pyside6-lupdate" $(find ui -name '*.py' | sort) -ts ui/i18n/counter_en.ts
fi
"$BIN/pyside6-lrelease" ui/i18n/counter_en.ts -qm ui/i18n/counter_en.qm
