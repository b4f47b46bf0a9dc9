"""Use the machine's cores, with `fork`: how many, when it is safe, and `split_map`.

A build's pages go to compile workers (jobs.py); the site's email pages are shared out
with `split_map`: the first share in this process, the others in forked children.
`fork`, not a process pool: a child starts with everything the parent already paid for
(imports, the validated project, warm caches), which `spawn` would pay again.

Only where forking is safe and worth it: a POSIX system, more than one core, a process
with one thread (`serve` runs a server and a watcher: it has its own pool) and at
least `MIN_SHARE` items per share. `MAILKIT_JOBS=1` turns it off. A child sends its
result back pickled and leaves with `os._exit`, so no `atexit` handler runs twice; a
bug in a child is raised in the parent with the child's traceback.
"""

from __future__ import annotations

import itertools
import os
import pickle
import struct
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_SHARE = 4  # fewer pages than this per core: forking costs more than it saves


class ChildFailed(RuntimeError):
    """A forked share raised: a bug in mailkit, shown with the child's traceback."""


def cores() -> int:
    """How many processes a full build may use: `MAILKIT_JOBS`, else the usable cores."""
    wanted = os.environ.get("MAILKIT_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


def shares(items: Sequence[T], workers: int) -> list[list[T]]:
    """Deal `items` round-robin: neighbours (one email's scenarios) cost alike."""
    count = max(1, min(workers, len(items) // MIN_SHARE))
    return [list(items[i::count]) for i in range(count)]


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def split_map(func: Callable[[list[T]], R], items: Sequence[T],
              workers: int | None = None) -> list[R]:
    """`func` over shares of `items`, the first in this process, the others forked.

    Results come back in share order. With one share (or no fork) it is `[func(items)]`.
    """
    parts = shares(items, cores() if workers is None else workers)
    if len(parts) < 2 or not can_fork():
        return [func(list(items))]
    flush()
    children = [_fork(func, part) for part in parts[1:]]
    results = [func(parts[0])]
    for pid, fd in children:
        payload = read(fd)
        os.waitpid(pid, 0)
        results.append(unpack(payload, "a forked share"))
    return results


def _fork(func: Callable[[list[T]], R], part: list[T]) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    os.close(read_end)  # the child from here on: never returns
    code = 1
    try:
        code = send(write_end, lambda: func(part))
    finally:
        os._exit(code)


# -- the pipe between a forked child and its parent, for split_map and workers.Worker --

def flush() -> None:
    """Before a fork: what is buffered would otherwise be printed twice."""
    sys.stdout.flush()
    sys.stderr.flush()


def send(fd: int, compute: Callable[[], object]) -> int:
    """In a child: run `compute` and send its result, or the traceback of what it
    raised, pickled through `fd`. Returns the child's exit code."""
    try:
        payload, code = pickle.dumps((True, compute()), pickle.HIGHEST_PROTOCOL), 0
    except BaseException:  # noqa: BLE001  # everything goes back to the parent
        payload, code = pickle.dumps((False, traceback.format_exc())), 1
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
    except BrokenPipeError:  # the parent stopped listening (its build failed)
        pass
    return code


def read(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as pipe:
        return pipe.read()


def unpack(payload: bytes, what: str) -> Any:
    """The result `send` sent; what the child raised is raised here, with its traceback."""
    ok, value = pickle.loads(payload) if payload else (False, f"{what} died")
    if not ok:
        raise ChildFailed(f"{what} failed:\n{value}")
    return value


# -- length-prefixed pickles, one after the other on a pipe (workers.Worker) ----------

HEADER = struct.Struct("!Q")
WORD = b"\0"  # what a frame from the parent that is not a job starts with: no pickle does


def is_word(payload: bytes | None) -> bool:
    """Whether `payload` is a word from the parent (warm.GO), not a job."""
    return payload is not None and payload.startswith(WORD)


def frame(payload: bytes) -> bytes:
    """`payload` with its length in front."""
    return HEADER.pack(len(payload)) + payload


def answer(jobs_fd: int, results_fd: int, run: Callable[[bytes], object],
           first: bytes | None = None) -> int:
    """In a worker: `run` each payload read from `jobs_fd`, each result framed back on
    `results_fd` as soon as it is done (or the traceback of what it raised, and stop);
    the exit code."""
    with os.fdopen(jobs_fd, "rb") as jobs, os.fdopen(results_fd, "wb", buffering=0) as out:
        for payload in itertools.chain([first] if first else [], read_frames(jobs)):
            if is_word(payload):  # not a job: the parent's word (warm.GO)
                continue
            try:
                result, code = (True, run(payload)), 0
            except BaseException:  # noqa: BLE001  # everything goes back to the parent
                result, code = (False, traceback.format_exc()), 1
            try:
                out.write(frame(pickle.dumps(result, pickle.HIGHEST_PROTOCOL)))
            except BrokenPipeError:  # the parent stopped listening (its build failed)
                return 1
            if code:
                return code
    return 0


def read_frames(pipe: IO[bytes]) -> Iterator[bytes]:
    """Each payload `frame` wrote on a blocking pipe, until its end."""
    while True:
        header = pipe.read(HEADER.size)
        if len(header) < HEADER.size:
            return
        size = HEADER.unpack(header)[0]
        payload = pipe.read(size)
        if len(payload) < size:
            return
        yield payload


class Frames:
    """Whole payloads out of what a non-blocking read hands over, piece by piece."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def feed(self, data: bytes, what: str) -> list[bytes]:
        """The payloads `data` completes; an empty `data` (the end of the pipe) in the
        middle of the work means the writer died."""
        if not data:
            raise ChildFailed(f"{what} died")
        self.buffer += data
        out, at = [], 0
        while len(self.buffer) - at >= HEADER.size:
            size = HEADER.unpack_from(self.buffer, at)[0]
            if len(self.buffer) - at - HEADER.size < size:
                break
            out.append(bytes(self.buffer[at + HEADER.size:at + HEADER.size + size]))
            at += HEADER.size + size
        del self.buffer[:at]
        return out
