"""The orchestrator: gather every page in memory, then write, then swap.

Imported by the commands only (cli.py, serve's builder, the visual suite's runner): no
module below them imports it; the data it passes around lives in model.py.

Nothing touches `build/` until every brand × email × scenario has rendered and
compiled. Errors are collected across the whole run so a designer sees all of them
at once. The new tree is written to a staging folder next to `build/` and renamed
into place, so a reader (the dev server, a browser) never sees half a build.

`build()` also takes the previous result and the set of changed files, so the dev
server re-renders only what a change touches and reuses the rest from memory.

There is one render loop (`gather`): each target is rendered for the preview and, the
first time its email comes up, once more in Klaviyo's mode for the export. Rendering
(Jinja, here) and compiling and checking (jobs.py) are separate steps: a whole build
hands each rendered page to a forked compile worker as soon as it is rendered, so the
two overlap and use both cores.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from ..cache import last_build as buildstate
from ..errors import BuildFailed, MailkitError, from_jinja, keep_debug, relpath
from ..klaviyo import export as klaviyo
from ..mjml import report as mjml_report
from ..model import BuildResult, Exports, Page, Rendered, Target
from ..output.tree import write_tree
from ..pipeline.check_inputs import page_input
from ..pipeline.jinja.deps import dependencies, load_refs, save_refs
from ..pipeline.jinja.loops import include_loop
from ..pipeline.jobs import Done, Job, Worker, run_here, stop_if
from ..pipeline.parallel import MIN_SHARE
from ..pipeline.render import make_environment, render
from ..project.checks_yaml import check_config
from ..project.load import Project, load_project

if TYPE_CHECKING:  # the visual suite (Playwright) is imported by `snapshot` only
    from ..visual.suite import SuiteResult


def build(root: Path, *, brand: str | None = None, email: str | None = None,
          out: Path | None = None, previous: BuildResult | None = None,
          changed: set[Path] | None = None, write: bool = True,
          extras: bool = True, preview: bool = True, with_exports: bool = True,
          worker: Worker | None = None) -> BuildResult:
    """Build into `out` (default `root/build`); raise BuildFailed with every error.

    `extras=False` leaves the checks and the Klaviyo export of re-rendered pages for
    `complete()`: the dev server shows a save first, then fills in those tabs.
    `with_exports=False` (`mailkit check` without `--export`, nothing written) leaves the
    Klaviyo export out when the pages have to be rendered: a fifth of the work.
    `preview=False` renders the Klaviyo export only (`mailkit export klaviyo`): no
    pages, nothing written. `worker` is a compile worker started earlier (the CLI forks
    it before importing the rest); without one, a build of many pages starts its own
    when it can.
    """
    start = time.perf_counter()
    root = root.resolve()
    # a command's whole build (not serve's): the last one is kept (buildstate.py)
    persist = write and preview and extras and previous is None and changed is None
    # `check` and `export` (nothing written) reuse the last build's result the same way
    reads = persist or (not write and extras and previous is None and changed is None)
    if reads:
        state, fingerprint = buildstate.load(root), buildstate.fingerprint(root, brand, email)
        since, intact = buildstate.changed_since(state, fingerprint, out or root / "build",
                                                 root)
        if since == set() and (intact or not write):  # same inputs: no project loaded
            kept = replace(state.result, fresh=frozenset())  # type: ignore[union-attr]
            kept.seconds = time.perf_counter() - start
            return kept  # nothing read changed and build/ is the tree it wrote
        if since == set() and persist:  # same inputs, build/ removed or changed: write it
            kept = state.result  # type: ignore[union-attr]
            kept.fresh = frozenset(kept.pages)  # every file written, none linked
            kept.out = out or root / "build"
            write_tree(kept, kept.out)
            buildstate.save(root, kept, fingerprint, result_too=False)
            kept.seconds = time.perf_counter() - start
            return kept
        if since is not None and not (brand or email):  # redo what the edits touch
            previous, changed = state.result, since  # type: ignore[union-attr]
    if persist:
        buildstate.forget(root)
    project = load_project(root, brand)
    targets = project.targets(brand, email)
    if not targets:
        raise BuildFailed([MailkitError("brands/", None, "config",
                                        f"nothing matches --email {email!r}")])
    stale = _stale(previous, targets, changed, root)
    redo = [t for t in targets if t.key in stale]
    exports = dict(previous.exports) if previous else {}
    for t in redo:
        exports.pop(t.email_key, None)
    own = Worker.start() if worker is None and len(redo) >= 2 * MIN_SHARE else None
    try:
        pages, errors, fresh_exports = gather(project, redo, preview=preview, checks=extras,
                                              exports=(extras and with_exports) or not preview,
                                              worker=worker or own)
    finally:
        if own is not None:
            own.close()
    if errors:
        raise BuildFailed(errors)
    exports.update(fresh_exports)
    if preview:
        for key in {t.key for t in targets} - stale:
            pages[key] = previous.pages[key]  # type: ignore[union-attr]  # stale ⊂ all w/o previous
        pages = {t.key: pages[t.key] for t in targets}
    found = mjml_report.warnings(project.checks, ((p.target.brand, p.key, p.mjml)
                                                  for p in pages.values()))
    result = BuildResult(project, pages, [*project.warnings, *found], fresh=frozenset(stale),
                         exports=exports)
    if persist and not intact:  # build/ is gone or not the last one's: write it all
        result.fresh = frozenset(result.pages)
    if persist and brand and not email:  # the other brands' pages stay
        result = buildstate.merge_brand(state, result, brand)
    if write and preview:
        result.out = out or root / "build"
        write_tree(result, result.out)
    if persist:
        buildstate.save(root, result, fingerprint)
    result.seconds = time.perf_counter() - start
    return result


def export_klaviyo(root: Path, *, brand: str | None = None,
                   worker: Worker | None = None) -> klaviyo.KlaviyoExport:
    """Every email of every brand (or one brand) as a Klaviyo template, in memory: the
    build's render loop in export mode only. Raises BuildFailed with every error."""
    result = build(root, brand=brand, preview=False, write=False, worker=worker)
    errors = result.export_errors()
    if errors:
        raise BuildFailed(errors)
    return klaviyo.KlaviyoExport(result.project, result.templates(), result.seconds)


