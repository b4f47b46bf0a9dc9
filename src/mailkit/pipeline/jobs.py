"""Compile jobs: what the render stage hands to the compile stage, and where they run.

Rendering needs the project (its pydantic models, its fixtures); compiling and checking
each rendered MJML (mjml-python, premailer, lxml, the checks) needs nothing of it, so it
runs in other processes. `mailkit build` forks its first `Worker` before anything heavy
is imported: it imports the compile and check stack (`warm_up`) while the parent
imports the rest, forks a sibling per further core, and they compile and check each
page as soon as the parent has rendered it, at a lower priority. Without workers (one
core, `MAILKIT_JOBS=1`) the same jobs run here, through the same `run_job`.

This module is light on purpose: the parent imports it. A worker keeps its results and
sends them in one go once the parent closes its pipe, so neither side can wait for
the other forever.
"""

from __future__ import annotations

import contextlib
import html
import os
import pickle
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import IO, TYPE_CHECKING, NoReturn, Protocol

from ..check.model import CheckConfig, CheckInput, Finding
from ..model import CompiledEmail
from .parallel import can_fork, cores, flush, read, send, unpack

if TYPE_CHECKING:  # imported where a job runs: the parent forks before importing them
    from ..mjml.sourcemap import SourceMap
    from ..mjml.validate import MjmlFinding

PIPE_BYTES = 1 << 20  # the demo's rendered MJML (~600 KB) fits: the parent never waits


class Cancelled(Exception):  # noqa: N818  # not an error: a newer save made the work stale
    """Raised between pages when `serve` cancels a build that a newer save made stale."""


@dataclass(frozen=True)
class Job:
    """Compile `mjml`; with `check`, run the checks on the result (html and text are
    filled in from the compile)."""

    id: str  # the page key, or `export:` + the email key: unique in one build
    mjml: str
    check: CheckInput | None = None
    config: CheckConfig | None = None
    source: SourceMap | None = None  # with one, the MJML is validated (mjml/validate.py)
    cache: str | None = None  # the project root: results kept in its cache (cache/steps.py)


@dataclass(frozen=True)
class Done:
    id: str
    compiled: CompiledEmail | None
    findings: tuple[Finding, ...] | None = None
    mjml_error: str | None = None  # MJML's own message: the caller knows the file
    mjml_findings: tuple[MjmlFinding, ...] = ()  # MJML's rules broken, at template lines


def run_job(job: Job) -> Done:
    from ..cache.steps import cached_checks, cached_compile, cached_validation, step_cache
    from .compile import MjmlError, compile_parsed

    cache = step_cache(job.cache)
    found = ()
    if job.source is not None:
        from ..mjml.validate import validate

        found = cached_validation(cache, job.mjml, job.source, validate)
    trees = []  # the compile's tree, when it compiled here (not from the cache)

    def compile_here(mjml: str) -> CompiledEmail:
        compiled, root = compile_parsed(mjml)
        trees.append(root)
        return compiled

    try:
        compiled = cached_compile(cache, job.mjml, compile_here)
    except MjmlError as exc:
        return Done(job.id, None, mjml_error=str(exc), mjml_findings=found)
    if job.check is None:
        return Done(job.id, compiled, mjml_findings=found)
    from ..check.runner import run_checks

    def check(doc: CheckInput, config: CheckConfig | None) -> list[Finding]:
        """The checks on the compile's tree: the page is not parsed twice."""
        return run_checks(doc, config, root=trees[0] if trees else None)

    doc = replace(job.check, html=compiled.html, text=compiled.text)
    findings = cached_checks(cache, doc, job.config, check)
    return Done(job.id, compiled, located(findings, job.mjml, job.source), mjml_findings=found)


