"""A smaller ICU data library for the Linux bundle (installer/counter.spec; issue 16 item 4).

PySide6's Linux wheel links Qt against its own ICU 73 (the platform's ICU is another version, so it
cannot stand in), and `libicudata.so.73` is one 31 MB blob of every locale, converter, break
dictionary and transliterator ICU knows. Qt reads only a little of it: collation (QCollator,
locale-aware sorting) and locale/time-zone names for the locales we show (zh_CN and English). This
module copies the ICU "common data" package out of the library, keeps what Qt can reach for
root/en/zh, and links the kept part back into a library of the same name and symbol with binutils
(`as`, `ld`: PyInstaller needs binutils on Linux anyway). The Windows wheel ships no ICU (Qt uses
the system's), so nothing happens there.

What goes: every other locale's data, all converter tables but GB18030 (Qt converts UTF-8/16 and
Latin-1 itself; we never ask Qt for another codec), the CJK/Thai/Khmer/Lao/Burmese word-break
dictionaries (Qt breaks text with its own Unicode tables), transliterators, character names,
confusables and StringPrep profiles. ICU answers a lookup of a dropped item with a missing-resource
error, and Qt falls back (QCollator to code-point order), so a mistake here degrades sorting or a
name, never the start.

The format (ICU's ucmndata.h, "CmnD"): a header, a table of contents (count, then per item the
offsets of its name and of its data, both from the start of the table), the names, then the items,
each aligned to 16 bytes. Items are self-contained, so dropping one never moves another's meaning.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

SYMBOL = "icudt73_dat"
KEEP_LOCALES = {
    "root",
    "en",
    "en_US",
    "en_US_POSIX",
    "en_001",
    "en_GB",
    "zh",
    "zh_CN",
    "zh_Hans",
    "zh_Hans_CN",
}
KEEP_CONVERTERS = {"gb18030.cnv"}
DROP_FILES = {"unames.icu", "confusables.cfu", "uemoji.icu"}
LOCALE_NAME = re.compile(r"^[a-z]{2,3}(_[A-Za-z0-9]+)*$")
ALIGN = 16


def _pad(n: int) -> int:
    return -n % ALIGN


def read_package(blob: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """(header, [(name, item bytes)]) of an ICU common data package, items in table order."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or b"CmnD" not in blob[:header_size]:
        raise ValueError("not an ICU common data package")
    toc = blob[header_size:]
    count = struct.unpack_from("<I", toc, 0)[0]
    offsets = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(offsets):
        name = toc[name_at : toc.index(b"\0", name_at)].decode("ascii")
        end = offsets[i + 1][1] if i + 1 < count else len(toc)
        items.append((name, toc[data_at:end]))
    return blob[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The package with these items (names must stay sorted: ICU looks them up by binary search)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    table_size = 4 + 8 * len(items)
    data_start = table_size + len(names) + _pad(len(header) + table_size + len(names))
    entries, body, name_at, data_at = [], b"", table_size, data_start
    for name, data in items:
        data = data + b"\0" * _pad(len(data))
        entries.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        data_at += len(data)
        body += data
    gap = b"\xaa" * (data_start - table_size - len(names))
    return header + struct.pack("<I", len(items)) + b"".join(entries) + names + gap + body


def wanted(name: str) -> bool:
    """Whether Qt can reach this item for the locales we show (name like icudt73l/coll/zh.res)."""
    parts = name.split("/")[1:]
    base = parts[-1]
    stem, _, ext = base.rpartition(".")
    if parts[0] == "translit" or base in DROP_FILES or ext in ("dict", "spp"):
        return False
    if ext == "cnv":
        return base in KEEP_CONVERTERS
    if ext == "res" and LOCALE_NAME.match(stem) and stem != "res_index":
        return stem in KEEP_LOCALES
    return True


def _data_of(library: Path) -> bytes:
    """The bytes of SYMBOL in the ELF library (its only data), found with readelf."""
    syms = subprocess.run(
        ["readelf", "--dyn-syms", "-W", str(library)], capture_output=True, text=True, check=True
    )
    line = next(s for s in syms.stdout.splitlines() if s.split() and s.split()[-1] == SYMBOL)
    address, size = int(line.split()[1], 16), int(line.split()[2], 0)
    sections = subprocess.run(
        ["readelf", "-S", "-W", str(library)], capture_output=True, text=True, check=True
    )
    for row in sections.stdout.splitlines():
        cols = row.replace("[ ", "[").split()
        if len(cols) > 5 and cols[1] == ".rodata":
            sec_addr, sec_off = int(cols[3], 16), int(cols[4], 16)
            start = sec_off + address - sec_addr
            return library.read_bytes()[start : start + size]
    raise ValueError(f"{library}: no .rodata section")


def trimmed_library(library: Path, work: Path) -> Path | None:
    """A trimmed copy of libicudata.so.NN under `work`, or None when binutils are missing (the
    untrimmed library is then bundled as before)."""
    if not (shutil.which("as") and shutil.which("ld") and shutil.which("readelf")):
        return None
    header, items = read_package(_data_of(library))
    blob = write_package(header, [(name, data) for name, data in items if wanted(name)])
    work.mkdir(parents=True, exist_ok=True)
    out = work / library.name
    with tempfile.TemporaryDirectory(dir=work) as tmp:
        dat, asm, obj = Path(tmp, "icudt.dat"), Path(tmp, "icudt.s"), Path(tmp, "icudt.o")
        dat.write_bytes(blob)
        asm.write_text(
            f"\t.section .rodata\n\t.balign {ALIGN}\n\t.globl {SYMBOL}\n\t.type {SYMBOL}, @object\n"
            f'\t.size {SYMBOL}, {len(blob)}\n{SYMBOL}:\n\t.incbin "{dat}"\n'
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        subprocess.run(["as", "-o", str(obj), str(asm)], check=True)
        subprocess.run(["ld", "-shared", "-soname", library.name, "-o", str(out), str(obj)], check=True)
    return out
