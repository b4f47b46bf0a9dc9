"""The visual regression engine: one pinned Chromium (`browser`), deterministic
screenshots (`capture`), client views drawn by the preview's own script before they are
shot (`clients`), pixel comparison (`compare`), the HTML report (`report`), shots not
taken again when nothing they show changed (`reuse`), the shots a build calls for
(`matrix`) and `mailkit snapshot`'s suite over a build (`suite`)::

    shots = [Shot(baseline_name(b, e, s, vp, sc), html, vp, sc) for ...]
    results = capture_all(shots, root=build_dir)
    comparisons = [compare_png(baseline_bytes, r.png) for r in results]
    write_report(cases, out_dir)            # or update_baselines(results, dir)

May import: errors, model, cache, site.
"""

from __future__ import annotations

from mailkit.visual.capture import (
    VIEWPORTS,
    CaptureError,
    Shot,
    ShotResult,
    capture_all,
    capture_all_async,
)
from mailkit.visual.compare import Comparison, baseline_name, compare_png, update_baselines
from mailkit.visual.report import Case, write_report

__all__ = [
    "VIEWPORTS",
    "Case",
    "CaptureError",
    "Comparison",
    "Shot",
    "ShotResult",
    "baseline_name",
    "capture_all",
    "capture_all_async",
    "compare_png",
    "update_baselines",
    "write_report",
]
