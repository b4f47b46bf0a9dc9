"""`mailkit serve`'s builder: redo what a save touches, the open pages first, and stop
as soon as a newer save makes the work stale.

A save of templates only (`.j2` files that existed before) keeps the loaded project;
only the edge states of the emails that use a changed template are worked out again.
Any other file (YAML, a contract, an asset, a template added or removed) loads the
project again and redoes every page. The pages are redone in up to three steps, each
patched into `build/` (patch.py) and shown at once:

1. the emails open in a browser, or with none open, those whose template changed;
2. the rest;
3. the checks and Klaviyo exports of the pages redone (`pipeline.gather.complete`).

Between pages, each step asks `Run.cancelled` (watch.py) whether a newer save came; if
so it raises `Cancelled`. Every step leaves `build/` a consistent mix of new and old.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from ..commands.build import build
from ..errors import BuildFailed, MailkitError
from ..klaviyo import export as klaviyo
from ..model import TEMPLATE_FOLDERS, BuildResult, Page, Target
from ..pipeline.gather import assemble, complete, gather
from ..pipeline.jobs import Cancelled
from ..project.contract.reads import template_reads
from ..project.load import Project, load_project
from .patch import Patch, write_patch
from .pool import Batch, Pool

if TYPE_CHECKING:
    from .watch import Run

POOL_FROM = 8  # pages: fewer go quicker in serve's own process than through its workers


class Rebuilder:
    """Builds `root` for serve, keeping the project between saves of templates."""

    def __init__(self, root: Path, pool: Pool | None = None) -> None:
        self.root = root.resolve()
        self.pool = pool  # warm compile and check workers (pool.py), if any
        self.templates: set[Path] = set()  # the template files when the project was loaded
        self.written: tuple[int, int, int] | None = None  # manifest.json as we left it
        self.kept = False  # whether the last build kept the project (for tests, tools)
        # what each email's templates read, when its edge states were last worked out
        self.reads: dict[str, frozenset[str]] = {}

    def __call__(self, changed: set[Path] | None, previous: BuildResult | None,
                 run: Run) -> BuildResult:
        start = time.perf_counter()
        result = self._build(changed, previous, run)
        result.seconds = time.perf_counter() - start  # the summary serve prints
        return result

    def _build(self, changed: set[Path] | None, previous: BuildResult | None,
               run: Run) -> BuildResult:
        if previous is None or changed is None or previous.out is None \
                or not self._intact(previous.out):  # the start, or build/ changed behind us
            worker = self._batch(run)
            if previous is None and changed is None:  # as `mailkit build` does: from the
                result = build(self.root, worker=worker)  # last one
            else:
                result = build(self.root, previous=previous, changed=changed, extras=False,
                               worker=worker)
            self.templates, self.kept, self.reads = self._scan(), False, {}
            self._mark(result)
            run.publish(result)
            return self._complete(result, run)
        kept = self.kept = self._keeps_project(changed)
        if kept:
            project = previous.project
        else:
            project = load_project(self.root)
            self.templates, self.reads = self._scan(), {}
        resolved = {p.resolve() for p in changed}
        stale = ({k for k, p in previous.pages.items() if p.deps & resolved} if kept
                 else set(previous.pages))
        touched = {previous.pages[k].target.email_key: previous.pages[k].target for k in stale}
        result, look = previous, frozenset()
        if kept:
            olds = [t.target for t in previous.pages.values()]
            look = (run.open() or self._edited(changed, olds)) & touched.keys()
            self._refresh(project, [touched[e] for e in look])
            targets = project.targets()
            first = [t for t in targets if t.key in stale and t.email_key in look]
            if first and [t.key for t in targets] == list(previous.pages):
                result = self._step(project, targets, result, first, run, only=look)
            else:
                look = frozenset()  # its states changed: built with the rest
            self._refresh(project, [t for e, t in touched.items() if e not in look])
        targets = project.targets()
        stale |= {t.key for t in targets if t.key not in previous.pages}
        same_pages = [t.key for t in targets] == list(previous.pages)
        rest = [t for t in targets if t.key in stale and t.email_key not in look]
        result = self._step(project, targets, result, rest, run,
                            sweep=not (kept and same_pages))
        return self._complete(result, run)

    def _refresh(self, project: Project, emails: list[Target]) -> None:
        """Work out again the edge states of these emails (one target each) if what
        their templates read changed: a kept project's are those of the old templates."""
        for target in emails:
            try:
                reads = frozenset(template_reads(project, target.brand, target.template_name))
            except (MailkitError, jinja2.TemplateError, OSError, ValueError):
                reads = None  # broken: the render says where; edge_targets gives none
            if reads is None or self.reads.get(target.email_key) != reads:
                self.reads.pop(target.email_key, None)
                if reads is not None:
                    self.reads[target.email_key] = reads
                project._edges.pop(target.email_key, None)  # noqa: SLF001  # targets() redoes it

    def _step(self, project: Project, targets: list[Target], previous: BuildResult,
              redo: list[Target], run: Run, *, only: frozenset[str] | None = None,
              sweep: bool = False) -> BuildResult:
        """Render `redo`, write it over `previous` in build/, show it."""
        pages, errors, _ = gather(project, redo, checks=False, cancel=run.cancelled,
                                  worker=self._batch(run, len(redo)))
        if errors:
            raise BuildFailed(errors)
        if run.cancelled():
            raise Cancelled
        old = previous.pages
        merged: dict[str, Page] = {t.key: pages.get(t.key) or old[t.key] for t in targets
                                   if t.key in pages or t.key in old}
        redone = {t.email_key for t in redo}
        exports = {k: e for k, e in previous.exports.items() if k not in redone}
        result = assemble(project, merged, fresh=frozenset(pages), exports=exports,
                          out=previous.out)
        patch = self._write(result, only=only, sweep=sweep)
        run.publish(result, only)
        patch.discard()
        return result

    def _complete(self, result: BuildResult, run: Run) -> BuildResult:
        """The checks and exports left for later: in build/ after the page shows."""
        if not result.pending:
            return result
        todo = sum(p.findings is None for p in result.pages.values())
        done = complete(replace(result, out=None), klaviyo, cancel=run.cancelled,
                        run=self.pool.run if self.pool is not None and todo >= POOL_FROM
                        else None)
        done.out = result.out
        patch = self._write(done, keep_pages=True)  # the pages' own files did not change
        run.publish(done)
        patch.discard()
        return done

    def _batch(self, run: Run, size: int = POOL_FROM) -> Batch | None:
        """The warm workers for `size` pages; a few (the open page) are quicker here,
        with no other process to wait for."""
        if self.pool is None or size < POOL_FROM:
            return None
        return self.pool.batch(run.cancelled)

    def _write(self, result: BuildResult, *, only: frozenset[str] | None = None,
               sweep: bool = False, keep_pages: bool = False) -> Patch:
        assert result.out is not None
        patch = write_patch(result, result.out, only=set(only) if only is not None else None,
                            sweep=sweep, keep_pages=keep_pages)
        self._mark(result)
        return patch

    def _mark(self, result: BuildResult) -> None:
        """Remember build/ as written: a tree changed behind our back is written whole."""
        assert result.out is not None
        self.written = _stamp(result.out / "manifest.json")

    def _intact(self, out: Path) -> bool:
        return self.written is not None and _stamp(out / "manifest.json") == self.written

    def _keeps_project(self, changed: set[Path]) -> bool:
        """True when only templates that were there already changed, and still are."""
        return bool(changed) and all(
            p.suffix == ".j2" and p.resolve() in self.templates and p.is_file() for p in changed)

    def _edited(self, changed: set[Path], targets: list[Target]) -> set[str]:
        """The emails whose own template file changed (with no page open)."""
        names = {p.resolve().relative_to(self.root).as_posix() for p in changed
                 if p.resolve().is_relative_to(self.root)}
        brand_names = {n.split("/", 2)[2] for n in names if n.startswith("brands/")
                       and n.count("/") >= 3}
        return {t.email_key for t in targets
                if t.template_name in names or t.template_name in brand_names}

    def _scan(self) -> set[Path]:
        found: set[Path] = set()
        bases = [self.root] + sorted(p for p in (self.root / "brands").glob("*") if p.is_dir())
        for base in bases:
            for folder in TEMPLATE_FOLDERS:
                for dirpath, _, filenames in os.walk(base / folder):
                    found |= {Path(dirpath, n).resolve() for n in filenames if n.endswith(".j2")}
        return found


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size
