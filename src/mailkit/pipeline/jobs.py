"""Compile jobs: what the render stage hands to the compile stage, and `run_job`, which
compiles, validates and checks one wherever it runs.

Rendering needs the project (its pydantic models, its fixtures); compiling and checking
each rendered MJML (mjml-python, premailer, lxml, the checks) needs nothing of it, so it
runs in other processes: forked compile workers (workers.py) in `mailkit build`, serve's
warm pool (serve/pool.py). Without workers (one core, `MAILKIT_JOBS=1`) the same jobs
run here, through the same `run_job` (`run_here`).

This module is light on purpose: the parent imports it, and a job imports the compile
and check stack only where it runs.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from ..check.model import CheckConfig, CheckInput, Finding
from ..model import CompiledEmail

if TYPE_CHECKING:  # imported where a job runs: the parent forks before importing them
    from ..mjml.sourcemap import SourceMap
    from ..mjml.validate import MjmlFinding

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
    group: str = ""  # the email key: an email's states go to one worker if they can
    outlook: bool = False  # a preview page: its Outlook table (check/word.py) computed too
    # the brand's asset files for the check's cache key (cache/steps.assets_of), listed
    # once per build by the maker of the job; None: listed where the job runs
    assets: bytes | None = None


@dataclass(frozen=True)
class Done:
    id: str
    compiled: CompiledEmail | None
    findings: tuple[Finding, ...] | None = None
    mjml_error: str | None = None  # MJML's own message: the caller knows the file
    mjml_findings: tuple[MjmlFinding, ...] = ()  # MJML's rules broken, at template lines
    # the page's Outlook table for the preview (check/word.py), with `Job.outlook`: here,
    # in a worker, not serially in the parent at the end of the build (site/sources.py)
    outlook: dict[str, tuple[str, ...]] | None = None


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
    outlook = None
    if job.outlook:
        from ..check.word import word_table

        outlook = word_table(compiled.html)
    if job.check is None:
        return Done(job.id, compiled, mjml_findings=found, outlook=outlook)
    from ..check.runner import run_checks

    def check(doc: CheckInput, config: CheckConfig | None) -> list[Finding]:
        """The checks on the compile's tree: the page is not parsed twice."""
        return run_checks(doc, config, root=trees[0] if trees else None)

    doc = replace(job.check, html=compiled.html, text=compiled.text)
    findings = cached_checks(cache, doc, job.config, check, job.assets)
    return Done(job.id, compiled, located(findings, job.mjml, job.source), mjml_findings=found,
                outlook=outlook)


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
