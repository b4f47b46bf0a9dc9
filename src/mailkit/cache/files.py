"""The files a build writes, kept once by content in `.mailkit-cache/files/` and hard-linked.

Creating a file costs far more than linking one on some disks (figures in
benchmarks/results.md), so a full build writes each file's bytes once into the store,
named by their hash, and hard-links it into the staging tree; a later build that makes
the same bytes only links. A stored copy is compared with the bytes before it is
linked, so a file of `build/` edited in place (which edits the stored copy too) is
never handed out again. Where links cannot be made the store turns itself off and
files are written. `collect()` deletes the copies no file of `build/` links any more.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from . import CACHE_DIR

STORE_DIR = CACHE_DIR / "files"


class FileStore:
    """Content-addressed copies under `folder` (see the module doc)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.enabled = True
        self._dirs: set[Path] = set()

    def place(self, data: bytes, path: Path) -> bool:
        """Make `path` a link to the stored copy of `data`, storing it first if need be.
        False when the store cannot link here: the caller writes the file itself."""
        if not self.enabled:
            return False
        digest = hashlib.blake2b(data, digest_size=20).hexdigest()
        stored = self.folder / digest[:2] / digest
        try:
            if not _holds(stored, data):
                if stored.parent not in self._dirs:
                    stored.parent.mkdir(parents=True, exist_ok=True)
                    self._dirs.add(stored.parent)
                tmp = stored.with_name(f".{digest}.{os.getpid()}")
                tmp.write_bytes(data)
                os.replace(tmp, stored)
            os.link(stored, path)
        except OSError:
            self.enabled = False  # another file system, no links, no room: write instead
            return False
        return True

    def collect(self) -> int:
        """Delete the copies no other file links (their pages are gone); how many."""
        removed = 0
        with contextlib.suppress(OSError):
            for sub in os.scandir(self.folder):
                if not sub.is_dir():
                    continue
                for entry in os.scandir(sub.path):
                    with contextlib.suppress(OSError):
                        if entry.stat(follow_symlinks=False).st_nlink <= 1:
                            os.unlink(entry.path)
                            removed += 1
        return removed


def _holds(stored: Path, data: bytes) -> bool:
    """Whether `stored` exists with exactly `data` (not edited in place since)."""
    try:
        with open(stored, "rb") as file:
            if os.fstat(file.fileno()).st_size != len(data):
                return False
            return file.read() == data
    except OSError:
        return False
