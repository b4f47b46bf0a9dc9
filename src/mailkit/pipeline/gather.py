"""The build's one render loop: every target rendered, compiled and checked in memory.

Each target is rendered for the preview and, the first time its email comes up, once
more in an export's dialect. Rendering (Jinja, here) and compiling and checking
(jobs.py) are separate steps: each render becomes a job, handed at once to a `Runner`
(forked workers, or serve's warm pool) so the two overlap and use both cores. Errors
are collected, never raised one by one: a designer sees all of them at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import jinja2

from ..cache.steps import assets_of
from ..errors import MailkitError, keep_debug
from ..mjml import report as mjml_report
from ..model import BuildResult, Exports, Page, Rendered, Target
from ..project.checks_yaml import check_config
from ..project.contract.fixtures import lacking
from ..project.contract.reads import template_reads
from ..project.load import Project, load_fixture
from .check_inputs import page_input
from .dialect import Exporter, Prepared
from .environment import make_environment
from .jinja.deps import load_refs, save_refs
from .jobs import Done, Job, Runner, run_here, stop_if
from .render import render_located, shown_template

EXPORT_JOB = "export:"  # job ids: a page key, or this prefix and an email key
Cancel = Callable[[], bool]  # asked between pages: True when the work is stale


def gather(project: Project, targets: list[Target], *, preview: bool = True,
           checks: bool = True, exporter: Exporter | None = None,
           worker: Runner | None = None, cancel: Cancel | None = None,
           ) -> tuple[dict[str, Page], list[MailkitError], Exports]:
    """Render, compile and check in memory. Returns the pages (with `preview`), every
    error, and (with an `exporter`) the exports, one per email among `targets`, by
    email key.

    Each render becomes a job: sent to `worker` at once when there is one, run here at
    the end otherwise. When `cancel` says so, `Cancelled` is raised (a newer save in
    `serve` made this work stale).
    """
    errors: list[MailkitError] = []
    envs: dict[tuple[str, bool], jinja2.Environment] = {}
    refs: dict[str, dict[str, tuple[Path, list[str]]]] = {}  # per brand: deps.dependencies
    reads: dict[tuple[str, str], set[str] | None] = {}  # (brand, template): what it reads
    config = check_config(project.checks) if checks and preview else None
    previews: dict[str, tuple[Target, Rendered, frozenset[Path]]] = {}  # by page key
    prepared: dict[str, Prepared | MailkitError] = {}  # by email key
    queued: list[Job] = []
    run = worker.submit if worker is not None else queued.append
    cache = str(project.root)  # compile and check results kept by content (cache/steps.py)
    load_refs(project.root)
    failed: set[str] = set()  # emails with an error in a named state
    listed: dict[Path, bytes] = {}  # asset folders, listed once for every page's check key

    def report(target: Target, error: MailkitError) -> None:
        """An edge state (generated, after the named ones) of an email that already
        failed fails the same way: say it once, for the named state."""
        if target.edge and target.email_key in failed:
            return
        failed.add(target.email_key)
        errors.append(error)

    def environment(brand: str, export: bool) -> jinja2.Environment:
        if (brand, export) not in envs:
            dialect = exporter.dialect() if export and exporter is not None else None
            envs[brand, export] = make_environment(project, brand, dialect=dialect)
        return envs[brand, export]

    for target in targets:
        stop_if(cancel)
        if preview:
            try:
                lacks = None if target.edge else _lacking(project, target, reads)
                if lacks is not None:
                    raise lacks
                page, deps = render_located(project, environment(target.brand, False), target,
                                            refs.setdefault(target.brand, {}))
            except MailkitError as exc:
                report(target, exc)
            else:
                check = page_input(project, target, page, None, deps) if config else None
                assets = None
                if check is not None and check.asset_root is not None:
                    folder = check.asset_root.parent
                    if folder not in listed:
                        listed[folder] = assets_of(check.asset_root)
                    assets = listed[folder]
                run(Job(target.key, page.mjml, check, config, page.source, cache,
                        target.email_key, outlook=True, assets=assets))
                previews[target.key] = (target, page, deps)
        if exporter is not None and target.email_key not in prepared:
            try:
                item = exporter.prepare(project, environment(target.brand, True), target)
            except MailkitError as exc:
                prepared[target.email_key] = exc
            else:
                run(Job(EXPORT_JOB + target.email_key, item.mjml, cache=cache,
                        group=target.email_key))
                prepared[target.email_key] = item
    save_refs(project.root)
    done: dict[str, Done] = (worker.results() if worker is not None
                             else run_here(queued, cancel))
    pages: dict[str, Page] = {}
    for key, (target, page, deps) in previews.items():
        result = done[key]
        fatal = [mjml_report.as_error(f, key) for f in result.mjml_findings if f.fatal]
        for error in fatal:  # MJML cannot read it: named at the template line, not MRML's
            report(target, error)
        if result.compiled is None and not fatal:
            debug = keep_debug(project.root, f"{key}.mjml", page.mjml)
            report(target, MailkitError(debug, None, "mjml", f"{result.mjml_error} (rendered "
                                        f"from {shown_template(project, target)} for {key})"))
        if result.compiled is None or fatal:
            continue
        findings = result.findings
        if findings is not None:
            findings += tuple(mjml_report.check_findings(project.checks, target.brand,
                                                         result.mjml_findings))
        pages[key] = Page(target, page, result.compiled, deps, findings, result.mjml_findings,
                          result.outlook)
    found: Exports = {}
    for key, item in prepared.items():
        try:
            if isinstance(item, MailkitError):
                raise item
            result = done[EXPORT_JOB + key]
            found[key] = exporter.finish(project, item, result.compiled,  # type: ignore[union-attr]
                                         result.mjml_error)
        except MailkitError as exc:
            found[key] = exc
    return pages, _dedupe(sorted(errors, key=lambda e: (e.path, e.line or 0))), found


def assemble(project: Project, pages: dict[str, Page], **fields: object) -> BuildResult:
    """A build's result from its pages, with the project's warnings and MJML's."""
    found = mjml_report.warnings(project.checks, ((p.target.brand, p.key, p.mjml_findings)
                                                  for p in pages.values()))
    return BuildResult(project, pages, [*project.warnings, *found], **fields)  # type: ignore[arg-type]


