"""The preview and the inbox: the Inbox tab reads its preview text from the email as Gmail
does, and the facts panel shows SpamAssassin's score from the last `check --spam`."""

from __future__ import annotations

import json

import pytest
from helpers import checked_page, choose_state, goto

from mailkit.cache import spam_scores
from mailkit.commands.build import build

APP = "r-pur/application/index.html"
PANEL = "[data-scenario-panel]:not([hidden])"


@pytest.fixture
def laptop(browser):
    yield from checked_page(browser, 1280, 800)


def test_inbox_preview_text_is_the_emails_text_and_starts_with_its_preheader(laptop, site,
                                                                            demo_build):
    """Gmail ignores CSS: the hidden preheader must come first in the body's text."""
    result, _ = demo_build
    preheader = result.pages["r-pur/application/sans-app"].rendered.preheader
    goto(laptop, site(APP, "?tab=inbox"))
    shown = laptop.locator(f"{PANEL} .mk-row").first.locator(".mk-row-pre").text_content()
    assert shown.startswith(preheader)
    assert len(shown) > len(preheader) + 20  # then the email's first words, from its HTML
    fact = laptop.locator(f"{PANEL} [data-inbox-fact=preheader]").inner_text()
    assert fact.startswith(f"{len(preheader)} characters: ")


def test_facts_panel_shows_the_score_kept_for_this_very_content(laptop, demo_copy):
    result = build(demo_copy)
    page = result.pages["r-pur/application/sans-app"]
    key = spam_scores.content_key(page, result.project.brands["r-pur"].brand)
    spam_scores.save(demo_copy, {key: {"points": 0.8, "content": 0.1, "delivery": 0.0,
                                       "required": 5.0, "version": "4.0.1",
                                       "rules": {"PLING_QUERY": 0.1, "HTML_MESSAGE": 0.0}}})
    build(demo_copy)  # sees the scores changed: the pages show them
    goto(laptop, (demo_copy / "build" / APP).as_uri() + "?scenario=sans-app")
    facts = laptop.locator(f"{PANEL} [data-facts=spam]")
    assert facts.inner_text() == "SpamAssassin: 0.8 (content 0.1) · PLING_QUERY 0.1"
    choose_state(laptop, "avec-app")  # another content: none kept
    assert laptop.locator(f"{PANEL} [data-facts=spam]").inner_text() == (
        "SpamAssassin: not scored yet: mailkit check --spam")
    kept = json.loads((demo_copy / spam_scores.SCORES_FILE).read_text())
    assert list(kept) == [key]
