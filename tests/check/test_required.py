from __future__ import annotations

import pytest

from .helpers import ADDRESS, FOOTER, PREHEADER, body, errors, page, plain_text, run, warnings


def test_baseline_has_every_required_part() -> None:
    assert errors(run("required")) == [] and warnings(run("required")) == []


@pytest.mark.parametrize(("footer", "missing"), [
    (f'<p>{ADDRESS}</p><a href="https://www.r-pur.com/preferences">Préférences</a>',
     "unsubscribe"),
    (f'<p>{ADDRESS}</p><a href="https://www.r-pur.com/unsubscribe">Se désabonner</a>',
     "preferences"),
])
def test_preview_needs_opt_out_links(footer: str, missing: str) -> None:
    found = errors(run("required", html=page(body(footer=footer))))
    assert len(found) == 1 and f"no {missing} link" in found[0].message


@pytest.mark.parametrize("footer", [
    f'<p>{ADDRESS}</p><a href="https://r-pur.com/u?id=1">Unsubscribe</a> '
    '<a href="https://r-pur.com/p">Manage preferences</a>',
    f'<p>{ADDRESS}</p><a href="https://r-pur.com/desinscription">Cliquez</a> '
    '<a href="https://r-pur.com/preferences">Vos réglages</a>',
    f'<p>{ADDRESS}</p><a href="https://r-pur.com/x">Me désinscrire</a> '
    '<a href="https://r-pur.com/y">Mes préférences</a>',
])
def test_opt_out_links_found_by_text_or_url(footer: str) -> None:
    assert errors(run("required", html=page(body(footer=footer)))) == []


KLAVIYO_FOOTER = (f'<p>{ADDRESS}</p><a href="{{% unsubscribe_link %}}">Se désabonner</a> '
                  '<a href="{% manage_preferences_link %}">Préférences</a>')


def test_export_needs_the_klaviyo_tags() -> None:
    text = plain_text() + "{% unsubscribe_link %}\n"
    assert errors(run("required", html=page(body(footer=KLAVIYO_FOOTER)), export=True,
                      text=text)) == []
    found = errors(run("required", export=True, text=text))  # preview-style links only
    assert {f.where for f in found} == {"{% unsubscribe_link %}",
                                        "{% manage_preferences_link %}"}


def test_address_must_be_in_html_and_text() -> None:
    footer = FOOTER.replace(ADDRESS, "")
    found = errors(run("required", html=page(body(footer=footer)),
                       text=plain_text().replace(ADDRESS, "")))
    assert len(found) == 2 and all("postal address" in f.message for f in found)


def test_address_matches_across_line_breaks_and_no_break_spaces() -> None:
    footer = FOOTER.replace(ADDRESS, "R-Pur SAS<br>10&nbsp;rue de Paris<br>75001 Paris")
    assert errors(run("required", html=page(body(footer=footer)))) == []


def test_address_must_be_configured() -> None:
    assert "no postal address" in errors(run("required", postal_address=" "))[0].message


@pytest.mark.parametrize(("subject", "severity"), [
    ("Bienvenue chez R-Pur", None),
    ("", "error"),
    ("   ", "error"),
    ("Votre masque R-Pur est arrivé : découvrez nos trois conseils pour bien l'utiliser !",
     "warning"),
])
def test_subject(subject: str, severity: str | None) -> None:
    found = [f for f in run("required", subject=subject) if "subject" in f.message]
    assert [f.severity for f in found] == ([severity] if severity else [])


@pytest.mark.parametrize(("preheader", "severity"), [
    (PREHEADER, None),
    ("", "error"),
    ("Trop court", "warning"),
    ("x" * 141, "warning"),
])
def test_preheader_length(preheader: str, severity: str | None) -> None:
    found = [f for f in run("required", preheader=preheader)
             if "preheader is" in f.message and "not in the HTML" not in f.message]
    assert [f.severity for f in found] == ([severity] if severity else [])


def test_preheader_must_be_in_the_html() -> None:
    found = run("required", preheader="Un autre texte d'aperçu, assez long pour passer.")
    assert "not in the HTML" in warnings(found)[0].message


def test_plain_text_must_not_be_empty() -> None:
    assert any("plain-text version is empty" in f.message
               for f in errors(run("required", text="")))
