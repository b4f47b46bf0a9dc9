"""One reusable Chromium page that shoots a built email as an inbox would show it, and
lets nothing out.

Any request leaving the build ``root`` (web fonts, tracking pixels, remote images) is
aborted and recorded, so the caller fails a template that would reach the internet in a
real inbox. Animated GIFs are served as their first frame: Chromium keeps them playing
whatever ``animations="disabled"`` says. Fonts and image decoding are awaited before the
shot.
"""

from __future__ import annotations

import functools
import io
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

#: After ``load`` (images fetched or failed) web fonts may still be swapping in
#: and big images still decoding; wait for both before the screenshot.
_SETTLE_JS = """async () => {
  await document.fonts.ready;
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
}"""


def is_inside(url: str, root: Path) -> bool:
    """True if ``url`` is a ``file://`` URL of a path inside ``root``.

    ``root`` must already be resolved. Resolving the target too defeats ``..``
    and symlinks pointing out of the build folder.
    """
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    try:
        return Path(url2pathname(parts.path)).resolve().is_relative_to(root)
    except (OSError, ValueError):
        return False


def _first_frame(url: str) -> bytes | None:
    """PNG of an animated GIF's first frame, or None if it is not animated.

    Chromium keeps GIFs playing whatever ``animations="disabled"`` says, so the
    frame on screen depends on timing. The first frame is also what clients that
    do not animate (Outlook desktop) show.
    """
    path = Path(url2pathname(urlsplit(url).path))
    try:
        stat = path.stat()
    except OSError:
        return None
    return _first_frame_of(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _first_frame_of(path: str, mtime_ns: int, size: int) -> bytes | None:
    from PIL import Image

    try:
        with Image.open(path) as img:
            if not getattr(img, "is_animated", False):
                return None
            img.seek(0)
            buf = io.BytesIO()
            img.convert("RGBA").save(buf, format="PNG")
            return buf.getvalue()
    except (OSError, ValueError):
        return None


def _regex_escape(text: str) -> str:
    """Escape for a regex valid in both Python and JavaScript (Playwright runs it in JS)."""
    return "".join("\\" + c if c in r".^$*+?()[]{}|\/" else c for c in text)


class Tab:
    """A Playwright page reused shot after shot (its routes installed once), with the
    URLs blocked while the current shot renders."""

    def __init__(self, page: Any, root: Path) -> None:
        self.page = page
        self.root = root
        self.blocked: list[str] = []

    async def install(self) -> None:
        # Fast path: only URLs *not* starting with the root's file:// prefix reach
        # Python (the regex is matched inside the driver); saves a round trip per
        # local image. The handler still re-checks, so an oddly encoded local URL
        # that misses the prefix is let through rather than counted as blocked.
        # GIFs inside the root come here too, to be frozen on their first frame.
        inside = _regex_escape(self.root.as_uri() + "/")
        gif = r"\.[gG][iI][fF]([?#]|$)"
        await self.page.route(re.compile(f"^(?!{inside})|{gif}"), self._route)

    async def _route(self, route: Any) -> None:
        url = route.request.url
        if is_inside(url, self.root):
            frame = _first_frame(url) if re.search(r"\.gif([?#]|$)", url, re.I) else None
            if frame is None:
                await route.continue_()
            else:
                await route.fulfill(body=frame, content_type="image/png")
        else:
            self.blocked.append(url)
            await route.abort("blockedbyclient")

    async def shoot(self, html_path: Path, timeout_ms: float) -> tuple[bytes, list[str], float]:
        """The page at `html_path`, full height: its PNG, the URLs blocked while it
        loaded, the seconds it took."""
        self.blocked = []
        start = time.perf_counter()
        await self.page.goto(html_path.as_uri(), wait_until="load", timeout=timeout_ms)
        await self.page.evaluate(_SETTLE_JS)
        png = await self.page.screenshot(
            full_page=True, animations="disabled", caret="hide", type="png", timeout=timeout_ms
        )
        return png, list(self.blocked), time.perf_counter() - start
