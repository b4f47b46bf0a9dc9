"""The email's `<style>` rules as the checks need them: each with the media queries it
sits in, whether a query holds for a reader (`media_applies`), and the elements each
selector matches.

Only the properties the checks read are kept (`PROPS`), and the selectors MJML writes
(`tag`, `.class`, two of them joined by a descendant or child combinator) are matched
from an index of the document; anything else goes to cssselect. Everything is computed
once per document (dom.per_document) and shared by the views of check/cascade.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import cssselect
from lxml import etree

from .css import COMMENT, Declaration, _match_brace, parse_stylesheet, split_top
from .dom import per_document

#: What the checks read: colours, backgrounds, what hides an element, a button's box.
PROPS = frozenset({"color", "background", "background-color", "background-image",
                   "display", "visibility", "opacity", "max-height", "overflow", "mso-hide"})
BOX = ("padding", "border")  # and every padding-* and border-* longhand


def wanted(prop: str) -> bool:
    return prop in PROPS or (prop.startswith(BOX) and prop not in {
        "border-collapse", "border-spacing", "border-radius"})


@dataclass(frozen=True)
class StyleRule:
    """One selector of one rule of a `<style>` block, with the media queries around it."""

    selector: str
    declarations: tuple[Declaration, ...]
    media: tuple[str, ...]  # the @media preludes (and the <style media>), outermost first
    order: int


MEDIA_BLOCK = re.compile(r"@media\b([^{;]*)\{", re.I)


@per_document
def style_rules(root: etree._Element) -> tuple[StyleRule, ...]:
    """Every rule of the document's `<style>` blocks, in order, the declarations kept to
    those the checks read (a rule with none is left out)."""
    return _parse_styles(tuple((s.get("media") or "", s.text or "") for s in root.iter("style")))


@lru_cache(maxsize=64)
def _parse_styles(blocks: tuple[tuple[str, str], ...]) -> tuple[StyleRule, ...]:
    """The rules of some `<style>` blocks ((media, text) each): the emails of a brand
    share theirs, so each set is parsed once."""
    out: list[StyleRule] = []
    for media, text in blocks:
        _walk(COMMENT.sub(" ", text), (media,) if media else (), out)
    return tuple(out)


def _walk(css: str, media: tuple[str, ...], out: list[StyleRule]) -> None:
    pos = 0
    while pos < len(css):
        m = MEDIA_BLOCK.search(css, pos)
        end = m.start() if m else len(css)
        for rule in parse_stylesheet(css[pos:end]).rules:
            kept = tuple(d for d in rule.declarations if wanted(d.prop))
            if kept:
                out += [StyleRule(s, kept, media, len(out) + i)
                        for i, s in enumerate(rule.selectors)]
        if m is None:
            return
        close = _match_brace(css, m.end() - 1)
        _walk(css[m.end(): close], (*media, m.group(1).strip()), out)
        pos = close + 1


FEATURE = re.compile(r"\(\s*([-\w]+)\s*(?::\s*([^)]*))?\)")


@lru_cache(maxsize=256)
def media_applies(query: str, width: int, dark: bool) -> bool:
    """Whether a media query holds on a screen `width` px wide, in dark mode or not. An
    unknown feature or media type does not hold (the rule is left out)."""
    for part in split_top(query.lower(), ","):
        words = part.split()
        negate = bool(words) and words[0] == "not"
        words = [w for w in words if w not in {"not", "only"}]
        holds = True
        for term in re.split(r"\s+and\s+", " ".join(words)):
            term = term.strip()
            if term in {"", "screen", "all"}:
                continue
            m = FEATURE.fullmatch(term)
            holds = holds and m is not None and _feature(m.group(1), (m.group(2) or "").strip(),
                                                          width, dark)
        if holds != negate:
            return True
    return False


def _feature(name: str, value: str, width: int, dark: bool) -> bool:
    if name == "prefers-color-scheme":
        return value == ("dark" if dark else "light")
    px = re.fullmatch(r"(\d+(?:\.\d+)?)px", value)
    if name in {"min-width", "min-device-width"} and px:
        return width >= float(px.group(1))
    if name in {"max-width", "max-device-width"} and px:
        return width <= float(px.group(1))
    return False


_TRANSLATOR = cssselect.HTMLTranslator()
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
# The selectors MJML emails are made of: `tag`, `.class`, and two of them joined by a
# descendant or child combinator (`.mk-t p`, `.mk-surface > table`).
SIMPLE = re.compile(r"\s*(\.?[A-Za-z_][\w-]*)(?:(?:\s*(>)\s*|\s+)(\.?[A-Za-z_][\w-]*))?\s*")
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


@lru_cache(maxsize=512)
def compile_selector(selector: str) -> tuple[etree.XPath, tuple[int, int, int]] | None:
    """cssselect's XPath and the specificity of one selector; None when it never
    matches a still page (`:hover`) or does not parse."""
    try:
        parsed = cssselect.parse(selector)
    except cssselect.SelectorError:
        return None
    if len(parsed) != 1:
        return None
    try:
        xpath = _TRANSLATOR.selector_to_xpath(parsed[0])
    except cssselect.ExpressionError:
        return None
    return etree.XPath(xpath), parsed[0].specificity()


class Index:
    """The document's elements by class, for the simple selectors: an XPath scan of the
    whole document per rule was a ninth of a page's checks."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.by_class: dict[str, list[etree._Element]] = {}
        for el in root.iter(etree.Element):
            for name in HTML_SPACE.split(el.get("class") or ""):
                if name:
                    self.by_class.setdefault(name, []).append(el)

    def tops(self, simple: str) -> list[etree._Element]:
        if simple.startswith("."):
            return self.by_class.get(simple[1:], [])
        return list(self.root.iter(simple.lower()))

    def match(self, selector: str) -> list[etree._Element] | None:
        """The elements `selector` matches, in document order, or None when it is not
        one of the simple forms (cssselect's XPath then)."""
        m = SIMPLE.fullmatch(selector)
        if m is None:
            return None
        first, child, second = m.group(1), m.group(2), m.group(3)
        if second is None:
            return self.tops(first)
        order = {el: i for i, el in enumerate(self.tops(second))}  # document order
        found: dict[etree._Element, None] = {}
        for top in self.tops(first):
            for el in (top if child else top.iterdescendants()):
                if el in order:
                    found[el] = None
        return sorted(found, key=order.__getitem__)


index = per_document(Index)


@dataclass(frozen=True)
class Matched:
    """One declaration of a rule that applies to an element."""

    important: bool
    specificity: tuple[int, int, int]
    order: int
    prop: str
    value: str


def match_rules(root: etree._Element, rules: Sequence[StyleRule],
                ) -> dict[etree._Element, list[Matched]]:
    matched: dict[etree._Element, list[Matched]] = {}
    found_index = index(root)
    for rule in rules:
        if not all(c in found_index.by_class for c in CLASS.findall(rule.selector)):
            continue  # a class no element has: nothing to match
        compiled = compile_selector(rule.selector)
        if compiled is None:
            continue
        xpath, spec = compiled
        found = found_index.match(rule.selector)
        for el in xpath(root) if found is None else found:
            matched.setdefault(el, []).extend(
                Matched(d.important, spec, rule.order, d.prop, d.value)
                for d in rule.declarations)
    return matched


@per_document
def all_matches(root: etree._Element) -> dict[etree._Element, list[Matched]]:
    """Every rule of the document matched once; each view keeps those it applies."""
    return match_rules(root, style_rules(root))