def snapshot(root: Path, *, update: bool = False, brand: str | None = None,
             email: str | None = None, shard: tuple[int, int] | None = None,
             every: bool = False) -> tuple[BuildResult, SuiteResult]:
    """`mailkit snapshot`: build the whole project into build/ (so the preview site
    stays complete and links the report), then run the visual suite on the selection.
    Shots whose inputs match a shot that passed are not taken again, unless `every`."""
    from ..visual.reuse import SHOTS_FILE
    from ..visual.suite import BASELINE_DIR, entries, prepare_report, run_suite

    root = root.resolve()
    if brand and not (root / "brands" / brand / "brand.yaml").is_file():
        raise MailkitError("brands/", None, "snapshot", f"no brand {brand!r}")
    prepare_report(root / "build")
    result = build(root)
    suite = run_suite(root / "build", root / BASELINE_DIR, pages=entries(result), brand=brand,
                      email=email, update=update, prune=email is None, thumbs_root=root,
                      shard=shard, record=None if every else root / SHOTS_FILE)
    if suite.thumbs_added:  # the home page shows them: write the site again (pages reused)
        result = build(root, previous=result, changed=set())
    return result, suite


def complete(result: BuildResult, *, cancel: Callable[[], bool] | None = None,
             run: Callable[[list[Job], Callable[[], bool] | None], dict[str, Done]] | None
             = None) -> BuildResult:
    """Add the checks and exports a fast build left out, and rewrite the site pages.
    `cancel`: as in `gather` (serve stops when a newer save comes). The checks are
    jobs (kept by content in stepcache.py, as a build's), run by `run` (serve's warm
    workers) or here."""
    start = time.perf_counter()
    project = result.project
    checks = check_config(project.checks)
    pages = dict(result.pages)
    todo = [p for p in result.pages.values() if p.findings is None]
    jobs = [Job(p.key, p.rendered.mjml, page_input(project, p.target, p.rendered, None, p.deps),
                checks, cache=str(project.root)) for p in todo]
    ran = (run or run_here)(jobs, cancel)
    for page in todo:
        pages[page.key] = replace(page, findings=ran[page.key].findings + tuple(
            mjml_report.check_findings(project.checks, page.target.brand, page.mjml)))
    done = {p.key for p in todo}
    missing = [p.target for p in result.pages.values() if p.target.email_key not in result.exports]
    _, _, fresh_exports = gather(project, missing, preview=False, checks=False, exports=True,
                                 cancel=cancel)
    exports = {**result.exports, **fresh_exports}
    done |= {p.key for p in result.pages.values() if p.target in missing}
    full = replace(result, pages=pages, exports=exports, fresh=frozenset(done))
    if result.out is not None:
        write_tree(full, result.out, keep_pages=True)
    full.seconds = time.perf_counter() - start
    return full


def _stale(previous: BuildResult | None, targets: list[Target], changed: set[Path] | None,
           root: Path) -> set[str]:
    """Page keys to re-render: all, unless only templates changed that some pages don't use."""
    keys = {t.key for t in targets}
    if previous is None or changed is None:
        return keys
    if any(p.suffix != ".j2" for p in changed):
        return keys  # a brand, flow or fixture file: cheap enough to redo everything
    resolved = {p.resolve() for p in changed}
    return {k for k in keys if k not in previous.pages or previous.pages[k].deps & resolved}


