"""What a benchmark would delete between two timed builds, renamed aside until it is done.

Why not delete: on a file system without a journal (this VM's root is ext4 without
one), the kernel does not reuse an inode freed in the last minute (six while its
block is not yet written back): each new file looks past every such inode, one by
one (`find_inode_bit` → `recently_deleted`). Deleting the ~3 400 files of a 1 000-page
build and building again bills the next build for all of them: `perf` put 10 % of its
CPU samples in those kernel functions; three builds in a row took 0.69–0.75 s of
system time when the last build was renamed aside, and 1.14, 1.60, 2.20 s when it was
deleted (wall 4.87–5.06 s against 5.19–5.96 s). A fresh clone has deleted nothing. A
rename frees no inode, so the benchmark renames, then deletes everything once, after
its last timed run. (With a journal, the default, the kernel skips this check.)
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path


class Trash:
    """A folder beside the projects (the same file system: `put` renames) that takes
    what a run leaves; `empty()` deletes it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._numbers = itertools.count()

    def put(self, path: Path) -> None:
        """Move `path` (a file or a folder) out of the way, if it exists."""
        if not os.path.lexists(path):
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        os.rename(path, self.folder / f"{next(self._numbers)}-{path.name}")

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
