"""Compile workers: forked processes that run a build's jobs (jobs.py) while the parent
renders.

`mailkit build` forks its first worker before anything heavy is imported: it imports
the compile and check stack (`jobs.warm_up`) while the parent imports the rest, and once
the parent says jobs will come (`Worker.expect`) it rehearses (warm.py) and forks a
sibling per further core, which inherits what it loaded. They compile and check each
page as soon as the parent has rendered it, at a lower priority. Jobs are dealt to
whichever worker is free, and results stream back one by one.

This module is light on purpose: the CLI imports it before it forks.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
from collections import deque
from collections.abc import Iterator
from typing import TYPE_CHECKING, NoReturn

from .jobs import Done, Job, run_job, warm_up
from .parallel import Frames, answer, can_fork, cores, flush, frame, unpack
from .warm import first_word, go, is_go, read_images, rehearse

if TYPE_CHECKING:
    from pathlib import Path

PIPE_BYTES = 1 << 20  # a pipe's size asked for (a hint): a few jobs or results fit
IN_FLIGHT = 3  # jobs a worker holds at once: it never waits for its next, and at the
#                end no worker is left with a pile while the other idles
STICKY = 2  # more it may hold of the email it has: a worker's memos span an email's states
QUEUED = 64  # jobs rendered ahead of the workers, at most: the parent then waits


class Worker:
    """Forked processes that run jobs while this one renders (see the module doc).

    One process is forked at once and imports the compile stack; it then forks one
    sibling per further core, which inherits those imports for free. Each has its own
    pair of pipes. Jobs are dealt as workers free up: each holds at most `IN_FLIGHT`,
    the next goes to the one holding fewest, so both finish together (or, with a few
    more, to the one that has its email's other states); each result
    comes back as soon as it is done. The job pipes are written without blocking (what
    does not fit waits here), so neither side can wait for the other forever.
    """

    def __init__(self, pid: int, outs: list[int], ins: list[int]) -> None:
        self.pid = pid
        self._outs, self._ins = outs, ins
        for fd in outs:
            os.set_blocking(fd, False)
        self._queue: deque[tuple[str, bytes]] = deque()  # (group, framed job) not dealt
        self._last = [""] * len(outs)  # the group of the job each worker was dealt last
        self._unsent = [bytearray() for _ in outs]  # framed jobs dealt, not yet written
        self._held = [0] * len(outs)  # jobs dealt to each worker and not answered
        self._answers = [Frames() for _ in ins]
        self._found: dict[str, Done] = {}
        self._open = True
        self._closed = False

    @classmethod
    def start(cls) -> Worker | None:
        """Fork the workers, or None where that is not worth it or not safe."""
        count = cores()
        if count < 2 or not can_fork():
            return None
        flush()
        pairs = [(os.pipe(), os.pipe()) for _ in range(count)]
        for (_, jobs_out), (_, results_out) in pairs:
            for fd in (jobs_out, results_out):
                with contextlib.suppress(OSError, AttributeError, ImportError):  # Linux: a hint
                    import fcntl

                    fcntl.fcntl(fd, 1031, PIPE_BYTES)  # F_SETPIPE_SZ
        pid = os.fork()
        if pid == 0:
            for (_, jobs_out), (results_in, _) in pairs:
                os.close(jobs_out)
                os.close(results_in)
            _serve([(jobs_in, results_out) for (jobs_in, _), (_, results_out) in pairs])
        for (jobs_in, _), (_, results_out) in pairs:
            os.close(jobs_in)
            os.close(results_out)
        return cls(pid, [jobs_out for (_, jobs_out), _ in pairs],
                   [results_in for _, (results_in, _) in pairs])

    def submit(self, job: Job) -> None:
        assert self._open, "results() was called: the worker takes no more jobs"
        self._queue.append((job.group, frame(pickle.dumps(job, pickle.HIGHEST_PROTOCOL))))
        self._pump(wait=len(self._queue) > QUEUED)  # far ahead: let the workers catch up

    def expect(self, root: Path | None = None) -> None:
        """Tell the first worker that jobs will come for the project at `root`: it
        rehearses now (warm.py)."""
        if self._open and self._outs and not self._unsent[0] and not any(self._held):
            self._unsent[0] += frame(go(root))
            self._pump(wait=False)

    def results(self) -> dict[str, Done]:
        """Every job's result, by id: tells the workers there are no more jobs."""
        try:
            while self._queue or any(self._held):
                self._pump(wait=True)
            self._open = False  # every result is in: the workers end on their own
        finally:  # a worker's bug is raised here: the others are stopped all the same
            self.close()
        return self._found

    def close(self) -> None:
        """Stop the workers. Unless every result was read, nothing they do is wanted
        (a build with nothing to do, or one that failed): the first is stopped at once,
        not waited for through its imports and rehearsal (its siblings, if any, end
        with their pipes); a record it was appending is cut short, which the step
        cache ignores."""
        if self._open and not self._closed:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGTERM)
        self._open = False
        for fd in (*self._outs, *self._ins):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._outs, self._ins = [], []
        if not self._closed:
            self._closed = True
            os.waitpid(self.pid, 0)

    def _worker_for(self, group: str) -> int | None:
        """The worker that has this email's other states, if it holds few enough jobs
        (the checks keep what the states share in a worker's memory); else the one
        holding fewest, if it has room; else None (the job waits)."""
        for index, last in enumerate(self._last):
            if group and last == group and self._held[index] < IN_FLIGHT + STICKY:
                return index
        index = min(range(len(self._held)), key=self._held.__getitem__)
        return index if self._held[index] < IN_FLIGHT else None

    def _pump(self, wait: bool) -> None:
        """Deal queued jobs, write what the pipes take, read the results that are in."""
        while self._queue:
            group = self._queue[0][0]
            index = self._worker_for(group)
            if index is None:
                break
            self._unsent[index] += self._queue.popleft()[1]
            self._held[index] += 1
            self._last[index] = group
        writers = [fd for fd, data in zip(self._outs, self._unsent, strict=True) if data]
        readers = [fd for fd, held in zip(self._ins, self._held, strict=True) if held]
        if not writers and not readers:
            return
        ready, writable, _ = select.select(readers, writers, [], None if wait else 0)
        for fd in writable:
            data = self._unsent[self._outs.index(fd)]
            with contextlib.suppress(BlockingIOError):
                del data[:os.write(fd, data)]
        for fd in ready:
            index = self._ins.index(fd)
            for payload in self._answers[index].feed(os.read(fd, 1 << 20), "a compile worker"):
                done: Done = unpack(payload, "a compile worker")
                self._found[done.id] = done
                self._held[index] -= 1


