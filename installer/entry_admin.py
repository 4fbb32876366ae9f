"""Frozen entry point of `counter-admin` (PyInstaller runs this file as __main__)."""

import sys

from counter_app.admin.cli import main

if __name__ == "__main__":
    sys.exit(main())
