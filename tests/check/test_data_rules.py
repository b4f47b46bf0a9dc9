"""The data rules, one test module section each: a clean email passes, the email a null,
a missing URL, a missing first name or a repeated name produces fails, naming the element."""

from __future__ import annotations

from mailkit.check import CheckConfig
from mailkit.check.rules import data_urls, names, nulls, punctuation

from .helpers import body, errors, make_doc, page, plain_text, problems, run

CONFIG = CheckConfig()
DATA = ("nulls", "data-urls", "punctuation", "names")


def run_data(content: str = "", **overrides):
    """The findings of the four data rules (their families in `run_checks`)."""
    return [f for name in DATA for f in run(name, content, **overrides)]

VARIANT = '<p>Masque FiiT<br><span>{} · Quantité : 1</span></p>'


def test_clean_email_has_no_data_findings() -> None:
    assert problems(run_data()) == []


# nulls.py
def test_a_null_printed_in_the_body_is_an_error() -> None:
    assert problems(run_data(VARIANT.format("Noir graphite"))) == []
    [found] = errors(run_data(VARIANT.format("None")))
    assert found.check == "nulls" and "'None'" in found.message and found.where == "<span>"


def test_null_in_subject_alt_and_text_part() -> None:
    doc = make_doc('<img src="https://cdn.r-pur.com/a.png" alt="undefined" width="10">',
                   subject="Ta commande null", text=plain_text("Suivi : None"))
    where = {f.where for f in nulls.check(_root(doc), doc, CONFIG)}
    assert "subject" in where and any(w.startswith("<img") for w in where)
    assert any(w.startswith("text:") for w in where)


def test_a_word_containing_none_is_not_a_null() -> None:
    assert problems(run_data("<p>Nonesuch et annulled restent des mots.</p>")) == []


# urls.py
def test_empty_image_source_and_none_link_are_errors() -> None:
    assert data_urls.check(_root(make_doc()), make_doc(), CONFIG) == []
    html = page(body('<img src="" alt="Masque" width="64"><a href="None">Suivre</a>'))
    doc = make_doc(html=html)
    found = data_urls.check(_root(doc), doc, CONFIG)
    assert [f.where for f in found] == ['<img src="" alt="Masque">', '<a href="None">']


def test_a_relative_link_leads_nowhere_and_export_images_need_http() -> None:
    html = page(body('<a href="/pages/suivi">Suivre</a><img src="../a.png" alt="a" width="9">'))
    doc = make_doc(html=html)
    found = data_urls.check(_root(doc), doc, CONFIG)
    assert [f.where for f in found] == ['<a href="/pages/suivi">']
    export = make_doc(html=html, export=True)
    assert len(data_urls.check(_root(export), export, CONFIG)) == 2


# punctuation.py
def test_subject_starting_with_a_comma_is_an_error() -> None:
    assert problems(run_data(subject="Léa, ce qui irait si bien avec ton vase")) == []
    [found] = errors(run_data(subject=", ce qui irait si bien avec ton vase"))
    assert found.where == "subject" and "starts with ','" in found.message


def test_preheader_and_text_lines_starting_with_punctuation() -> None:
    doc = make_doc(preheader=" Un aperçu", text=plain_text("\n, ton lot de filtres"))
    found = punctuation.check(_root(doc), doc, CONFIG)
    assert {f.where for f in found} >= {"preheader"}
    assert any(f.where.startswith("text:") for f in found)
    assert problems(run_data(preheader="-20 % sur toute la boutique, dès demain 9 h")) == []


# names.py
def test_a_name_on_two_consecutive_lines_is_an_error() -> None:
    text = "Ta commande est en route, Léa\n\nLéa, ta commande vient de partir.\n"
    doc = make_doc(text=text, names=("Léa", "Bernard"))
    [found] = names.check(_root(doc), doc, CONFIG)
    assert "'Léa'" in found.message and found.where == "text:3"
    apart = make_doc(text="Ta commande est en route, Léa\nElle vient de partir.\nMerci Léa\n",
                     names=("Léa",))
    assert names.check(_root(apart), apart, CONFIG) == []


def test_name_in_subject_and_preheader_is_a_warning() -> None:
    doc = make_doc(subject="Léa, ton colis", preheader="Léa, voici ce qu'il contient pour toi",
                   names=("Léa",))
    [found] = names.check(_root(doc), doc, CONFIG)
    assert found.severity == "warning"


def _root(doc):
    from mailkit.check.dom import parse_html

    return parse_html(doc.html)
