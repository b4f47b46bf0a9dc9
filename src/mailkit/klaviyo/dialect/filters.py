"""Export mode for Jinja's filters and tests: those with a Klaviyo twin (`money`,
`frdate`, `default`, `lower`…) print the Klaviyo filter chain that does the same at
send time; any other given Klaviyo data fails with a message that says what to do.
See lang.py for the whole picture.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ...pipeline.jinja.filters import MONTHS, NBSP, NNBSP
from .symbols import KlaviyoVar, operand
from .tokens import TOKEN, Placeholders


def money(value: KlaviyoVar, tags: Placeholders, currency: str) -> Markup:
    """`1 299,00 €` as the preview prints it, from a number or Shopify's string "1299.00".

    `floatformat:'2g'` gives two decimals grouped by thousands in Klaviyo's English
    locale (`1,299.00`, Django's documented `g` suffix); the commas become narrow
    no-break spaces, then the point a comma."""
    tag = tags.token(f"{{{{ {value._expr}|floatformat:'2g'|find_replace:',|{NNBSP}'"
                     f"|find_replace:'.|,' }}}}")
    return tag + Markup(NBSP) + escape(currency)


def frdate(value: KlaviyoVar, tags: Placeholders) -> Markup:
    """`20 août 2026`, `1er mai 2026`: the calendar date Shopify wrote, in the shop's offset.

    Shopify's dates are ISO strings with the shop's offset ("2026-08-21T00:30:00+02:00").
    What Klaviyo's `format_date_string|date` does with that offset is not documented (a
    third party says it shows UTC, which would print the 20th for that order): so the
    date is read from the string itself, year, month and day by position, with no time
    zone involved. Month names are French, chosen by number (Klaviyo's are English)."""
    d = "mk_date"
    months = "".join(f"{{% {'elif' if i else 'if'} {d}|slice:'5:7' == '{i + 1:02d}' %}}{name}"
                     for i, name in enumerate(MONTHS))
    text = (f"{{% with {d}={value._expr}|slice:':10' %}}{{{{ {d}|slice:'8:10'|add:0 }}}}"
            f"{{% if {d}|slice:'8:10' == '01' %}}er{{% endif %}} {months}{{% endif %}} "
            f"{{{{ {d}|slice:':4' }}}}{{% endwith %}}")
    return tags.token(text)


def install(env: jinja2.Environment, tags: Placeholders, currency: str) -> None:
    """Export mode for an environment's filters and tests.

    Filters with a Klaviyo twin translate when given Klaviyo data; every other filter or
    test given Klaviyo data, or text that holds Klaviyo tags (which it would mangle),
    fails with a message that says what to do.
    """
    twins: dict[str, Callable[..., Any]] = {
        "default": lambda v, default="", boolean=False: KlaviyoVar(
            f"{v._expr}|default:{operand(default)}", tags),
        "lower": lambda v: KlaviyoVar(f"{v._expr}|lower", tags),
        "upper": lambda v: KlaviyoVar(f"{v._expr}|upper", tags),
        "money": lambda v: money(v, tags, currency),
        "frdate": lambda v: frdate(v, tags),
        "media": lambda v: v,  # Shopify's image URLs are absolute already
        "times": lambda v, n: KlaviyoVar(f"{v._expr}|multiply:{operand(n)}", tags),
    }
    twins["d"] = twins["default"]
    keeps_tags = {"e", "escape", "safe", "string", "default", "d", "trim"}
    for name, func in list(env.filters.items()):
        env.filters[name] = _guard("filter", name, func, twins.get(name), name in keeps_tags)
    for name, func in list(env.tests.items()):
        env.tests[name] = _guard("test", name, func, None, True)


def _guard(kind: str, name: str, func: Callable[..., Any], twin: Callable[..., Any] | None,
           keeps_tags: bool) -> Callable[..., Any]:
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        value = args[skip] if len(args) > skip else None
        if isinstance(value, KlaviyoVar):
            if twin is not None:
                return twin(*args[skip:], **kwargs)
            raise jinja2.TemplateRuntimeError(
                f"the {kind} {name!r} has no Klaviyo equivalent in mailkit, so it cannot run "
                f"on {value._expr}, which Klaviyo fills in at send time")
        if isinstance(value, str) and not keeps_tags and TOKEN.search(value):
            raise jinja2.TemplateRuntimeError(
                f"the {kind} {name!r} would change the Klaviyo variables inside this text: "
                "apply it to the variable itself")
        return func(*args, **kwargs)

    return guarded
