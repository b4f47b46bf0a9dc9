"""Dark mode as a prefers-color-scheme client paints it: the dark rules, the inline
styles, inheritance and the canvas, each text held to WCAG AA."""

from __future__ import annotations

import pytest

from mailkit.check.dom import parse_html
from mailkit.check.rules.dark import DarkView

from .helpers import errors, page, run, warnings

DARK_CSS = """<style>
  :root { color-scheme: light dark; }
  @media (prefers-color-scheme: dark) {
    .surface, .surface > table { background-color: #26201D !important; }
    .t div, .t p { color: #F3ECE4 !important; }
    .t .mi { color: #BFB2A8 !important; }
    .btn2 td, .btn2 a { background: #26201D !important; color: #E8896F !important; }
    .weak { color: #3B322D; }
  }
</style>"""


def email(content: str) -> str:
    return page(f'<table role="presentation" class="surface" style="background-color:#FFFBF7">'
                f'<tr><td class="t"><div style="color:#2B2523">{content}</div></td></tr></table>',
                head=DARK_CSS)


def dark(content: str) -> list:
    return run("dark", html=email(content))


def test_dark_rules_reach_the_text() -> None:
    assert dark("Ta commande est en route.") == []


def test_an_inline_colour_no_dark_rule_reaches_fails() -> None:
    found = errors(dark('Vase<br><span style="font-size:13px;color:#6E625B">Grand modèle · '
                        "Quantité : 1</span>"))
    assert len(found) == 1
    assert "#6e625b on #26201d" in found[0].message and "2.7" in found[0].message
    assert "Grand modèle" in found[0].message


def test_the_same_span_with_its_dark_class_passes() -> None:
    assert dark('<span class="mi" style="color:#6E625B">Grand modèle</span>') == []


def test_an_important_inline_colour_beats_the_dark_rules() -> None:
    assert errors(dark('<p style="color:#2B2523 !important">Texte figé</p>'))


def test_a_normal_dark_rule_loses_to_the_inline_style() -> None:
    # .weak is not !important: the inline light-mode colour wins, and it is dark on dark
    assert errors(dark('<span class="weak" style="color:#2B2523">x</span>'))


def test_large_text_needs_three_to_one() -> None:
    # #8A7A70 on #26201D is about 3.7:1: enough at 24px, not at 16px
    assert errors(dark('<span style="color:#8A7A70">petit</span>'))
    assert dark('<span style="color:#8A7A70;font-size:26px">grand</span>') == []


def test_text_over_an_image_is_not_judged() -> None:
    html = email('<span style="color:#6E625B;background-image:url(x.png)">sur image</span>')
    assert run("dark", html=html) == []


def test_no_dark_mode_no_finding() -> None:
    assert run("dark", html=page('<p style="color:#777">gris</p>')) == []


def test_a_light_box_left_in_dark_mode_is_a_warning() -> None:
    button = ('<table role="presentation"><tr><td style="background:#FFFBF7" bgcolor="#FFFBF7">'
              '<a href="https://www.kokawa.fr" style="color:#A3472F;background:#FFFBF7">Suivre '
              "mon colis</a></td></tr></table>")
    found = warnings(dark(button))
    assert len(found) == 1 and "keeps the light background #fffbf7" in found[0].message
    assert warnings(dark(button.replace("<table", '<table class="btn2"'))) == []


@pytest.mark.parametrize(("scheme", "expected"), [(True, (255, 255, 255)), (False, (0, 0, 0))])
def test_unstyled_text_takes_the_canvas_colour(scheme: bool, expected: tuple) -> None:
    head = "<style>:root{color-scheme: light dark}</style>" if scheme else ""
    root = parse_html(page("<p>x</p>", head=head))
    assert root is not None
    p = next(root.iter("p"))
    assert DarkView(root).color(p) == expected


NESTED = """<html><body class="mk-body"><div class="mk-t x"><p>a</p><div class="mk-t">
<p class="mk-mi">b</p><table><tr><td>c</td></tr></table></div></div>
<div class="mk-m"><p class="mk-t mk-mi">d</p><!-- <p class="mk-t">e</p> --></div></body></html>"""
SELECTORS = ["body", "p", "P", ".mk-t", ".mk-t p", ".mk-t  p", ".mk-t>p", ".mk-t > .mk-mi",
             ".mk-t .mk-mi", ".mk-m p", "div td", ".mk-t > table", ".nope p", "td"]


def matched(root, selector: str) -> list:
    """The elements the per-element matcher gives `selector`'s rule, in document order."""
    from lxml import etree

    from mailkit.check.css import Declaration
    from mailkit.check.selectors import Matches, StyleRule

    rule = StyleRule(selector, (Declaration("color", "red"),), (), 0)
    found = Matches(root, (rule,))
    return [el for el in root.iter(etree.Element) if found.of(el)]


@pytest.mark.parametrize("selector", SELECTORS)
def test_the_fast_selector_index_matches_what_cssselect_matches(selector: str) -> None:
    """The simple selectors are matched element by element, from the element's tag and
    classes up (#22: most elements are never asked about): the same elements as
    cssselect's XPath, nested matches counted once."""
    from mailkit.check.selectors import compile_selector

    root = parse_html(NESTED)
    xpath = compile_selector(selector)
    assert xpath is not None
    assert matched(root, selector) == list(xpath[0](root))


@pytest.mark.parametrize("selector", [".mk-t.mk-mi", "p:first-child", "div > p > b", "*",
                                      ".a ~ p", "[class]"])
def test_other_selectors_go_to_cssselect(selector: str) -> None:
    from mailkit.check.css import Declaration
    from mailkit.check.selectors import StyleRule, _sheet, compile_selector

    rule = StyleRule(selector, (Declaration("color", "red"),), (), 0)
    assert _sheet((rule,)).other == [(0, rule)]
    root = parse_html(NESTED)
    assert matched(root, selector) == list(compile_selector(selector)[0](root))


def test_the_demo_emails_style_rules_match_as_cssselect_does(demo_build) -> None:
    from mailkit.check.selectors import compile_selector, style_rules

    result, _ = demo_build
    compared = 0
    for built in result.pages.values():
        root = parse_html(built.compiled.html)
        for rule in style_rules(root):
            xpath = compile_selector(rule.selector)
            if xpath is not None:
                assert matched(root, rule.selector) == list(xpath[0](root)), (
                    built.key, rule.selector)
                compared += 1
    assert compared > 20 * len(result.pages)
