"""The orchestrator: gather every page in memory, then write, then swap.

Nothing touches `build/` until every brand × email × scenario has rendered and
compiled. Errors are collected across the whole run so a designer sees all of them
at once. The new tree is written to a staging folder next to `build/` and renamed
into place, so a reader (the dev server, a browser) never sees half a build.

`build()` also takes the previous result and the set of changed files, so the dev
server re-renders only what a change touches and reuses the rest from memory.

Rendering (Jinja, here) and compiling and checking (jobs.py) are separate steps: a
whole build hands each rendered page to a forked compile worker as soon as it is
rendered, so the two overlap and use both cores.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from .check import Finding
from .check.project import check_page, page_input
from .check.settings import check_config
from .deps import dependencies, load_refs, save_refs
from .errors import BuildFailed, MailkitError, from_jinja, keep_debug, relpath
from .export.klaviyo import (
    KlaviyoTemplate,
    Prepared,
    export_emails,
    finish_exports,
    prepare_exports,
)
from .jobs import CompiledEmail, Done, Job, Worker, run_job
from .mjml import report as mjml_report
from .mjml.validate import MjmlFinding
from .parallel import MIN_SHARE
from .project import TEMPLATE_SUFFIX, Project, Target, load_project
from .render import Rendered, make_environment, render
from .templates import include_loop
from .writer import write_tree


@dataclass(frozen=True)
class Page:
    """One built email in one data state."""

    target: Target
    rendered: Rendered
    compiled: CompiledEmail
    deps: frozenset[Path]  # every template file it was rendered from
    # `mailkit check`'s, computed once and reused with the page; None until `complete()`
    findings: tuple[Finding, ...] | None = ()
    mjml: tuple[MjmlFinding, ...] = ()  # MJML's rules it breaks (mjml/validate.py)

    @property
    def key(self) -> str:
        return self.target.key


@dataclass
class BuildResult:
    project: Project
    pages: dict[str, Page]
    warnings: list[MailkitError] = field(default_factory=list)
    seconds: float = 0.0
    fresh: frozenset[str] = frozenset()  # keys rendered this time (the rest reused)
    # brand/email → its Klaviyo export (or why it failed), shown in the site's Klaviyo tab
    exports: dict[str, KlaviyoTemplate | MailkitError] = field(default_factory=dict)
    out: Path | None = None  # where it was written

    @property
    def pending(self) -> bool:
        """Checks or exports left for `complete()` (a fast first pass of `serve`)."""
        return any(p.findings is None for p in self.pages.values()) or any(
            f"{p.target.brand}/{p.target.email.id}" not in self.exports
            for p in self.pages.values())

    @property
    def rendered_count(self) -> int:
        return len(self.fresh)

    def summary(self) -> str:
        brands = len({p.target.brand for p in self.pages.values()})
        emails = len({(p.target.brand, p.target.email.id) for p in self.pages.values()})
        reused = len(self.pages) - self.rendered_count
        extra = f", {reused} reused" if reused else ""
        warn = f", {len(self.warnings)} warning(s)" if self.warnings else ""
        return (f"built {len(self.pages)} pages ({brands} brands, {emails} emails{extra}{warn}) "
                f"in {self.seconds * 1000:.0f} ms")


def build(root: Path, *, brand: str | None = None, email: str | None = None,
          out: Path | None = None, previous: BuildResult | None = None,
          changed: set[Path] | None = None, write: bool = True,
          extras: bool = True, worker: Worker | None = None) -> BuildResult:
    """Build into `out` (default `root/build`); raise BuildFailed with every error.

    `extras=False` leaves the checks and the Klaviyo export of re-rendered pages for
    `complete()`: the dev server shows a save first, then fills in those tabs.
    `worker` is a compile worker started earlier (the CLI forks it before importing
    the rest); without one, a build of many pages starts its own when it can.
    """
    start = time.perf_counter()
    root = root.resolve()
    project = load_project(root, brand)
    targets = project.targets(brand, email)
    if not targets:
        raise BuildFailed([MailkitError("brands/", None, "config",
                                        f"nothing matches --email {email!r}")])
    stale = _stale(previous, targets, changed, root)
    redo = [t for t in targets if t.key in stale]
    exports = dict(previous.exports) if previous else {}
    for t in redo:
        exports.pop(f"{t.brand}/{t.email.id}", None)
    own = Worker.start() if worker is None and len(redo) >= 2 * MIN_SHARE else None
    try:
        pages, errors, fresh_exports = gather(project, redo, checks=extras, exports=extras,
                                              worker=worker or own)
    finally:
        if own is not None:
            own.close()
    if errors:
        raise BuildFailed(errors)
    exports.update(fresh_exports)
    for key in {t.key for t in targets} - stale:
        pages[key] = previous.pages[key]  # type: ignore[union-attr]  # stale ⊂ all w/o previous
    kept = {t.key: pages[t.key] for t in targets}
    found = mjml_report.warnings(project.checks, ((p.target.brand, p.key, p.mjml)
                                                  for p in kept.values()))
    result = BuildResult(project, kept, [*project.warnings, *found], fresh=frozenset(stale),
                         exports=exports)
    if write:
        result.out = out or root / "build"
        write_tree(result, result.out)
    result.seconds = time.perf_counter() - start
    return result


def complete(result: BuildResult) -> BuildResult:
    """Add the checks and exports a fast build left out, and rewrite the site pages."""
    start = time.perf_counter()
    project = result.project
    checks = check_config(project.checks)
    pages, done = dict(result.pages), set()
    for key, page in result.pages.items():
        if page.findings is None:
            findings = check_page(project, page.target, page.rendered, page.compiled,
                                  page.deps, checks) + tuple(mjml_report.check_findings(
                                      project.checks, page.target.brand, page.mjml))
            pages[key] = replace(page, findings=findings)
            done.add(key)
    missing = [p.target for p in result.pages.values()
               if f"{p.target.brand}/{p.target.email.id}" not in result.exports]
    exports = {**result.exports, **export_emails(project, missing)}
    done |= {p.key for p in result.pages.values() if p.target in missing}
    full = replace(result, pages=pages, exports=exports, fresh=frozenset(done))
    if result.out is not None:
        write_tree(full, result.out, keep_pages=True)
    full.seconds = time.perf_counter() - start
    return full


def _stale(previous: BuildResult | None, targets: list[Target], changed: set[Path] | None,
           root: Path) -> set[str]:
    """Keys to re-render: all, unless only templates changed that some pages don't use."""
    keys = {t.key for t in targets}
    if previous is None or changed is None:
        return keys
    if any(p.suffix != ".j2" for p in changed):
        return keys  # a brand, flow or fixture file: cheap enough to redo everything
    resolved = {p.resolve() for p in changed}
    return {k for k in keys if k not in previous.pages or previous.pages[k].deps & resolved}


