"""Warm workers for `serve`: compile and check processes forked once, reused by every save.

`mailkit build` forks fresh workers per build (pipeline/workers.py); serve cannot, since it
runs threads (the server, the watcher) and forking a threaded process is unsafe. The
pool is forked when serve starts, before any thread exists, and each worker imports
the compile and check stack once. A rebuild hands it jobs in chunks of `CHUNK`: a
cancelled build (a newer save) stops after the chunks in flight.

Messages are length-prefixed pickles over one pair of pipes per worker; the parent
writes a chunk only to a worker waiting for one and reads answers as they come
(`select`), so neither side can wait forever. A worker that dies leaves the pool
broken: its jobs, and every later one, run in the serve process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import struct
import threading
from collections.abc import Callable
from typing import NoReturn

from ..pipeline.jobs import Cancelled, Done, Job, run_job, warm_up
from ..pipeline.parallel import can_fork, cores, flush

CHUNK = 4  # jobs per message: small, so a cancel waits for little
HEADER = struct.Struct("!Q")


class Pool:
    """Forked workers that run jobs for as long as serve runs."""

    def __init__(self, workers: list[tuple[int, int, int]]) -> None:
        self.workers = workers  # (pid, jobs fd to write, results fd to read)
        self.lock = threading.Lock()  # one build at a time uses it
        self.broken = False
        self.current: Batch | None = None

    @classmethod
    def start(cls, count: int | None = None) -> Pool | None:
        """Fork `count` workers (default: one per usable core), or None where that is
        not possible (one core, `MAILKIT_JOBS=1`, a process with threads already)."""
        count = cores() if count is None else count
        if count < 2 or not can_fork():
            return None
        flush()
        workers: list[tuple[int, int, int]] = []
        for _ in range(count):
            jobs_in, jobs_out = os.pipe()
            results_in, results_out = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(jobs_out)
                os.close(results_in)
                for _, out, into in workers:  # the siblings' ends stay with the parent
                    os.close(out)
                    os.close(into)
                _serve(jobs_in, results_out)
            os.close(jobs_in)
            os.close(results_out)
            workers.append((pid, jobs_out, results_in))
        return cls(workers)

    def run(self, todo: list[Job], cancel: Callable[[], bool] | None = None) -> dict[str, Done]:
        """Every job's result, by id; `Cancelled` if `cancel` says so between chunks."""
        batch = self.batch(cancel)
        for job in todo:
            batch.submit(job)
        return batch.results()

    def batch(self, cancel: Callable[[], bool] | None = None) -> Batch:
        """A build's jobs, handed out as they come (`gather`'s worker interface). The
        chunks a cancelled batch left in flight are awaited first."""
        with self.lock:
            if self.current is not None:
                self.current.queue.clear()
                self.current._drain()  # noqa: SLF001
            self.current = Batch(self, cancel)
            return self.current

    def close(self) -> None:
        for pid, out, into in self.workers:
            for fd in (out, into):
                with contextlib.suppress(OSError):
                    os.close(fd)
            with contextlib.suppress(ChildProcessError):  # reaped already (a test)
                os.waitpid(pid, 0)
        self.workers = []


class Batch:
    """Jobs sent in chunks to idle workers while the build renders the next pages."""

    def __init__(self, pool: Pool, cancel: Callable[[], bool] | None) -> None:
        self.pool, self.cancel = pool, cancel
        self.queue: list[list[Job]] = []
        self.chunk: list[Job] = []
        self.idle = list(range(len(pool.workers)))
        self.busy: dict[int, tuple[int, list[Job]]] = {}  # results fd → (worker, chunk)
        self.found: dict[str, Done] = {}

    def submit(self, job: Job) -> None:
        self.chunk.append(job)
        if len(self.chunk) >= CHUNK:
            self.queue.append(self.chunk)
            self.chunk = []
            self._pump(wait=False)

    def results(self) -> dict[str, Done]:
        if self.chunk:
            self.queue.append(self.chunk)
            self.chunk = []
        while self.queue or self.busy:
            self._pump(wait=True)
        return self.found

    def _pump(self, wait: bool) -> None:
        """Hand queued chunks to idle workers; take the answers that are in."""
        with self.pool.lock:
            while self.queue and (self.idle or self.pool.broken):
                if self.cancel is not None and self.cancel():
                    self.queue.clear()
                    self._drain()
                    raise Cancelled
                chunk = self.queue.pop(0)
                if self.pool.broken:
                    self.found.update((j.id, run_job(j)) for j in chunk)
                    continue
                index = self.idle.pop()
                _, out, into = self.pool.workers[index]
                try:
                    _write(out, pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))
                except OSError:  # the worker is gone (EPIPE)
                    self.pool.broken = True
                    self.queue.insert(0, chunk)
                    continue
                self.busy[into] = (index, chunk)
            if self.busy:
                ready, _, _ = select.select(list(self.busy), [], [], None if wait else 0)
                for fd in ready:
                    self._receive(fd)

    def _receive(self, fd: int) -> None:
        index, chunk = self.busy.pop(fd)
        payload = _read(fd)
        if payload is None:  # the worker died: its chunk, and all later work, run here
            self.pool.broken = True
            self.found.update((j.id, run_job(j)) for j in chunk)
            return
        self.found.update((done.id, done) for done in pickle.loads(payload))
        self.idle.append(index)

    def _drain(self) -> None:
        """Await the chunks in flight (their answers are dropped): a worker is never
        left with an answer the next build would read as its own."""
        while self.busy:
            ready, _, _ = select.select(list(self.busy), [], [])
            for fd in ready:
                index, _ = self.busy.pop(fd)
                if _read(fd) is None:
                    self.pool.broken = True
                else:
                    self.idle.append(index)


def _write(fd: int, payload: bytes) -> None:
    data = memoryview(HEADER.pack(len(payload)) + payload)
    while data:
        data = data[os.write(fd, data):]


def _read(fd: int) -> bytes | None:
    """One message, or None at the end of the pipe (the other side is gone)."""
    header = _exactly(fd, HEADER.size)
    if header is None:
        return None
    return _exactly(fd, HEADER.unpack(header)[0])


def _exactly(fd: int, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        part = os.read(fd, min(left, 1 << 20))
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _serve(jobs_fd: int, results_fd: int) -> NoReturn:
    """A worker: import the stack once, then answer chunks until the pipe closes."""
    warm_up()
    code = 0
    try:
        while (payload := _read(jobs_fd)) is not None:
            answers = [run_job(job) for job in pickle.loads(payload)]
            _write(results_fd, pickle.dumps(answers, pickle.HIGHEST_PROTOCOL))
    except BaseException:  # noqa: BLE001  # the parent sees the pipe close, runs it itself
        code = 1
    os._exit(code)
