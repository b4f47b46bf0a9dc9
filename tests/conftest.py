"""Shared fixtures: the demo project, and small projects built from dicts (MkDocs' way)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

# Every kept unit share is computed again and compared (check/units.py): a share that
# reads outside its unit fails the suite, here and in the builds the tests start.
os.environ.setdefault("MAILKIT_CHECK_UNITS", "verify")
sys.path.insert(0, str(Path(__file__).parent / "klaviyo"))  # the fake Klaviyo, for any test

from helpers import (  # noqa: E402
    BRAND_YAML,
    EMAIL,
    FIXTURE_YAML,
    FLOWS_YAML,
    PNG,
    REPO,
    SERVE_PIDS,
    free_port,
)
from klaviyo_fake import fake  # noqa: E402, F401  (the fake Klaviyo account, for every test)


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """Write a small valid project, with `files` ({relative path: text}) on top."""

    def make(files: dict[str, str] | None = None) -> Path:
        tree = {
            "brands/test/brand.yaml": BRAND_YAML,
            "brands/test/flows.yaml": FLOWS_YAML,
            "brands/test/fixtures/base.yaml": FIXTURE_YAML,
            "emails/hello.mjml.j2": EMAIL,
            **(files or {}),
        }
        for rel, text in tree.items():
            path = tmp_path / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        (tmp_path / "brands/test/assets").mkdir(exist_ok=True)
        (tmp_path / "brands/test/assets/logo.png").write_bytes(PNG)
        return tmp_path

    return make


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A private copy of the demo project, safe to edit and build."""
    for name in ("emails", "partials", "brands"):
        shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "checks.yaml", tmp_path / "checks.yaml")
    return tmp_path


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory):
    """The demo project built once, in memory and on disk, for read-only tests."""
    from mailkit.commands.build import build

    out = tmp_path_factory.mktemp("demo") / "build"
    return build(REPO, out=out), out


TEN_STATES = """\
          masque-fiit: {fixture: fulfilled_order}
          lea: {fixture: fulfilled_order, description: "Une autre cliente : Léa",
                override: {person: {first_name: Léa}}}
          avec-app: {fixture: fulfilled_order, description: "Déjà cliente avec l’application",
                     override: {person: {Has R-PUR App: true}}}
          nom-long: {fixture: fulfilled_order, description: "Un prénom composé très long",
                     override: {person: {first_name: Marie-Adélaïde-Clémentine}}}
"""


@pytest.fixture(scope="session")
def ten_states(tmp_path_factory: pytest.TempPathFactory):
    """The demo with ten states on one email, r-pur's `colis` (four named, the six edge
    states of its contract), built once: (result, build folder, the email page's path)."""
    from mailkit.commands.build import build

    root = tmp_path_factory.mktemp("ten-states")
    for name in ("emails", "partials", "brands"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "checks.yaml", root / "checks.yaml")
    flows = root / "brands/r-pur/flows.yaml"
    text = flows.read_text(encoding="utf-8")
    one = "          masque-fiit: {fixture: fulfilled_order}\n"
    assert text.count(one) >= 1
    flows.write_text(text.replace(one, TEN_STATES, 1), encoding="utf-8")
    result = build(root, brand="r-pur")
    states = [p for p in result.pages.values() if p.target.email.id == "colis"]
    assert len(states) == 10, [p.key for p in states]
    return result, root / "build", "r-pur/colis/index.html"


@pytest.fixture(scope="session")
def chromium() -> str:
    """Chromium's path, for tests that launch it themselves (the visual suite).
    Missing in CI is a failure, not a skip."""
    import os

    from mailkit.visual.browser import find_chromium

    found = find_chromium()
    if found is None:
        message = "no Chromium: run scripts/bootstrap.sh or set MAILKIT_CHROMIUM"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="session")
def browser(chromium: str):
    """One headless Chromium per test worker."""
    from playwright.sync_api import sync_playwright

    from mailkit.visual.browser import launch_chromium

    with sync_playwright() as playwright:
        instance = launch_chromium(playwright)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def spamassassin() -> None:
    """SpamAssassin's spamd and spamc are installed (check/spamassassin.py). Missing in
    CI is a failure, not a skip: scripts/bootstrap.sh installs them."""
    import os

    from mailkit.check.spamassassin import SpamAssassinError, find

    try:
        find()
    except SpamAssassinError as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def spamd(spamassassin):
    """One SpamAssassin (`spamd -L`) per test worker, for the tests that score messages."""
    from mailkit.check.spamassassin import Spamd

    with Spamd() as running:
        yield running


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


@pytest.fixture
def site(demo_build):
    """The built demo's page at `path` (plus a query string), as a file:// URL."""
    _, out = demo_build
    return lambda path, query="": (out / path).as_uri() + query


@pytest.fixture
def server(demo_copy):
    """`mailkit serve` on a demo copy, in its own process: (its URL, the copy)."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mailkit", "serve", "--port", str(port)], cwd=demo_copy,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    lines = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if line.startswith("Serving on"):
            break
        if proc.poll() is not None:
            pytest.fail("serve exited: " + "".join(lines))
    SERVE_PIDS[f"http://127.0.0.1:{port}"] = proc.pid
    yield f"http://127.0.0.1:{port}", demo_copy
    proc.terminate()
    proc.wait(timeout=10)
    proc.stdout.close()
