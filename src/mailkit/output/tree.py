"""A build's tree: the emails' files, the manifest and the preview site, written into a
staging folder and swapped in.

A page reused from the previous build is not written again: its files are hard links
to the previous tree's (`staging.Writer`). Content is passed lazily, so a reused site
page is not even rendered.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from ..cache.files import STORE_DIR, FileStore
from ..errors import relpath
from ..model import BuildResult
from ..site import write_site
from ..site.checks import checks_panel, checks_summary
from .staging import Writer, staging_for, swap

KEEP = ("visual-report", "klaviyo")  # written into build/ by other commands; survives rebuilds


def write_tree(result: BuildResult, out: Path, *, keep_pages: bool = False,
               sources: bool = False) -> Writer:
    """Write everything into a staging folder, then swap it in with renames.

    Folders other commands write into `build/` (the visual report, the Klaviyo export)
    are carried over, so a rebuild does not delete them: moved into the new tree just
    before the swap, one rename each (a report is ~150 files: linking them one by one
    slowed every save in `serve`). `keep_pages`: the emails' own files are those of
    `out` (only their checks and exports were added): linked, not written again.
    `sources`: each page's `.txt` and `.mjml` beside its `.html` too (`write_files`).
    """
    staging = staging_for(out)
    staging.mkdir(parents=True)
    store = FileStore(result.project.root / STORE_DIR)
    writer = Writer(staging, out, store)
    write_files(result, writer, keep_pages=keep_pages, sources=sources)
    for name in KEEP:
        if (out / name).is_dir():
            os.rename(out / name, staging / name)
    swap(staging, out)
    store.collect()  # the copies only the replaced tree linked
    return writer


def write_files(result: BuildResult, writer: Writer, *, keep_pages: bool = False,
                sources: bool = False) -> None:
    """Every file of `build/` through `writer`: a staging tree (`write_tree`), or serve's
    in-place patch (serve/patch.py), which keeps only the files whose bytes changed. Costly
    content is passed as a function, so a writer that does not need it never makes it.

    A page is its `.html`; its plain text and rendered MJML are in its email's
    `sources.js` (the preview's Text and MJML tabs, byte for byte) and, with `sources`
    (`mailkit build --sources`), in a `.txt` and an `.mjml` beside the `.html`. Off by
    default: they were two files of every three a first build created, and creating
    files is what a cold build spends most of its kernel time on (docs/speed.md)."""
    for slug in sorted({p.target.brand for p in result.pages.values()}):
        assets = result.project.brands[slug].dir / "assets"
        if assets.is_dir():
            writer.tree(assets, f"{slug}/assets")
    files: list[tuple[str, str | Callable[[], str], bool]] = []
    for page in result.pages.values():
        reuse = keep_pages or page.key not in result.fresh
        files.append((f"{page.key}.html", page.compiled.html, reuse))
        if sources:
            files += [(f"{page.key}.txt", page.compiled.text, reuse),
                      (f"{page.key}.mjml", page.rendered.mjml, reuse)]
    writer.texts(files)  # creating 1 000 files is much of a cold build: both cores do it
    writer.text("manifest.json",
                lambda: json.dumps(manifest(result), ensure_ascii=False, indent=1))
    write_site(result, writer, panels={"checks": checks_panel},
               home_panels={"checks": checks_summary}, klaviyo=True)


def manifest(result: BuildResult) -> dict:
    """What was built, for the preview site, exports and tools."""
    root = result.project.root
    names: dict[Path, str] = {}  # each template's relative path, resolved once
    pages = []
    for page in result.pages.values():
        t, bp = page.target, result.project.brands[page.target.brand]
        template = names.get(page.rendered.template) or names.setdefault(
            page.rendered.template, relpath(page.rendered.template, root))
        pages.append({
            "key": page.key, "brand": t.brand, "flow": t.flow.id, "email": t.email.id,
            "scenario": t.scenario, "subject": page.rendered.subject,
            "preheader": page.rendered.preheader, "template": template,
            "delay_days": bp.delay_days(t.email), "trigger": t.flow.trigger.label,
            "html_bytes": len(page.compiled.html.encode("utf-8")),
            "edge": t.edge, "description": t.description,
        })
    return {"pages": pages}
