"""The files a build writes, kept once by content in `.mailkit-cache/files/` and hard-linked.

Creating a file costs far more than linking one on some disks (figures in
benchmarks/results.md), so a full build writes each file's bytes once into the store,
named by their hash, and hard-links it into the staging tree; a later build that makes
the same bytes only links. A stored copy is compared with the bytes before it is
linked, so a file of `build/` edited in place (which edits the stored copy too) is
never handed out again. Where links cannot be made the store turns itself off and
files are written. `collect()` deletes the copies no file of `build/` links any more.
The copies sit side by side in one folder, not fanned out by prefix: a project keeps
a few thousand, and each folder is one more inode for a first build to create.
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
        self._made = False

    def place(self, data: bytes, path: Path) -> bool:
        """Make `path` a link to the stored copy of `data`, storing it first if need be.
        False when the store cannot link here: the caller writes the file itself."""
        if not self.enabled:
            return False
        digest = hashlib.blake2b(data, digest_size=20).hexdigest()
        stored = self.folder / digest
        try:
            if not _holds(stored, data):
                if not self._made:
                    self.folder.mkdir(parents=True, exist_ok=True)
                    self._made = True
                tmp = stored.with_name(f".{digest}.{os.getpid()}")
                tmp.write_bytes(data)
                os.replace(tmp, stored)
            os.link(stored, path)
        except OSError:
            self.enabled = False  # another file system, no links, no room: write instead
            return False
        return True

    def collect(self) -> int:
        """Delete the copies no other file links (their pages are gone); how many. The
        folders of an older mailkit's layout (copies fanned out by prefix) go too."""
        removed = 0
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.is_dir(follow_symlinks=False):
                    removed += _remove_tree(entry.path)
                elif _unlinked(entry):
                    removed += 1
        return removed


def _unlinked(entry: os.DirEntry) -> bool:
    """Delete `entry` when nothing else links it; whether it was."""
    with contextlib.suppress(OSError):
        if entry.stat(follow_symlinks=False).st_nlink <= 1:
            os.unlink(entry.path)
            return True
    return False


def _remove_tree(folder: str) -> int:
    """An older layout's prefix folder: its copies now found nowhere (a build links from
    the flat folder only), so each is deleted once no file of `build/` links it."""
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            removed += _unlinked(entry)
        os.rmdir(folder)  # fails while a linked copy is left: kept until it is not
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
