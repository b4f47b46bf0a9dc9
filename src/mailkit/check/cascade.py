"""The email's CSS cascade, computed for one view: the colour, background and
visibility each element gets from its inline style and the `<style>` rules that apply.

A view is a set of rules (check/selectors.py): those outside any `@media`, plus those
whose media query holds for the reader (a phone's width, light or dark). The dark
check reads the phone in dark mode, the inversion checks the phone in light mode (the
email as an inverting client receives it, before it recolours), the no-style check the
inline styles alone. Each view is computed once per document, element by element as
the rules ask, so a rule never walks up the tree twice for one element.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from lxml import etree

from .contrast import parse_color
from .css import declarations
from .dom import per_document
from .selectors import Matched, StyleRule, matches, media_applies, style_rules

RGB = tuple[int, int, int]
Background = RGB | str | None  # a colour, "image" (pixels unknown), or None (unknown)


@lru_cache(maxsize=16384)
def _inline(style: str, props: tuple[str, ...]) -> tuple[str, bool] | None:
    """The winning inline declaration among `props`: the last `!important`, else the last."""
    found = [d for d in declarations(style) if d.prop in props]
    for d in reversed(found):
        if d.important:
            return d.value, True
    return (found[-1].value, False) if found else None


@lru_cache(maxsize=8192)
def inline_map(style: str) -> dict[str, str]:
    """An inline style as a mapping, the last declaration of a property winning (shared
    and cached: read it, never change it)."""
    return {d.prop: d.value for d in declarations(style)}


@lru_cache(maxsize=8192)
def _declared(style: str) -> frozenset[str]:
    return frozenset(d.prop for d in declarations(style))


HIDING = frozenset({"display", "visibility", "opacity", "max-height", "mso-hide"})
_UNKNOWN = object()
BACKGROUNDS = frozenset({"background", "background-color", "background-image"})
HIDING_VISIBILITY = {"hidden", "collapse"}


class Cascade:
    """Computed values for one view: the inline styles, the rules given and, where
    nothing is said, inheritance (colour, visibility) or the canvas."""

    def __init__(self, root: etree._Element, rules: Sequence[StyleRule], *,
                 text: RGB = (0, 0, 0), canvas: RGB = (255, 255, 255),
                 link: RGB = (0, 0, 238), mso: bool = False) -> None:
        self.root = root
        self._keep = frozenset(r.order for r in rules)
        self._all = len(self._keep) == len(style_rules(root)) if rules else False
        self._matched: dict[etree._Element, list[Matched] | None] = {}
        self.text, self.canvas, self.link, self.mso = text, canvas, link, mso
        # per element, computed once: each walk up the tree stops at a known ancestor
        self._colors: dict[etree._Element, RGB | None] = {}
        self._backgrounds: dict[etree._Element, Background] = {}
        self._hidden: dict[etree._Element, bool] = {}
        # what an element no rule reaches paints and hides is its inline style's: the
        # same in every view of the document, so the views share it
        self._inline = _inline_facts(root, mso)

    def rules(self, el: etree._Element) -> list[Matched] | None:
        """The declarations of this view's rules that `el` matches (None: none)."""
        found = self._matched.get(el, _UNKNOWN)
        if found is _UNKNOWN:
            if not self._keep:
                found = None
            else:
                hits = matches(self.root).of(el)
                found = (hits if self._all else [m for m in hits if m.order in self._keep]) \
                    or None
            self._matched[el] = found
        return found  # type: ignore[return-value]

    def value(self, el: etree._Element, *props: str) -> str | None:
        """The value the cascade gives `el` for `props` (one property, or a shorthand and
        its longhands): inline `!important`, the rules' `!important`, inline, the rules."""
        style = el.get("style")
        rules = self.rules(el)
        if not style and not rules:
            return None  # most elements: nothing inline, no rule
        inline = _inline(style, props) if style else None
        if inline and inline[1]:
            return inline[0]
        hits = [m for m in rules if m.prop in props] if rules else []
        important = [m for m in hits if m.important]
        if important:
            return max(important, key=lambda m: (m.specificity, m.order)).value
        if inline:
            return inline[0]
        return max(hits, key=lambda m: (m.specificity, m.order)).value if hits else None

    def color(self, el: etree._Element) -> RGB | None:
        if el in self._colors:
            return self._colors[el]
        value = self.value(el, "color")
        parent = el.getparent()
        if value and value.strip().lower() not in {"inherit", "currentcolor"}:
            color = parse_color(value)
        elif el.tag == "a":
            color = self.link
        else:
            color = self.color(parent) if parent is not None else self.text
        self._colors[el] = color
        return color

    def said(self, el: etree._Element) -> frozenset[str]:
        """The properties its inline style or a rule of this view declares: most elements
        say nothing of most properties, and this answers before `value` looks."""
        style, rules = el.get("style"), self.rules(el)
        said = _declared(style) if style else frozenset()
        return said | {m.prop for m in rules} if rules else said

    def own_background(self, el: etree._Element) -> Background:
        """What `el` paints itself: a colour, "image", or None (nothing, or unknown)."""
        return self._by_inline(el, self._inline.backgrounds, self._own_background)

    def _by_inline(self, el: etree._Element, known: dict, compute: Callable) -> Any:
        """`compute(el)`, kept in `known` (shared by the views that read inline styles
        alike) when no `<style>` rule of this view matches `el`: then only its inline
        style and attributes decide."""
        if self.rules(el) is not None:
            return compute(el)
        if el not in known:
            known[el] = compute(el)
        return known[el]

    def _own_background(self, el: etree._Element) -> Background:
        if el.get("background"):
            return "image"
        if not self.said(el) & BACKGROUNDS:
            return _painted(el.get("bgcolor"))
        image = self.value(el, "background-image")
        if image and image.strip().lower() != "none":
            return "image"
        return _painted(self.value(el, "background-color", "background") or el.get("bgcolor"))

    def background(self, el: etree._Element) -> Background:
        """The painted background behind `el`: a colour, "image", or None if unknown."""
        if el in self._backgrounds:
            return self._backgrounds[el]
        found = self.own_background(el)
        if found == "unknown":
            found = None
        elif found is None:
            parent = el.getparent()
            found = self.background(parent) if parent is not None else self.canvas
        self._backgrounds[el] = found
        return found

    def hidden(self, el: etree._Element) -> bool:
        """Not shown: `display:none`, `visibility:hidden`, `opacity:0`, a zero
        `max-height` with `overflow:hidden` (on an image, alone), and `mso-hide:all` in
        Outlook's view, on itself or an ancestor."""
        if el in self._hidden:
            return self._hidden[el]
        parent = el.getparent()
        hidden = (parent is not None and self.hidden(parent)) or self._hides(el)
        self._hidden[el] = hidden
        return hidden

    def _hides(self, el: etree._Element) -> bool:
        return self._by_inline(el, self._inline.hides, self._own_hiding)

    def _own_hiding(self, el: etree._Element) -> bool:
        said = self.said(el)
        if not said & HIDING:
            return el.get("hidden") is not None
        display = (self.value(el, "display") or "").strip().lower() if "display" in said else ""
        if display:
            if display == "none":
                return True
        elif el.get("hidden") is not None:
            return True
        if "visibility" in said and (self.value(el, "visibility") or "").strip().lower() in \
                HIDING_VISIBILITY:
            return True
        if "opacity" in said and re.fullmatch(r"0*\.?0*%?", (self.value(el, "opacity")
                                                             or "1").strip()):
            return True
        if "max-height" in said and re.fullmatch(
                r"0(px|em|%)?", (self.value(el, "max-height") or "").strip()) and (
                el.tag == "img"  # an image no higher than 0 is not drawn at all
                or (self.value(el, "overflow") or "").strip().lower() == "hidden"):
            return True
        return self.mso and "mso-hide" in said and (
            self.value(el, "mso-hide") or "").strip().lower() == "all"


