from __future__ import annotations

import mjml
import pytest

from mailkit.pipeline.compile import mjml_to_html
from mailkit.pipeline.mrml_attrs import unquote_attributes

from .helpers import body, errors, page, run

NBSP, NNBSP = "\u00a0", "\u202f"


def test_clean_email_has_no_leak() -> None:
    assert run("escapes") == []


@pytest.mark.parametrize(("content", "leak"), [
    ('<div aria-label="Ton colis\\u{a0}: en route">x</div>', "\\u{a0}"),
    ('<img src="https://cdn.r-pur.com/a.png" alt="Étui\\u{202f}!" width="10">', "\\u{202f}"),
    ("<p>Prix\\u00a0: 10 €</p>", "\\u00a0"),
    ("<p>Ligne\\nsuivante</p>", "\\n"),
    ("<p>Juste%20un petit message</p>", "%20"),
    ("<p>Quantité%C2%A0: 1</p>", "%C2%A0"),
    ("<p>Prix\\00a0 10 €</p>", "\\00a0"),
    ("<p>Quantité&amp;nbsp;: 1</p>", "&nbsp;"),
    ("<p>n°&amp;#160;2318</p>", "&#160;"),
    ('<a href="https://www.r-pur.com" title="Voir&amp;#8239;!">x</a>', "&#8239;"),
])
def test_a_leaked_escape_is_an_error(content: str, leak: str) -> None:
    found = errors(run("escapes", content))
    assert len(found) == 1 and f"`{leak}`" in found[0].message


def test_subject_preheader_and_plain_text_are_read_too() -> None:
    assert run("escapes", subject="Merci\\u{202f}!")[0].where == "subject"
    assert run("escapes", preheader="Ton colis\\xa0part")[0].where == "preheader"
    assert run("escapes", text="Total&nbsp;: 10 €")[0].where == "plain text"


def test_real_no_break_spaces_are_fine() -> None:
    html = page(body(f'<p aria-label="Prix{NBSP}: 10{NBSP}€">Prix{NBSP}: ok{NNBSP}?</p>'))
    assert run("escapes", html=html) == []


def test_mrml_still_debug_quotes_attributes() -> None:
    """The upstream bug this works around: when it is fixed, this fails, and
    mrml_attrs can go."""
    raw = mjml.mjml2html(f"<mjml><mj-head><mj-title>A{NBSP}: b</mj-title></mj-head>"
                         "<mj-body></mj-body></mjml>")
    assert 'aria-label="A\\u{a0}: b"' in raw


@pytest.mark.parametrize("text", [f"FiiT{NBSP}: fais-le", f"amour{NNBSP}?", "a\\b", "❤️ 🙆🏼‍♂️",
                                  "tab\there", "l’été « ok »"])
def test_attributes_come_out_as_written(text: str) -> None:
    src = (f"<mjml><mj-head><mj-title>{text}</mj-title></mj-head><mj-body><mj-section>"
           f'<mj-column><mj-image src="https://e.fr/a.png" alt="{text}" /></mj-column>'
           "</mj-section></mj-body></mjml>")
    html = mjml_to_html(src)
    assert f'aria-label="{text}"' in html and f'alt="{text}"' in html


def test_unquote_leaves_text_nodes_alone() -> None:
    html = '<p title="a\\u{a0}b">Le code \\u{a0} reste</p>'
    assert unquote_attributes(html) == f'<p title="a{NBSP}b">Le code \\u{{a0}} reste</p>'


def test_a_url_may_be_percent_encoded() -> None:
    text = "Envoyer [https://wa.me/?text=Juste%20un%20mot%C2%A0%F0%9F%92%9B]\n"
    assert run("escapes", text=text) == []
