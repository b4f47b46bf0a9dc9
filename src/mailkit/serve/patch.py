"""`serve`'s writer: bring `build/` to a new build by replacing only what changed.

The content is a clean build's (`output.tree.write_files`); only the files whose bytes
differ from `build/`'s are written, and a reused page's content is never made:

- an **email folder** (`build/<brand>/<email>/`: its site page and every state's HTML,
  text and MJML) is read together: with more than one file changed, its new version is
  staged beside `build/` (unchanged files hard-linked) and exchanged with the old in one
  atomic step (`renameat2(RENAME_EXCHANGE)`; elsewhere two renames); a single changed
  file is replaced alone;
- the files every page shares (`_mailkit/nav-data.js`, `manifest.json`, the home page)
  are replaced one by one, after the folders, so the sidebar never links a folder that
  is not there yet.

A file the build does not make any more is deleted when the set of pages or any input
other than a template changed (`sweep`); the folders other commands write are kept.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from ..model import BuildResult
from ..output.staging import Writer, link_or_copy
from ..output.tree import KEEP, write_files

LAST = ("_mailkit/nav-data.js", "manifest.json", "index.html")  # shared files, in this order
RENAME_EXCHANGE = 2  # linux/fs.h


class Patch(Writer):
    """A `Writer` that stages only the files whose bytes differ from `out`'s."""

    def __init__(self, out: Path, only: Callable[[str], bool] | None = None) -> None:
        staging = out.with_name(f".{out.name}.patch")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        super().__init__(staging, out)
        self.out = out
        self.only = only  # write only these files (the open pages' folders)
        self.made: set[str] = set()  # every file the build has, changed or not
        self.changed: list[str] = []

    def text(self, rel: str, content: str | Callable[[], str], reuse: bool = False) -> None:
        self.made.add(rel)
        if self.only is not None and not self.only(rel):
            return
        target = self.out / rel
        if reuse and target.is_file():  # the page did not change (missing: a hand removed it)
            return
        data = (content() if callable(content) else content).encode("utf-8")
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                return
        except OSError:
            pass
        path = self.staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.changed.append(rel)

    def texts(self, items: list[tuple[str, str | Callable[[], str], bool]]) -> None:
        for rel, content, reuse in items:  # in this process: `changed` is kept here
            self.text(rel, content, reuse)

    def tree(self, source: Path, rel: str) -> None:
        for item in sorted(source.rglob("*")):
            if not item.is_file():
                continue
            name = f"{rel}/{item.relative_to(source).as_posix()}"
            self.made.add(name)
            if self.only is not None and not self.only(name):
                continue
            with contextlib.suppress(OSError):
                if os.path.samefile(item, self.out / name):
                    continue
            path = self.staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(str(item), str(path))
            self.changed.append(name)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def adopt_strays(self) -> None:
        """Files written straight into staging (the site's thumbnails): named by their
        content, so one already in `out` is the same file."""
        known = set(self.changed)
        for dirpath, _, filenames in os.walk(self.staging):
            for name in filenames:
                rel = Path(dirpath, name).relative_to(self.staging).as_posix()
                if rel in known:
                    continue
                self.made.add(rel)
                if (self.out / rel).is_file():
                    os.unlink(self.staging / rel)
                else:
                    self.changed.append(rel)


def write_patch(result: BuildResult, out: Path, *, only: set[str] | None = None,
                keep_pages: bool = False, sweep: bool = False) -> Patch:
    """Bring `out` (the tree an earlier result of the same project wrote, and nothing
    else since) to `result`. `only`: email keys whose folders alone are written (the
    open pages first). `sweep`: delete the files `result` no longer has. The patch's
    `changed` lists the paths replaced; `discard()` removes the old files once the
    reload is sent (deleting them is most of the cost of a small patch)."""
    folders = {p.target.email_key for p in result.pages.values()}
    allowed = None if only is None else (lambda rel: _folder(rel, folders) in only)
    patch = Patch(out, allowed)
    try:
        write_files(result, patch, keep_pages=keep_pages)
        patch.adopt_strays()
        _apply(patch, folders)
        if sweep and only is None:
            _sweep(out, patch.made)
    except BaseException:
        patch.discard()
        raise
    return patch


def _folder(rel: str, folders: set[str]) -> str | None:
    """The email folder (`brand/email`) a path of `build/` lies in, if any."""
    parts = rel.split("/")
    key = "/".join(parts[:2])
    return key if len(parts) > 2 and key in folders else None


def _apply(patch: Patch, folders: set[str]) -> None:
    staging, out = patch.staging, patch.out
    by_unit: dict[str, list[str]] = {}
    for rel in patch.changed:
        by_unit.setdefault(_folder(rel, folders) or "", []).append(rel)
    alone = by_unit.pop("", [])
    for unit, rels in sorted(by_unit.items()):
        if len(rels) == 1 and (out / unit).is_dir():  # one file (the page after its
            alone += rels  # checks): replacing it alone is as atomic as the folder
            continue
        new, old = staging / unit, out / unit
        if old.is_dir():
            for dirpath, _, filenames in os.walk(old):  # the unchanged files, linked
                for name in filenames:
                    rel = Path(dirpath, name).relative_to(out).as_posix()
                    target = staging / rel
                    if rel in patch.made and not target.exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        os.link(Path(dirpath, name), target)
            exchange(new, old)  # `new` now holds the old folder, removed with staging
        else:
            old.parent.mkdir(parents=True, exist_ok=True)
            os.rename(new, old)
    for rel in sorted(alone, key=lambda r: LAST.index(r) if r in LAST else -1):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, out / rel)


def _sweep(out: Path, made: set[str]) -> None:
    """Delete what the build no longer makes (a removed page or asset), then the
    folders left empty; never the folders other commands write."""
    for dirpath, _, filenames in os.walk(out, topdown=False):
        rel_dir = Path(dirpath).relative_to(out).as_posix()
        if rel_dir.split("/")[0] in KEEP:
            continue
        for name in filenames:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if rel not in made:
                os.unlink(Path(dirpath, name))
        if rel_dir != "." and not os.listdir(dirpath):
            os.rmdir(dirpath)


_renameat2: Callable[..., int] | None = None


def exchange(a: Path, b: Path) -> None:
    """Swap two folders atomically where the system can (Linux), else with renames."""
    global _renameat2
    if _renameat2 is None:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        _renameat2 = getattr(libc, "renameat2", None) or (lambda *args: -1)
    at_cwd = -100  # AT_FDCWD
    if _renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return
    parked = a.with_name(a.name + ".old")
    os.rename(b, parked)
    os.rename(a, b)
    os.rename(parked, a)
