"""The data contract of a flow trigger: what Klaviyo gives a flow email, field by field.

A flow triggered by Shopify's "Fulfilled Order" sees `person`, `event` (the metric's
properties, Shopify's order under `event.extra`) and `organization`; a flow triggered by
a segment sees no event at all (Klaviyo renders `event.…` empty there). Fixtures made up
by hand drift from that shape (an `image_url` no Shopify line item has, a price as a
number where Shopify sends a string), and the preview then proves nothing. So each
trigger's shape is data, one YAML file per trigger, every field with its type, whether it
can be null or missing, and the source that says so (keys of
../shared/klaviyo-shopify-data.md). The files ship in `metrics/` beside this module; a
project adds or replaces one with `contracts/<name>.yaml` at its root.

A field is written `type`, `type|null` (can be null), `type?` (can be missing), or as a
mapping (`type`, `fields`, `items`, `nullable`, `optional`, `empty`, `open`, `unknown` hints,
`source`, `edge` values for the generated edge states, see edges.py).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import MailkitError
from ...yamlfile import YamlDoc, load_yaml

BUILTIN = Path(__file__).parent / "metrics"
PROJECT_DIR = "contracts"
SCALARS = {"string", "int", "number", "money", "datetime", "date", "url", "bool", "any"}
KINDS = SCALARS | {"object", "list", "none"}
SEGMENT = "segment"  # the contract of flows triggered by a segment (profile only)


class _Drop:
    """In an override, a key to remove (an edge state's missing first name)."""

    def __deepcopy__(self, memo: dict) -> _Drop:
        return self

    def __repr__(self) -> str:
        return "<drop>"


DROP = _Drop()


def data_copy(value: Any) -> Any:
    """A copy of fixture data (YAML: mappings, lists and immutable scalars), a tenth of
    `copy.deepcopy`'s cost: every page's data is a fresh copy of its fixture, and at
    1 000 pages deepcopy alone took a second of each build."""
    if isinstance(value, dict):
        return {key: data_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [data_copy(item) for item in value]
    return value


@dataclass
class Node:
    """One field of the context: its type and what real data does with it."""

    type: str
    null: bool = False  # can arrive as null (prints "None" in Klaviyo: guard it)
    optional: bool = False  # can be missing (prints nothing in Klaviyo)
    empty: bool = True  # a list that can be empty
    open: bool = False  # an object that takes any key (a profile's custom properties)
    fields: dict[str, Node] = field(default_factory=dict)
    items: Node | None = None
    unknown: dict[str, str] = field(default_factory=dict)  # key → why not, and what instead
    source: str = ""
    edge: dict[str, dict[str, Any]] = field(default_factory=dict)  # state slug → change
    why: str = ""  # for `none`: why this data is empty here

    def child(self, key: Any) -> Node | None:
        """The node of `key` inside this one; None when the contract does not say."""
        if self.type == "list":
            return self.items
        if self.type == "object":
            return self.fields.get(str(key))
        return None

    def refusal(self, where: str, key: Any) -> str | None:
        """Why reading `key` under this node is wrong (None when it is fine)."""
        if self.type == "none":
            return f"{where}: {self.why}"
        if self.type == "list" and not (isinstance(key, int) or str(key).isdigit()):
            return f"{where}.{key}: {where} is a list: loop over it or read an index (.0)"
        if self.type != "object" or self.open or str(key) in self.fields:
            return None
        hint = self.unknown.get(str(key))
        if hint is None:
            near = _nearest(str(key), list(self.fields))
            hint = f"no such field (did you mean {near!r}?)" if near else (
                f"no such field; known: {', '.join(sorted(self.fields)) or 'none'}")
        return f"{where}.{key}: {hint}"


@dataclass
class Contract:
    """The context of one trigger: `person`, `event`, `organization` as Nodes."""

    name: str  # the file's stem
    trigger: str  # the metric name, or "segment"
    description: str
    sources: dict[str, str]
    edges: dict[str, str]  # edge state slug → its description
    root: Node
    path: str  # where it was read, for messages

    def node(self, key: str) -> Node | None:
        return self.root.fields.get(key)


def parse_node(spec: Any, doc: YamlDoc, at: tuple) -> Node:
    """A Node from its YAML form; a malformed one is a config error at its line."""
    if isinstance(spec, str):
        text = spec.strip()
        optional = text.endswith("?")
        text = text.rstrip("?")
        kind, _, nullable = text.partition("|")
        if kind not in KINDS or nullable not in ("", "null"):
            raise doc.error(at, f"{spec!r} is not a type (one of {', '.join(sorted(KINDS))}, "
                                "with |null and/or ?)")
        return Node(kind, null=bool(nullable), optional=optional)
    if not isinstance(spec, dict):
        raise doc.error(at, "a field is a type name or a mapping with `type`")
    kind = spec.get("type", "object" if "fields" in spec else "list" if "items" in spec else "")
    if kind not in KINDS:
        raise doc.error((*at, "type"), f"{kind!r} is not a type")
    node = Node(kind, null=bool(spec.get("nullable")), optional=bool(spec.get("optional")),
                empty=bool(spec.get("empty", True)), open=bool(spec.get("open")),
                unknown=dict(spec.get("unknown") or {}), source=str(spec.get("source", "")),
                edge=dict(spec.get("edge") or {}), why=str(spec.get("why", "")))
    for key, sub in (spec.get("fields") or {}).items():
        node.fields[str(key)] = parse_node(sub, doc, (*at, "fields", key))
    if "items" in spec:
        node.items = parse_node(spec["items"], doc, (*at, "items"))
    return node


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        merged = copy.deepcopy(base)
        for key, value in over.items():
            merged[key] = _merge(merged.get(key), value) if key in merged else value
        return merged
    return copy.deepcopy(over)


def _read(name: str, root: Path | None, seen: tuple[str, ...] = ()) -> tuple[dict, YamlDoc]:
    """The raw mapping of contract `name`, its `extends:` chain merged under it."""
    path = None
    if root is not None and (root / PROJECT_DIR / f"{name}.yaml").is_file():
        path = root / PROJECT_DIR / f"{name}.yaml"
    elif (BUILTIN / f"{name}.yaml").is_file():
        path = BUILTIN / f"{name}.yaml"
    if path is None:
        raise MailkitError(f"{PROJECT_DIR}/{name}.yaml", None, "config", f"no contract {name!r}")
    doc = load_yaml(path, root or BUILTIN)
    if not isinstance(doc.data, dict):
        raise doc.error((), "a contract is a mapping with trigger, context…")
    data = doc.data
    parent = data.get("extends")
    if isinstance(parent, str):
        if parent in seen:
            raise doc.error(("extends",), f"contract extends itself: {' -> '.join(seen)}")
        base, _ = _read(parent, root, (*seen, name))
        data = _merge({k: v for k, v in base.items() if k != "trigger"}, data)
    return data, doc


def load_contract(name: str, root: Path | None = None) -> Contract:
    data, doc = _read(name, root)
    context = data.get("context")
    if not isinstance(context, dict):
        raise doc.error(("context",), "a contract has a `context:` mapping "
                                      "(person, event, organization)")
    node = Node("object", fields={k: parse_node(v, doc, ("context", k))
                                  for k, v in context.items()})
    return Contract(name, str(data.get("trigger", name)), str(data.get("description", "")),
                    dict(data.get("sources") or {}), dict(data.get("edges") or {}), node,
                    doc.shown)


def contract_files(root: Path | None) -> dict[str, Path]:
    """Every contract by name: the built-in ones, then the project's, which win."""
    found = {p.stem: p for p in sorted(BUILTIN.glob("*.yaml"))}
    if root is not None and (root / PROJECT_DIR).is_dir():
        found |= {p.stem: p for p in sorted((root / PROJECT_DIR).glob("*.yaml"))}
    return found


def contracts_by_trigger(root: Path | None) -> dict[str, Contract]:
    """Trigger (metric name or "segment") → its contract."""
    found: dict[str, Contract] = {}
    for name in contract_files(root):
        contract = load_contract(name, root)
        found[contract.trigger] = contract
    return found


def _nearest(word: str, names: list[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return close[0] if close else None
