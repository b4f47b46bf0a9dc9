"""Offers that work and dates that are true: the add-on's button fills a Shopify cart
with the case, its code and the first order's number, in the preview and in Klaviyo's
language; a sale prints its dates from brand data, as a French copywriter writes them."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from mailkit.check.urls import cart_problem
from mailkit.commands.build import build
from mailkit.errors import BuildFailed
from mailkit.klaviyo.dialect.engine import render_export
from mailkit.pipeline.jinja.filters import fr_period
from mailkit.project.load import load_fixture

NB, NN = "\u00a0", "\u202f"
ADDON = "r-pur/offre-accessoire"


def button_href(page_html: str, label: str) -> str:
    anchor = re.search(r'<a [^>]*href="([^"]+)"[^>]*>(?:(?!</a>).)*?' + re.escape(label),
                       page_html, re.S)
    assert anchor, label
    return html.unescape(anchor.group(1))


def cart(url: str) -> tuple[list[tuple[int, int]], dict[str, str]]:
    parts = urlsplit(url)
    items = [tuple(int(n) for n in item.split(":")) for item in
             parts.path.removeprefix("/cart/").split(",")]
    return items, dict(parse_qsl(parts.query))  # type: ignore[return-value]


def test_the_addon_button_fills_a_cart_with_the_case_its_code_and_the_order(demo_build):
    result, _ = demo_build
    page = result.pages[f"{ADDON}/masque-fiit"]
    case = result.project.brands["r-pur"].brand.product("etui-transport")
    href = button_href(page.compiled.html, "Commander l’étui")
    assert cart_problem(href) is None, href
    items, query = cart(href)
    state = page.target.data_state
    order = load_fixture(result.project, "r-pur", state.fixture, state.override)["event"]["extra"]
    assert items == [(case.variant_id, 1)]
    assert query["discount"] == "ETUI-COMMANDE-PREVIEW"  # Klaviyo's own preview of a coupon
    assert query["attributes[commande_liee]"] == str(order["order_number"])
    assert query["utm_source"] == "klaviyo"


def test_the_export_carries_the_cart_link_in_klaviyos_language(demo_build):
    result, _ = demo_build
    template = result.exports[ADDON]
    href = button_href(template.html, "Commander l’étui")
    assert "discount={% coupon_code 'ETUI-COMMANDE' %}" in href
    assert "attributes[commande_liee]={{ event.extra.order_number }}" in unquote(href)
    state = result.pages[f"{ADDON}/masque-fiit"].target.data_state
    fixture = load_fixture(result.project, "r-pur", state.fixture, state.override)
    sent = button_href(render_export(template.html, fixture), "Commander l’étui")
    assert cart_problem(sent) is None, sent  # as Klaviyo sends it: a permalink Shopify reads
    assert cart(sent)[1]["attributes[commande_liee]"] == "1042"


def test_the_addon_copy_says_what_happens(demo_build):
    result, _ = demo_build
    text = result.pages[f"{ADDON}/masque-fiit"].compiled.text
    assert "Ajouter à ma commande" not in text
    assert "C’est une seconde commande" in text and "nous expédions les deux ensemble" in text


TZ = timezone(timedelta(hours=1))


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.mark.parametrize(("start", "end", "said"), [
    (at(2026, 12, 10, 9), at(2026, 12, 13, 23, 59),
     f"du jeudi 10{NB}décembre, 9{NN}h, au dimanche 13, 23{NN}h{NN}59"),
    (at(2026, 12, 1, 9), at(2026, 12, 4, 23, 59),
     f"du mardi 1er{NB}décembre, 9{NN}h, au vendredi 4, 23{NN}h{NN}59"),
    (at(2026, 11, 30, 9), at(2026, 12, 2, 23, 59),
     f"du lundi 30{NB}novembre, 9{NN}h, au mercredi 2{NB}décembre, 23{NN}h{NN}59"),
    (at(2026, 12, 31, 20), at(2027, 1, 2, 23, 59),
     f"du jeudi 31{NB}décembre 2026, 20{NN}h, au samedi 2{NB}janvier 2027, 23{NN}h{NN}59"),
    (at(2026, 12, 10, 9, 5), at(2026, 12, 10, 12, 30),
     f"le jeudi 10{NB}décembre, de 9{NN}h{NN}05 à 12{NN}h{NN}30"),
    (at(2026, 12, 10), at(2026, 12, 13, 23, 59), f"du jeudi 10 au dimanche 13{NB}décembre"),
])
def test_periods_as_a_french_copywriter_writes_them(start, end, said):
    assert fr_period(start, end) == said


def test_the_vip_sale_prints_its_dates_from_brand_data(demo_copy):
    page = build(demo_copy, write=False).pages["kokawa/vente-privee/vip"]
    assert f"Du jeudi 10{NB}décembre, 9{NN}h, au dimanche 13, 23{NN}h{NN}59" in page.compiled.html
    assert "demain" not in page.compiled.text.lower()
    brand = demo_copy / "brands/kokawa/brand.yaml"
    text = brand.read_text("utf-8")
    brand.write_text(text.replace("2026-12-13T23:59:00+01:00", "2026-12-20T23:59:00+01:00"),
                     "utf-8")
    moved = build(demo_copy, write=False).pages["kokawa/vente-privee/vip"]
    assert f"au dimanche 20, 23{NN}h{NN}59" in moved.compiled.html
    brand.write_text(text.replace("2026-12-13T23:59:00+01:00", "2026-12-13T23:59:00"), "utf-8")
    with pytest.raises(BuildFailed) as info:
        build(demo_copy, write=False)
    [error] = info.value.errors
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "vente-privee:" in t)
    assert str(error).startswith(f"brands/kokawa/brand.yaml:{line}: config: sales.vente-privee:")
    assert "offset" in str(error)

