#!/usr/bin/env bash
# One setup script for developers and CI (.ci/run): system packages, a venv, PostgreSQL.
# Idempotent: installs only what is missing, so a second run takes seconds.
# Usage: scripts/setup.sh            (system packages + .venv + project in editable mode)
#        SKIP_APT=1 scripts/setup.sh (no apt, e.g. on a machine you do not administer)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Qt (PySide6-Essentials) offscreen: see shared notes/fresh-machine.md
  libglib2.0-0 libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3
  # Xvfb + xcb plugin for screenshots, and a CJK font for Qt and reportlab
  xvfb xauth fonts-wqy-microhei
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
  libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0
  # PDF checks in tests (pdftotext, pdffonts, pdftoppm)
  poppler-utils poppler-data
  # NSIS to compile the Windows installer script on Linux
  nsis
  # Python venv on Debian's python3
  python3-venv
  # PostgreSQL's client library: the Linux bundle uses it instead of psycopg-binary's copy
  libpq5
  # PC/SC card readers: pcscd; what pyscard builds with on Linux (it has no Linux wheel: a C
  # compiler, Python's headers, pcsc-lite's headers, swig); and vsmartcard's virtual reader driver,
  # in which the card simulator sits for the PC/SC tests (scripts/start-pcscd.sh)
  pcscd gcc python3-dev libpcsclite-dev swig vsmartcard-vpcd
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ! command -v pg_ctlcluster >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
if [ "${SKIP_APT:-0}" != 1 ] && [ ${#missing[@]} -gt 0 ]; then
  echo "setup: apt-get install ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
# Extras: dev (tests, lint, mypy), pg (psycopg), build (pyinstaller: tests/ship builds the frozen
# bundle), sim (qrcode and Pillow: the simulated printer's receipt PNG in tests and screenshots),
# pcsc (pyscard: PC/SC card readers, hardware/pcsc_reader.py).
EXTRAS="dev,pg,build,sim,pcsc"
# Reinstall only when pyproject.toml or the extras changed since the last install.
stamp=.venv/.installed-$( (cat pyproject.toml; echo "$EXTRAS") | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[$EXTRAS]"
  rm -f .venv/.installed-* && touch "$stamp"
fi
# The English translation (ui/i18n/counter_en.qm, generated and gitignored): without it the language
# menu's English cannot load. lrelease comes with PySide6 in the venv; rebuilt every run (a second).
scripts/build_translations.sh
echo "setup: done (.venv ready, translations built)"
