"""The preview site's own pages checked by axe-core (the accessibility engine of Deque,
pinned in tests/a11y/package.json, installed by scripts/bootstrap.sh) in Chromium.

The emails inside the frames are not judged here: `mailkit check` has its own
accessibility rules for them; this is about the site a designer works in all day.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import THUMBS_DRAWN

AXE = Path(__file__).parent.parent / "a11y/node_modules/axe-core/axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGES = [
    ("index.html", ""),
    ("r-pur/index.html", ""),  # a brand's home, its flows as canvases
    ("r-pur/application/index.html", ""),
    ("r-pur/application/index.html", "?scenario=sans-prenom&states"),  # the state picker open
    ("r-pur/application/index.html", "?dark=1&view=mobile"),
    ("r-pur/application/index.html", "?tab=compare&with=scenario:avec-app&overlay=1"),
    ("r-pur/application/index.html", "?tab=inbox"),
    ("r-pur/application/index.html", "?tab=html"),
    ("r-pur/application/index.html", "?tab=mjml"),
    ("r-pur/application/index.html", "?tab=text"),
    ("r-pur/application/index.html", "?tab=klaviyo"),
    ("kokawa/partage-whatsapp/index.html", "?tab=checks"),
    ("r-pur/application/index.html", "?view=custom&width=99999"),  # with its error message
    ("kokawa/partage-whatsapp/index.html", "?client=partial"),  # the client views (issue 21)
    ("kokawa/partage-whatsapp/index.html", "?client=outlook&tab=compare&with=client:nostyle"),
    ("kokawa/partage-whatsapp/index.html", "?client=full&view=mobile&about"),  # About open
]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        message = "axe-core missing: run scripts/bootstrap.sh (npm ci in tests/a11y)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def audit(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("""rules => axe.run(document, {
        runOnly: {type: 'tag', values: rules}, iframes: false, resultTypes: ['violations']})""",
                           RULES)
    return [f"{v['id']} at {n['target']}: {n['failureSummary'][-90:]}"
            for v in result["violations"] for n in v["nodes"]]


@pytest.mark.parametrize("path,query", PAGES, ids=[f"{p} {q}" for p, q in PAGES])
def test_site_pages_pass_axe(browser, demo_build, axe_source, path, query):
    _, out = demo_build
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto((out / path).as_uri() + query)
    page.locator("body").wait_for()
    if path.count("/") == 2:  # an email page: its sources load after the page
        page.locator("body[data-ready]").wait_for(state="attached")
        if query.endswith("&about"):
            page.get_by_role("button", name="About this client view").click()
        if query.endswith("&states"):
            page.locator("[data-states-toggle]").click()
    elif path != "index.html":
        page.locator(".mk-nav-toggle").first.click()  # a brand folded by hand
        page.wait_for_function(THUMBS_DRAWN)
    else:
        page.get_by_role("searchbox", name="Search").fill("r-pur")  # a filtered sidebar too
    problems = audit(page, axe_source)
    context.close()
    assert problems == []


@pytest.mark.parametrize("path", ["r-pur/index.html", "r-pur/colis/index.html"])
def test_ten_states_and_emails_drawn_pass_axe(browser, ten_states, axe_source, path):
    """A brand home whose emails are drawn in frames (no snapshot run on this copy), and
    an email of ten states with the state picker open."""
    _, out, _ = ten_states
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto((out / path).as_uri())
    if path.endswith("colis/index.html"):
        page.locator("body[data-ready]").wait_for(state="attached")
        page.locator("[data-states-toggle]").press("Enter")
        page.locator("#mk-states").wait_for()
    else:
        assert page.locator("[data-thumb]").count()
        page.wait_for_function(THUMBS_DRAWN)
    problems = audit(page, axe_source)
    context.close()
    assert problems == []
