"""launch_chromium / find_chromium: executable lookup order, fixed flags, real launch."""

from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from mailkit.visual import browser
from mailkit.visual.browser import CHROMIUM_ARGS, ChromiumNotFound, find_chromium, launch_chromium


class FakeBrowserType:
    """Records launch() kwargs instead of starting anything."""

    def __init__(self, bundled: str) -> None:
        self.executable_path = bundled
        self.calls: list[dict[str, Any]] = []

    def launch(self, **kwargs: Any) -> str:
        self.calls.append(kwargs)
        return "browser"


def fake_playwright(bundled: str = "/nonexistent/chrome") -> SimpleNamespace:
    return SimpleNamespace(chromium=FakeBrowserType(bundled))


@pytest.fixture
def no_chromium(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A machine with no system Chromium and an empty Playwright browser cache."""
    monkeypatch.delenv(browser.ENV_VAR, raising=False)
    monkeypatch.setattr(browser, "SYSTEM_CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "ms-playwright"))
    return tmp_path


def make_exe(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_env_override_wins(no_chromium: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = make_exe(no_chromium / "my-chrome")
    make_exe(Path(browser.SYSTEM_CHROMIUM))
    monkeypatch.setenv(browser.ENV_VAR, exe)
    assert find_chromium() == exe
    pw = fake_playwright()
    launch_chromium(pw)
    assert pw.chromium.calls[0]["executable_path"] == exe


def test_bad_env_override_is_an_error_not_a_fallback(
    no_chromium: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_exe(Path(browser.SYSTEM_CHROMIUM))
    monkeypatch.setenv(browser.ENV_VAR, str(no_chromium / "typo"))
    with pytest.raises(ChromiumNotFound, match="MAILKIT_CHROMIUM"):
        launch_chromium(fake_playwright())
    assert find_chromium() is None


def test_system_chromium_then_bundled(no_chromium: Path) -> None:
    bundled = make_exe(no_chromium / "ms-playwright/chromium-1234/chrome-linux64/chrome")
    assert find_chromium() == bundled
    pw = fake_playwright(bundled)
    launch_chromium(pw)
    assert "executable_path" not in pw.chromium.calls[0]  # Playwright picks its own

    system = make_exe(Path(browser.SYSTEM_CHROMIUM))
    assert find_chromium() == system
    pw = fake_playwright(bundled)
    launch_chromium(pw)
    assert pw.chromium.calls[0]["executable_path"] == system


def test_no_chromium_explains_how_to_install(no_chromium: Path) -> None:
    assert find_chromium() is None
    with pytest.raises(ChromiumNotFound, match="apt-get install -y chromium fonts-liberation"):
        launch_chromium(fake_playwright())


def test_fixed_flags_always_passed_and_extra_args_appended(no_chromium: Path) -> None:
    make_exe(Path(browser.SYSTEM_CHROMIUM))
    pw = fake_playwright()
    launch_chromium(pw, args=["--lang=de"], slow_mo=5)
    call = pw.chromium.calls[0]
    assert call["headless"] is True and call["slow_mo"] == 5
    assert call["args"][: len(CHROMIUM_ARGS)] == list(CHROMIUM_ARGS)
    assert call["args"][-1] == "--lang=de"
    for flag in (
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--font-render-hinting=none",
        "--force-color-profile=srgb",
        "--hide-scrollbars",
    ):
        assert flag in call["args"]


@pytest.mark.skipif(
    find_chromium() is None and not os.environ.get(browser.ENV_VAR),
    reason="no Chromium found: apt-get install -y chromium fonts-liberation "
    "fonts-noto-color-emoji, or set MAILKIT_CHROMIUM",
)
def test_real_launch_sync_api() -> None:
    from playwright.sync_api import sync_playwright

    def launch() -> None:
        with sync_playwright() as pw:
            b = launch_chromium(pw)
            try:
                page = b.new_page()
                page.set_content("<p>hi</p>")
                assert page.inner_text("p") == "hi"
                assert b.version.split(".")[0].isdigit()
            finally:
                b.close()

    # A thread of its own: the session `browser` fixture may already hold a sync
    # Playwright (and so a running event loop) on this worker's main thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(launch).result()
    assert os.path.exists(find_chromium() or "")
