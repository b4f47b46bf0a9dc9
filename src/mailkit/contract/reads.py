"""What a template reads from fixture data, and what reading a key the data lacks means.

Reading a key is one of three things. A key the fixture has: its value. A key the fixture
lacks but the contract declares (an optional field, a list index past the end): missing
data, which Klaviyo prints as nothing and tests as false, so the preview gives a `Missing`
that does the same. A key the contract does not know (`image_url` on a Shopify line item,
`event.…` in a segment-triggered flow): an error raised at the template's line, with what
real data has instead.

The reads are recorded (paths like `event.extra.line_items[].variant_title`) while
`recording()` is active: the edge states of an email are those that change a field its
template reads (edges.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import jinja2

from . import Node

_READS: list[set[str]] = []


@contextlib.contextmanager
def recording() -> Iterator[set[str]]:
    """Collect every data path read by the renders inside the block."""
    found: set[str] = set()
    _READS.append(found)
    try:
        yield found
    finally:
        _READS.pop()


def note_read(where: str, key: Any, node: Node | None) -> None:
    if _READS and node is not None:
        _READS[-1].add(f"{where}.{key}")


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
