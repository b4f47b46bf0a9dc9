"""What a template reads from fixture data, and what reading a key the data lacks means.

Reading a key is one of three things. A key the fixture has: its value. A key the fixture
lacks but the contract declares (an optional field, a list index past the end): missing
data, which Klaviyo prints as nothing and tests as false, so the preview gives a `Missing`
that does the same. A key the contract does not know (`image_url` on a Shopify line item,
`event.…` in a segment-triggered flow): an error raised at the template's line, with what
real data has instead.

`template_reads` lists the data paths a template and the partials it includes read
(`event.extra.line_items[].variant_title`), from their source: the edge states of an
email are those that change a field it reads (edges.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import nodes

from ...pipeline.jinja.datatags import DataTags
from . import Node

if TYPE_CHECKING:
    from ..load import Project

ROOTS = ("person", "event", "organization")
# (template name, source) → (data paths, referenced templates): parsed once per process
_PARSED: dict[tuple[str, str], tuple[frozenset[str], tuple[str, ...]]] = {}


class Missing(jinja2.ChainableUndefined):
    """Data Klaviyo would not find: prints nothing, is false, and any key of it is missing
    too (as in Klaviyo's Django templates)."""

    __slots__ = ()


def missing_or_refused(where: str, key: Any, node: Node | None) -> Any:
    """A `Missing` for a key the contract declares; raise for one it does not know;
    None when there is no contract to ask (the caller's StrictUndefined applies)."""
    if node is None:
        return None
    reason = node.refusal(where, key)
    if reason is not None:
        raise jinja2.TemplateRuntimeError(reason)
    if node.type == "object" and node.open and str(key) not in node.fields:
        return None  # a custom property this fixture lacks: say so loudly (StrictUndefined)
    return Missing(name=str(key))


def template_reads(project: Project, brand: str, name: str) -> set[str]:
    """Every data path read by template `name` and the templates it extends, includes or
    imports (the brand's own first), e.g. `event.extra.line_items[].price`.

    Names bound to data are followed (`{% set order = event.extra %}`, a loop variable of
    `{% fordata item in order.line_items %}`); a macro's parameters are not (the product
    card's `item.price` is catalogue data, not the order's)."""
    bp = project.brands[brand]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(
        [str(d) for d in bp.template_dirs(project.root)]), extensions=[DataTags])
    found: set[str] = set()
    todo, seen = [name], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        source, _, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
        if (current, source) not in _PARSED:
            tree = env.parse(source, current)
            refs = tuple(n.template.value for n in tree.find_all(
                (nodes.Extends, nodes.Include, nodes.Import, nodes.FromImport))
                if isinstance(n.template, nodes.Const) and isinstance(n.template.value, str))
            _PARSED[current, source] = (frozenset(_paths(tree)), refs)
        paths, refs = _PARSED[current, source]
        found |= paths
        todo += refs
    return found


def _paths(tree: nodes.Template) -> set[str]:
    aliases: dict[str, str] = {}
    found: set[str] = set()

    def path(node: nodes.Node) -> str | None:
        if isinstance(node, nodes.Name):
            return node.name if node.name in ROOTS else aliases.get(node.name)
        if isinstance(node, nodes.Getattr):
            base = path(node.node)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            base = path(node.node)
            if base is None:
                return None
            key = node.arg.value
            return f"{base}[]" if isinstance(key, int) else f"{base}.{key}"
        return None

    for node in tree.find_all((nodes.Assign, nodes.For, nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
            bound = path(node.node)
            if bound:
                aliases[node.target.name] = bound
        elif isinstance(node, nodes.For) and isinstance(node.target, nodes.Name):
            seq = path(node.iter)
            if seq:
                aliases[node.target.name] = f"{seq}[]"
        elif isinstance(node, nodes.Getattr | nodes.Getitem):
            where = path(node)
            if where:
                found.add(where)
    return found