Exports = dict[str, KlaviyoTemplate | MailkitError]  # by brand/email: a template or why not


def gather(project: Project, targets: list[Target], checks: bool = True,
           exports: bool = False, worker: Worker | None = None,
           ) -> tuple[dict[str, Page], list[MailkitError], Exports]:
    """Render, compile and check in memory; collect errors instead of stopping at the
    first. Returns the pages, every error, and (with `exports`) the Klaviyo exports.

    Each rendered page becomes a job: sent to `worker` at once when there is one, run
    here at the end otherwise.
    """
    errors: list[MailkitError] = []
    envs: dict[str, jinja2.Environment] = {}
    dep_cache: dict[str, dict[str, tuple]] = {}
    config = check_config(project.checks) if checks else None
    rendered: dict[str, tuple[Target, Rendered, frozenset[Path], str]] = {}
    jobs: list[Job] = []
    run = worker.submit if worker is not None else jobs.append
    load_refs(project.root)
    for target in targets:
        env = envs.get(target.brand) or envs.setdefault(
            target.brand, make_environment(project, target.brand))
        template_name = f"emails/{target.email.template}{TEMPLATE_SUFFIX}"
        fallback = relpath(project.template_path(target.brand, template_name) or template_name,
                           project.root)
        try:
            refs = dep_cache.setdefault(target.brand, {})
            try:
                deps = frozenset(dependencies(env, template_name, refs))
            except jinja2.TemplateNotFound:  # render names the line of the include
                render(project, env, target)
                raise
            loop = include_loop(template_name, refs, env, project.root)
            if loop is not None:  # before Jinja recurses for seconds into a RecursionError
                raise loop
            page = render(project, env, target)
        except MailkitError as exc:
            errors.append(exc)
            continue
        except Exception as exc:  # a template error: locate it at its line
            errors.append(from_jinja(exc, project.root, fallback))
            continue
        check = page_input(project, target, page, None, deps) if config is not None else None
        run(Job(target.key, page.mjml, check, config, page.source))
        rendered[target.key] = (target, page, deps, fallback)
    save_refs(project.root)
    prepared: dict[str, Prepared | MailkitError] = {}
    if exports:
        # an email whose preview failed fails its export the same way: not twice
        prepared = prepare_exports(project, [t for t in targets if t.key in rendered])
        for key, item in prepared.items():
            if isinstance(item, Prepared):
                run(Job(f"klaviyo:{key}", item.mjml))
    done = worker.results() if worker is not None else {j.key: run_job(j) for j in jobs}
    pages: dict[str, Page] = {}
    for key, (target, page, deps, fallback) in rendered.items():
        result: Done = done[key]
        fatal = [mjml_report.as_error(f, key) for f in result.mjml_findings if f.fatal]
        errors += fatal  # MJML cannot read it: named at the template line, not MRML's
        if result.compiled is None and not fatal:
            debug = keep_debug(project.root, f"{key}.mjml", page.mjml)
            errors.append(MailkitError(debug, None, "mjml", f"{result.mjml_error} "
                                       f"(rendered from {fallback} for {key})"))
        if result.compiled is None or fatal:
            continue
        findings = result.findings
        if findings is not None:
            findings += tuple(mjml_report.check_findings(project.checks, target.brand,
                                                         result.mjml_findings))
        pages[key] = Page(target, page, result.compiled, deps, findings, result.mjml_findings)
    found = finish_exports(project, prepared,
                           {k.removeprefix("klaviyo:"): d for k, d in done.items()})
    return pages, _dedupe(sorted(errors, key=lambda e: (e.path, e.line or 0))), found


def _dedupe(errors: list[MailkitError]) -> list[MailkitError]:
    """A broken partial fails every email that uses it: say it once."""
    return list(dict.fromkeys(errors))

