"""The visual regression suite: every built email, shot and held to its committed baseline.

The engine (capture, compare, report) knows nothing about brands or builds; this
module takes the shots a build calls for (`matrix`: brand × email × scenario ×
viewport × scheme, and client views), captures them in one browser run, compares each
with ``tests/visual/baselines/<brand>/<email>--<scenario>--<viewport>-<scheme>.png``
(or ``-<client view>.png``) and writes ``build/visual-report/index.html``. ``mailkit snapshot`` and
``tests/test_visual.py`` both go through :func:`run_suite`, so CI and a designer's
machine judge the same way.

A missing baseline is a failure, never created on the fly: a baseline only enters
the repository through ``mailkit snapshot --update``, i.e. on purpose.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import MailkitError, relpath
from . import reuse
from .browser import ChromiumNotFound
from .capture import CaptureError, Shot, ShotResult, Sink, Viewport, capture_all
from .compare import compare_png, update_baselines
from .matrix import EVERY, Entry, Planned, plan, read_manifest
from .report import Case, slim, write_report

BASELINE_DIR = Path("tests/visual/baselines")  # relative to the project root
REPORT_DIR = "visual-report"  # inside build/, kept across rebuilds (output.tree.KEEP)
UPDATE_HINT = "run `mailkit snapshot --update` to accept it"


@dataclass
class SuiteResult:
    """What a run found; ``failures`` decide the exit code and the test verdict."""

    cases: list[Case]
    report: Path
    updated: list[str] = field(default_factory=list)  # baselines written by --update
    stale: list[str] = field(default_factory=list)  # baselines no shot uses (removed on update)
    seconds: float = 0.0
    reused: int = 0  # shots not taken again: unchanged since they matched (reuse.py)
    thumbs_added: int = 0  # new thumbnails for the preview's home page (site/thumbs.py)

    @property
    def failures(self) -> list[Case]:
        return [c for c in self.cases if c.failed]

    def summary(self) -> str:
        verdict = f"{len(self.failures)} failing" if self.failures else "all match"
        reused = f" ({self.reused} unchanged, not taken again)" if self.reused else ""
        return (f"{len(self.cases)} shots{reused}, {verdict}, in {self.seconds:.1f} s "
                f"(report: {relpath(self.report, Path.cwd())})")


def describe(case: Case) -> str:
    """One line per failing case, with its mismatch figure, for the CLI and pytest."""
    comp, problems = case.comparison, []
    if comp is None:
        problems.append(f"no baseline yet ({UPDATE_HINT})")
    elif not comp.same:
        bound = "up to " if comp.approximate else ""
        share = f"{comp.percent:.2f}%" if comp.percent >= 0.01 else "<0.01%"
        problems.append(f"{bound}{comp.diff_pixels:,} px differ ({share})")
        if comp.size_changed:
            (bw, bh), (aw, ah) = comp.baseline_size, comp.actual_size
            problems.append(f"size {bw}×{bh} → {aw}×{ah}")
    if case.blocked:
        problems.append(f"{len(case.blocked)} request(s) leaving the build blocked, "
                        f"first {case.blocked[0]}")
    return f"{case.key}: {', '.join(problems) or 'ok'}"


def run_suite(build_dir: Path, baseline_dir: Path, *, pages: Iterable[Entry] | None = None,
              brand: str | None = None, email: str | None = None, update: bool = False,
              variants: Sequence[tuple[Viewport, str]] = EVERY,
              report_dir: Path | None = None, workers: int = 2,
              prune: bool = False, thumbs_root: Path | None = None,
              shard: tuple[int, int] | None = None, record: Path | None = None) -> SuiteResult:
    """Shoot the selected pages of `build_dir`, compare, write the report.

    `pages` default to the build's manifest.json. With `update`, baselines that are
    missing or differ are rewritten; a shot that reached for the internet still
    fails, since no baseline can make that acceptable. `prune` says the selection is
    every page and variant of its brands, so their baselines that no shot produces
    (a renamed scenario) are listed as stale, and removed on update; without it a
    partial run could never delete what it did not shoot. `thumbs_root`: keep the
    desktop light shots' thumbnails in that project's cache, for the preview's home page.
    `shard` (i, n) keeps every n-th page; `record` is where shots that matched are
    remembered, so the next run skips those whose inputs did not change (reuse.py).
    """
    start = time.perf_counter()
    build_dir, baseline_dir = build_dir.resolve(), baseline_dir.resolve()
    planned = plan(read_manifest(build_dir) if pages is None else pages, build_dir,
                   brand=brand, email=email, variants=variants)
    if not planned:
        given = " ".join(f"--{k} {v}" for k, v in (("brand", brand), ("email", email)) if v)
        raise MailkitError("brands/", None, "snapshot", f"nothing matches {given or 'the build'}")
    if shard is not None:
        keys = sorted({p.entry.key for p in planned})
        mine = {k for i, k in enumerate(keys) if reuse.in_shard(i, shard)}
        planned = [p for p in planned if p.entry.key in mine]
    known, assets = reuse.load(record), {}
    hashes = [reuse.shot_hash(build_dir, p.entry.key, p.variant,
                              baseline_dir / p.shot.key, assets) for p in planned]
    todo = [i for i, h in enumerate(hashes) if h is None or known.get(planned[i].shot.key) != h]
    cases: list[Case | None] = [None] * len(planned)
    updated: list[str] = []
    thumbs_added = 0

    def take(j: int, result: ShotResult) -> None:
        """One shot as it is taken: compared, accepted with `update`, its thumbnails
        made; then only a passing shot's small thumbnail is kept, not its PNG."""
        nonlocal thumbs_added
        i = todo[j]
        p = planned[i]
        case = _case(p, result.png, result.blocked, baseline_dir)
        if update and (case.comparison is None or not case.comparison.same):
            updated.extend(update_baselines({case.key: result.png}, baseline_dir))
            case = _case(p, result.png, result.blocked, baseline_dir)  # judged again
        if thumbs_root is not None:
            thumbs_added += _home_thumb(thumbs_root, build_dir, p, result.png)
        cases[i] = slim(case)

    if todo:
        _capture([planned[i].shot for i in todo], build_dir, workers, take)
    for i, p in enumerate(planned):
        if cases[i] is None:  # not taken again: unchanged since it matched (reuse.py)
            cases[i] = _skipped(p, baseline_dir)
            if thumbs_root is not None:
                thumbs_added += _home_thumb(thumbs_root, build_dir, p, baseline_dir / p.shot.key)
    done = [c for c in cases if c is not None]
    order = {p.shot.key: i for i, p in enumerate(planned)}
    updated.sort(key=lambda name: order.get(name, len(order)))  # in plan order, as listed
    stale = _stale(baseline_dir, {p.shot.key for p in planned},
                   {p.entry.brand for p in planned}) if prune and shard is None else []
    if update:
        for name in stale:
            (baseline_dir / name).unlink()
    for p, case in zip(planned, done, strict=True):
        fresh = reuse.shot_hash(build_dir, p.entry.key, p.variant,
                                baseline_dir / p.shot.key, assets)
        if case.failed or fresh is None:
            known.pop(p.shot.key, None)
        else:
            known[p.shot.key] = fresh
    reuse.save(record, known)
    out_dir = (report_dir or build_dir / REPORT_DIR).resolve()
    report = write_report(done, out_dir, title="mailkit visual report",
                          preview=os.path.relpath(build_dir, out_dir))
    return SuiteResult(done, report, updated, stale, time.perf_counter() - start,
                       len(planned) - len(todo), thumbs_added)


