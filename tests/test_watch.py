"""The watcher on real OS notifications (watchfiles), with a fake builder and completer.

Why: with notifications there is no polling tick, so a save that arrives while a build
or its checks and exports run must be built when they finish. At 1 000 pages the
completion of one save takes ~20 s; a partial saved meanwhile was never built at all.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from tornado import ioloop

from mailkit.serve import State
from mailkit.watch import Watcher


class Pending:
    """A build result whose checks and exports are still to do."""

    pending = True


def run_watcher(root: Path, steps) -> list[set[Path] | None]:
    """Serve `root` with a fake builder and a slow completer; `steps(builds)` runs on a
    thread (the user editing) while the IO loop runs; returns what each build was given."""
    builds: list[set[Path] | None] = []
    completing = threading.Event()

    def builder(changed, previous):
        builds.append(changed)
        return Pending()

    def completer(result):
        completing.set()
        time.sleep(0.5)  # checks and exports: a save lands meanwhile
        completing.clear()
        return object()

    state = State()
    state.rebuild(builder, None)
    error: list[BaseException] = []

    async def serve() -> None:
        loop = ioloop.IOLoop.current()
        watcher = Watcher(root, state, builder, lambda ok, changed: None, completer)
        watcher.start()
        done = asyncio.Event()

        def user() -> None:
            try:
                steps(builds, completing)
            except BaseException as exc:  # reported by the test
                error.append(exc)
            finally:
                loop.add_callback(done.set)

        threading.Thread(target=user, daemon=True).start()
        await done.wait()
        watcher.stop()

    def loop_thread() -> None:
        # a thread of its own: under pytest-xdist a browser test's Playwright may have an
        # event loop running in this one, and asyncio.run() refuses to nest
        try:
            asyncio.run(serve())
        except BaseException as exc:  # reported by the test
            error.append(exc)

    runner = threading.Thread(target=loop_thread, daemon=True)
    runner.start()
    runner.join(timeout=60)
    assert not runner.is_alive(), "the watcher's loop did not stop"
    if error:
        raise error[0]
    return builds


def wait(condition, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_save_made_during_checks_and_exports_is_built_after_them(tmp_path):
    for folder in ("emails", "partials"):
        (tmp_path / folder).mkdir()
    email, partial = tmp_path / "emails/a.mjml.j2", tmp_path / "partials/footer.mjml.j2"
    email.write_text("a")
    partial.write_text("footer")

    def steps(builds, completing) -> None:
        email.write_text("a, edited")
        assert wait(lambda: len(builds) == 2), builds
        assert completing.wait(5), "the completer never ran"
        partial.write_text("footer, edited")  # saved while the checks run
        assert wait(lambda: len(builds) == 3), f"the save during completion was lost: {builds}"
        assert builds[2] == {partial}

    builds = run_watcher(tmp_path, steps)
    assert builds[1] == {email}

