#!/usr/bin/env bash
# Build the one-folder bundle dist/counter/ (counter-app + counter-admin) from installer/counter.spec.
# Prints the bundle size in MB; exits non-zero when anything fails. Needs the `build` extra
# (pyinstaller; scripts/setup.sh installs it) and, on Linux, fonts-wqy-microhei.
# Usage: scripts/build_bundle.sh [--clean]   (--clean: drop PyInstaller's cache and work folders)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export PYINSTALLER_CONFIG_DIR="$PWD/build/pyinstaller-config"   # its cache stays out of ~/.cache
clean=()
if [ "${1:-}" = "--clean" ]; then clean=(--clean); fi
scripts/build_translations.sh
start=$(date +%s)
"$BIN/pyinstaller" --noconfirm "${clean[@]}" --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/counter.spec
for program in counter-app counter-admin; do
  exe=dist/counter/$program; [ -f "$exe" ] || exe="$exe.exe"
  [ -x "$exe" ] || { echo "build_bundle: $exe missing" >&2; exit 1; }
done
size_mb=$(du -sm dist/counter | cut -f1)
echo "bundle: dist/counter ${size_mb} MB (built in $(( $(date +%s) - start )) s)"
