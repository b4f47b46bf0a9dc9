"""A build that uses every core (compile workers, site pages shared out) writes the same site."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from mailkit.commands.build import build
from mailkit.errors import BuildFailed
from mailkit.pipeline import parallel, workers


@pytest.fixture(autouse=True)
def forking_allowed(monkeypatch):
    """Other tests of this worker (serve's) may leave idle threads: fork anyway here."""
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setattr(workers, "can_fork", lambda: True)


def files(tree: Path) -> dict[str, bytes]:
    """Every file of a build but the home page, which says when it was built."""
    return {str(p.relative_to(tree)): p.read_bytes() for p in sorted(tree.rglob("*"))
            if p.is_file() and p.relative_to(tree) != Path("index.html")}


def pid_and_items(items: list[int]) -> tuple[int, list[int]]:
    return os.getpid(), items


def test_shares_deal_round_robin_with_enough_items_each():
    assert parallel.shares(list(range(10)), 2) == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]
    assert parallel.shares(list(range(7)), 2) == [list(range(7))]  # 7 // MIN_SHARE = 1
    assert parallel.shares([1, 2], 8) == [[1, 2]]


def test_split_map_runs_the_first_share_here_and_the_others_forked():
    results = parallel.split_map(pid_and_items, list(range(12)), workers=3)
    assert [items for _, items in results] == [[0, 3, 6, 9], [1, 4, 7, 10], [2, 5, 8, 11]]
    pids = [pid for pid, _ in results]
    assert pids[0] == os.getpid()
    assert len(set(pids)) == 3


def test_no_fork_while_another_thread_runs(monkeypatch):
    monkeypatch.undo()  # the real can_fork
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.can_fork()
        assert parallel.split_map(pid_and_items, list(range(12)), workers=3) == [
            (os.getpid(), list(range(12)))]
    finally:
        stop.set()
        thread.join()


def test_mailkit_jobs_1_keeps_everything_in_this_process(monkeypatch):
    monkeypatch.setenv("MAILKIT_JOBS", "1")
    assert parallel.cores() == 1
    assert parallel.split_map(pid_and_items, list(range(12))) == [(os.getpid(), list(range(12)))]


def fails_in_the_child(items: list[int]) -> list[int]:
    if 1 in items:
        raise ValueError("a bug in share two")
    return items


def test_a_bug_in_a_forked_share_is_raised_here_with_its_traceback():
    with pytest.raises(parallel.ChildFailed) as info:
        parallel.split_map(fails_in_the_child, list(range(8)), workers=2)
    assert "ValueError: a bug in share two" in str(info.value)
    assert "fails_in_the_child" in str(info.value)


def test_parallel_and_serial_builds_write_the_same_files(demo_copy, monkeypatch):
    forks = []
    real_fork = os.fork

    def counting_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(parallel.os, "fork", counting_fork)
    monkeypatch.setenv("MAILKIT_JOBS", "1")
    serial = build(demo_copy, out=demo_copy / "serial")
    assert forks == []
    monkeypatch.setenv("MAILKIT_JOBS", "2")
    shared = build(demo_copy, out=demo_copy / "shared")
    assert len(forks) == 3  # the compile workers, the emails' own files, the site's pages
    assert files(demo_copy / "shared") == files(demo_copy / "serial")
    assert shared.pages.keys() == serial.pages.keys()
    assert shared.exports.keys() == serial.exports.keys()
    assert all(p.findings == serial.pages[k].findings for k, p in shared.pages.items())


def test_errors_of_a_parallel_build_are_reported_in_file_order(demo_copy, monkeypatch):
    monkeypatch.setenv("MAILKIT_JOBS", "2")
    templates = sorted(demo_copy.glob("brands/*/emails/*.mjml.j2"))
    for path in templates:  # every email fails
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("{% block subject %}", "{% block subject %}{{ nope.x }}"),
                        encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        build(demo_copy)
    paths = [e.path for e in info.value.errors]
    assert paths == [p.relative_to(demo_copy).as_posix() for p in templates]
    assert all("'nope' is undefined" in e.message for e in info.value.errors)
