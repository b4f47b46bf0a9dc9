"""Compile stage: MJML to HTML, inline CSS, and the text part."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mailkit.pipeline.compile import MjmlError, compile_mjml, split_inline_css
from mailkit.pipeline.text import html_to_text

MJML = """<mjml lang="fr"><mj-head>
<mj-preview>Caché dans la boîte</mj-preview>
<mj-style inline="inline">.note a { color: #A3472F; }</mj-style>
<mj-style>@media (prefers-color-scheme: dark) { .note a { color: #FFFFFF !important; } }</mj-style>
</mj-head><mj-body><mj-section><mj-column>
<mj-text css-class="note"><h1>Titre</h1>
<p>Prix : 45,00\u00a0€ <a href="https://www.kokawa.fr/">la boutique</a></p></mj-text>
<mj-button href="https://wa.me/?text=Bonjour%20%C3%A0%20toi">Envoyer</mj-button>
<mj-image src="logo.png" alt="kokawa" width="100px" />
</mj-column></mj-section></mj-body></mjml>"""


def test_inline_css_is_inlined_and_other_styles_kept():
    html = compile_mjml(MJML).html
    assert '<a href="https://www.kokawa.fr/" style="color:#A3472F">' in html.replace(
        "color: #A3472F", "color:#A3472F")
    assert "@media (prefers-color-scheme: dark)" in html
    assert "data-premailer" not in html
    assert html.lower().startswith("<!doctype html>")
    assert '<html lang="fr"' in html


def test_split_inline_css_leaves_other_mj_styles():
    mjml, css = split_inline_css(MJML)
    assert css.strip() == ".note a { color: #A3472F; }"
    assert 'inline="inline"' not in mjml
    assert "prefers-color-scheme" in mjml


def test_percent_encoded_links_survive_untouched():
    assert 'href="https://wa.me/?text=Bonjour%20%C3%A0%20toi"' in compile_mjml(MJML).html


def test_text_part_has_links_alts_and_no_preheader():
    text = compile_mjml(MJML).text
    assert "Caché dans la boîte" not in text
    assert "Titre\n\nPrix : 45,00\u00a0€ la boutique [https://www.kokawa.fr/]" in text
    assert "Envoyer [https://wa.me/?text=Bonjour%20%C3%A0%20toi]" in text
    assert not text.rstrip().endswith("kokawa")  # a lone image's alt is not copy


def test_invalid_mjml_raises():
    with pytest.raises(MjmlError):
        compile_mjml("<mjml><mj-body><mj-section></mj-body></mjml>")


def test_text_of_lists_and_breaks():
    assert html_to_text("<body><ul><li>un</li><li>deux</li></ul>a<br>b</body>") == (
        "- un\n- deux\na\nb\n")


def test_compile_does_not_import_requests_until_premailer_fetches():
    """premailer imports requests (40 ms of a cold build) for remote CSS we never fetch."""
    code = ("import sys, mailkit.pipeline.compile as c; print('requests' in sys.modules); "
            "import premailer.premailer as p; p.requests.get; print('requests' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert proc.stdout.split() == ["False", "True"]


def test_vendor_properties_of_existing_inline_styles_are_kept_quietly(caplog):
    html = compile_mjml(
        '<mjml><mj-head><mj-style inline="inline">p.quiet { margin: 0 }</mj-style></mj-head>'
        '<mj-body><mj-raw><p class="quiet" style="mso-line-height-rule:exactly;color:red">'
        "x</p></mj-raw></mj-body></mjml>").html
    assert 'style="margin:0; mso-line-height-rule:exactly; color:red"' in html
    assert not [r for r in caplog.records if r.name == "CSSUTILS"]


def test_the_preheader_is_hidden_by_its_box_not_as_hidden_text(spamd):
    """MJML writes 1 px white text with display:none, which SpamAssassin scores as hidden
    text; ours is a box of no height, which no rule reads as hidden text."""
    from helpers import spam_message

    from mailkit.check.dom import parse_html
    from mailkit.check.rules.spam import check_hidden_text
    from mailkit.pipeline.compile import MJML_PREHEADER, PREHEADER

    compiled = compile_mjml(MJML)
    assert f"{PREHEADER}Caché dans la boîte</div>" in compiled.html
    theirs = compiled.html.replace(PREHEADER, MJML_PREHEADER)
    for html, hidden in ((compiled.html, False), (theirs, True)):
        score = spamd.score(spam_message(html, compiled.text))
        assert ("HTML_FONT_LOW_CONTRAST" in {h.rule for h in score.hits}) is hidden
        assert (score.content > 0) is hidden
        assert bool(check_hidden_text(parse_html(html))) is hidden  # our rule agrees


def test_unquote_attributes_is_the_whole_page_substitution():
    """`unquote_attributes` tries `_ATTR` only near backslashes: it must give what the
    substitution over the whole page gives, on tricky pages and on random ones."""
    import random

    from mailkit.pipeline import mrml_attrs

    def whole_page(html: str) -> str:
        return mrml_attrs._ATTR.sub(lambda m: m.group(1) + mrml_attrs._unescape(m.group(2))
                                    + m.group(3), html)

    pages = ['<p title="a\\u{a0}b" alt="x">c\\d</p>', '<a b="x" c="y\\"z" d="\\\\">',
             'x="a"\\"b\\c"', '="\\\n" e="\\t"', '<i t="" u="\\u{202f}\\u{fe0f}">="\\',
             'a="b" \\ c="d\\n"', '"="\\"=""\\\\"']
    alphabet = ['=', '"', '\\', 'a', ' ', '\n', '{', '}', '="', '\\u{a0}', "'", 'n', '\\"']
    draw = random.Random(22)
    pages += ["".join(draw.choice(alphabet) for _ in range(draw.randrange(30)))
              for _ in range(20_000)]
    for html in pages:
        assert mrml_attrs.unquote_attributes(html) == whole_page(html), html
