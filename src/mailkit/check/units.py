"""An email's body in units (its sections), each known by its markup, so that a rule
does the work of a unit once per process and reuses it wherever the same markup comes
back in the same place.

The states of an email differ in a few texts (a first name, a product, an empty list),
and the emails of a brand share their header and footer: most sections of a page are
markup the process has checked before. A rule's work on the elements *below* a unit's
root depends only on:

- the unit's markup: its elements, attributes, texts and tails, comments included;
- the tags and attributes of the elements above it (the spine: `<body>` down to the
  element whose children are the units), their `aria-label` and `title` aside (an
  email states its subject there, and the subject changes with the state);
- the document's `<head>` (its styles, its metas) without `<title>`, `<html>`'s
  attributes and the doctype;
- what the rule reads of `CheckInput` and `CheckConfig`, which it names in its `key`.

So `walk()` and `memo()` keep each unit's share under exactly that. A rule whose work
on an element reads anything else (the text of the element above the unit, another
unit) must not use them. The spine and the unit roots are worked on every time, so a
rule may read a unit root's siblings. What a rule reads from disk, or from the page's
folder, goes into a share as an `OnRead` item (kept.py), resolved for each document.

`MAILKIT_CHECK_UNITS=verify` (the tests) computes every share afresh and fails on any
difference from the kept one; `=0` keeps nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from lxml import etree

from . import sections
from .sections import layout

T = TypeVar("T")

MAX_KEPT = 200_000  # shares kept before the memo starts afresh (memory stays bounded)
MODE = os.environ.get("MAILKIT_CHECK_UNITS", "1")
_MISSING = object()


def per_context(compute: Callable[[etree._Element], T]) -> Callable[[etree._Element], T]:
    """`compute(root)` kept by the document's context (its head without `<title>`, the
    attributes of `<html>` and the spine): for what reads nothing else, such as the
    style rules a view applies. A brand's emails share their context."""
    kept: dict[int, T] = {}
    _PER_CONTEXT.append(kept)  # emptied by `forget()`, which numbers contexts afresh

    def cached(root: etree._Element) -> T:
        context = layout(root).context
        found = kept.get(context, _MISSING)
        if found is _MISSING:
            found = kept[context] = compute(root)
        return found  # type: ignore[return-value]

    return cached


_PER_CONTEXT: list[dict[int, Any]] = []
FORGOTTEN: list[dict[Any, Any]] = []  # other memos `forget()` empties (kept.py's)
#: (key, context) → {unit or head run: its share}: a walk hashes its key once, then
#: looks each unit up by its number (a page asks ~350 times)
_KEPT: dict[tuple, dict[Hashable, Any]] = {}
_COUNT_KEPT = [0]  # shares in _KEPT
LOCAL = -1  # the context of `walk(local=True)`'s tables: no document's (they are ≥ 0)
_KEEPING: list[bool] = [False]  # True while a unit's share is computed to be kept


class Outside(Exception):  # noqa: N818  # not an error: the share cannot be kept
    """Raised by a rule's work when, this time, it must read outside the unit (an
    element of the spine): the share is then computed again, and not kept."""


def keeping() -> bool:
    """Whether the work running now is a unit's share that will be kept."""
    return _KEEPING[0]


def pieces(root: etree._Element) -> frozenset[etree._Element]:
    """The spine elements and unit roots of `root`'s document: what a unit's share must
    not read the inside of."""
    return layout(root).elements


def memo(key: Hashable, root: etree._Element, unit: int, compute: Callable[[], T]) -> T:
    """`compute()`, kept under (`key`, the document's context, a `unit` of its layout):
    what it returns must depend on nothing else (see the module doc), and is shared, so
    it must not be changed."""
    return _memo(_table(key, layout(root).context), unit, compute)


def _table(key: Hashable, context: int) -> dict[Hashable, Any]:
    """The shares kept for `key` in documents of `context`, by unit."""
    table = _KEPT.get((key, context))
    if table is None:
        table = _KEPT[key, context] = {}
    return table


def _memo(table: dict[Hashable, Any], unit: Hashable, compute: Callable[[], T]) -> T:
    if MODE == "0":
        return compute()
    found = table.get(unit, _MISSING)
    if found is not _MISSING and MODE != "verify":
        return found  # type: ignore[return-value]
    previous, _KEEPING[0] = _KEEPING[0], True
    try:
        fresh = compute()
    except Outside:
        if previous:
            raise  # a share that holds this one cannot be kept either
        _KEEPING[0] = False
        return compute()
    finally:
        _KEEPING[0] = previous
    if found is not _MISSING and found != fresh:
        raise AssertionError(f"unit share changed: {found!r} != {fresh!r}")
    if _COUNT_KEPT[0] >= MAX_KEPT:
        forget()  # the table stays valid: it is only no longer reachable
    _COUNT_KEPT[0] += found is _MISSING
    table[unit] = fresh
    return fresh


