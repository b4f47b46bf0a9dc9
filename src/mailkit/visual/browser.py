"""The one place that starts a browser for mailkit.

Visual snapshots, preview-site tests and diagnostics all go through
:func:`launch_chromium` so that every screenshot in the project is produced by the
same executable with the same flags. Pixel baselines are only comparable when the
renderer is pinned: a different Chromium build, GPU path, font hinting or colour
profile moves anti-aliased edges by a shade and fails every snapshot at once.

Lookup order for the executable (see :func:`find_chromium`):

1. ``$MAILKIT_CHROMIUM`` - explicit user override; an invalid value is an error,
   never silently skipped, because a wrong browser means wrong baselines.
2. ``/usr/bin/chromium`` - Debian's package, the one CI and the baselines use.
3. Playwright's bundled Chromium, when ``playwright install chromium`` was run.
4. Otherwise :class:`ChromiumNotFound` explaining how to install one.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Any

ENV_VAR = "MAILKIT_CHROMIUM"
SYSTEM_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = (
    "No Chromium found. Install Debian's build with:\n"
    "    apt-get install -y chromium fonts-liberation fonts-noto-color-emoji\n"
    f"or point ${ENV_VAR} at a Chromium/Chrome executable."
)

#: Flags passed to every launch. The first group keeps the browser quiet and
#: offline (no sandbox: CI containers run as root); the second group removes the
#: sources of run-to-run pixel noise (GPU compositing, subpixel/LCD text, font
#: hinting, monitor colour profile, overlay scrollbars).
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-dev-shm-usage",
    "--font-render-hinting=none",
    "--disable-lcd-text",
    "--disable-font-subpixel-positioning",
    "--force-color-profile=srgb",
    "--hide-scrollbars",
    "--mute-audio",
)


class ChromiumNotFound(RuntimeError):
    """Raised when no usable Chromium exists; the message says how to get one."""


def _bundled_chromium() -> str | None:
    """Path of a Chromium installed by ``playwright install``, if any.

    Looked up on disk rather than via a running Playwright so diagnostics can call
    it cheaply; the layout is ``<browsers>/chromium[_headless_shell]-<rev>/...``.
    """
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(Path.home() / ".cache/ms-playwright")
    patterns = (
        "chromium-*/chrome-linux*/chrome",
        "chromium_headless_shell-*/chrome-linux*/headless_shell",
        "chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
        "chromium-*/chrome-win*/chrome.exe",
    )
    for pattern in patterns:
        hits = sorted(glob.glob(os.path.join(root, pattern)))
        if hits:
            return hits[-1]
    return None


def _override() -> str | None:
    """Validated ``$MAILKIT_CHROMIUM``; raises if set to something unusable."""
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return None
    if not (os.path.isfile(value) and os.access(value, os.X_OK)):
        raise ChromiumNotFound(f"${ENV_VAR}={value!r} is not an executable file.")
    return value


def find_chromium() -> str | None:
    """Return the Chromium executable mailkit would use, or None if there is none.

    Meant for ``mailkit doctor``-style diagnostics and for test skips; it never
    starts a browser.
    """
    try:
        override = _override()
    except ChromiumNotFound:
        return None
    if override:
        return override
    if os.path.exists(SYSTEM_CHROMIUM):
        return SYSTEM_CHROMIUM
    return _bundled_chromium()


def launch_chromium(playwright: Any, **kwargs: Any) -> Any:
    """Launch headless Chromium with mailkit's fixed flags.

    Works with both Playwright APIs: pass the object from ``sync_playwright()`` to
    get a ``Browser``, or from ``async_playwright()`` to get an awaitable of one.
    ``kwargs`` go to ``BrowserType.launch``; extra ``args`` are appended after the
    fixed flags, and an explicit ``executable_path`` or ``headless=False`` (for
    debugging) wins over the defaults.
    """
    options: dict[str, Any] = dict(kwargs)
    options["args"] = [*CHROMIUM_ARGS, *options.get("args", ())]
    options.setdefault("headless", True)
    if "executable_path" not in options:
        override = _override()
        if override:
            options["executable_path"] = override
        elif os.path.exists(SYSTEM_CHROMIUM):
            options["executable_path"] = SYSTEM_CHROMIUM
        elif not (_bundled_chromium() or os.path.exists(playwright.chromium.executable_path)):
            raise ChromiumNotFound(INSTALL_HINT)
        # else: leave executable_path unset so Playwright picks its own build.
    return playwright.chromium.launch(**options)
