"""An export rendered the way Klaviyo renders it, offline: Django's engine plus Klaviyo's
tags and filters, each written as Klaviyo documents it.

Klaviyo's template language is Django's (K14: "similar manner to Django templates"), in
an English locale, with UTC. Django is the engine here; Klaviyo's own additions are the
small functions below, from its documentation (source keys of
../shared/klaviyo-shopify-data.md): `lookup` (K2), `find_replace` (one argument, old|new,
T5), `multiply` (K6), `format_date_string` (K5), `{% coupon_code %}` (K8/K9) and the
system links (K2). `mailkit check --export` renders each export with the data of every
named and edge state and checks what a customer would get; the tests compare it with the
preview. Remote truth stays Klaviyo's Render Template API (`export klaviyo --verify`).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

UNSUBSCRIBE = "https://manage.kmail-lists.com/subscriptions/unsubscribe?k=test"
PREFERENCES = "https://manage.kmail-lists.com/subscriptions/manage?k=test"
WEB_VIEW = "https://trk.klclick.com/web-view?k=test"
PROFILE_FIELDS = ("first_name", "last_name", "email", "phone_number")
_ENGINE: Any = None


def _library() -> Any:
    from django.template import Context, Library

    klaviyo = Library()

    @klaviyo.filter
    def lookup(value: Any, key: Any) -> Any:
        """`person|lookup:'Has App'`: a key (or a list index); missing prints nothing."""
        if isinstance(value, dict):
            return value.get(str(key), "")
        if isinstance(value, list) and str(key).lstrip("-").isdigit():
            try:
                return value[int(key)]
            except IndexError:
                return ""
        return ""

    @klaviyo.filter
    def find_replace(value: Any, arg: str) -> str:
        """`{{ "Hi, there,"|find_replace:",|-" }}` → `Hi- there-`: every occurrence."""
        old, _, new = str(arg).partition("|")
        return str(value).replace(old, new)

    @klaviyo.filter
    def multiply(value: Any, arg: Any) -> float:
        """`{{ "10"|multiply:"2" }}` → `20.0`; non-numeric → `0.0`."""
        try:
            return float(value) * float(arg)
        except (TypeError, ValueError):
            return 0.0

    @klaviyo.filter
    def format_date_string(value: Any) -> datetime | str:
        """An ISO date string → a date for `date`; UTC assumed without an offset (K17)."""
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return ""
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    @klaviyo.simple_tag(takes_context=True)
    def coupon_code(context: Context, name: str, cut: int = 0) -> str:
        """One code per person (K8/K9): the state's `coupons` value, else Klaviyo's
        preview text `NAME-PREVIEW` (K8)."""
        code = (context.get("coupons") or {}).get(name, f"{name}-PREVIEW")
        return code[cut:] if cut else code

    for name, url in (("unsubscribe_link", UNSUBSCRIBE), ("manage_preferences_link", PREFERENCES),
                      ("web_view_link", WEB_VIEW)):
        klaviyo.simple_tag(lambda url=url: url, name=name)
    return klaviyo


def engine() -> Any:
    """Django's engine, configured once like a Klaviyo account: English, UTC."""
    global _ENGINE
    if _ENGINE is None:
        import django
        from django.conf import settings

        if not settings.configured:
            settings.configure(USE_TZ=True, TIME_ZONE="UTC", USE_I18N=True,
                               LANGUAGE_CODE="en-us")
            django.setup()
        from django.template import Engine

        _ENGINE = Engine(autoescape=True)
        _ENGINE.template_builtins.append(_library())
    return _ENGINE


def klaviyo_context(fixture: dict[str, Any]) -> dict[str, Any]:
    """The fixture as the JSON Klaviyo holds (dates are ISO strings), profile fields also
    at the top level (`{{ first_name }}`, K2)."""
    data = json.loads(json.dumps(fixture, default=lambda v: v.isoformat()
                                 if isinstance(v, date) else str(v)))
    person = data.get("person") or {}
    context = {"person": person, "event": data.get("event") or {},
               "organization": data.get("organization") or {},
               "coupons": data.get("coupons") or {}}
    return context | {name: person.get(name, "") for name in PROFILE_FIELDS}


def render_export(source: str, fixture: dict[str, Any]) -> str:
    """`source` (an exported template, subject or text part) rendered with `fixture`."""
    from django.template import Context

    return engine().from_string(source).render(Context(klaviyo_context(fixture)))
