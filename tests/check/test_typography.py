"""French typography (the locale's rules), unbroken brand names, one voice, and the
autofix that applies the same rules to a template's copy."""

from __future__ import annotations

import pytest

from mailkit.check.locales import locale_for
from mailkit.commands.fix import fix_copy, fix_lines

from .helpers import body, errors, page, run

NBSP, NNBSP, NBHY = "\u00a0", "\u202f", "\u2011"
FR = locale_for("fr")


def typo(text: str, **kw) -> list:
    return errors(run("typography", html=page(body(f"<p>{text}</p>")), **kw))


def test_the_baseline_copy_is_correct() -> None:
    assert typo("") == []


@pytest.mark.parametrize(("text", "rule"), [
    ("Un étui à prix doux ?", "narrow no-break space before `;`, `!` and `?`"),
    ("Merci, Camille!", "narrow no-break space before"),
    (f"Un étui à prix doux{NBSP}?", "narrow no-break space before"),
    ("Dans ta boîte : un masque", "a no-break space before `:`"),
    ("Quantité: 1", "a no-break space before `:`"),
    (f"«{NBSP}Bonjour{NBSP}»", "inside « »"),
    ("Plus que 10 jours", "number and its unit"),
    ("Un bon de 15 €", "number and its unit"),
    ("Livré sous 48h.", "number and its unit"),
    ("Ta commande n° 2318", "after `n°`"),
    ("Plus de 1 000 clients", "groups of thousands"),
    ("une très belle journée 💛", "emoji that ends a sentence"),
])
def test_each_french_rule_fails(text: str, rule: str) -> None:
    found = typo(text)
    assert any(rule in f.message for f in found), [f.message for f in found]


@pytest.mark.parametrize("text", [
    f"Un étui à prix doux{NNBSP}?", f"Dans ta boîte{NBSP}: un masque", f"«{NNBSP}Bonjour{NNBSP}»",
    f"Plus que 10{NBSP}jours", f"-20{NNBSP}%", "https://www.r-pur.com/?code=MERCI", "à 9:30",
    "un ratio de 4.5:1", f"Quoi{NNBSP}?!", "FFP2 et trois filtres", f"n°{NBSP}2318",
])
def test_correct_french_passes(text: str) -> None:
    assert typo(text) == []


def test_alt_subject_and_preheader_are_held_too() -> None:
    assert typo("", subject="Bienvenue chez nous !")[0].where == "subject"
    assert typo("", preheader="Ton masque est prêt : trois conseils.")[0].where == "preheader"
    img = '<img src="https://cdn.r-pur.com/a.png" alt="Étui : noir" width="10">'
    found = errors(run("typography", html=page(body(img))))
    assert found and "alt" in found[0].where


def test_a_mark_is_judged_with_the_words_before_it_across_inline_tags() -> None:
    assert typo("Merci <b>Camille</b> !")
    assert typo(f"Merci <b>Camille</b>{NNBSP}!") == []


def test_another_language_has_no_french_rules() -> None:
    html = page(body("<p>Hello : world !</p>"), lang="en")
    assert errors(run("typography", html=html, lang="en")) == []


@pytest.mark.parametrize(("text", "broken"), [
    ("L’équipe Air-Pro", True), (f"L’équipe Air{NBHY}Pro", False),
    ('<span style="white-space:nowrap">www.air-pro.fr</span>', False), ("www.air-pro.fr", True),
])
def test_hyphenated_names_must_not_break(text: str, broken: bool) -> None:
    found = typo(text, keep_together=("Air-Pro", "www.air-pro.fr"))
    assert bool([f for f in found if "can break at its hyphen" in f.message]) is broken


def test_voice_tu_rejects_vous() -> None:
    html = page(body("<p>Respirez un air pur, partout en ville. Chez nous, tu es chez toi.</p>"))
    found = errors(run("voice", html=html, voice="tu"))
    said = [f.message.split('"')[1] for f in found]
    assert "Respirez" in said and "vous" in said  # the helper's baseline copy says vous
    assert "Chez" not in said
    assert errors(run("voice", html=html, voice=None)) == []


def test_voice_vous_rejects_tu() -> None:
    html = page(body("<p>Merci pour ta commande.</p>"))
    assert errors(run("voice", html=html, voice="vous"))


def test_fix_touches_copy_only() -> None:
    assert FR is not None
    src = ('<mj-text css-class="a:b" align="center">Merci {{ person.first_name }} !</mj-text>\n'
           '<mj-image alt="Étui : noir" href="https://x.fr/?a=1" />\n'
           '{{ hero("x.png", "", "Bien arrivé ?", "Il arrive sous 48 h.") }}\n'
           "{# a note : kept #}<mj-style>a { color: red; }</mj-style>\n"
           "<p>Quantité&nbsp;: 1 · 15&nbsp;€</p>\n"
           '{{ card(item, "50%", "?code=") }}')
    out = fix_copy(src, FR)
    assert f"{{{{ person.first_name }}}}{NNBSP}!" in out
    assert f'alt="Étui{NBSP}: noir"' in out and 'css-class="a:b"' in out
    assert f'"Bien arrivé{NNBSP}?"' in out and f"48{NBSP}h." in out
    assert "{# a note : kept #}" in out and "a { color: red; }" in out
    # a line the rules leave alone keeps its entities
    assert fix_lines(src, FR).splitlines()[-2] == "<p>Quantité&nbsp;: 1 · 15&nbsp;€</p>"
    # a single-token literal is a value (a width, a URL part), not copy
    assert out.endswith('{{ card(item, "50%", "?code=") }}')


def test_fix_is_idempotent_on_correct_copy() -> None:
    assert FR is not None
    src = f"<mj-text>Ta commande n°{NBSP}2318 est partie{NNBSP}!</mj-text>"
    assert fix_copy(src, FR) == src
