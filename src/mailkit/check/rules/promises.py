"""A link whose words promise an action its URL cannot do.

"Ajouter au panier" must fill a cart: a Shopify cart permalink (`cart_link`), not a
product page. "Ajouter à ma commande" cannot be kept by any link: Shopify edits a placed
order through its Admin API only (for apps), so the honest offer is a second order,
shipped with the first while it has not left, and the words say so. The phrases are
the locale's (`Locale.promises`).
"""

from __future__ import annotations

import re

from lxml import etree

from ..dom import describe, link_text
from ..locales import locale_for
from ..model import CheckConfig, CheckInput, Finding
from ..units import walk
from ..urls import cart_problem

NAME = "promises"  # the family in findings, `run_checks(only=…)` and reports


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    locale = locale_for(doc.lang)
    if locale is None or not locale.promises:
        return []
    cart, order = locale.promises.get("cart"), locale.promises.get("order")
    return walk(root, lambda link: _promise(link, cart, order), (NAME, locale.name),
                tags=("a",), whole=True)


def _promise(link: etree._Element, cart: re.Pattern[str] | None,
             order: re.Pattern[str] | None) -> list[Finding]:
    text, href = link_text(link), (link.get("href") or "").strip()
    if not text:
        return []
    where = describe(link)
    if order is not None and order.search(text):
        return [Finding(
            "error", NAME, f"“{text}” promises to add to an order already placed: no link "
            "can (Shopify edits placed orders through its Admin API only). Offer a second "
            "order, filled by cart_link(…), and say it ships with the first while that "
            "has not left", where, locate=text)]
    if cart is not None and cart.search(text):
        problem = cart_problem(href)
        if problem is not None:
            return [Finding(
                "error", NAME, f"“{text}” promises to fill a cart, but its link does not "
                f"({problem}): use cart_link(product) for a Shopify cart permalink", where,
                locate=text)]
    return []
