"""Frozen entry point of `counter-app` (PyInstaller runs this file as __main__)."""

import sys

from counter_app.main import main

if __name__ == "__main__":
    sys.exit(main())
