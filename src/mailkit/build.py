"""The orchestrator: gather every page in memory, then write, then swap.

Nothing touches `build/` until every brand × email × scenario has rendered and
compiled. Errors are collected across the whole run so a designer sees all of them
at once. The new tree is written to a staging folder next to `build/` and renamed
into place, so a reader (the dev server, a browser) never sees half a build.

`build()` also takes the previous result and the set of changed files, so the dev
server re-renders only what a change touches and reuses the rest from memory.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2
import jinja2.meta

from .check import Finding
from .check.project import check_page
from .check.settings import check_config
from .compile import CompiledEmail, MjmlError, compile_mjml
from .errors import BuildFailed, MailkitError, from_jinja, keep_debug, relpath
from .export.klaviyo import KlaviyoTemplate, export_emails
from .parallel import split_map
from .project import TEMPLATE_SUFFIX, Project, Target, load_project
from .render import Rendered, make_environment, render
from .writer import write_tree

REFS: dict[str, list[str]] = {}  # template source → the templates it references


@dataclass(frozen=True)
class Page:
    """One built email in one data state."""

    target: Target
    rendered: Rendered
    compiled: CompiledEmail
    deps: frozenset[Path]  # every template file it was rendered from
    # `mailkit check`'s, computed once and reused with the page; None until `complete()`
    findings: tuple[Finding, ...] | None = ()

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
          extras: bool = True) -> BuildResult:
    """Build into `out` (default `root/build`); raise BuildFailed with every error.

    `extras=False` leaves the checks and the Klaviyo export of re-rendered pages for
    `complete()`: the dev server shows a save first, then fills in those tabs.
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
    pages: dict[str, Page] = {}
    errors: list[MailkitError] = []
    exports = dict(previous.exports) if previous else {}
    for t in redo:
        exports.pop(f"{t.brand}/{t.email.id}", None)
    # One email's scenarios stay together: its Klaviyo export is made once.
    for share_pages, share_errors, share_exports in split_map(
            lambda share: _work(project, [t for group in share for t in group], extras),
            list(_by_email(redo).values())):
        pages.update(share_pages)
        errors += share_errors
        exports.update(share_exports)
    if errors:
        raise BuildFailed(_dedupe(sorted(errors, key=lambda e: (e.path, e.line or 0))))
    for key in {t.key for t in targets} - stale:
        pages[key] = previous.pages[key]  # type: ignore[union-attr]  # stale ⊂ all w/o previous
    result = BuildResult(project, {t.key: pages[t.key] for t in targets},
                         list(project.warnings), fresh=frozenset(stale), exports=exports)
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
                                  page.deps, checks)
            pages[key] = replace(page, findings=findings)
            done.add(key)
    missing = [p.target for p in result.pages.values()
               if f"{p.target.brand}/{p.target.email.id}" not in result.exports]
    exports = {**result.exports, **export_emails(project, missing)}
    done |= {p.key for p in result.pages.values() if p.target in missing}
    full = replace(result, pages=pages, exports=exports, fresh=frozenset(done))
    if result.out is not None:
        write_tree(full, result.out)
    full.seconds = time.perf_counter() - start
    return full


Share = tuple[dict[str, "Page"], list[MailkitError], dict[str, KlaviyoTemplate | MailkitError]]


def _work(project: Project, targets: list[Target], extras: bool) -> Share:
    """One share of a build: its pages, their errors and (with `extras`) their exports."""
    pages, errors = gather(project, targets, checks=extras)
    return pages, errors, export_emails(project, targets) if extras else {}


def _by_email(targets: list[Target]) -> dict[str, list[Target]]:
    groups: dict[str, list[Target]] = {}
    for t in targets:
        groups.setdefault(f"{t.brand}/{t.email.id}", []).append(t)
    return groups


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


def gather(project: Project, targets: list[Target],
           checks: bool = True) -> tuple[dict[str, Page], list[MailkitError]]:
    """Render and compile in memory; collect errors instead of stopping at the first."""
    pages: dict[str, Page] = {}
    errors: list[MailkitError] = []
    envs: dict[str, jinja2.Environment] = {}
    dep_cache: dict[str, dict[str, tuple]] = {}
    config = check_config(project.checks) if checks else None
    for target in targets:
        env = envs.get(target.brand) or envs.setdefault(
            target.brand, make_environment(project, target.brand))
        template_name = f"emails/{target.email.template}{TEMPLATE_SUFFIX}"
        fallback = relpath(project.template_path(target.brand, template_name) or template_name,
                           project.root)
        try:
            rendered = render(project, env, target)
            deps = frozenset(dependencies(env, template_name,
                                          dep_cache.setdefault(target.brand, {})))
            compiled = compile_mjml(rendered.mjml)
        except MailkitError as exc:
            errors.append(exc)
            continue
        except MjmlError as exc:
            debug = keep_debug(project.root, f"{target.key}.mjml", rendered.mjml)
            errors.append(MailkitError(debug, None, "mjml",
                                       f"{exc} (rendered from {fallback} for {target.key})"))
            continue
        except Exception as exc:  # a template error: locate it at its line
            errors.append(from_jinja(exc, project.root, fallback))
            continue
        findings = (check_page(project, target, rendered, compiled, deps, config)
                    if config is not None else None)
        pages[target.key] = Page(target, rendered, compiled, deps, findings)
    return pages, _dedupe(errors)


def dependencies(env: jinja2.Environment, name: str, cache: dict[str, tuple]) -> set[Path]:
    """Every template file `name` uses, through includes, imports and extends.

    `cache` maps a template name to (file, names it references), so each template is
    parsed once per build however many emails share it.
    """
    seen: set[str] = set()
    files: set[Path] = set()
    todo = [name]
    assert env.loader is not None
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current not in cache:
            source, filename, _ = env.loader.get_source(env, current)
            refs = REFS.get(source)
            if refs is None:
                ast = env.parse(source, current, filename)
                refs = REFS[source] = [n for n in jinja2.meta.find_referenced_templates(ast) if n]
            cache[current] = (Path(filename).resolve(), refs)
        path, refs = cache[current]
        files.add(path)
        todo += refs
    return files


def _dedupe(errors: list[MailkitError]) -> list[MailkitError]:
    """A broken partial fails every email that uses it: say it once."""
    return list(dict.fromkeys(errors))