class _InlineFacts:
    """What the elements no rule reaches paint and hide, shared by a document's views."""

    def __init__(self) -> None:
        self.backgrounds: dict[etree._Element, Background] = {}
        self.hides: dict[etree._Element, bool] = {}


@per_document
def _shared(root: etree._Element) -> dict[bool, _InlineFacts]:
    return {False: _InlineFacts(), True: _InlineFacts()}


def _inline_facts(root: etree._Element, mso: bool) -> _InlineFacts:
    return _shared(root)[mso]


def _painted(value: str | None) -> Background:
    """A background value as painted: a colour, "image", None (nothing) or "unknown"."""
    if not value:
        return None
    if "url(" in value or "gradient(" in value:
        return "image"
    first = value.split()[0].lower() if value.split() else "none"
    return None if first in {"transparent", "none"} else parse_color(first) or "unknown"


PHONE = 375  # px: the views are phone-sized (most of the clients they emulate are apps)


def applying(root: etree._Element, *, dark: bool, width: int = PHONE) -> list[StyleRule]:
    """The rules a reader's client applies: outside `@media`, or in a query that holds."""
    return [r for r in style_rules(root) if all(media_applies(q, width, dark) for q in r.media)]


@per_document
def light_view(root: etree._Element) -> Cascade:
    """The email on a phone in light mode, every `<style>` rule that applies: what an
    inverting client receives before it recolours (the dark rules never apply there)."""
    return Cascade(root, applying(root, dark=False))


@per_document
def inline_view(root: etree._Element) -> Cascade:
    """The email with every `<style>` removed: inline styles only."""
    return Cascade(root, ())
