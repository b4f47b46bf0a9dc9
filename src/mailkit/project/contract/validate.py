"""Fixtures checked against their trigger's contract, every problem at its line.

A fixture that holds a field the real event does not carry (`image_url` on a Shopify
line item), a price in the wrong form, an unquoted date (YAML makes it a date object,
Klaviyo holds a string) or event data in a segment-triggered flow would make the preview
show what no customer receives. Missing fields are not errors: a fixture may be partial,
and a template that reads what its fixture lacks fails at the template's line.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from ...errors import MailkitError
from ...yamlfile import KeyPath, YamlDoc
from . import Contract, Node

MONEY = re.compile(r"^-?\d+(\.\d+)?$")


def shown(keypath: KeyPath) -> str:
    """`event.extra.line_items[0].image_url`, as a template would read it."""
    out = ""
    for key in keypath:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def validate_fixture(data: Any, contract: Contract, doc: YamlDoc,
                     prefix: KeyPath = ()) -> list[MailkitError]:
    """Errors of one fixture file (or a scenario's `override`, at `prefix` in its doc)."""
    if not isinstance(data, dict):
        return []
    errors: list[MailkitError] = []
    for key, value in data.items():
        if key == "extends":
            continue
        node = contract.node(str(key))
        where: KeyPath = (key,)
        if node is None:
            if key == "coupons" and isinstance(value, dict):
                continue  # the preview's stand-in for Klaviyo's coupon codes (coupons.py)
            errors.append(_error(doc, prefix, where, f"{key}: not part of a Klaviyo flow "
                                 "email's context (person, event, organization)"))
            continue
        errors += _check(value, node, doc, prefix, where, contract)
    return errors


def _error(doc: YamlDoc, prefix: KeyPath, where: KeyPath, message: str) -> MailkitError:
    return MailkitError(doc.shown, doc.line_of((*prefix, *where)), "config", message)


def _check(value: Any, node: Node, doc: YamlDoc, prefix: KeyPath, where: KeyPath,
           contract: Contract) -> list[MailkitError]:
    name = shown(where)
    if node.type == "none":
        if value in ({}, None, []):
            return []
        return [_error(doc, prefix, where, f"{name}: {node.why} (contract "
                       f"{contract.name}: trigger {contract.trigger})")]
    if value is None:
        if node.null:
            return []
        return [_error(doc, prefix, where, f"{name}: never null in real {contract.trigger} "
                       "data" + (" (it can be missing: leave it out)" if node.optional else ""))]
    problem = _type_problem(value, node)
    if problem:
        return [_error(doc, prefix, where, f"{name}: {problem}")]
    errors: list[MailkitError] = []
    if node.type == "object" and isinstance(value, dict):
        for key, sub in value.items():
            reason = node.refusal(name, key)
            if reason is not None:
                errors.append(_error(doc, prefix, (*where, key), reason))
                continue
            child = node.child(key)
            if child is not None:
                errors += _check(sub, child, doc, prefix, (*where, key), contract)
    elif node.type == "list" and isinstance(value, list):
        if not value and not node.empty:
            errors.append(_error(doc, prefix, where, f"{name}: never empty in real "
                                 f"{contract.trigger} data"))
        for index, item in enumerate(value):
            if node.items is not None:
                errors += _check(item, node.items, doc, prefix, (*where, index), contract)
    return errors


def _type_problem(value: Any, node: Node) -> str | None:
    kind = node.type
    if kind == "any":
        return None
    if kind == "object":
        return None if isinstance(value, dict) else f"is an object in real data, not {value!r}"
    if kind == "list":
        return None if isinstance(value, list) else f"is a list in real data, not {value!r}"
    if kind == "bool":
        return None if isinstance(value, bool) else "is true or false"
    if isinstance(value, bool):
        return f"is a {kind}, not a boolean"
    if kind == "int":
        return None if isinstance(value, int) else f"is an integer (like 1001), not {value!r}"
    if kind == "number":
        return None if isinstance(value, int | float) else f"is a number, not {value!r}"
    if kind == "money":
        if isinstance(value, int | float) or (isinstance(value, str) and MONEY.match(value)):
            return None
        return f"is an amount like \"45.00\" (Shopify's string) or 45.0, not {value!r}"
    if kind == "datetime":
        if isinstance(value, datetime | date):
            return ("quote it: Klaviyo holds dates as ISO 8601 strings with the shop's "
                    "offset, e.g. \"2026-11-19T20:14:00+01:00\"")
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            return f"is an ISO 8601 date-time string, not {value!r}"
        return None if parsed.tzinfo else "Shopify's dates carry the shop's offset (+01:00)"
    if kind == "date":
        return None if isinstance(value, date | str) else f"is a date, not {value!r}"
    if not isinstance(value, str):
        return f"is a string in real data, not {value!r}"
    if kind == "url" and not value.startswith(("https://", "http://")):
        return f"is an absolute URL, not {value!r}"
    return None
