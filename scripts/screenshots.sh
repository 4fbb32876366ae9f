#!/usr/bin/env bash
# A PNG of every window and page in screenshots/ (gitignored), under Xvfb with the xcb platform so
# fonts and rendering match a real desktop. Extra arguments go to scripts/screenshots.py
# (--lang en; --size 1920x1050; --demo-dir DIR reuses a demo folder). Always the real facade in demo mode.
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=xcb
exec xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshots.py "$@"
