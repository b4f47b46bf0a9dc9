"""The filters and helpers templates call that print French copy: prices, dates and
periods, the WhatsApp link, a cart link. The export twins of those that read customer
data, which print the same at send time in Klaviyo's language, are in
`klaviyo/dialect/filters.py`.

Dates follow the Imprimerie nationale's rules: weekday and month in lower case, `1er`,
the hour as `9 h` or `23 h 59` with narrow no-break spaces and no leading zero, a
month written once in a period (`du jeudi 11 au dimanche 14 décembre`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup, escape

NBSP = "\u00a0"
NNBSP = "\u202f"
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def whatsapp_url(text: str) -> str:
    """`https://wa.me/?text=` + the UTF-8 percent-encoding of `text`, nothing left raw.

    `safe=""` encodes `/`, `&`, `#`, `'` and spaces (as `%20`, which WhatsApp
    expects; `+` would arrive as a plus sign), so decoding gives back the text.
    """
    return "https://wa.me/?text=" + quote(text, safe="")


def money(value: float, currency: str = "€") -> str:
    """French price format: `1 290,00 €`, with the non-breaking spaces typography wants."""
    whole, cents = f"{value:,.2f}".split(".")
    return f"{whole.replace(',', NNBSP)},{cents}{NBSP}{currency}"


def frdate(value: Any) -> str:
    """`20 août 2026`: the calendar date as written, in the shop's own offset (an order at
    00:30 +02:00 is dated that day, as the export's twin prints it)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value[:10])
    if not isinstance(value, date):
        raise jinja2.TemplateRuntimeError(f"frdate expects a date, got {value!r}")
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def fr_time(value: time | datetime) -> str:
    """`9 h`, `23 h 59`, `12 h 05`: narrow no-break spaces around `h`, no leading zero."""
    minutes = f"{NNBSP}{value.minute:02d}" if value.minute else ""
    return f"{value.hour}{NNBSP}h{minutes}"


def fr_day(value: date, *, weekday: bool = True, month: bool = True, year: bool = False) -> str:
    """`jeudi 11 décembre`, `lundi 1er`, `11 décembre 2025`."""
    day = "1er" if value.day == 1 else str(value.day)
    text = f"{WEEKDAYS[value.weekday()]} {day}" if weekday else day
    if month:
        text += f"{NBSP}{MONTHS[value.month - 1]}"
    return text + (f" {value.year}" if year else "")


def fr_period(start: datetime, end: datetime, *, year: bool = False) -> str:
    """A period as a French copywriter writes it, in the datetimes' own offset:
    `du jeudi 11 décembre, 9 h, au dimanche 14, 23 h 59`; whole days (0 h to 23 h 59)
    without hours, `du jeudi 11 au dimanche 14 décembre`; one day, `le jeudi 11
    décembre, de 9 h à 23 h 59`. Years show when they differ, or with `year`."""
    if end <= start:
        raise jinja2.TemplateRuntimeError(f"a period ends after it starts: {start} → {end}")
    years = year or start.year != end.year
    same_month = (start.year, start.month) == (end.year, end.month)
    if start.date() == end.date():
        return (f"le {fr_day(start, year=years)}, de {fr_time(start)} à {fr_time(end)}")
    if start.time() == time(0) and (end.hour, end.minute) == (23, 59):
        first = fr_day(start, month=not same_month, year=years and not same_month)
        return f"du {first} au {fr_day(end, year=years)}"
    last = fr_day(end, month=not same_month, year=years and not same_month)
    return f"du {fr_day(start, year=years)}, {fr_time(start)}, au {last}, {fr_time(end)}"


def cart_link(shop: str, variant: int, qty: int = 1, *, code: Any = None,
              attributes: Mapping[str, Any] | None = None, note: Any = None,
              utm: Mapping[str, str] | None = None) -> Markup:
    """A Shopify cart permalink: `https://shop/cart/VARIANT:QTY?discount=CODE&attributes[k]=v`
    (Shopify's documented format: the cart filled, the code applied, the attributes and
    note carried to the order). A value that prints a platform's variable in an export
    (a coupon tag, the order number) is kept as it prints; text is percent-encoded."""
    if not isinstance(variant, int) or variant <= 0 or not isinstance(qty, int) or qty <= 0:
        raise jinja2.TemplateRuntimeError(
            f"cart_link needs a Shopify variant id and a quantity, got {variant!r}:{qty!r}")
    parts = urlsplit(shop)
    url = Markup(f"{parts.scheme}://{parts.netloc}/cart/{variant}:{qty}")
    query = [("discount", code)] if code else []
    query += [(f"attributes[{key}]", value) for key, value in (attributes or {}).items()]
    query += [("note", note)] if note else []
    query += list((utm or {}).items())  # the brand's tracking, as `track` adds it elsewhere
    for index, (key, value) in enumerate(query):
        shown = escape(value) if hasattr(value, "__html__") else quote(str(value), safe="")
        url += Markup("?" if index == 0 else "&") + Markup(quote(key, safe="[]")) + \
            Markup("=") + Markup(shown)
    return url
