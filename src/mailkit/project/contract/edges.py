"""Edge states: the data a real audience produces, generated from the contract.

A designer names the scenarios they think of; real profiles and orders bring the others:
no first name, a single-variant product (`variant_title: null`), a product without
images, a fulfillment without tracking, an amount of 1 000 € or more, an order placed at
00:30 +02:00, an empty optional list. The contract marks the fields each state changes
(`edge: {sans-image: {set: []}}`); the state of an email is its first named scenario with
those changes, kept only when the change changes the data and the email's template reads
a changed field. So a new email gets its edge states without anyone writing them, and an
email that shows no order gets none about orders. What a template reads is found in its
source (reads.py), not by rendering it: the project is loaded below the render stage.

Changes: `drop` (the key goes missing), `set: value`, `add: n` (an amount, kept a string
with two decimals when it is one), `time: "00:30:00+02:00"` (same day, that time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import jinja2

from ...errors import MailkitError
from ..flows_yaml import Scenario
from . import DROP, Contract, Node, data_copy
from .reads import template_reads

if TYPE_CHECKING:
    from ...model import Target
    from ..load import Project


def apply_edge(data: dict[str, Any], contract: Contract, slug: str) -> tuple[dict, set[str]]:
    """`data` with edge `slug`'s changes, and the paths it changed. Copied where it
    changes only: each email tries every edge on its fixture, and copying the whole
    fixture each time was most of the cost of a project's edge states (the parts left
    alone are shared with `data`; `edge_targets` copies what it keeps)."""
    changed: dict[str, Any] = dict(data)
    touched: set[str] = set()
    for key, node in contract.root.fields.items():
        if key in changed and slug in _below(node):
            changed[key] = _walk(changed[key], node, key, slug, touched)
    return changed, touched


def _below(node: Node) -> frozenset[str]:
    """The edge slugs that change a field under `node`: a walk goes only where one does.
    Kept on the node (a contract is made once per load and never changed after)."""
    kept = node.__dict__.get("_edges_below")
    if kept is None:
        found: set[str] = set()
        for child in node.fields.values():
            found |= child.edge.keys() | _below(child)
        if node.items is not None:
            found |= _below(node.items)
        kept = node.__dict__["_edges_below"] = frozenset(found)
    return kept


def _walk(value: Any, node: Node, where: str, slug: str, touched: set[str]) -> Any:
    """`value` with the changes under `node`: the same object when none applies, else a
    copy of each container on the way to a change."""
    if isinstance(value, dict) and node.type == "object":
        out: dict[Any, Any] | None = None
        for key in list(value):
            child = node.fields.get(str(key))
            if child is None:
                continue
            path = f"{where}.{key}"
            if slug in child.edge:
                old = value[key]
                new = _change(old, child.edge[slug])
                if new is DROP or new != old or type(new) is not type(old):
                    touched.add(path)  # only what really changed makes a state relevant
                out = dict(value) if out is None else out
                if new is DROP:
                    del out[key]
                else:
                    out[key] = new
            elif slug in _below(child):
                new = _walk(value[key], child, path, slug, touched)
                if new is not value[key]:
                    out = dict(value) if out is None else out
                    out[key] = new
        return value if out is None else out
    if isinstance(value, list) and node.items is not None and slug in _below(node.items):
        items = [_walk(item, node.items, f"{where}[]", slug, touched) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


def _change(value: Any, change: dict[str, Any]) -> Any:
    if change.get("drop"):
        return DROP
    if "set" in change:
        return data_copy(change["set"])
    if "add" in change:
        if isinstance(value, str):
            return f"{float(value) + float(change['add']):.2f}"
        return value + change["add"] if isinstance(value, int | float) else value
    if "time" in change and isinstance(value, str) and len(value) >= 10:
        return f"{value[:10]}T{change['time']}"
    return value


def diff(old: Any, new: Any) -> dict[str, Any]:
    """An override that deep-merges `old` into `new` (DROP for keys that went away)."""
    out: dict[str, Any] = {}
    for key, value in new.items():
        if key not in old:
            out[key] = value
        elif isinstance(value, dict) and isinstance(old[key], dict):
            sub = diff(old[key], value)
            if sub:
                out[key] = sub
        elif value != old[key] or type(value) is not type(old[key]):
            out[key] = value
    out.update({key: DROP for key in old if key not in new})
    return out


def edge_targets(project: Project, base: Target,
                 load_fixture: Callable[..., dict[str, Any]]) -> list[Target]:
    """The edge states of `base`'s email, built on `base` (its first named scenario);
    `load_fixture` is project/load.py's (passed in: this module sits below it)."""
    contract = project.contract(base.flow)
    if contract is None or not contract.edges:
        return []
    scenario = base.data_state
    try:
        fixture = load_fixture(project, base.brand, scenario.fixture, {})
        data = load_fixture(project, base.brand, scenario.fixture, scenario.override)
        reads = template_reads(project, base.brand, base.template_name)
    except (MailkitError, jinja2.TemplateError, OSError, ValueError):
        return []  # the build reports it at its line; no edge states meanwhile
    found = []
    for slug, description in contract.edges.items():
        if slug in base.email.scenarios:
            continue  # a named scenario of that name wins
        changed, touched = apply_edge(data, contract, slug)
        if changed == data or not touched & reads:
            continue
        state = Scenario(fixture=scenario.fixture, description=description,
                         override=data_copy(diff(fixture, changed)))  # shares nothing
        found.append(replace(base, scenario=slug, state=state))
    return found
