"""What the checks keep besides the units' shares (units.py): values kept by value
(`remember`), a rule's findings on the last pages by their HTML (`per_page`), items of
a share read afresh for each document (`OnRead`), and `first_of_each`, which drops the
duplicates a share repeats."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

from . import units

T = TypeVar("T")


class OnRead:
    """An item of a kept share that stands for findings read afresh each time it is
    returned (`resolved()`), for this document: what a local file holds may change
    between two builds of serve's warm workers, which keep the shares, and a page's
    folder (where its relative URLs lead) is its own. It holds values, not elements."""

    def resolve(self, doc: Any) -> Sequence[Any]:
        raise NotImplementedError


def resolved(items: Sequence[Any], doc: Any) -> list[Any]:
    """`items`, each `OnRead` replaced by what it resolves to now for `doc`."""
    return [x for item in items
            for x in (item.resolve(doc) if isinstance(item, OnRead) else (item,))]


_BY_VALUE: dict[Hashable, Any] = {}
units.FORGOTTEN.append(_BY_VALUE)


def remember(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, kept under `key`, which must hold everything it reads (texts, the
    fields of `CheckInput` it uses): the same texts come back in unit after unit."""
    if units.MODE == "0":
        return compute()
    fresh = _checked(_BY_VALUE.get(key, units._MISSING), compute, "value", key)
    if len(_BY_VALUE) >= units.MAX_KEPT:
        _BY_VALUE.clear()
    _BY_VALUE[key] = fresh
    return fresh


def _checked(found: Any, compute: Callable[[], T], what: str, key: Hashable) -> T:
    """`found`, what was kept, unless nothing was or the tests verify
    (`MAILKIT_CHECK_UNITS=verify`): then `compute()`, which must equal what was kept."""
    if found is not units._MISSING and units.MODE != "verify":
        return found
    fresh = compute()
    if found is not units._MISSING and found != fresh:
        raise AssertionError(f"kept {what} changed for {key!r}: {found!r} != {fresh!r}")
    return fresh


PAGES_KEPT = 16  # pages whose findings `per_page` keeps: an email's states come together
_PAGES: dict[str, dict[Hashable, Any]] = {}  # HTML → {key: findings}, oldest first
units.FORGOTTEN.append(_PAGES)


def per_page(key: Hashable, html: str, compute: Callable[[], Sequence[T]]) -> list[T]:
    """`compute()`, kept under (`key`, the page's `html`) for the last `PAGES_KEPT` pages:
    for a rule whose findings depend on the HTML alone and on what `key` names (nothing
    of `CheckInput` besides `html`, no file). The states of an email often compile to
    the same HTML (a state that changes the subject, the preheader or the plain text
    only): a third of the generated project's pages come back within a few pages."""
    if units.MODE == "0":
        return list(compute())
    page = _PAGES.pop(html, None)  # put back last: the pages kept are the latest
    page = _PAGES[html] = page if page is not None else {}
    fresh = page[key] = _checked(page.get(key, units._MISSING), lambda: tuple(compute()),
                                 "findings", key)
    while len(_PAGES) > PAGES_KEPT:
        del _PAGES[next(iter(_PAGES))]
    return list(fresh)


def first_of_each(found: Sequence[tuple[Hashable, T]]) -> list[T]:
    """The items in order, the first of each key only: a rule names a pair of colours,
    a box, a word once per email."""
    seen: set[Hashable] = set()
    out = []
    for key, item in found:
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