EXPORT_JOB = "export:"  # job ids: a page key, or this prefix and an email key


def gather(project: Project, targets: list[Target], *, preview: bool = True,
           checks: bool = True, exports: bool = False, worker: Worker | None = None,
           cancel: Callable[[], bool] | None = None,
           ) -> tuple[dict[str, Page], list[MailkitError], Exports]:
    """Render, compile and check in memory; collect errors instead of stopping at the
    first. Returns the pages (with `preview`), every error, and (with `exports`) the
    Klaviyo exports, one per email among `targets`, by email key.

    One loop renders each target for the preview and, the first time its email comes
    up, for Klaviyo. Each render becomes a job: sent to `worker` at once when there is
    one, run here at the end otherwise. `cancel` is asked before each page: when it says
    so, `Cancelled` is raised (a newer save in `serve` made this work stale).
    """
    errors: list[MailkitError] = []
    envs: dict[tuple[str, bool], jinja2.Environment] = {}
    dep_cache: dict[str, dict[str, tuple]] = {}
    config = check_config(project.checks) if checks and preview else None
    previews: dict[str, tuple[Target, Rendered, frozenset[Path], str]] = {}  # by page key
    prepared: dict[str, klaviyo.Prepared | MailkitError] = {}  # by email key
    jobs: list[Job] = []
    run = worker.submit if worker is not None else jobs.append
    cache = str(project.root)  # compile and check results kept by content (stepcache.py)
    load_refs(project.root)
    failed: set[str] = set()  # emails with an error in a named state

    def report(target: Target, error: MailkitError) -> None:
        """An edge state (generated, after the named ones) of an email that already
        failed fails the same way: say it once, for the named state."""
        if target.edge and target.email_key in failed:
            return
        failed.add(target.email_key)
        errors.append(error)

    def environment(brand: str, export: bool) -> jinja2.Environment:
        if (brand, export) not in envs:
            envs[brand, export] = make_environment(
                project, brand, dialect=klaviyo.dialect() if export else None)
        return envs[brand, export]

    for target in targets:
        stop_if(cancel)
        name = target.template_name
        shown = relpath(project.template_path(target.brand, name) or name, project.root)
        if preview:
            env = environment(target.brand, False)
            try:
                refs = dep_cache.setdefault(target.brand, {})
                try:
                    deps = frozenset(dependencies(env, name, refs))
                except jinja2.TemplateNotFound:  # render names the line of the include
                    render(project, env, target)
                    raise
                loop = include_loop(name, refs, env, project.root)
                if loop is not None:  # before Jinja recurses for seconds into a RecursionError
                    raise loop
                page = render(project, env, target)
            except MailkitError as exc:
                report(target, exc)
            except Exception as exc:  # a template error: locate it at its line
                report(target, from_jinja(exc, project.root, shown))
            else:
                check = page_input(project, target, page, None, deps) if config else None
                run(Job(target.key, page.mjml, check, config, page.source, cache))
                previews[target.key] = (target, page, deps, shown)
        if exports and target.email_key not in prepared:
            try:
                item = klaviyo.prepare(project, environment(target.brand, True), target)
            except MailkitError as exc:
                prepared[target.email_key] = exc
            else:
                run(Job(EXPORT_JOB + target.email_key, item.mjml, cache=cache))
                prepared[target.email_key] = item
    save_refs(project.root)
    done: dict[str, Done] = (worker.results() if worker is not None
                             else run_here(jobs, cancel))
    pages: dict[str, Page] = {}
    for key, (target, page, deps, shown) in previews.items():
        result = done[key]
        fatal = [mjml_report.as_error(f, key) for f in result.mjml_findings if f.fatal]
        for error in fatal:  # MJML cannot read it: named at the template line, not MRML's
            report(target, error)
        if result.compiled is None and not fatal:
            debug = keep_debug(project.root, f"{key}.mjml", page.mjml)
            report(target, MailkitError(debug, None, "mjml", f"{result.mjml_error} "
                                        f"(rendered from {shown} for {key})"))
        if result.compiled is None or fatal:
            continue
        findings = result.findings
        if findings is not None:
            findings += tuple(mjml_report.check_findings(project.checks, target.brand,
                                                         result.mjml_findings))
        pages[key] = Page(target, page, result.compiled, deps, findings, result.mjml_findings)
    found: Exports = {}
    for key, item in prepared.items():
        try:
            if isinstance(item, MailkitError):
                raise item
            result = done[EXPORT_JOB + key]
            found[key] = klaviyo.finish(project, item, result.compiled, result.mjml_error)
        except MailkitError as exc:
            found[key] = exc
    return pages, _dedupe(sorted(errors, key=lambda e: (e.path, e.line or 0))), found


def _dedupe(errors: list[MailkitError]) -> list[MailkitError]:
    """A broken partial fails every email that uses it: say it once."""
    return list(dict.fromkeys(errors))
