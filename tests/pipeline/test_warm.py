"""The workers' rehearsal (pipeline/warm.py): only for a build that hands out jobs, the
brands' images read once before the other workers are forked, within a budget, and the
parent's word that starts it never taken for a job."""

from __future__ import annotations

import os

from helpers import REPO

from mailkit.commands.build import build
from mailkit.pipeline import parallel, warm, workers


def test_the_worker_rehearses_only_for_a_build_that_hands_out_jobs(demo_copy, monkeypatch):
    """The CLI forks the worker before it knows whether anything changed: a build with
    nothing to do must not pay for a rehearsal (warm.GO, `Worker.expect`)."""
    monkeypatch.setattr(workers, "can_fork", lambda: True)  # serve's tests leave threads
    monkeypatch.setenv("MAILKIT_JOBS", "2")  # a worker whatever the machine has
    marks = demo_copy / "rehearsed"
    monkeypatch.setattr(workers, "rehearse", lambda run: marks.open("a").write("x"))
    for _ in range(2):  # the first builds, the second has nothing to do
        with workers.worker() as worker:
            build(demo_copy, worker=worker)
    assert marks.read_text() == "x"


def test_the_rehearsal_reads_the_brands_images_for_every_worker(monkeypatch) -> None:
    """The word that starts a build names the project: the first worker analyses its
    brands' images before it forks the others (warm.read_images), so no worker reads
    an image's pixels again on its pages, and each image is read once a build."""
    from mailkit.check import pixels

    monkeypatch.setattr(pixels, "_READ", {})
    monkeypatch.setattr(pixels, "_SEEN", {})
    word = warm.go(REPO)
    assert warm.is_go(word)
    warm.read_images(word, budget=None)
    images = sorted((REPO / "brands").glob("*/assets/**/*.png"))
    assert images and len(pixels._SEEN) == len(images)

    def unread(data: bytes) -> None:
        raise AssertionError("an image analysed again")

    monkeypatch.setattr(pixels, "_facts", unread)
    assert all(pixels.facts(path) is not None for path in images)


def test_the_rehearsal_leaves_images_past_its_budget_to_the_pages(monkeypatch) -> None:
    """Hundreds of product photos must not hold the other workers back: past its
    budget the rehearsal stops, and those images are read by the pages that show them."""
    from mailkit.check import pixels

    monkeypatch.setattr(pixels, "_READ", {})
    monkeypatch.setattr(pixels, "_SEEN", {})
    warm.read_images(warm.go(REPO), budget=0.0)
    assert pixels._SEEN == {}


def test_a_word_naming_the_project_is_no_job() -> None:
    """The workers skip the parent's word, root and all, instead of running it."""
    jobs_r, jobs_w = os.pipe()
    results_r, results_w = os.pipe()
    os.write(jobs_w, parallel.frame(warm.go(REPO)))
    os.close(jobs_w)
    ran: list[bytes] = []
    assert parallel.answer(jobs_r, results_w, ran.append) == 0
    assert ran == []
    os.close(results_r)
