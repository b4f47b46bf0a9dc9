"""The views' cascade: which `<style>` rules a reader's client applies, and what each
element computes from them."""

from __future__ import annotations

import pytest

from mailkit.check.cascade import Cascade, inline_view, light_view
from mailkit.check.dom import parse_html
from mailkit.check.rules.dark import DarkView
from mailkit.check.selectors import media_applies, style_rules

from .helpers import page


@pytest.mark.parametrize(("query", "width", "dark", "holds"), [
    ("only screen and (min-width:480px)", 375, False, False),
    ("only screen and (min-width:480px)", 600, False, True),
    ("only screen and (max-width:479px)", 375, False, True),
    ("(prefers-color-scheme: dark)", 375, True, True),
    ("(prefers-color-scheme: dark)", 375, False, False),
    ("screen and (prefers-color-scheme: light)", 375, False, True),
    ("print", 375, False, False),
    ("print, (max-width: 480px)", 375, False, True),
    ("not print", 375, False, True),
    ("(orientation: portrait)", 375, False, False),  # unknown: left out
    ("screen and (min-width:480px)", 375, False, False),  # <style media="…">
])
def test_media_queries_hold_as_a_phone_sees_them(query, width, dark, holds) -> None:
    assert media_applies(query, width, dark) is holds


CSS = """<style>p { display: block; color: #333333; }
@media (prefers-color-scheme: dark) { .t { color: #EEEEEE !important; } }
@media only screen and (max-width:479px) { .m { display: none !important; } }
.gone { opacity: 0; } .shut { max-height: 0; overflow: hidden; }</style>
<style media="screen and (min-width:480px)">.t { color: #FF0000 !important; }</style>"""


def views(body: str) -> tuple:
    root = parse_html(page(body, head=CSS))
    assert root is not None
    return root, light_view(root), DarkView(root), inline_view(root)


def test_each_view_applies_its_own_rules() -> None:
    root, light, dark, bare = views('<p class="t">texte</p>')
    p = root.find(".//p[@class='t']")
    assert light.color(p) == (0x33, 0x33, 0x33)  # no dark rule, no desktop rule
    assert dark.color(p) == (0xEE, 0xEE, 0xEE)
    assert bare.color(p) == (0, 0, 0)  # the canvas text colour: no <style> at all


def test_the_rules_are_read_with_their_media() -> None:
    root, *_ = views("<p>x</p>")
    media = {rule.selector: rule.media for rule in style_rules(root)}
    assert media["p"] == () and media[".m"] == ("only screen and (max-width:479px)",)


@pytest.mark.parametrize(("html", "hidden"), [
    ('<p class="m">mobile</p>', True),
    ('<p class="gone">transparent</p>', True),
    ('<p class="shut">fermé</p>', True),
    ('<p style="max-height:0">déborde</p>', False),  # overflow visible: still shown
    ('<img src="x.png" alt="" style="max-height:0">', True),  # an image of no height
    ('<div style="display:none"><p>dedans</p></div>', True),
    ('<p style="mso-hide:all">Outlook seulement</p>', False),
])
def test_what_hides_an_element(html: str, hidden: bool) -> None:
    root, light, *_ = views(html)
    inner = root.find("body")[-1]
    leaf = inner if len(inner) == 0 else inner[0]
    assert light.hidden(leaf) is hidden


def test_mso_hide_hides_in_outlooks_view_only() -> None:
    root = parse_html(page('<p style="mso-hide:all">Outlook seulement</p>'))
    p = root.find(".//p[@style]")
    assert Cascade(root, (), mso=True).hidden(p) and not Cascade(root, ()).hidden(p)


def test_a_background_image_or_gradient_is_an_image() -> None:
    root = parse_html(page('<td style="background:linear-gradient(#fff,#000)"><p>a</p></td>'
                           '<div background="x.png"><p>b</p></div>'))
    bare = inline_view(root)
    assert [bare.background(p) for p in root.iter("p")] == ["image", "image"]
