"""Thumbnails of the emails for the brand homes' flow canvases, taken by the snapshot run.

`mailkit snapshot` shoots every page on desktop in light mode; the top of that shot,
scaled down, is kept in `.mailkit-cache/thumbs/<digest of the page's HTML>.jpg`. The
build links a thumbnail into the site only while the page's HTML still has that
digest, so a thumbnail never shows an older email. No browser runs at build time.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache import THUMBS_DIR

if TYPE_CHECKING:
    from ..model import BuildResult
    from ..output.staging import Writer

WIDTH = 240  # px: 0.3 of the 800 px desktop shot
HEIGHT = 300  # px: the first 1 000 px of the email, where its hero and headline are
SITE_DIR = "_mailkit/thumbs"


def digest(html: str | bytes) -> str:
    data = html.encode("utf-8") if isinstance(html, str) else html
    return hashlib.sha256(data).hexdigest()[:20]


def thumbnail(png: bytes, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """The top of a full-page shot, `width` wide, at most `height` tall, as a JPEG."""
    from PIL import Image  # the snapshot run's dependency, not the build's

    with Image.open(io.BytesIO(png)) as shot:
        scale = width / shot.width
        top = shot.crop((0, 0, shot.width, min(shot.height, round(height / scale))))
        small = top.convert("RGB").resize((width, max(1, round(top.height * scale))),
                                          Image.Resampling.LANCZOS)
        out = io.BytesIO()
        small.save(out, format="JPEG", quality=82, optimize=True)
        return out.getvalue()


def save(root: Path, html: bytes, png: bytes | Callable[[], bytes]) -> bool:
    """Cache the thumbnail of the page whose HTML is `html`; False if it was there.
    `png` may be a function: a shot not taken again reads its baseline only if needed."""
    path = root / THUMBS_DIR / f"{digest(html)}.jpg"
    if path.is_file():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(thumbnail(png() if callable(png) else png))
    tmp.replace(path)
    return True


def link(result: BuildResult, writer: Writer) -> dict[str, str]:
    """Link the cached thumbnails of current pages into the site: page key → site path."""
    cache = result.project.root / THUMBS_DIR
    if not cache.is_dir():
        return {}
    found = {}
    for key, page in result.pages.items():
        name = f"{digest(page.compiled.html)}.jpg"
        if (cache / name).is_file():
            writer.file(cache / name, f"{SITE_DIR}/{name}")
            found[key] = f"{SITE_DIR}/{name}"
    return found
