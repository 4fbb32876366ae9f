"""Frozen entry point of `counter-cardhost` (PyInstaller runs this file as __main__)."""

import sys

from hardware.cardhost.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
