"""PyInstaller runtime hook (installer/counter.spec): import the Python code from the ONE archive both
programs share, `_internal/counter.pyz`, instead of a copy embedded in each executable.

PyInstaller embeds a PYZ archive (all pure-Python modules, ~11 MB) in every EXE of a bundle, so
counter-app and counter-admin carried the same code twice. The spec builds the full archive once as a
data file and gives each EXE an empty one; this hook runs first of all runtime hooks (custom hooks
precede PyInstaller's) and points PyInstaller's frozen importer at the shared file. Until then only
the bootstrap ran, which imports from base_library.zip and the executable's own package — except the
ctypes hook, which found no `ctypes` in the empty archive and is installed again here.

This relies on PyInstaller 6's loader module `pyimod02_importers` (its `pyz_archive` global and the
per-path finders that copy it); a PyInstaller that changes them fails here loudly at start, and
tests/ship/test_frozen.py runs both frozen programs.
"""

import os
import sys

import pyimod01_archive
import pyimod02_importers


def _use_shared_archive() -> None:
    path = os.path.join(sys._MEIPASS, "counter.pyz")
    pyimod02_importers.pyz_archive = pyimod01_archive.ZlibArchiveReader(path, check_pymagic=True)
    pyimod02_importers._pyz_tree = None  # the prefix tree (pkgutil.iter_modules) of the empty archive
    # Path finders made so far hold the empty archive; drop them so the next import makes new ones.
    sys.path_importer_cache.clear()
    if "ctypes" not in sys.modules:
        import pyimod03_ctypes

        pyimod03_ctypes.install()
    if "ctypes" not in sys.modules:
        raise RuntimeError(f"{path}: the shared Python archive does not serve imports")


_use_shared_archive()
