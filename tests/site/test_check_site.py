"""The preview site shows `mailkit check`'s findings: a Checks tab per email, a home summary.

Driven in Chromium from file://, on the demo (which passes clean) and on a copy of it
whose checks.yaml no longer accepts `white-space` (used by the order summary of one
email per brand), so that findings appear.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from helpers import DEMO, REPO, goto
from playwright.sync_api import expect

from mailkit.commands.build import build
from mailkit.project.load import load_project

TAB = "[data-scenario-panel]:not([hidden]) [data-tab-panel=checks]"
TARGETS = load_project(REPO).targets()  # named scenarios and generated edge states


def pages_of(key: str) -> int:
    return sum(t.key.startswith(key + "/") for t in TARGETS)


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("checks-site")
    for name in ("emails", "partials", "brands"):
        shutil.copytree(REPO / name, root / name)
    text = (REPO / "checks.yaml").read_text(encoding="utf-8")
    head, _, tail = text.partition("  css-white-space:")
    tail = tail[tail.index("  html-lists:"):]
    (root / "checks.yaml").write_text(head + tail, encoding="utf-8")
    build(root, out=root / "build")
    return lambda path: (root / "build" / path).as_uri()


@pytest.fixture
def demo_site(demo_build):
    _, out = demo_build
    return lambda path: (out / path).as_uri()


def test_home_summary_says_the_demo_passes(page, demo_site):
    goto(page, demo_site("index.html"))
    summary = page.locator(".mk-checks-summary")
    assert f"{DEMO.pages} pages · 0 errors · 0 warnings" in summary.locator("h2").inner_text()
    brands = summary.locator(".mk-checks-brand")
    assert brands.count() == len(DEMO.brands)
    for i in range(len(DEMO.brands)):
        assert "every email passes" in brands.nth(i).inner_text()


def test_checks_tab_lists_what_was_accepted(page, demo_site):
    goto(page, demo_site("r-pur/application/index.html"))
    tab = page.get_by_role("tab", name="Checks")
    assert tab.inner_text() == "Checks"  # no count: nothing to fix
    tab.click()
    panel = page.locator(TAB)
    assert panel.is_visible() and "No problems" in panel.inner_text()
    page.locator(f"{TAB} .mk-info summary").click()
    accepted = panel.locator(".mk-info li").all_inner_texts()
    assert any("css-at-media-prefers-color-scheme" in a and "accepted by configuration" in a
               for a in accepted)
    assert "tab=checks" in page.url


def test_home_summary_counts_problems_and_links_to_them(page, broken_site):
    # every page shows the website host in a nowrap span (the footer), so without the
    # accepted `white-space` each page has its error and its warning
    built = Path(unquote(urlsplit(broken_site("")).path))
    pages = {b: [p for p in (built / b).glob("*/*.html") if p.name != "index.html"]
             for b in ("kokawa", "r-pur")}
    total = sum(len(v) for v in pages.values())
    goto(page, broken_site("index.html"))
    summary = page.locator(".mk-checks-summary")
    assert f"{total} errors · {total} warnings" in summary.locator("h2").inner_text()
    rpur = summary.locator(".mk-checks-brand[data-brand=r-pur]")
    assert rpur.locator("[data-errors]").inner_text() == f"{len(pages['r-pur'])} errors"
    assert rpur.locator("[data-warnings]").inner_text() == f"{len(pages['r-pur'])} warnings"
    failing = rpur.locator(".mk-checks-failing li")
    assert failing.count() == len(pages["r-pur"])
    colis = failing.filter(has_text="colis · masque-fiit")
    assert colis.count() == 1 and "white-space" in colis.inner_text()
    kokawa = summary.locator(".mk-checks-brand[data-brand=kokawa] .mk-checks-failing li")
    assert kokawa.count() == len(pages["kokawa"])
    colis.locator("a").click()
    page.wait_for_load_state("load")  # the page's script selects the tab from the URL
    assert page.url.split("?")[0].endswith("r-pur/colis/index.html")
    expect(page.get_by_role("tab", name="Checks")).to_have_attribute("aria-selected", "true")


def test_checks_tab_shows_each_finding_with_its_element(page, broken_site):
    goto(page, broken_site("r-pur/colis/index.html"))
    tab = page.get_by_role("tab", name="Checks")
    # 1 error + 1 warning in each state
    assert tab.locator(".mk-pill.is-error").inner_text() == str(2 * pages_of("r-pur/colis"))
    tab.click()
    rows = page.locator(f"{TAB} .mk-findings tbody tr")
    assert rows.count() == 2
    first = rows.nth(0).locator("td").all_inner_texts()
    assert first[:3] == ["error", "support", "white-space: nowrap"]
    assert "not supported in" in first[3] and "Outlook (Windows)" in first[3]
    assert rows.nth(1).locator("td").first.inner_text() == "warning"
    head = page.locator(f"{TAB} .mk-checks-head").inner_text()
    assert "1 error" in head and "1 warning" in head
