"""serve's warm workers (pool.py): the same answers as in-process, a cancel that leaves
no stale answer behind, and a dead worker that does not lose a job."""

from __future__ import annotations

import os
import signal

import pytest

from mailkit.jobs import Cancelled, Job, run_job
from mailkit.pool import Pool

MJML = ("<mjml><mj-body><mj-section><mj-column><mj-text>{}</mj-text></mj-column>"
        "</mj-section></mj-body></mjml>")


def jobs(count: int, word: str = "Bonjour") -> list[Job]:
    return [Job(f"page-{i}", MJML.format(f"{word} {i}")) for i in range(count)]


@pytest.fixture
def pool():
    started = Pool.start(2)
    if started is None:
        pytest.skip("no fork here (one core, or a process with threads)")
    yield started
    started.close()


def test_the_pool_answers_as_the_process_itself(pool):
    todo = jobs(11)
    found = pool.run(todo)
    assert found == {j.id: run_job(j) for j in todo}
    assert pool.run(jobs(3, "Encore"))["page-2"].compiled.html.count("Encore 2") == 1


def test_a_cancelled_batch_leaves_no_answer_for_the_next(pool):
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 2  # after a couple of chunks are out

    with pytest.raises(Cancelled):
        pool.run(jobs(40, "Ancien"), cancel)
    fresh = pool.run(jobs(8, "Nouveau"))
    assert sorted(fresh) == [f"page-{i}" for i in range(8)]
    assert all("Nouveau" in d.compiled.html and "Ancien" not in d.compiled.html
               for d in fresh.values())


def test_a_dead_worker_breaks_the_pool_not_the_build(pool):
    for pid, _, _ in pool.workers:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    found = pool.run(jobs(12))
    assert sorted(found) == sorted(j.id for j in jobs(12))
    assert pool.broken
    assert found["page-3"] == run_job(jobs(12)[3])
