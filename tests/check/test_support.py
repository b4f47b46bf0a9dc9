from __future__ import annotations

import pytest

from mailkit.check import MJML_BOILERPLATE, CheckConfig, load_caniemail
from mailkit.check.css import parse_declarations, parse_stylesheet
from mailkit.check.dom import parse_html
from mailkit.check.features import detect_features

from .helpers import errors, page, problems, run, warnings


def features(html_body: str, head: str = "") -> dict[str, str]:
    root = parse_html(page(html_body, head=head))
    assert root is not None
    return detect_features(root)


@pytest.mark.parametrize(("snippet", "slug"), [
    ('<div style="display:flex">x</div>', "css-display-flex"),
    ('<div style="display: inline-grid">x</div>', "css-display-grid"),
    ('<div style="margin-top:4px">x</div>', "css-margin"),
    ('<div style="padding-inline:4px">x</div>', "css-padding-inline-block"),
    ('<div style="border-bottom-color:red">x</div>', "css-border"),
    ('<div style="border-top-left-radius:4px">x</div>', "css-border-radius"),
    ('<div style="background-position-x:left">x</div>', "css-background-position"),
    ('<div style="row-gap:4px">x</div>', "css-gap"),
    ('<div style="top:0">x</div>', "css-left-right-top-bottom"),
    ('<div style="box-shadow:0 0 2px #000">x</div>', "css-box-shadow"),
    ('<div style="color:rgba(0,0,0,.5)">x</div>', "css-rgba"),
    ('<div style="width:calc(100% - 2px)">x</div>', "css-unit-calc"),
    ('<div style="width:calc(100% - 2px)">x</div>', "css-unit-percent"),
    ('<div style="font-size:1.2rem">x</div>', "css-unit-rem"),
    ('<div style="background:linear-gradient(red, blue)">x</div>', "css-linear-gradient"),
    ('<div style="--brand:#f00;color:var(--brand)">x</div>', "css-variables"),
    ('<div style="font-family:system-ui, sans-serif">x</div>', "css-sytem-ui"),
    ('<div style="width:10px !important">x</div>', "css-important"),
    ('<ul><li>x</li></ul>', "html-lists"),
    ('<section>x</section>', "html-semantics"),
    ('<img src="https://cdn.r-pur.com/a.webp?v=2" alt="a" width="1">', "image-webp"),
    ('<img src="data:image/png;base64,iVBOR" alt="a" width="1">', "image-base64"),
    ('<a href="#top">x</a>', "html-anchor-links"),
    ('<a href="mailto:a@r-pur.com">x</a>', "html-mailto-links"),
    ('<input type="checkbox">', "html-input-checkbox"),
    ('<p dir="rtl">x</p>', "html-dir"),
])
def test_inline_and_markup_detection(snippet: str, slug: str) -> None:
    assert slug in features(snippet)


@pytest.mark.parametrize(("css", "slug"), [
    ("@media (prefers-color-scheme: dark) { .a { color: #fff } }",
     "css-at-media-prefers-color-scheme"),
    ("@media screen and (orientation: landscape) { .a { color: #fff } }",
     "css-at-media-orientation"),
    ("@font-face { font-family: X; src: url(x.woff2) }", "css-at-font-face"),
    ("@import url('https://fonts.example.net/x.css');", "css-at-import"),
    ("@keyframes spin { from { opacity: 0 } to { opacity: 1 } }", "css-at-keyframes"),
    ("a:hover { color: red }", "css-pseudo-class-hover"),
    ("p::first-letter { font-size: 2em }", "css-pseudo-element-first-letter"),
    ("li:nth-child(2n) { color: red }", "css-pseudo-class-nth-child"),
    ("td > p { margin: 0 }", "css-selector-child"),
    ("h1 + p { margin: 0 }", "css-selector-adjacent-sibling"),
    ("h1 ~ p { margin: 0 }", "css-selector-general-sibling"),
    ("[data-x] { margin: 0 }", "css-selector-attribute"),
    (".a.b { margin: 0 }", "css-selector-chaining"),
    ("* { margin: 0 }", "css-selector-universal"),
    ("/* note */ p { margin: 0 }", "css-comments"),
    ("@media (min-width: 480px) { .col { display: flex } }", "css-display-flex"),
])
def test_stylesheet_detection(css: str, slug: str) -> None:
    assert slug in features("<p>x</p>", head=f"<style>{css}</style>")


