"""Deterministic screenshots of built HTML emails.

Every pixel source that can vary between runs is pinned: one Chromium with fixed flags
(:mod:`mailkit.visual.browser`), device scale 1, emulated colour scheme, reduced
motion, animations frozen, caret hidden, animated GIFs as their first frame, fonts and
image decoding awaited, JavaScript off (email clients never run it), and no network.
Any request leaving the build ``root`` (web fonts, tracking pixels, remote images) is
aborted and *recorded* in the result, so the caller fails a template that would reach
the internet in a real inbox.

One browser for the whole run, one context per viewport × scheme, each worker coroutine
reusing one page per context (the async API: the sync one is bound to one thread). A
shot of a client view is first drawn by the preview's script in a context with
JavaScript on (:mod:`mailkit.visual.clients`), then shot like any other.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import io
import re
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from urllib.request import url2pathname

from mailkit.visual.browser import launch_chromium
from mailkit.visual.clients import FOLDER, VIEWS, arm, draw

Viewport = Literal["desktop", "mobile"]
Scheme = Literal["light", "dark"]

#: Desktop leaves 100 px of gutter either side of the 600 px email body, like a
#: webmail reading pane; mobile is the 375 px iPhone width most emails break at.
#: Heights only set the minimum screenshot height: shots are full-page.
VIEWPORTS: dict[str, dict[str, int]] = {
    "desktop": {"width": 800, "height": 600},
    "mobile": {"width": 375, "height": 667},
}

#: After ``load`` (images fetched or failed) web fonts may still be swapping in
#: and big images still decoding; wait for both before the screenshot.
_SETTLE_JS = """async () => {
  await document.fonts.ready;
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
}"""


@dataclass(frozen=True)
class Shot:
    """One screenshot to take: ``key`` names it in results and reports."""

    key: str
    html_path: Path
    viewport: Viewport = "desktop"
    scheme: Scheme = "light"
    client: str = ""  # a client view of the page (check/clients.py's VIEWS), "" as written


@dataclass(frozen=True)
class ShotResult:
    """PNG bytes of a shot plus every URL that was blocked while rendering it."""

    key: str
    png: bytes
    blocked: list[str] = field(default_factory=list)
    seconds: float = 0.0


class CaptureError(RuntimeError):
    """A shot could not be rendered (missing file, timeout, browser crash)."""


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


class _Tab:
    """A reusable page plus the blocked-URL list of the shot it is rendering."""

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

    async def shoot(self, shot: Shot, timeout_ms: float) -> ShotResult:
        self.blocked = []
        start = time.perf_counter()
        await self.page.goto(shot.html_path.as_uri(), wait_until="load", timeout=timeout_ms)
        await self.page.evaluate(_SETTLE_JS)
        png = await self.page.screenshot(
            full_page=True, animations="disabled", caret="hide", type="png", timeout=timeout_ms
        )
        seconds = time.perf_counter() - start
        return ShotResult(shot.key, png, list(self.blocked), seconds)


def _check(shots: Sequence[Shot], root: Path) -> list[Shot]:
    """Normalise paths and reject mistakes before paying for a browser launch."""
    seen: set[str] = set()
    out: list[Shot] = []
    for shot in shots:
        if shot.key in seen:
            raise ValueError(f"duplicate shot key {shot.key!r}")
        seen.add(shot.key)
        if shot.viewport not in VIEWPORTS:
            raise ValueError(f"{shot.key}: unknown viewport {shot.viewport!r}")
        if shot.scheme not in ("light", "dark"):
            raise ValueError(f"{shot.key}: unknown scheme {shot.scheme!r}")
        if shot.client and shot.client not in VIEWS:
            raise ValueError(f"{shot.key}: unknown client view {shot.client!r}")
        path = Path(shot.html_path).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"{shot.key}: {path} does not exist")
        if not path.is_relative_to(root):
            raise ValueError(f"{shot.key}: {path} is outside the build root {root}")
        out.append(Shot(shot.key, path, shot.viewport, shot.scheme, shot.client))
    return out


#: Called with (index in the input, result) as each shot is taken, on one thread apart
#: from the browser's loop: the caller compares and stores it while Chromium shoots the
#: next one, and no PNG is kept beyond it.
Sink = Callable[[int, ShotResult], None]


async def capture_all_async(
    shots: Iterable[Shot], root: Path, workers: int = 2, timeout_ms: float = 15_000,
    sink: Sink | None = None,
) -> list[ShotResult]:
    """Async form of :func:`capture_all` for callers already inside an event loop."""
    from playwright.async_api import async_playwright

    root = Path(root).resolve()
    todo = _check(list(shots), root)
    if not todo:
        return []
    loop = asyncio.get_running_loop()
    # one thread: the sink sees one shot at a time, in the order they are taken
    drain = concurrent.futures.ThreadPoolExecutor(max_workers=1) if sink else None
    workers = max(1, min(workers, len(todo)))
    queue: asyncio.Queue[tuple[int, Shot]] = asyncio.Queue()
    # Grouped by viewport x scheme so a worker keeps using the page it just used;
    # hopping between its pages for every shot measured ~20% slower. Results still
    # come back in input order.
    for item in sorted(enumerate(todo), key=lambda it: (it[1].viewport, it[1].scheme)):
        queue.put_nowait(item)
    results: list[ShotResult | None] = [None] * len(todo)

    async with async_playwright() as pw:
        browser = await launch_chromium(pw)
        try:
            contexts: dict[tuple[str, str], Any] = {}
            combos = [(s.viewport, s.scheme) for s in todo]
            combos += [(s.viewport, "script") for s in todo if s.client]  # clients.js draws
            for combo in dict.fromkeys(combos):
                contexts[combo] = await browser.new_context(
                    viewport=VIEWPORTS[combo[0]],
                    device_scale_factor=1,
                    color_scheme="light" if combo[1] == "script" else combo[1],
                    reduced_motion="reduce",
                    java_script_enabled=combo[1] == "script",
                    service_workers="block",
                    locale="en-US",
                    timezone_id="UTC",
                )
                if combo[1] == "script":
                    await arm(contexts[combo])

            async def tab(tabs: dict[tuple[str, str], _Tab], combo: tuple[str, str]) -> _Tab:
                if combo not in tabs:
                    tabs[combo] = _Tab(await contexts[combo].new_page(), root)
                    await tabs[combo].install()
                return tabs[combo]

            async def worker() -> None:
                tabs: dict[tuple[str, str], _Tab] = {}
                while not queue.empty():
                    index, shot = queue.get_nowait()
                    try:
                        if shot.client:  # drawn by the preview's script, then shot as HTML
                            page = (await tab(tabs, (shot.viewport, "script"))).page
                            out = root / FOLDER / f"{index}.html"
                            html = await draw(page, shot.html_path, shot.client, out)
                            shot = Shot(shot.key, html, shot.viewport, shot.scheme)
                        result = await (await tab(tabs, (shot.viewport, shot.scheme))).shoot(
                            shot, timeout_ms)
                    except Exception as exc:
                        raise CaptureError(f"{shot.key} ({shot.html_path}): {exc}") from exc
                    if drain is None:
                        results[index] = result
                    else:
                        await loop.run_in_executor(drain, sink, index, result)

            tasks = [asyncio.create_task(worker()) for _ in range(workers)]
            try:
                await asyncio.gather(*tasks)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            await browser.close()
            shutil.rmtree(root / FOLDER, ignore_errors=True)
            if drain is not None:
                drain.shutdown(wait=True)
    return [r for r in results if r is not None]


def capture_all(
    shots: Iterable[Shot], root: Path, workers: int = 2, timeout_ms: float = 15_000,
    sink: Sink | None = None,
) -> list[ShotResult]:
    """Screenshot every shot with one browser; results come back in input order, or,
    with a `sink`, go to it one by one as they are taken (and none is returned).

    ``root`` is the build folder: only ``file://`` URLs inside it may load.
    ``workers`` is the number of pages rendering at the same time (see the module
    docstring for why 2). Raises :class:`CaptureError` naming the first shot that
    failed; the others are cancelled.
    """
    coro = capture_all_async(shots, root, workers=workers, timeout_ms=timeout_ms, sink=sink)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    # Called from async code: give the run its own loop on a private thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
