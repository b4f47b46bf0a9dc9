"""Watch the project's sources: notifications, debounce, and build on a worker thread.

The operating system says what changed (inotify on Linux, through `watchfiles`); where
it cannot, the watcher polls file times (`FileTimes`). A save during a build cancels it
at its next page, and the next build redoes the changes of both. One build at a time,
on one thread: two builds never write `build/` at once, and a stale build never shows
anything after a newer one. A failed build's changes are kept for the next.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from tornado import ioloop

from ..model import SOURCE_FILES, SOURCE_FOLDERS

if TYPE_CHECKING:
    from ..model import BuildResult
    from .server import Builder, ServerState

POLL_SECONDS = 0.025
DEBOUNCE_SECONDS = 0.04  # quiet time after the last change before building
RUST_TIMEOUT_MS = 200  # watchfiles wakes us this often when idle (a no-op)
READY_SECONDS = 30.0  # longest wait for the OS watches before serving anyway


class FileTimes:
    """File modification times under the watched folders, to detect changes cheaply."""

    def __init__(self, root: Path, folders: Iterable[str] = SOURCE_FOLDERS) -> None:
        self.root = root
        self.folders = tuple(folders)
        self.mtimes = self._scan()

    def _scan(self) -> dict[Path, int]:
        found: dict[Path, int] = {}
        for name in SOURCE_FILES:
            with contextlib.suppress(FileNotFoundError):
                found[self.root / name] = (self.root / name).stat().st_mtime_ns
        for folder in self.folders:
            for dirpath, dirnames, filenames in os.walk(self.root / folder):
                dirnames[:] = [d for d in dirnames if not d.startswith(".")]
                for name in filenames:
                    if name.startswith(".") or name.endswith(("~", ".swp", ".tmp")):
                        continue
                    path = Path(dirpath, name)
                    try:
                        found[path] = path.stat().st_mtime_ns
                    except FileNotFoundError:
                        continue
        return found

    def changes(self) -> set[Path]:
        """Files added, modified or removed since the last call."""
        now = self._scan()
        changed = {p for p, m in now.items() if self.mtimes.get(p) != m}
        changed |= set(self.mtimes) - set(now)
        self.mtimes = now
        return changed


Reload = Callable[[frozenset[str] | None], None]  # the tabs of these emails, or all


class Run:
    """One build in progress, as the builder sees it (rebuild.py): cancelled by a
    newer save, told which pages are open, showing each step as it lands in build/."""

    def __init__(self, state: ServerState, reload: Reload,
                 loop: ioloop.IOLoop | None = None) -> None:
        self.state, self.reload, self.loop = state, reload, loop
        self.stop = threading.Event()

    def cancel(self) -> None:
        self.stop.set()

    def cancelled(self) -> bool:
        return self.stop.is_set()

    def open(self) -> frozenset[str]:
        return self.state.open

    def publish(self, result: BuildResult, emails: frozenset[str] | None = None) -> None:
        self.state.publish(result)
        if self.loop is not None:  # the first build runs before any browser connects
            self.loop.add_callback(self.reload, emails)


class Watcher:
    """Poll, debounce, and build on a worker thread; a save during a build cancels it.

    Runs on the tornado IO loop; `on_built(outcome, changed)` is called back on the loop.
    """

    def __init__(self, root: Path, state: ServerState, builder: Builder,
                 on_built: Callable[[str, set[Path]], None],
                 reload: Reload = lambda emails: None) -> None:
        self.files = FileTimes(root)
        self.state, self.builder, self.on_built = state, builder, on_built
        self.reload = reload
        self.pending: set[Path] = set()
        self.owed: set[Path] = set()  # changes of a build that did not finish
        self.last_change = 0.0
        self.run: Run | None = None  # the build in progress
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mailkit-build")

    def start(self) -> None:
        """Listen to the OS's change notifications; poll where there are none."""
        self.stop_event = threading.Event()
        try:
            import watchfiles  # noqa: F401
        except ImportError:
            ioloop.PeriodicCallback(self.poll, POLL_SECONDS * 1000).start()
            return
        loop = ioloop.IOLoop.current()
        self.ready = threading.Event()
        threading.Thread(target=self._listen, args=(loop,), daemon=True,
                         name="mailkit-watch").start()
        # Return once the OS watches are registered (that takes a while on a big tree):
        # a save made before that would never be reported.
        self.ready.wait(READY_SECONDS)

    def stop(self) -> None:
        self.stop_event.set()

    def _listen(self, loop: ioloop.IOLoop) -> None:
        """On the watch thread: hand each batch of changed paths to the IO loop."""
        import watchfiles

        root = self.files.root
        paths = [root / f for f in self.files.folders if (root / f).is_dir()]
        paths += [root / f for f in SOURCE_FILES if (root / f).is_file()]
        try:
            for batch in watchfiles.watch(*paths, stop_event=self.stop_event,
                                          debounce=round(DEBOUNCE_SECONDS * 1000), step=10,
                                          watch_filter=_source, yield_on_timeout=True,
                                          rust_timeout=RUST_TIMEOUT_MS, raise_interrupt=False):
                # The first yield (a timeout, at the latest) means the watches are in
                # place: look once for what changed since the times were read. Then
                # the paths notified are the changes: no scan of the tree (twice a save,
                # and it grows with the project).
                if not self.ready.is_set():
                    loop.add_callback(self.poll)
                elif batch:
                    loop.add_callback(self._notified, {Path(p) for _, p in batch})
                self.ready.set()
        except Exception:  # no notifications here (a full inotify table…): poll instead
            self.ready.set()
            loop.add_callback(lambda: ioloop.PeriodicCallback(
                self.poll, POLL_SECONDS * 1000).start())

    def _notified(self, changed: set[Path]) -> None:
        self._changed(changed)

    def poll(self) -> None:
        self._changed(self.files.changes())

    def _changed(self, changed: set[Path]) -> None:
        if changed:
            self.pending |= changed
            self.last_change = time.monotonic()
            # look again when the debounce ends, not at the next tick after it
            ioloop.IOLoop.current().call_later(DEBOUNCE_SECONDS, self._changed, set())
        quiet = time.monotonic() - self.last_change >= DEBOUNCE_SECONDS
        if not (self.pending and quiet):
            return
        if self.run is not None:
            self.run.cancel()  # stale: it stops at its next page, then _done builds all
            return
        batch = self.pending | self.owed
        self.pending = set()
        loop = ioloop.IOLoop.current()
        self.run = Run(self.state, self.reload, loop)
        future = self.pool.submit(self.state.rebuild, self.builder, batch, self.run)
        future.add_done_callback(lambda f: loop.add_callback(self._done, f.result(), batch))

    def _done(self, outcome: str, batch: set[Path]) -> None:
        self.run = None
        self.owed = set() if outcome == "ok" else batch
        self.on_built(outcome, batch)
        # Build what was saved meanwhile: with notifications there is no polling tick
        # to notice it, and no new event comes for a save that was already reported.
        if self.pending:
            self._changed(set())


def _source(change: object, path: str) -> bool:
    """What the polling skips, skipped here too: hidden files, editor backups."""
    name = os.path.basename(path)
    return not name.startswith(".") and not name.endswith(("~", ".swp", ".tmp"))