def _capture(shots: list[Shot], build_dir: Path, workers: int, sink: Sink) -> None:
    """capture_all into `sink`, with a missing browser or a shot that cannot render as
    user errors."""
    try:
        capture_all(shots, build_dir, workers=workers, sink=sink)
    except ChromiumNotFound as exc:
        raise MailkitError("chromium", None, "snapshot",
                           str(exc).replace("\n", " ").replace("    ", "")) from None
    except CaptureError as exc:
        raise MailkitError(str(build_dir), None, "snapshot", str(exc)) from None


def _home_thumb(root: Path, build_dir: Path, p: Planned, png: bytes | Path) -> int:
    """The preview home page's thumbnail of a desktop light shot (site/thumbs.py); a
    shot not taken again lends its baseline, read only when the thumbnail is missing."""
    if (p.viewport, p.scheme) != ("desktop", "light"):
        return 0
    from ..site import thumbs

    html = (build_dir / f"{p.entry.key}.html").read_bytes()
    return int(thumbs.save(root, html, png.read_bytes if isinstance(png, Path) else png))


def _case(p: Planned, png: bytes, blocked: list[str], baseline_dir: Path) -> Case:
    path = baseline_dir / p.shot.key
    comparison = compare_png(path.read_bytes(), png) if path.is_file() else None
    e = p.entry
    return Case(p.shot.key, e.brand, e.email, e.scenario, p.viewport, p.scheme, comparison,
                path if path.is_file() else None, list(blocked), png)


def _skipped(p: Planned, baseline_dir: Path) -> Case:
    """A shot not taken again: its inputs are those of a shot that matched (reuse.py)."""
    path = baseline_dir / p.shot.key
    e = p.entry
    return Case(p.shot.key, e.brand, e.email, e.scenario, p.viewport, p.scheme,
                reuse.unchanged_match(path), path, [])


def _stale(baseline_dir: Path, names: set[str], brands: set[str]) -> list[str]:
    """Baselines of the selected brands that no shot produces (a renamed scenario)."""
    found = (p.relative_to(baseline_dir).as_posix()
             for b in brands for p in (baseline_dir / b).glob("*.png"))
    return sorted(n for n in found if n not in names)


def prepare_report(build_dir: Path) -> None:
    """Put a placeholder report in place before a build, so the home page links it.

    The site links `visual-report/index.html` only when it exists at build time; a
    first `mailkit snapshot` would otherwise build a home page without the link.
    """
    page = build_dir / REPORT_DIR / "index.html"
    if not page.is_file():
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("<!doctype html><meta charset=utf-8><title>mailkit visual report"
                        "</title><p>No snapshot run has finished yet: run "
                        "<code>mailkit snapshot</code>.", encoding="utf-8")