def located(findings: tuple[Finding, ...], mjml: str, source: SourceMap | None,
            ) -> tuple[Finding, ...]:
    """Each finding that says what to look for (`Finding.locate`) with the template line
    that wrote it: its first place in the rendered MJML, through the source map."""
    if source is None:
        return findings
    out = []
    for finding in findings:
        at = mjml.find(finding.locate) if finding.locate and not finding.line else -1
        if at < 0 and finding.locate and not finding.line:
            at = mjml.find(html.escape(finding.locate, quote=False))
        origin = source.locate(mjml, at) if at >= 0 else None
        out.append(replace(finding, line=f"{origin.path}:{origin.line}") if origin else finding)
    return tuple(out)


def warm_up() -> None:
    """Import the compile and check stack, in a worker before its first job: the jobs
    themselves import it lazily, so that the parent, which forks, never does."""
    with contextlib.suppress(Exception):  # a failure shows in each job's answer instead
        from ..check import runner  # noqa: F401
        from ..mjml import validate  # noqa: F401
        from . import compile  # noqa: F401


class Runner(Protocol):
    """Where a build's jobs run while it renders: forked `Worker`s (`mailkit build`) or a
    batch of serve's warm workers (serve/pool.py)."""

    def submit(self, job: Job) -> None: ...

    def results(self) -> dict[str, Done]:
        """Every submitted job's result, by id, once all are done."""
        ...


def run_here(jobs: list[Job], cancel: Callable[[], bool] | None = None) -> dict[str, Done]:
    """Every job's result, by id, run in this process; `Cancelled` between jobs when
    `cancel` says so."""
    return {j.id: run_job(j) for j in jobs if not stop_if(cancel)}


def stop_if(cancel: Callable[[], bool] | None) -> bool:
    """Raise `Cancelled` when `cancel` says the work is stale; False otherwise."""
    if cancel is not None and cancel():
        raise Cancelled
    return False


class Worker:
    """Forked processes that run jobs while this one renders (see the module doc).

    One process is forked at once and imports the compile stack; it then forks one
    sibling per further core, which inherits those imports for free. Jobs are dealt
    to them in turn. Each has its own pair of pipes.
    """

    def __init__(self, pid: int, outs: list[IO[bytes]], results_fds: list[int]) -> None:
        self.pid = pid
        self._outs: list[IO[bytes]] | None = outs
        self._results_fds = results_fds
        self._sent = 0
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
        return cls(pid, [os.fdopen(jobs_out, "wb") for (_, jobs_out), _ in pairs],
                   [results_in for _, (results_in, _) in pairs])

    def submit(self, job: Job) -> None:
        assert self._outs is not None, "results() was called: the worker takes no more jobs"
        out = self._outs[self._sent % len(self._outs)]
        self._sent += 1
        pickle.dump(job, out, pickle.HIGHEST_PROTOCOL)
        out.flush()

    def results(self) -> dict[str, Done]:
        """Every job's result, by id: tells the workers there are no more jobs."""
        self._close_jobs()
        # every pipe read before waiting: a worker blocked on a full pipe never ends
        payloads = [read(fd) for fd in self._results_fds]
        self._results_fds = []
        self._reap()
        found: dict[str, Done] = {}
        for payload in payloads:
            found.update((done.id, done) for done in unpack(payload, "a compile worker"))
        return found

    def close(self) -> None:
        """Stop the workers if their results were not wanted (the build failed first)."""
        self._close_jobs()
        for fd in self._results_fds:
            os.close(fd)
        self._results_fds = []
        self._reap()

    def _close_jobs(self) -> None:
        for out in self._outs or ():
            out.close()
        self._outs = None

    def _reap(self) -> None:
        if not self._closed:
            self._closed = True
            os.waitpid(self.pid, 0)


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
    code = _answer(*pairs[0])
    for pid in siblings:
        os.waitpid(pid, 0)
    os._exit(code)


def _answer(jobs_fd: int, results_fd: int) -> int:
    """Run every job read from `jobs_fd`, then send the results; the exit code."""
    return send(results_fd, lambda: [run_job(job) for job in _jobs(jobs_fd)])


def _jobs(jobs_fd: int) -> Iterator[Job]:
    with os.fdopen(jobs_fd, "rb") as pipe:
        while True:
            try:
                yield pickle.load(pipe)
            except EOFError:
                return
