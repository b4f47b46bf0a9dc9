"""An email's document as the units see it (units.py): its body cut into sections, each
known by a number for its markup, the spine above them, and the context (the head, the
attributes of `<html>`, the spine) that a unit's work may read from outside it.

The numbers are given per process and never twice, so a share kept under one can never
be found for other markup, whatever `forget()` clears.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from dataclasses import dataclass

from lxml import etree

MIN_UNITS = 3  # a spine element with fewer element children is descended into
#: attributes of the spine that no rule reads from below, and that change by state
UNREAD_ABOVE = frozenset({"aria-label", "title"})


@dataclass(frozen=True)
class Layout:
    """The document as the units see it.

    - `pieces`: the body in document order, each a spine element (unit None) or a unit
      root (its unit: the number its markup is known by in this process);
    - `outside`: the elements before the body (`<html>`, the head), in runs in document
      order, each run with what it is kept by (None: read afresh each time, as
      `<html>` and `<title>` are); `after`: elements after the body, read afresh;
    - `context`: the number of what every unit's work may read from outside it.
    """

    pieces: tuple[tuple[etree._Element, int | None], ...]
    context: int
    outside: tuple[tuple[tuple[etree._Element, ...], Hashable | None], ...]
    after: tuple[etree._Element, ...]
    elements: frozenset[etree._Element]  # the spine elements and unit roots
    units: dict[etree._Element, int]  # each unit root's unit


_LAYOUTS: list[tuple[etree._Element, Layout]] = []  # the last two documents asked about
_NUMBERS: dict[bytes, int] = {}  # markup (and contexts) → the number it is known by
_COUNT = itertools.count()


def _number(markup: bytes) -> int:
    found = _NUMBERS.get(markup)
    if found is None:
        found = _NUMBERS[markup] = next(_COUNT)  # never given twice, `forget()` or not
    return found


def layout(root: etree._Element) -> Layout:
    """The layout of `root`'s document, kept for the two last documents (a rule may
    read a second tree of the same email, the outlook rule's)."""
    for known, found in _LAYOUTS:
        if known is root:
            return found
    found = _layout(root)
    _LAYOUTS[:] = [(root, found), *_LAYOUTS[:1]]
    return found


def _layout(root: etree._Element) -> Layout:
    body = root.find("body")
    base = body if body is not None else root
    pieces: list[tuple[etree._Element, int | None]] = []
    spine: list[bytes] = []
    _descend(base, pieces, spine)
    head = root.find("head")
    context = [repr(sorted(root.items())).encode(),
               str(root.getroottree().docinfo.doctype).encode()]
    if head is not None:
        context += [etree.tostring(el) for el in head if el.tag != "title"]
    number = _number(b"\0".join(context + spine))
    outside: list[tuple[tuple[etree._Element, ...], Hashable | None]] = []
    after: list[etree._Element] = []
    if base is not root:
        outside.append(((root,), None))
        seen_body = False
        for child in root:
            if child is base:
                seen_body = True
            elif seen_body and isinstance(child.tag, str):
                after.extend(child.iter(etree.Element))
            elif child is head:
                outside += _runs(head, number)
            elif isinstance(child.tag, str):
                outside.append((tuple(child.iter(etree.Element)), None))
    return Layout(tuple(pieces), number, tuple(outside), tuple(after),
                  frozenset(el for el, _ in pieces),
                  {el: unit for el, unit in pieces if unit is not None})


def _runs(head: etree._Element, context: int,
          ) -> list[tuple[tuple[etree._Element, ...], Hashable | None]]:
    """The head's elements in runs: `<title>` (and what is in it) read afresh, the
    others kept with the context, which holds them."""
    runs: list[tuple[etree._Element, ...]] = []
    current: list[etree._Element] = [head]
    for child in head.iterchildren(etree.Element):
        if child.tag == "title":
            runs += [tuple(current), tuple(child.iter(etree.Element))]
            current = []
        else:
            current += child.iter(etree.Element)
    runs.append(tuple(current))
    return [(run, None if run and run[0].tag == "title" else ("head", context, at))
            for at, run in enumerate(runs) if run]


def _descend(node: etree._Element, pieces: list[tuple[etree._Element, int | None]],
             spine: list[bytes]) -> None:
    pieces.append((node, None))
    spine.append(repr((node.tag, [(k, v) for k, v in node.items()
                                  if k not in UNREAD_ABOVE])).encode())
    kids = [c for c in node if isinstance(c.tag, str)]
    deeper = _biggest(kids) if 0 < len(kids) < MIN_UNITS else None
    for child in kids:
        if child is deeper:
            _descend(child, pieces, spine)
        else:
            pieces.append((child, _number(etree.tostring(child))))


def _biggest(kids: list[etree._Element]) -> etree._Element:
    """The kid with the most elements below it, the first of equals: the elements are
    counted in step, only until one kid is left, so a small kid (the preheader beside
    the email) decides it at once."""
    alive = [(kid, kid.iterdescendants(etree.Element)) for kid in kids]
    while len(alive) > 1:
        going = [(kid, below) for kid, below in alive if next(below, None) is not None]
        if not going:  # all ended together: equals
            return alive[0][0]
        alive = going
    return alive[0][0]


def forget() -> None:
    """Keep no number or layout from before (units.forget)."""
    _NUMBERS.clear()
    _LAYOUTS.clear()
