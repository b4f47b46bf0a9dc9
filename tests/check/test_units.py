"""The units' shares (check/units.py): what is kept must be what a fresh walk finds, or
a build's findings would depend on what the process checked before."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailkit.check import kept, run_checks, sections, units
from mailkit.check.dom import parse_html

from .helpers import body, make_doc, page, run

STATES = [  # the same email in a few states: most units come back, a few differ
    body(),
    body("<p>Bonjour Camille, votre commande n°1234 est partie.</p>"),
    body("<p>Bonjour , votre commande n° est partie.</p>"),
    body('<p><a href="">Suivre le colis</a> {{ first_name }}</p>'),
]


def test_kept_shares_give_the_fresh_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule, every state, twice: kept (the second time from the shares) or not."""
    monkeypatch.setattr(units, "MODE", "0")
    fresh = [run_checks(make_doc(html=page(b))) for b in STATES]
    monkeypatch.setattr(units, "MODE", "1")
    units.forget()
    for _ in range(2):
        assert [run_checks(make_doc(html=page(b))) for b in STATES] == fresh


def test_verify_mode_fails_on_a_share_that_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(units, "MODE", "verify")
    root = parse_html(page(body()))
    assert root is not None
    unit = next(iter(sections.layout(root).units.values()))
    assert units.memo("test", root, unit, lambda: (1,)) == (1,)
    with pytest.raises(AssertionError, match="unit share changed"):
        units.memo("test", root, unit, lambda: (2,))


def test_a_page_kept_by_its_html_gives_each_states_findings(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """States that compile to the same HTML and differ in all else a rule may read:
    what `kept.per_page` keeps for a rule must be what that rule finds for each."""
    html = page(body('<p style="color:#777">Bonjour Camille</p>'))
    states = [make_doc(html=html), make_doc(
        html=html, subject="GRATUIT !!! R-Pur", preheader="Court", text="", lang="en",
        postal_address="", export=True, asset_root=Path("/nowhere"), utm=None, website=None,
        names=("Camille",), trigger="segment", voice="vous", other_brands=("Kokawa",))]
    monkeypatch.setattr(units, "MODE", "0")
    fresh = [run_checks(doc) for doc in states]
    assert fresh[0] != fresh[1]
    monkeypatch.setattr(units, "MODE", "1")
    units.forget()
    assert [run_checks(doc) for doc in states] == fresh


def test_verify_mode_fails_on_a_page_that_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(units, "MODE", "verify")
    assert kept.per_page("test", "<p>x</p>", lambda: [1]) == [1]
    with pytest.raises(AssertionError, match="kept findings changed"):
        kept.per_page("test", "<p>x</p>", lambda: [2])


def test_a_number_is_never_given_twice() -> None:
    """A walk under way when `forget()` runs keeps its numbers: none may mean another
    unit afterwards."""
    root = parse_html(page(body()))
    assert root is not None
    before = set(sections.layout(root).units.values())
    units.forget()
    again = parse_html(page(body()))
    assert again is not None
    assert before.isdisjoint(sections.layout(again).units.values())


def test_an_image_added_since_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A local file is looked for each time (serve's warm workers keep the shares)."""
    monkeypatch.setattr(units, "MODE", "1")
    units.forget()
    html = page(body(logo='<div><img src="assets/logo.png" alt="x" width="120"></div>'))
    first = run("images", html=html, asset_root=tmp_path)
    assert ["missing file" in f.message for f in first] == [True]
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_bytes(b"png")
    assert run("images", html=html, asset_root=tmp_path) == []


def test_the_suite_verifies_every_share() -> None:
    """tests/conftest.py sets verify mode before mailkit is imported (unless told)."""
    import os

    assert units.MODE == os.environ["MAILKIT_CHECK_UNITS"]


def test_the_spine_follows_the_biggest_kid_as_counting_all_would() -> None:
    """`_biggest` stops counting early: it must pick what max(count(.//*)) picks, the
    first of equals, comments aside."""
    import random

    from lxml import etree

    count = etree.XPath("count(.//*)")
    shapes = random.Random(22)
    for _ in range(500):
        kids = [etree.Element("div") for _ in range(shapes.randint(1, 2))]
        for kid in kids:
            for _ in range(shapes.randint(0, 3)):
                child = etree.SubElement(kid, "p")
                for _ in range(shapes.randint(0, 2)):
                    etree.SubElement(child, "span")
            if shapes.random() < 0.3:
                kid.append(etree.Comment("mso"))
        assert sections._biggest(kids) is max(kids, key=count)
