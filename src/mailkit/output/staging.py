"""A staging folder, an atomic swap, files linked instead of copied.

Every command that writes a tree (the build, the Klaviyo export) writes it into a
staging folder beside the target and swaps it in with renames, so a reader (the dev
server, a browser) never sees half a tree. A file that did not change is hard-linked
from the previous tree rather than written again (`Writer`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ..pipeline.parallel import split_map


def staging_for(out: Path, *, copy: bool = False) -> Path:
    """A fresh staging folder beside `out` (`.out.staging`); with `copy`, a copy of `out`
    to change in part (copied, not linked: rewriting a linked file would change `out`)."""
    staging = out.with_name(f".{out.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    if copy and out.is_dir():
        shutil.copytree(out, staging)
    return staging


class Store(Protocol):
    """Where written bytes are kept once and linked from (cache/files.py)."""

    def place(self, data: bytes, path: Path) -> bool: ...


class Writer:
    """Files go into `staging`; `reuse=True` links the same file from `previous`; with a
    `store`, a file's bytes are linked from the copy kept there (written there first)."""

    def __init__(self, staging: Path, previous: Path | None, store: Store | None = None) -> None:
        self.staging = staging
        self.previous = previous if previous is not None and previous.is_dir() else None
        self.store = store
        self.written = self.linked = 0
        self._dirs: set[Path] = set()  # made already: one mkdir per folder, not per file

    def text(self, rel: str, content: str | Callable[[], str], reuse: bool = False) -> None:
        path = self.staging / rel
        if path.parent not in self._dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(path.parent)
        if reuse and self._link(rel, path):
            return
        data = (content() if callable(content) else content).encode("utf-8")
        if self.store is None or not self.store.place(data, path):
            path.write_bytes(data)
        self.written += 1

    def texts(self, items: list[tuple[str, str | Callable[[], str], bool]]) -> None:
        """Many files, costly to render (the site's email pages) or to create (the emails'
        own files), shared between the cores as a build's pages are: each process
        writes its share into staging."""

        def write(share: list[tuple[str, str | Callable[[], str], bool]]) -> tuple[int, int]:
            written, linked = self.written, self.linked
            for rel, content, reuse in share:
                self.text(rel, content, reuse)
            return self.written - written, self.linked - linked

        for written, linked in split_map(write, items)[1:]:  # the first share counted here
            self.written += written
            self.linked += linked

    def tree(self, source: Path, rel: str) -> None:
        """A folder of static files (brand assets), linked rather than copied."""
        for item in sorted(source.rglob("*")):
            if item.is_file():
                self.file(item, f"{rel}/{item.relative_to(source).as_posix()}")

    def file(self, source: Path, rel: str) -> None:
        """A static file (an asset, a thumbnail), linked rather than copied; once."""
        path = self.staging / rel
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(str(source), str(path))

    def _link(self, rel: str, path: Path) -> bool:
        if self.previous is None:
            return False
        try:
            os.link(self.previous / rel, path)
        except OSError:
            return False
        self.linked += 1
        return True


def link_or_copy(source: str, dest: str) -> None:
    try:
        os.link(source, dest)
    except OSError:  # another file system
        shutil.copy2(source, dest)


def swap(staging: Path, out: Path) -> None:
    """Replace `out` by `staging`: two renames, never a half-written `out`."""
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)
