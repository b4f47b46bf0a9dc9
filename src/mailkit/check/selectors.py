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


@dataclass(frozen=True)
class Matched:
    """One declaration of a rule that applies to an element."""

    important: bool
    specificity: tuple[int, int, int]
    order: int
    prop: str
    value: str


@dataclass(frozen=True)
class _Simple:
    """A selector of the forms MJML writes, split: the compound the element itself must
    match, and (if any) the one an ancestor (`>`: the parent) must."""

    rule: StyleRule
    last: str  # `tag` or `.class`
    first: str | None
    child: bool
    matched: tuple[Matched, ...]  # what the rule gives an element it matches


@dataclass
class _Sheet:
    """A set of rules ready to be matched element by element: the simple selectors
    by the tag or class their element must have; the others through cssselect."""

    by_key: dict[str, list[tuple[int, _Simple]]]
    other: list[tuple[int, StyleRule]]


@lru_cache(maxsize=64)
def _sheet(rules: tuple[StyleRule, ...]) -> _Sheet:
    by_key: dict[str, list[tuple[int, _Simple]]] = {}
    other: list[tuple[int, StyleRule]] = []
    for at, rule in enumerate(rules):
        compiled = compile_selector(rule.selector)
        if compiled is None:
            continue
        m = SIMPLE.fullmatch(rule.selector)
        if m is None:
            other.append((at, rule))
            continue
        first, child, second = m.group(1), m.group(2), m.group(3)
        last = second or first
        simple = _Simple(rule, last if last.startswith(".") else last.lower(),
                         (first if first.startswith(".") else first.lower()) if second else None,
                         bool(child), tuple(Matched(d.important, compiled[1], rule.order, d.prop,
                                                    d.value) for d in rule.declarations))
        by_key.setdefault(simple.last, []).append((at, simple))
    return _Sheet(by_key, other)


def _keys(el: etree._Element) -> frozenset[str]:
    """What a simple compound may name of `el`: its tag and each of its classes."""
    return frozenset((str(el.tag), *("." + n for n in HTML_SPACE.split(el.get("class") or "")
                                     if n)))


class Matches:
    """The rules that apply to each element of a document, found element by element as
    the views ask (most elements are never asked about): the same declarations, in the
    same order, as matching each rule over the whole document."""

    def __init__(self, root: etree._Element, rules: tuple[StyleRule, ...]) -> None:
        self.root = root
        self.sheet = _sheet(rules)
        self._found: dict[etree._Element, list[Matched]] = {}
        self._keys: dict[etree._Element, frozenset[str]] = {}
        self._ancestors: dict[etree._Element, frozenset[str]] = {}
        self._others: list[tuple[int, set[etree._Element], tuple[Matched, ...]]] | None = None

    def of(self, el: etree._Element) -> list[Matched]:
        """Every declaration of the rules `el` matches, rule by rule (empty: none)."""
        found = self._found.get(el)
        if found is None:
            found = self._found[el] = self._match(el)
        return found

    def _match(self, el: etree._Element) -> list[Matched]:
        hits: list[tuple[int, tuple[Matched, ...]]] = []
        for key in self._own(el):
            for at, simple in self.sheet.by_key.get(key, ()):
                if simple.first is None or (
                        simple.first in self._own(p) if simple.child
                        and (p := el.getparent()) is not None
                        else not simple.child and simple.first in self._above(el)):
                    hits.append((at, simple.matched))
        if self.sheet.other:
            hits += [(at, matched) for at, found, matched in self._complex() if el in found]
        if not hits:
            return []
        hits.sort(key=lambda hit: hit[0])
        return [m for _, matched in hits for m in matched]

    def _own(self, el: etree._Element) -> frozenset[str]:
        found = self._keys.get(el)
        if found is None:
            found = self._keys[el] = _keys(el)
        return found

    def _above(self, el: etree._Element) -> frozenset[str]:
        """The tags and classes of every ancestor of `el`."""
        found = self._ancestors.get(el)
        if found is None:
            parent = el.getparent()
            found = frozenset() if parent is None else self._above(parent) | self._own(parent)
            self._ancestors[el] = found
        return found

    def _complex(self) -> list[tuple[int, set[etree._Element], tuple[Matched, ...]]]:
        """The rules cssselect matches, each over the whole document once."""
        if self._others is None:
            classes: set[str] | None = None
            self._others = []
            for at, rule in self.sheet.other:
                named = CLASS.findall(rule.selector)
                if named and classes is None:
                    classes = {n for el in self.root.iter(etree.Element)
                               for n in HTML_SPACE.split(el.get("class") or "") if n}
                if not all(c in classes for c in named):  # type: ignore[operator]
                    continue  # a class no element has: nothing to match
                xpath, spec = compile_selector(rule.selector)  # type: ignore[misc]
                self._others.append((at, set(xpath(self.root)), tuple(
                    Matched(d.important, spec, rule.order, d.prop, d.value)
                    for d in rule.declarations)))
        return self._others


@per_document
def matches(root: etree._Element) -> Matches:
    """Every rule of the document, matched element by element as asked; each view keeps
    those it applies."""
    return Matches(root, style_rules(root))
