"""Files only their owner reads, written so that a crash leaves the old content or the new one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private_atomic(path: Path, data: bytes, *, prefix: str = ".tmp-") -> None:
    """Write `data` to `path`, mode 0600 (owner only), atomically: a temporary file in the same
    folder, fsync, then `os.replace` (never half a key file or half a high-water mark)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