@contextlib.contextmanager
def worker() -> Iterator[Worker | None]:
    """A worker for the length of a `with` block (None where there is none to have)."""
    started = Worker.start()
    try:
        yield started
    finally:
        if started is not None:
            started.close()


def _serve(pairs: list[tuple[int, int]]) -> NoReturn:
    """The first worker: import, fork a sibling per further pair of pipes (it inherits
    the imports), serve the first pair, then wait for the siblings (the parent waits
    for this one only)."""
    with contextlib.suppress(OSError):
        os.nice(5)  # the parent renders the jobs: while it does, it comes first
    warm_up()  # while the parent imports its part
    first = first_word(pairs[0][0])
    if first is None:  # nothing to do
        os._exit(0)
    if is_go(first):  # what a first page loads, loaded before the siblings are forked
        rehearse(lambda mjml, doc, config: run_job(Job("warm-up", mjml, doc, config)))
        read_images(first)
    siblings = []
    for index in range(1, len(pairs)):
        pid = os.fork()
        if pid == 0:
            for jobs_fd, results_fd in [pairs[0], *pairs[index + 1:]]:
                os.close(jobs_fd)
                os.close(results_fd)
            os._exit(_answer(*pairs[index]))
        os.close(pairs[index][0])
        os.close(pairs[index][1])
        siblings.append(pid)
    code = _answer(*pairs[0], first=None if is_go(first) else first)
    for pid in siblings:
        os.waitpid(pid, 0)
    os._exit(code)


def _answer(jobs_fd: int, results_fd: int, first: bytes | None = None) -> int:
    """Run `first` and every job read from `jobs_fd`, each result sent back as soon as
    it is done."""
    return answer(jobs_fd, results_fd, lambda payload: run_job(pickle.loads(payload)), first)
