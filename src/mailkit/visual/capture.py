"""Deterministic screenshots of built HTML emails.

Every pixel source that can vary between runs is pinned: one Chromium with fixed flags
(:mod:`mailkit.visual.browser`), device scale 1, emulated colour scheme, reduced
motion, animations frozen, caret hidden, animated GIFs as their first frame, fonts and
image decoding awaited, JavaScript off (email clients never run it), and no network:
each page is a :class:`~mailkit.visual.tab.Tab`, which aborts and *records* any request
leaving the build ``root``, so the caller fails a template that would reach the
internet in a real inbox.

One browser for the whole run, one context per viewport × scheme, each worker coroutine
reusing one page per context (the async API: the sync one is bound to one thread). A
shot of a client view is first drawn by the preview's script in a context with
JavaScript on (:mod:`mailkit.visual.clients`), then shot like any other.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mailkit.visual.browser import launch_chromium
from mailkit.visual.clients import FOLDER, VIEWS, arm, draw
from mailkit.visual.tab import Tab

Viewport = Literal["desktop", "mobile"]
Scheme = Literal["light", "dark"]

#: Desktop leaves 100 px of gutter either side of the 600 px email body, like a
#: webmail reading pane; mobile is the 375 px iPhone width most emails break at.
#: Heights only set the minimum screenshot height: shots are full-page.
VIEWPORTS: dict[str, dict[str, int]] = {
    "desktop": {"width": 800, "height": 600},
    "mobile": {"width": 375, "height": 667},
}

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

            async def tab(tabs: dict[tuple[str, str], Tab], combo: tuple[str, str]) -> Tab:
                if combo not in tabs:
                    tabs[combo] = Tab(await contexts[combo].new_page(), root)
                    await tabs[combo].install()
                return tabs[combo]

            async def worker() -> None:
                tabs: dict[tuple[str, str], Tab] = {}
                while not queue.empty():
                    index, shot = queue.get_nowait()
                    try:
                        if shot.client:  # drawn by the preview's script, then shot as HTML
                            page = (await tab(tabs, (shot.viewport, "script"))).page
                            out = root / FOLDER / f"{index}.html"
                            html = await draw(page, shot.html_path, shot.client, out)
                            shot = Shot(shot.key, html, shot.viewport, shot.scheme)
                        page = await tab(tabs, (shot.viewport, shot.scheme))
                        result = ShotResult(shot.key, *await page.shoot(shot.html_path,
                                                                         timeout_ms))
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
