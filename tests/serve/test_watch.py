"""The watcher on real OS notifications (watchfiles), with a fake builder and completer.

Why: with notifications there is no polling tick, so a save that arrives while a build
or its checks and exports run must be built: it cancels the running build (at 1 000
pages the checks and exports of one save took ~20 s, and a partial saved meanwhile was
once never built at all), and the next build redoes both saves' changes.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from tornado import ioloop

from mailkit.pipeline.jobs import Cancelled
from mailkit.serve.server import ServerState
from mailkit.serve.watch import Run, Watcher


def run_watcher(root: Path, steps) -> list[set[Path] | None]:
    """Serve `root` with a fake builder whose second half (checks and exports) is slow
    and stops when cancelled; `steps(builds, completing)` runs on a thread (the user
    editing) while the IO loop runs; returns what each build was given."""
    builds: list[set[Path] | None] = []
    completing = threading.Event()

    def builder(changed, previous, run):
        builds.append(changed)
        run.publish(object())  # the pages: shown
        completing.set()
        end = time.monotonic() + 0.5  # checks and exports: a save lands meanwhile
        while time.monotonic() < end:
            if run.cancelled():
                completing.clear()
                raise Cancelled
            time.sleep(0.01)
        completing.clear()
        return object()

    state = ServerState()
    state.rebuild(builder, None, Run(state, lambda emails: None))
    watch_while(root, state, builder, lambda: steps(builds, completing), timeout=60)
    return builds


def watch_while(root: Path, state: ServerState, builder, user, timeout: float) -> None:
    """The watcher on an IO loop of a thread of its own, `user()` on another (the person
    editing); returns when `user` does, raising what either raised."""
    error: list[BaseException] = []

    async def serve() -> None:
        loop = ioloop.IOLoop.current()
        watcher = Watcher(root, state, builder, lambda outcome, changed: None)
        watcher.start()
        done = asyncio.Event()

        def edits() -> None:
            try:
                user()
            except BaseException as exc:  # reported by the test
                error.append(exc)
            finally:
                loop.add_callback(done.set)

        threading.Thread(target=edits, daemon=True).start()
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
    runner.join(timeout=timeout)
    assert not runner.is_alive(), "the watcher's loop did not stop"
    if error:
        raise error[0]


def wait(condition, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_a_save_during_checks_and_exports_supersedes_them(tmp_path):
    """The running build is cancelled, and the next one redoes both saves' changes."""
    for folder in ("emails", "partials"):
        (tmp_path / folder).mkdir()
    email, partial = tmp_path / "emails/a.mjml.j2", tmp_path / "partials/footer.mjml.j2"
    email.write_text("a")
    partial.write_text("footer")

    def steps(builds, completing) -> None:
        email.write_text("a, edited")
        assert wait(lambda: len(builds) == 2), builds
        assert completing.wait(5), "the build never reached its checks"
        partial.write_text("footer, edited")  # saved while the checks run
        assert wait(lambda: len(builds) == 3), f"the save during completion was lost: {builds}"
        assert wait(lambda: not completing.is_set(), 2)

    builds = run_watcher(tmp_path, steps)
    assert builds[1] == {email}
    assert builds[2] == {email, partial}  # the cancelled build's change is redone too


def test_contracts_are_watched(tmp_path):
    """A data contract decides each email's edge states: editing one rebuilds."""
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails/a.mjml.j2").write_text("a")
    contract = tmp_path / "contracts/placed_order.yaml"
    contract.parent.mkdir()
    contract.write_text("trigger: Placed Order\n")

    def steps(builds, completing) -> None:
        assert wait(lambda: not completing.is_set(), 5)
        contract.write_text("trigger: Placed Order\nfields: {}\n")
        assert wait(lambda: len(builds) == 2), f"the contract's edit was not built: {builds}"

    builds = run_watcher(tmp_path, steps)
    assert builds[1] == {contract}
