from __future__ import annotations

from urllib.parse import quote, quote_plus

import pytest

from .helpers import body, errors, page, problems, run, warnings


def link_run(anchor: str, **overrides: object) -> list:
    return run("links", html=page(body(f"<p>{anchor}</p>")), **overrides)


@pytest.mark.parametrize("anchor", [
    '<a href="https://shop.r-pur.com/masque">Boutique</a>',
    '<a href="mailto:contact@r-pur.com">Écrivez-nous</a>',
    '<a href="mailto:?subject=Regarde%20%C3%A7a">Partager par e-mail</a>',
    '<a href="tel:+33123456789">Appelez-nous</a>',
    '<a href="#top">Haut de page</a>',
    '<a name="top"></a>',
])
def test_good_links_pass(anchor: str) -> None:
    assert problems(link_run(anchor)) == []


@pytest.mark.parametrize(("anchor", "words"), [
    ('<a href="http://shop.r-pur.com/">x</a>', "https"),
    ('<a href="#">x</a>', "placeholder"),
    ('<a href="">x</a>', "placeholder"),
    ("<a>x</a>", "no href"),
    ('<a href="https://example.com/x">x</a>', "placeholder host"),
    ('<a href="https://www.example.org">x</a>', "placeholder host"),
    ('<a href="https://localhost:8000/x">x</a>', "placeholder host"),
    ('<a href="https://127.0.0.1/x">x</a>', "placeholder host"),
    ('<a href="/relative/path">x</a>', "not an absolute URL"),
    ('<a href="javascript:alert(1)">x</a>', "javascript"),
    ('<a href="https://shop r-pur.com">x</a>', "white space"),
    ('<a href="https://bad_host!/x">x</a>', "invalid host"),
    ('<a href="mailto:contact">x</a>', "invalid e-mail"),
    ('<a href="mailto:a@example.com">x</a>', "placeholder domain"),
    ('<a href="{% unsubscribe_link %}">x</a>', "unrendered"),
])
def test_bad_links_fail(anchor: str, words: str) -> None:
    found = errors(link_run(anchor))
    assert len(found) == 1 and words in found[0].message, found


@pytest.mark.parametrize("href", [
    "{% unsubscribe_link %}", "{% manage_preferences_link %}", "{{ event.URL }}",
    "https://www.r-pur.com/p/{{ event.ProductID }}?utm_source=klaviyo&utm_medium=email",
])
def test_export_accepts_klaviyo_tags(href: str) -> None:
    assert problems(link_run(f'<a href="{href}">x</a>', export=True)) == []


def test_export_still_checks_the_literal_part() -> None:
    found = errors(link_run('<a href="http://www.r-pur.com/{{ x }}">x</a>', export=True))
    assert "https" in found[0].message


@pytest.mark.parametrize(("href", "ok"), [
    ("https://www.r-pur.com/app?utm_source=klaviyo&utm_medium=email", True),
    ("https://r-pur.com/app?utm_medium=email&utm_source=klaviyo&x=1", True),
    ("https://www.r-pur.com/app", False),
    ("https://www.r-pur.com/app?utm_source=facebook&utm_medium=email", False),
    ("https://partner.example-shop.fr/app", True),  # not the brand's website
])
def test_utm_on_links_to_the_website(href: str, ok: bool) -> None:
    found = errors(link_run(f'<a href="{href}">x</a>'))
    assert (found == []) is ok
    if not ok:
        assert "utm_source" in found[0].message


def test_utm_not_required_without_configuration() -> None:
    assert errors(link_run('<a href="https://www.r-pur.com/app">x</a>', utm=None)) == []


MESSAGE = "Je te recommande R-Pur : l'air pur, même en ville ! 👉 https://www.r-pur.com"


@pytest.mark.parametrize(("encoded", "severity"), [
    (quote(MESSAGE, safe=""), None),
    (quote_plus(MESSAGE), "warning"),
    (quote("Autre message", safe=""), "error"),
])
def test_whatsapp_text_decodes_to_the_brand_message(encoded: str, severity: str | None) -> None:
    found = link_run(f'<a href="https://wa.me/?text={encoded}">WhatsApp</a>',
                     whatsapp_message=MESSAGE)
    assert [f.severity for f in problems(found)] == ([severity] if severity else [])


def test_whatsapp_link_is_required_when_configured() -> None:
    found = errors(run("links", whatsapp_message=MESSAGE))
    assert "no WhatsApp link" in found[0].message


def test_whatsapp_link_without_text() -> None:
    found = errors(link_run('<a href="https://wa.me/">x</a>', whatsapp_message=MESSAGE))
    assert "no text=" in found[0].message


def test_baseline_links_pass() -> None:
    assert warnings(run("links")) == [] and errors(run("links")) == []


@pytest.mark.parametrize("anchor", [
    '<a href="https://www.r-pur.com/pages/version-web">Voir cet email dans le navigateur</a>',
    '<a href="https://www.r-pur.com/view">View this email in your browser</a>',
    '<a href="https://www.r-pur.com/pages/desinscription">Se désinscrire</a>',
])
def test_system_links_need_no_utm(anchor: str) -> None:
    """Web view and opt-out stand in for Klaviyo's own links, replaced at send time."""
    assert errors(link_run(anchor)) == []


def test_other_links_to_the_website_still_need_utm() -> None:
    found = errors(link_run('<a href="https://www.r-pur.com/pages/navigateurs">Nos '
                            "navigateurs</a>"))
    assert "utm_source missing" in found[0].message
