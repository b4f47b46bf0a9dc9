"""serve's warm workers (serve/pool.py): the same answers as in-process, a cancel that leaves
no stale answer behind, and a dead worker that does not lose a job.

Each scenario runs in a new Python: the pool refuses to fork a process with threads, and
an earlier test in this one (a browser's, under pytest-xdist) may have left one running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mailkit.pipeline.jobs import Cancelled, Job, run_job
from mailkit.serve.pool import Pool

MJML = ("<mjml><mj-body><mj-section><mj-column><mj-text>{}</mj-text></mj-column>"
        "</mj-section></mj-body></mjml>")
HERE = Path(__file__).resolve().parent


def in_a_new_process(scenario: str, *args: str) -> None:
    """Run `scenario(*args)` of this module in a new Python, where no thread runs."""
    code = (f"import sys; sys.path[:0] = [{str(HERE)!r}, {str(HERE.parent)!r}]; "
            f"import test_pool; "
            f"test_pool.{scenario}(*sys.argv[1:])")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def jobs(count: int, word: str = "Bonjour") -> list[Job]:
    return [Job(f"page-{i}", MJML.format(f"{word} {i}")) for i in range(count)]


def started() -> Pool:
    pool = Pool.start(2)
    assert pool is not None, "a new process with no thread must be able to fork"
    return pool


def same_answers() -> None:
    pool = started()
    try:
        todo = jobs(11)
        assert pool.run(todo) == {j.id: run_job(j) for j in todo}
        assert pool.run(jobs(3, "Encore"))["page-2"].compiled.html.count("Encore 2") == 1
    finally:
        pool.close()


def cancelled_then_fresh() -> None:
    pool = started()
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 2  # after a couple of chunks are out

    try:
        with pytest.raises(Cancelled):
            pool.run(jobs(40, "Ancien"), cancel)
        fresh = pool.run(jobs(8, "Nouveau"))
        assert sorted(fresh) == [f"page-{i}" for i in range(8)]
        assert all("Nouveau" in d.compiled.html and "Ancien" not in d.compiled.html
                   for d in fresh.values())
    finally:
        pool.close()


def dead_workers() -> None:
    pool = started()
    try:
        for pid, _, _ in pool.workers:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        found = pool.run(jobs(12))
        assert sorted(found) == sorted(j.id for j in jobs(12))
        assert pool.broken
        assert found["page-3"] == run_job(jobs(12)[3])
    finally:
        pool.close()


def live_with_workers(root: str) -> None:
    """serve's builder with warm workers: a partial edit, a page open (test_rebuild.py
    compares the result with a clean build)."""
    from helpers import CHANGES
    from test_rebuild import OPEN, FakeRun

    from mailkit.serve.rebuild import Rebuilder

    pool, project = started(), Path(root)
    try:
        builder = Rebuilder(project, pool)
        result = builder(None, None, FakeRun())
        CHANGES["partial"](project)
        result = builder({project / "partials/footer.mjml.j2"}, result,
                         FakeRun(frozenset({OPEN})))
        assert not result.pending and pool.broken is False
    finally:
        pool.close()


def test_the_pool_answers_as_the_process_itself():
    in_a_new_process("same_answers")


def test_a_cancelled_batch_leaves_no_answer_for_the_next():
    in_a_new_process("cancelled_then_fresh")


def test_a_dead_worker_breaks_the_pool_not_the_build():
    in_a_new_process("dead_workers")
