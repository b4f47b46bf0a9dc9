"""`mailkit snapshot`: build, then shoot and compare every page with its baselines."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import MailkitError
from ..model import BuildResult
from .build import build

if TYPE_CHECKING:  # the visual suite (Playwright) is imported when it runs
    from ..visual.suite import SuiteResult


def snapshot(root: Path, *, update: bool = False, brand: str | None = None,
             email: str | None = None, shard: tuple[int, int] | None = None,
             every: bool = False) -> tuple[BuildResult, SuiteResult]:
    """Build the whole project into build/ (so the preview site stays complete and links
    the report), then run the visual suite on the selection. Shots whose inputs match a
    shot that passed are not taken again, unless `every`."""
    from ..visual.matrix import entries
    from ..visual.reuse import SHOTS_FILE
    from ..visual.suite import BASELINE_DIR, prepare_report, run_suite

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
