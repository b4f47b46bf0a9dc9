"""The filters and helpers templates call that print French copy: prices, dates, the
WhatsApp link. Their export twins, which print the same at send time in Klaviyo's
language, are in `klaviyo/dialect/filters.py`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import jinja2

NBSP = "\u00a0"
NNBSP = "\u202f"
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
