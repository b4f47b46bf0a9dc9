"""Static HTML report of a visual regression run, for designers.

One self-contained folder: ``index.html`` plus the PNGs it shows, plain HTML and
CSS with relative links, so it opens from ``file://``, can be zipped as a CI
artifact and needs no server, script, web font or network. Failing shots come
first, each as baseline | actual | diff with the mismatch figure; passing shots
are small pictures; every shot links to the preview page that shows it.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import quote

from mailkit.visual.compare import Comparison

IMG_DIR = "_shots"

CSS = """
body{margin:0;padding:24px;font:15px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;
color:#1d1d1f;background:#f5f5f7}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:0 0 6px}
.summary{margin:0 0 24px;color:#555}.bad{color:#c4001a;font-weight:600}
.ok{color:#1a7f37;font-weight:600}
.case{background:#fff;border:1px solid #ddd;border-radius:8px;padding:16px;margin:0 0 24px}
.meta{margin:0 0 12px;display:flex;flex-wrap:wrap;gap:6px}
.tag{display:inline-block;padding:2px 8px;border-radius:10px;background:#eee;font-size:13px}
.tag.err{background:#ffe3e6;color:#8a0014}
.grid{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:12px;align-items:start}
.grid figure{margin:0}.grid figcaption{font-size:13px;color:#555;margin:0 0 4px}
.grid img{display:block;max-width:100%;height:auto;border:1px solid #ccc;
background:repeating-conic-gradient(#eee 0 25%,#fff 0 50%) 0 0/16px 16px}
.missing{padding:40px 8px;text-align:center;color:#888;border:1px dashed #bbb}
ul.blocked{margin:8px 0 0;padding-left:20px;font:13px/1.4 Menlo,Consolas,monospace;
word-break:break-all;color:#8a0014}
details{background:#fff;border:1px solid #ddd;border-radius:8px;padding:12px 16px}
details ul{columns:2;font:13px/1.6 Menlo,Consolas,monospace;margin:8px 0 0}
.legend{font-size:13px;color:#555;margin:0 0 16px}
.preview{font-size:13px;align-self:center}
ul.thumbs{list-style:none;display:flex;flex-wrap:wrap;gap:12px;padding:0;margin:12px 0 0;
font-size:12px}
ul.thumbs a{display:block;width:200px;color:#1d1d1f;text-decoration:none}
ul.thumbs img{display:block;border:1px solid #ccc;margin:0 0 4px;max-width:200px;height:auto}
.sw{display:inline-block;width:10px;height:10px;vertical-align:middle;margin:0 4px 0 10px}
"""


@dataclass
class Case:
    """One shot's outcome. ``comparison`` is None when there was no baseline yet."""

    key: str
    brand: str
    email: str
    scenario: str
    viewport: str
    scheme: str
    comparison: Comparison | None
    baseline_path: Path | None
    blocked: list[str] = field(default_factory=list)
    actual: bytes | None = None  # the shot's PNG: kept for a failing shot only (`slim`)
    thumb: bytes | None = None  # a passing shot's small JPEG for the report

    @property
    def failed(self) -> bool:
        """A shot fails on a missing baseline, a pixel/size change or any blocked request."""
        return self.comparison is None or not self.comparison.same or bool(self.blocked)

    @property
    def title(self) -> str:
        return f"{self.brand} / {self.email} / {self.scenario} — {self.viewport}, {self.scheme}"


def slim(case: Case) -> Case:
    """What the report needs of a shot, as small as it can be: a passing shot keeps a
    thumbnail (~10 KB) instead of its PNG (~120 KB), so a run of thousands of shots
    holds no screenshots in memory; a failing one keeps its PNG for the report."""
    if case.failed or case.actual is None:
        return case
    return replace(case, actual=None, thumb=_thumbnail(case, case.actual))


def _thumb_width(case: Case) -> int:
    return 120 if case.viewport == "mobile" else 200


def _thumbnail(case: Case, png: bytes) -> bytes:
    from mailkit.site.thumbs import thumbnail

    return thumbnail(png, _thumb_width(case), 250)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("._")[:80] or "shot"


def _img(src: str | None, caption: str, alt: str, empty: str = "none") -> str:
    if src is None:
        return (
            f'<figure><figcaption>{caption}</figcaption><div class="missing">{empty}</div></figure>'
        )
    href = html.escape(quote(src))
    return (
        f'<figure><figcaption>{caption} · <a href="{href}">open</a></figcaption>'
        f'<a href="{href}"><img src="{href}" alt="{html.escape(alt)}" loading="lazy"></a>'
        "</figure>"
    )


def _figures(case: Case) -> list[str]:
    tags: list[str] = []
    comp = case.comparison
    if comp is None:
        tags.append('<span class="tag err">no baseline yet</span>')
    else:
        if comp.diff_pixels:
            bound = "up to " if comp.approximate else ""
            tags.append(
                f'<span class="tag err">{bound}{comp.diff_pixels:,} px differ '
                f"({comp.percent:.2f}%)</span>"
            )
        if comp.size_changed:
            (bw, bh), (aw, ah) = comp.baseline_size, comp.actual_size
            tags.append(f'<span class="tag err">size {bw}×{bh} → {aw}×{ah}</span>')
    if case.blocked:
        tags.append(f'<span class="tag err">{len(case.blocked)} blocked request(s)</span>')
    return tags


def _write_images(case: Case, index: int, img_dir: Path) -> dict[str, str | None]:
    stem = f"{index:03d}-{_slug(case.key.removesuffix('.png'))}"
    out: dict[str, str | None] = {"baseline": None, "actual": None, "diff": None}
    sources: dict[str, bytes | None] = {
        "actual": case.actual,
        "diff": case.comparison.diff_png if case.comparison else None,
        "baseline": None,
    }
    if case.baseline_path is not None and Path(case.baseline_path).is_file():
        sources["baseline"] = Path(case.baseline_path).read_bytes()
    for kind, data in sources.items():
        if data:
            name = f"{stem}.{kind}.png"
            (img_dir / name).write_bytes(data)
            out[kind] = f"{IMG_DIR}/{name}"
    return out


def preview_url(case: Case, preview: str | None) -> str | None:
    """The preview page showing what this shot shows (state, viewport, scheme or client
    view)."""
    if preview is None:
        return None
    query = [f"scenario={quote(case.scenario)}"]
    if case.viewport == "mobile":
        query.append("view=mobile")
    if case.scheme == "dark":
        query.append("dark=1")
    elif case.scheme != "light":
        query.append(f"client={quote(case.scheme)}")
    base = "" if preview in ("", ".") else preview.rstrip("/") + "/"
    return f"{base}{quote(case.brand)}/{quote(case.email)}/index.html?{'&'.join(query)}"


def _preview_link(case: Case, preview: str | None) -> str:
    url = preview_url(case, preview)
    if url is None:
        return ""
    return f' <a class="preview" href="{html.escape(url)}">open in the preview</a>'


def _passing_html(cases: list[Case], img_dir: Path, preview: str | None) -> str:
    """Passing shots as small pictures, each linked to its preview page."""
    items = []
    for i, case in enumerate(cases, 1):
        name = f"ok-{i:03d}-{_slug(case.key.removesuffix('.png'))}.jpg"
        width = _thumb_width(case)
        img = ""
        data = case.thumb
        if data is None:  # a shot not taken again shows its baseline, read one at a time
            png = case.actual or (Path(case.baseline_path).read_bytes()
                                  if case.baseline_path and Path(case.baseline_path).is_file()
                                  else None)
            data = _thumbnail(case, png) if png else None
        if data:
            (img_dir / name).write_bytes(data)
            img = (f'<img src="{IMG_DIR}/{html.escape(quote(name))}" alt="" width="{width}" '
                   'loading="lazy">')
        url = preview_url(case, preview)
        label = f"{html.escape(case.email)} · {html.escape(case.scenario)}<br>" \
                f"{case.viewport}, {case.scheme}"
        target = html.escape(url) if url else f"{IMG_DIR}/{html.escape(quote(name))}"
        items.append(f'<li><a href="{target}" title="{html.escape(case.key)}">{img}'
                     f"<span>{html.escape(case.brand)} · {label}</span></a></li>")
    return f'<ul class="thumbs">{"".join(items)}</ul>'


def _case_html(case: Case, index: int, img_dir: Path, preview: str | None = None) -> str:
    srcs = _write_images(case, index, img_dir)
    blocked = ""
    if case.blocked:
        items = "".join(f"<li>{html.escape(url)}</li>" for url in case.blocked)
        blocked = f'<ul class="blocked">{items}</ul>'
    return (
        f'<section class="case" id="case-{index}"><h2>{html.escape(case.title)}</h2>'
        f'<div class="meta"><span class="tag">{html.escape(case.key)}</span>'
        f"{''.join(_figures(case))}{_preview_link(case, preview)}</div>"
        f'<div class="grid">{_img(srcs["baseline"], "Baseline", "baseline " + case.key)}'
        f"{_img(srcs['actual'], 'Actual', 'actual ' + case.key)}"
        f"{_img(srcs['diff'], 'Diff', 'diff ' + case.key, 'no pixel change')}</div>"
        f"{blocked}</section>"
    )


def write_report(cases: Iterable[Case], out_dir: Path, title: str = "mailkit snapshots",
                 preview: str | None = None) -> Path:
    """Write ``out_dir/index.html`` and the PNGs of failing cases; return the page path.

    ``preview``: the preview site's root relative to ``out_dir`` (``..`` for
    build/visual-report): each shot then links to the preview page showing it.

    Only ``out_dir/_shots/*.png`` and its thumbnails from an earlier report are removed, so
    pointing this at a shared folder cannot delete anything else.
    """
    cases = list(cases)
    out_dir = Path(out_dir)
    img_dir = out_dir / IMG_DIR
    if img_dir.is_dir():
        for old in [*img_dir.glob("*.png"), *img_dir.glob("ok-*.jpg")]:
            old.unlink()
    img_dir.mkdir(parents=True, exist_ok=True)
    failing = [c for c in cases if c.failed]
    passing = [c for c in cases if not c.failed]
    if failing:
        verdict = f'<span class="bad">{len(failing)} failing</span>'
    else:
        verdict = '<span class="ok">all shots match</span>'
    parts = [
        f"<!doctype html><html lang=en><head><meta charset=utf-8>"
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="summary">{verdict} · {len(passing)} passing · {len(cases)} shots · '
        f"{time.strftime('%Y-%m-%d %H:%M')}</p>",
    ]
    if failing:
        parts.append(
            '<p class="legend">Diff: faded baseline,'
            '<span class="sw" style="background:#f00"></span>changed pixels,'
            '<span class="sw" style="background:#f7b9b9"></span>area only one version has '
            "(height or width changed).</p>"
        )
    parts += [_case_html(case, i, img_dir, preview) for i, case in enumerate(failing, 1)]
    if passing:  # open when all pass: then the pictures are the report
        parts.append(
            f"<details{'' if failing else ' open'}><summary><span class=ok>{len(passing)} "
            f"passing</span></summary>{_passing_html(passing, img_dir, preview)}</details>"
        )
    parts.append("</body></html>")
    page = out_dir / "index.html"
    page.write_text("\n".join(parts), encoding="utf-8")
    if not any(img_dir.iterdir()):
        img_dir.rmdir()
    return page
