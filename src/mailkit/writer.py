"""Write stage: one Writer puts a build's files into a staging tree, then swaps it in.

A page reused from the previous build (the dev server re-renders only what a change
touches) is not written again: its files become hard links to the previous tree's,
so a one-email save writes a handful of files instead of the whole site. Content is
passed lazily, so a reused site page is not even rendered.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import relpath
from .parallel import split_map
from .site import write_site
from .site.checks import checks_panel, checks_summary
from .site.klaviyo import klaviyo_panel

if TYPE_CHECKING:
    from .build import BuildResult

KEEP = ("visual-report", "klaviyo")  # written into build/ by other commands; survives rebuilds


class Writer:
    """Files go into `staging`; `reuse=True` links the same file from `previous`."""

    def __init__(self, staging: Path, previous: Path | None) -> None:
        self.staging = staging
        self.previous = previous if previous is not None and previous.is_dir() else None
        self.written = self.linked = 0

    def text(self, rel: str, content: str | Callable[[], str], reuse: bool = False) -> None:
        path = self.staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if reuse and self._link(rel, path):
            return
        path.write_text(content() if callable(content) else content, encoding="utf-8")
        self.written += 1

    def texts(self, items: list[tuple[str, Callable[[], str], bool]]) -> None:
        """Many files that are costly to render (the site's email pages), shared between
        the cores as a build's pages are: each process writes its share into staging."""

        def write(share: list[tuple[str, Callable[[], str], bool]]) -> tuple[int, int]:
            written, linked = self.written, self.linked
            for rel, content, reuse in share:
                self.text(rel, content, reuse)
            return self.written - written, self.linked - linked

        for written, linked in split_map(write, items)[1:]:  # the first share counted here
            self.written += written
            self.linked += linked

    def tree(self, source: Path, rel: str) -> None:
        """A folder of static files (brand assets), linked rather than copied."""
        for item in sorted(source.rglob("*")):
            if item.is_file():
                path = self.staging / rel / item.relative_to(source)
                path.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(str(item), str(path))

    def _link(self, rel: str, path: Path) -> bool:
        if self.previous is None:
            return False
        try:
            os.link(self.previous / rel, path)
        except OSError:
            return False
        self.linked += 1
        return True


def _link_or_copy(source: str, dest: str) -> None:
    try:
        os.link(source, dest)
    except OSError:  # another file system
        shutil.copy2(source, dest)


def write_tree(result: BuildResult, out: Path, *, keep_pages: bool = False) -> Writer:
    """Write everything into a staging folder, then swap it in with renames.

    Folders other commands write into `build/` (the visual report, the Klaviyo export)
    are carried over, so a rebuild does not delete them: moved into the new tree just
    before the swap, one rename each (a report is ~150 files; linking them one by one
    took a save in `serve` 10-30 ms). `keep_pages`: the emails' own files are those of
    `out` (only their checks and exports were added): linked, not written again.
    """
    staging = out.with_name(f".{out.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    writer = Writer(staging, out)
    for slug in sorted({p.target.brand for p in result.pages.values()}):
        assets = result.project.brands[slug].dir / "assets"
        if assets.is_dir():
            writer.tree(assets, f"{slug}/assets")
    for page in result.pages.values():
        reuse = keep_pages or page.key not in result.fresh
        writer.text(f"{page.key}.html", page.compiled.html, reuse)
        writer.text(f"{page.key}.txt", page.compiled.text, reuse)
        writer.text(f"{page.key}.mjml", page.rendered.mjml, reuse)
    writer.text("manifest.json", json.dumps(manifest(result), ensure_ascii=False, indent=1))
    write_site(result, writer, panels={"checks": checks_panel, "klaviyo": klaviyo_panel(result)},
               home_panels={"checks": checks_summary})
    for name in KEEP:
        if (out / name).is_dir():
            os.rename(out / name, staging / name)
    swap(staging, out)
    return writer


def swap(staging: Path, out: Path) -> None:
    """Replace `out` by `staging`: two renames, never a half-written `out`."""
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def manifest(result: BuildResult) -> dict:
    """What was built, for the preview site, exports and tools."""
    root = result.project.root
    pages = []
    for page in result.pages.values():
        t, bp = page.target, result.project.brands[page.target.brand]
        pages.append({
            "key": page.key, "brand": t.brand, "flow": t.flow.id, "email": t.email.id,
            "scenario": t.scenario, "subject": page.rendered.subject,
            "preheader": page.rendered.preheader, "template": relpath(page.rendered.template, root),
            "delay_days": bp.delay_days(t.email), "trigger": t.flow.trigger.label,
            "html_bytes": len(page.compiled.html.encode("utf-8")),
            "edge": t.edge, "description": t.description,
        })
    return {"pages": pages}