def forget() -> None:
    """Keep nothing from before (memory stays bounded). A number is never given twice,
    so a walk under way keeps its layout's numbers safely."""
    _KEPT.clear()
    _COUNT_KEPT[0] = 0
    sections.forget()
    for kept in _PER_CONTEXT:
        kept.clear()
    for kept in FORGOTTEN:
        kept.clear()


def walk(root: etree._Element, part: Callable[[etree._Element], Sequence[Any]], key: Hashable,
         *, tags: tuple[str, ...] = (), whole: bool = False,
         share: Callable[[list[Any]], Sequence[T]] = tuple, local: bool = False) -> list[T]:
    """`[x for el in body.iter(*tags) for x in part(el)]` (elements only; with `whole`,
    over the whole document), each unit's share (what is below its root) and the head's
    kept by `memo()`. `share` turns what `part` gives for one element worked afresh or
    for a run kept into what is returned (and kept): by default, the same.

    `local` says that `part(el)` and `share` read `el` and what is below it, nothing
    else (no ancestor, no sibling, nothing of the head). The unit root's own part then
    depends on the unit's markup too, so it is kept with the share instead of worked
    afresh on every page (a dozen roots a page, the half of such a rule's time), and
    the share is kept by the markup alone, whatever the document's context."""
    wanted = frozenset(tags)
    out: list[T] = []
    lay = layout(root)
    table = _table(("walk", key, tags), LOCAL if local else lay.context)
    if whole:
        for run, kept in lay.outside:
            if kept is None:
                for el in run:
                    if not wanted or el.tag in wanted:
                        out += share(list(part(el)))
            else:
                out += _memo(table, kept, lambda run=run: tuple(share([
                    x for el in run if not wanted or el.tag in wanted for x in part(el)])))
    fast = MODE == "1"
    for el, unit in lay.pieces:  # a unit root afresh: a rule may read its siblings
        if local and unit is not None:
            found = table.get(unit, _MISSING) if fast else _MISSING
            if found is _MISSING:
                found = _memo(table, unit, lambda el=el: _local_share(el, part, tags, share))
            out += found
            continue
        if not wanted or el.tag in wanted:
            out += share(list(part(el)))
        if unit is not None:
            found = table.get(unit, _MISSING) if fast else _MISSING
            if found is _MISSING:  # (the lambda only when it is needed)
                found = _memo(table, unit, lambda el=el: tuple(share([
                    x for d in el.iterdescendants(*tags or (etree.Element,))
                    for x in part(d)])))
            out += found
    if whole:
        for el in lay.after:
            if not wanted or el.tag in wanted:
                out += share(list(part(el)))
    return out


def _local_share(el: etree._Element, part: Callable[[etree._Element], Sequence[Any]],
                 tags: tuple[str, ...], share: Callable[[list[Any]], Sequence[T]],
                 ) -> tuple[T, ...]:
    """What `walk()` gives for a unit root and what is below it, in the same pieces
    (the root's share, then the inside's), so `share`'s grouping is unchanged."""
    mine = tuple(share(list(part(el)))) if not tags or el.tag in tags else ()
    return mine + tuple(share([x for d in el.iterdescendants(*tags or (etree.Element,))
                               for x in part(d)]))


def walk_pruned(root: etree._Element,
                part: Callable[[etree._Element], tuple[Sequence[T], bool]],
                key: Hashable) -> list[T]:
    """Like `walk()` over the body's elements, but `part(el)` also says whether to skip
    what is inside `el` (it is reported whole). The unit roots are read afresh: a rule
    may read their siblings."""
    out: list[T] = []
    lay = layout(root)
    skipped: list[etree._Element] = []  # spine elements whose inside is skipped
    for el, unit in lay.pieces:
        if skipped and any(s in _ancestors(el) for s in skipped):
            continue
        found, stop = part(el)
        out += found
        if stop:
            skipped.append(el)
        elif unit is not None:
            out += _memo(_table(("pruned", key), lay.context), unit,
                         lambda el=el: tuple(_inside(el, part)))
    return out


def _ancestors(el: etree._Element) -> set[etree._Element]:
    return set(el.iterancestors())


def _inside(el: etree._Element, part: Callable[[etree._Element],
                                                tuple[Sequence[T], bool]]) -> list[T]:
    out: list[T] = []
    for child in el.iterchildren(etree.Element):
        found, stop = part(child)
        out += found
        if not stop:
            out += _inside(child, part)
    return out