def complete(result: BuildResult, exporter: Exporter, *, cancel: Cancel | None = None,
             run: Callable[[list[Job], Cancel | None], dict[str, Done]] | None = None,
             ) -> BuildResult:
    """Add the checks and exports a fast build left out (`serve` shows a save first, then
    fills in those tabs). The checks are jobs, kept by content (cache/steps.py) as a
    build's, run by `run` (serve's warm workers) or here."""
    project = result.project
    checks = check_config(project.checks)
    pages = dict(result.pages)
    todo = [p for p in result.pages.values() if p.findings is None]
    jobs = [Job(p.key, p.rendered.mjml, page_input(project, p.target, p.rendered, None, p.deps),
                checks, cache=str(project.root), group=p.target.email_key) for p in todo]
    ran = (run or run_here)(jobs, cancel)
    for page in todo:
        pages[page.key] = replace(page, findings=ran[page.key].findings + tuple(
            mjml_report.check_findings(project.checks, page.target.brand, page.mjml_findings)))
    done = {p.key for p in todo}
    missing = [p.target for p in result.pages.values() if p.target.email_key not in result.exports]
    _, _, fresh_exports = gather(project, missing, preview=False, checks=False,
                                 exporter=exporter, cancel=cancel)
    done |= {p.key for p in result.pages.values() if p.target in missing}
    return replace(result, pages=pages, exports={**result.exports, **fresh_exports},
                   fresh=frozenset(done))


def _lacking(project: Project, target: Target,
             reads: dict[tuple[str, str], set[str] | None]) -> MailkitError | None:
    """A field the email reads that its fixture lacks, named in the fixture."""
    key = (target.brand, target.template_name)
    if key not in reads:
        try:
            reads[key] = template_reads(project, target.brand, target.template_name)
        except (jinja2.TemplateError, OSError, ValueError):
            reads[key] = None  # a broken template (or not UTF-8): the render says where
    found = reads[key]
    return lacking(project, target, found, load_fixture) if found else None


def _dedupe(errors: list[MailkitError]) -> list[MailkitError]:
    """A broken partial fails every email that uses it: say it once."""
    return list(dict.fromkeys(errors))