@pytest.mark.parametrize(("snippet", "absent"), [
    ('<div style="mso-line-height-rule:exactly;-webkit-text-size-adjust:100%">x</div>',
     "css-line-height"),
    ('<div style="color:#1a1a1a">x</div>', "css-unit-em"),  # hex digits are not units
    ('<div style="background:url(img-10vh.png)">x</div>', "css-unit-vh"),
    ("<!--[if mso]><div style=\"display:flex\">x</div><![endif]-->", "css-display-flex"),
    ("<p>x</p>", "css-selector-chaining"),
])
def test_no_false_detection(snippet: str, absent: str) -> None:
    assert absent not in features(snippet)


def test_mso_style_blocks_are_skipped() -> None:
    head = "<!--[if mso]><style>.a { display: flex }</style><![endif]-->"
    assert "css-display-flex" not in features("<p>x</p>", head=head)


def test_css_parser_keeps_values_verbatim() -> None:
    decls = parse_declarations("color: red; width:0px !important; bad; --X: 1; font: 12px/1 'A;B'")
    assert [(d.prop, d.value, d.important) for d in decls] == [
        ("color", "red", False), ("width", "0px", True), ("--X", "1", False),
        ("font", "12px/1 'A;B'", False)]
    sheet = parse_stylesheet("@media x { a, b { c: d } } @charset 'u'; e { f: g }")
    assert [r.selectors for r in sheet.rules] == [["a", "b"], ["e"]]
    assert sheet.at_rules == [("media", "x"), ("charset", "'u'")]


def test_unsupported_feature_is_an_error_naming_clients() -> None:
    found = errors(run("support", '<div style="display:flex">x</div>'))
    assert len(found) == 1
    assert "css-display-flex" in found[0].message and "Outlook (Windows)" in found[0].message


def test_partially_supported_feature_is_a_warning() -> None:
    found = problems(run("support", '<p style="letter-spacing:1px">x</p>'))
    assert [f.severity for f in found] == ["warning"]
    assert "partially" in found[0].message and "Outlook (Windows)" in found[0].message


def test_supported_feature_says_nothing() -> None:
    assert problems(run("support", '<p style="background-color:#ffffff">x</p>')) == []


def test_accepted_features_become_info() -> None:
    config = CheckConfig(accepted=["css-display-flex"])
    found = run("support", '<div style="display:flex">x</div>', config=config)
    assert problems(found) == []
    assert any("accepted by configuration" in f.message for f in found)


def test_client_selection() -> None:
    flex = '<div style="display:flex">x</div>'
    assert problems(run("support", flex, config=CheckConfig(clients=["apple-mail"]))) == []
    assert errors(run("support", flex, config=CheckConfig(clients=["outlook.*"])))


def test_unknown_clients_and_slugs_warn() -> None:
    config = CheckConfig(clients=["gmial"], accepted=["css-media-queries"])
    messages = [f.message for f in warnings(run("support", config=config))]
    assert any("'gmial' matches no caniemail client" in m for m in messages)
    assert any("'css-media-queries' is not a caniemail slug" in m and "css-at-media" in m
               for m in messages)


def test_mjml_boilerplate_accepted_by_default_and_on_demand() -> None:
    """The baseline's hidden preheader uses max-height, which Outlook on Windows drops."""
    assert problems(run("support")) == []
    strict = CheckConfig(accept_mjml_boilerplate=False)
    assert any("css-max-height" in f.message for f in errors(run("support", config=strict)))


def test_boilerplate_and_interactive_lists_name_real_slugs() -> None:
    from mailkit.check import MJML_INTERACTIVE

    known = set(load_caniemail().features)
    assert set(MJML_BOILERPLATE) <= known and set(MJML_INTERACTIVE) <= known
