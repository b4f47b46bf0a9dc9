"""`mailkit build`, and the orchestrator every command builds with: gather every page in
memory, then write, then swap.

Nothing touches `build/` until every brand × email × scenario has rendered and
compiled (pipeline/gather.py); errors are collected across the whole run. The new
tree is written to a staging folder next to `build/` and renamed into place
(output/), so a reader (the dev server, a browser) never sees half a build. The last
build is kept (cache/last_build.py): a build with nothing changed writes nothing, a
build after a few edits redoes only what they touch.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from ..cache import last_build
from ..errors import BuildFailed, MailkitError
from ..klaviyo import export as klaviyo
from ..model import BuildResult, Target
from ..output.tree import write_tree
from ..pipeline.gather import assemble, gather
from ..pipeline.jobs import Runner
from ..pipeline.parallel import MIN_SHARE
from ..pipeline.workers import Worker
from ..project.load import load_project


def build(root: Path, *, brand: str | None = None, email: str | None = None,
          out: Path | None = None, previous: BuildResult | None = None,
          changed: set[Path] | None = None, write: bool = True,
          extras: bool = True, preview: bool = True, with_exports: bool = True,
          worker: Runner | None = None, sources: bool = False) -> BuildResult:
    """Build into `out` (default `root/build`); raise BuildFailed with every error.

    `extras=False` leaves the checks and the Klaviyo export of re-rendered pages for
    `complete()`: the dev server shows a save first, then fills in those tabs.
    `with_exports=False` (`mailkit check` without `--export`, nothing written) leaves the
    Klaviyo export out when the pages have to be rendered: a fifth of the work.
    `preview=False` renders the Klaviyo export only (`mailkit export klaviyo`): no
    pages, nothing written. `worker` is a compile worker started earlier (the CLI forks
    it before importing the rest); without one, a build of many pages starts its own
    when it can. `sources`: each page's `.txt` and `.mjml` are written beside its `.html`
    (output/tree.write_files).
    """
    start = time.perf_counter()
    root = root.resolve()
    # a command's whole build (not serve's): the last one is kept (cache/last_build.py)
    persist = write and preview and extras and previous is None and changed is None
    # `check` and `export` (nothing written) reuse the last build's result the same way
    reads = persist or (not write and extras and previous is None and changed is None)
    if reads:
        state, fingerprint = last_build.load(root), last_build.fingerprint(root, brand, email)
        since, intact = last_build.changed_since(state, fingerprint, out or root / "build",
                                                 root, sources)
        if since == set() and (intact or not write):  # same inputs: no project loaded
            kept = _selected(state.result, brand, email)  # type: ignore[arg-type]
            kept.seconds = time.perf_counter() - start
            return kept  # nothing read changed and build/ is the tree it wrote
        if since == set() and persist:  # same inputs, build/ removed or changed: write it
            kept = state.result  # type: ignore[union-attr]
            kept.fresh = frozenset(kept.pages)  # every file written, none linked
            kept.out = out or root / "build"
            write_tree(kept, kept.out, sources=sources)
            last_build.save(root, kept, fingerprint, result_too=False, sources=sources)
            kept.seconds = time.perf_counter() - start
            return kept
        if since is not None and not (brand or email):  # redo what the edits touch
            previous, changed = state.result, since  # type: ignore[union-attr]
    if persist:
        last_build.forget(root)
    if isinstance(worker, Worker):
        worker.expect(root)  # jobs will come: it rehearses while the project loads
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
        exporter = klaviyo if (extras and with_exports) or not preview else None
        pages, errors, fresh_exports = gather(project, redo, preview=preview, checks=extras,
                                              exporter=exporter, worker=worker or own)
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
    result = assemble(project, pages, fresh=frozenset(stale), exports=exports)
    if persist and not intact:  # build/ is gone or not the last one's: write it all
        result.fresh = frozenset(result.pages)
    if persist and brand and not email:  # the other brands' pages stay
        result = last_build.merge_brand(state, result, brand)
    if write and preview:
        result.out = out or root / "build"
        write_tree(result, result.out, sources=sources)
    if persist:
        last_build.save(root, result, fingerprint, sources=sources)
    result.seconds = time.perf_counter() - start
    return result


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


def _selected(result: BuildResult, brand: str | None, email: str | None) -> BuildResult:
    """The kept result as a build of this selection makes it: `build --brand X` keeps
    every brand's pages (for build/), `check --brand X` reports X's only."""
    def wanted(target: Target) -> bool:
        return (not brand or target.brand == brand) and (
            not email or email in (target.email.id, target.email.template))

    pages = {k: p for k, p in result.pages.items() if wanted(p.target)}
    emails = {p.target.email_key for p in pages.values()}
    return replace(result, pages=pages, fresh=frozenset(),
                   exports={k: e for k, e in result.exports.items() if k in emails})
