"""Shared libraries no bundled program or library loads (installer/counter.spec; issue 16 item 4).

PyInstaller collects the libraries of every binary it analyses, before the spec drops Qt plugins and
modules we never use (the GTK theme, QtNetwork, …); their libraries stay behind: GIO, libmount,
Kerberos, libjpeg.so.62, X extensions. This finds them on Linux: starting from every binary that is
not a top-level library (Python extensions, Qt's libraries and kept plugins, libpython), it follows
the ELF DT_NEEDED entries (readelf -d) and reports the top-level libraries nothing reaches. Qt opens
a few libraries by name at run time (libGL, libEGL, libdbus-1, libxcb-cursor): those are either
needed by a kept binary anyway or not bundled at all (the platform provides them,
docs/operations.md §1), so following DT_NEEDED is enough. On Windows (no readelf) nothing is dropped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

NEEDED = re.compile(r"\(NEEDED\)\s+Shared library: \[(.+?)\]")


def needed_by(path: str) -> list[str]:
    out = subprocess.run(["readelf", "-d", "-W", path], capture_output=True, text=True)
    return NEEDED.findall(out.stdout)


def unreached(binaries: list[tuple[str, str, str]]) -> set[str]:
    """Destination names of the top-level BINARY entries that no other kept binary needs."""
    if shutil.which("readelf") is None or os.name == "nt":
        return set()
    candidates = {dest: src for dest, src, kind in binaries if kind == "BINARY" and os.sep not in dest
                  and "/" not in dest and not dest.startswith("libpython")}  # fmt: skip
    by_name = {os.path.basename(dest): dest for dest in candidates}
    roots = [
        src for dest, src, kind in binaries if dest not in candidates and kind in ("BINARY", "EXTENSION")
    ]
    reached: set[str] = set()
    todo = list(roots)
    while todo:
        for name in needed_by(todo.pop()):
            dest = by_name.get(name)
            if dest is not None and dest not in reached:
                reached.add(dest)
                todo.append(candidates[dest])
    return set(candidates) - reached
