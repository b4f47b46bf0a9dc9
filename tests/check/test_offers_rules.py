"""The rules that keep an offer's promises true: words bound to one day in an email whose
send day nobody fixed (timing), a link that cannot do what its words promise (promises),
a subject cut before its theme (inbox), another brand's name on a page (brands)."""

from __future__ import annotations

import pytest

from mailkit.check.inbox import shown
from mailkit.check.urls import cart_problem

from .helpers import errors, problems, run, warnings

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(("trigger", "delay", "text", "flagged"), [
    ("segment", 0, "La vente ouvre demain.", True),
    ("metric", 0, "La vente ouvre demain.", False),  # sent with its event: demain is known
    ("metric", 3, f"Profite du soleil ce{NBSP}week-end.", True),
    ("metric", 3, "Du jeudi 10 au dimanche 13 décembre.", False),  # dates hold any day
    ("segment", 0, f"Plus que 10{NBSP}jours de filtre.", True),
    ("metric", 80, f"Plus que 10{NBSP}jours de filtre.", False),  # counted from the order
    ("segment", 0, "Ouvert jusqu’à dimanche minuit.", True),
])
def test_day_bound_words_where_the_send_day_is_not_fixed(trigger, delay, text, flagged):
    found = run("timing", f"<p>{text}</p>", trigger=trigger, delay_days=delay)
    assert bool(errors(found)) is flagged, found


def test_a_day_bound_subject_is_named_as_the_subject():
    [found] = run("timing", subject="Ta vente privée ouvre demain", trigger="segment")
    assert found.where == "subject" and "“demain”" not in found.message
    assert '"demain" is true on one day only' in found.message
    assert "when someone enters its segment" in found.message and found.locate == "demain"


CART = "https://www.r-pur.com/cart/41022950011:1?discount=ETUI-COMMANDE&utm_source=klaviyo"


@pytest.mark.parametrize(("label", "href", "flagged"), [
    ("Ajouter au panier", "https://www.r-pur.com/products/etui-fiit", True),
    ("Ajouter au panier", CART, False),
    ("Ajouter à ma commande", CART, True),  # no link adds to a placed order
    ("Ajoute-le à ta commande", "https://www.r-pur.com/products/etui-fiit", True),
    ("Commander l’étui", "https://www.r-pur.com/products/etui-fiit", False),
])
def test_a_link_must_do_what_its_words_promise(label, href, flagged):
    found = run("promises", f'<p><a href="{href}">{label}</a></p>')
    assert bool(errors(found)) is flagged, found


@pytest.mark.parametrize(("url", "problem"), [
    (CART, None),
    ("https://www.r-pur.com/cart/41022950011:1?discount={% coupon_code 'ETUI' %}"
     "&attributes%5Bcommande_liee%5D={{ event.extra.order_number }}", None),
    ("https://x.fr/fr/cart/1:2,3:1", None),
    ("https://www.r-pur.com/products/etui-fiit", "its path /products/etui-fiit is not "
                                                  "/cart/VARIANT:QUANTITY"),
    ("https://x.fr/cart/1:0", "its path /cart/1:0 is not /cart/VARIANT:QUANTITY"),
    ("http://x.fr/cart/1:1", "not an https link"),
    ("https://x.fr/cart/1:1?discount=", "discount is empty"),
    ("https://x.fr/cart/1:1?coupon=A", "'coupon' is not a cart permalink parameter"),
    ("https://x.fr/cart/1:1?discount=A&discount=B", "a parameter is repeated"),
])
def test_shopify_cart_permalinks_as_shopify_documents_them(url, problem):
    assert cart_problem(url) == problem


def test_a_subject_past_gmails_cut_warns_with_the_cut():
    subject = "Ta commande est en route… et si tu partageais un peu d’amour\u202f?"
    [found] = [f for f in warnings(run("inbox", subject=subject)) if f.where == "subject"]
    assert found.message.startswith("subject: 62 characters, Gmail on a 375 px phone shows "
                                    "the first 39: “Ta commande est en route… et si tu part…”")
    assert problems(run("inbox", subject="Et si tu envoyais un mot doux\u202f?",
                        preheader="Ta commande part, un message est prêt.")) == []


def test_the_cut_is_the_inbox_views_measure():
    """Liberation Sans, 14 px, 289 px, bold subjects, kerning: as measured in Chromium."""
    assert shown("Camille, ton filtre a maintenant un tableau de bord", bold=True) == 42
    assert shown("Étui de transport, sangles de couleur, valves\u00a0: les accessoires pour "
                 "ton masque.") == 45


def test_another_brands_name_or_domain_is_an_error():
    others = ("kokawa", "kokawa.fr")  # the baseline is an R-Pur email
    assert problems(run("brands", other_brands=others)) == []
    found = errors(run("brands", "<p>Fait main, comme chez kokawa.</p>", other_brands=others))
    assert [f.where for f in found] == ["text"] and "“kokawa” is another brand" in found[0].message
    linked = errors(run("brands", '<p><a href="https://kokawa.fr/x">Voir</a></p>',
                        other_brands=others))
    assert [f.locate for f in linked] == ["kokawa.fr"]
    hyphen = errors(run("brands", subject="Ton masque R\u2011PUR", other_brands=("R-PUR",)))
    assert "subject" in [f.where for f in hyphen]  # written with a no-break hyphen
