#!/usr/bin/env bash
# Compile ui/i18n/counter_en.ts into counter_en.qm (generated, not committed; the app stays Chinese
# without it). With --update, first refresh the .ts from the sources (new strings come in unfinished).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
if [ "${1:-}" = "--update" ]; then
  "$BIN/pyside6-lupdate" $(find ui -name '*.py' | sort) -ts ui/i18n/counter_en.ts
fi
"$BIN/pyside6-lrelease" ui/i18n/counter_en.ts -qm ui/i18n/counter_en.qm
