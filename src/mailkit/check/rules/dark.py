"""Contrast in dark mode, text by text, as a client honouring `prefers-color-scheme` shows it.

The palette check (`contrast.check_palettes`) proves the dark palette is readable in
principle; it cannot see a `<span style="color:#6E625B">` that no dark rule reaches,
which stays light-mode grey on the dark surface. This check computes, for every text
a reader sees, the colour and the background a dark-mode client actually paints:

- the rules inside `@media (prefers-color-scheme: dark)` of the email's `<style>`
  blocks, matched with real CSS selectors (cssselect) and their specificity;
- the cascade: inline `!important`, then the dark rules' `!important`, then the
  inline style (what premailer inlined for light mode), then the dark rules' normal
  declarations, then inheritance (colour) or the first painted ancestor (background;
  the `bgcolor` attribute last, as browsers do);
- the canvas: with `color-scheme: light dark` declared, a client paints unstyled text
  white on #121212, like Chromium; without it, black on white.

Every text is held to WCAG AA: 4.5:1, 3:1 for large text (24px, or 18.66px bold).
A text over a background image is skipped (its pixels are unknown).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cssselect
from lxml import etree

from ..contrast import hex_color, low_contrast, luminance, parse_color
from ..css import _match_brace, declarations, parse_stylesheet
from ..dom import SKIP_TEXT, describe, is_hidden, own_text, squash
from ..model import CheckConfig, CheckInput, Finding

DARK_MEDIA = re.compile(r"@media[^{;]*prefers-color-scheme\s*:\s*dark[^{;]*\{", re.I)
SCHEME = re.compile(r"(?<![-\w])color-scheme\s*:[^;}]*\bdark\b", re.I)
RGB = tuple[int, int, int]
CANVAS = {True: ((255, 255, 255), (18, 18, 18)), False: ((0, 0, 0), (255, 255, 255))}
LINK = {True: (158, 158, 255), False: (0, 0, 238)}  # Chromium's -webkit-link
_TRANSLATOR = cssselect.HTMLTranslator()
CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
LIGHT_BLOCK = 0.6  # relative luminance of a background that glares in dark mode

NAME = "dark"  # the family in findings, `run_checks(only=…)` and reports


@dataclass(frozen=True)
class Matched:
    """One declaration of a dark rule that applies to an element."""

    important: bool
    specificity: tuple[int, int, int]
    order: int
    prop: str
    value: str


def dark_rules(root: etree._Element) -> list[tuple[str, tuple[tuple[str, str, bool], ...]]]:
    """(selector, ((prop, value, important), …)) for each rule of the dark media blocks."""
    out: list[tuple[str, tuple[tuple[str, str, bool], ...]]] = []
    for style in root.iter("style"):
        css = style.text or ""
        for m in DARK_MEDIA.finditer(css):
            inner = css[m.end(): _match_brace(css, m.end() - 1)]
            for rule in parse_stylesheet(inner).rules:
                decls = tuple((d.prop, d.value, d.important) for d in rule.declarations)
                out += [(sel, decls) for sel in rule.selectors]
    return out


@lru_cache(maxsize=512)
def _compile(selector: str) -> tuple[etree.XPath, tuple[int, int, int]] | None:
    try:
        parsed = cssselect.parse(selector)
    except cssselect.SelectorError:
        return None
    if len(parsed) != 1:
        return None
    try:
        xpath = _TRANSLATOR.selector_to_xpath(parsed[0])
    except cssselect.ExpressionError:  # :hover and the like never apply to a still page
        return None
    return etree.XPath(xpath), parsed[0].specificity()


# The selectors MJML emails' dark rules are made of: `tag`, `.class`, and two of them
# joined by a descendant or child combinator (`.mk-t p`, `.mk-surface > table`).
SIMPLE = re.compile(r"\s*(\.?[A-Za-z_][\w-]*)(?:(?:\s*(>)\s*|\s+)(\.?[A-Za-z_][\w-]*))?\s*")
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


class _Index:
    """The document's elements by class and by tag, for the simple selectors: an XPath
    scan of the whole document per dark rule was a ninth of a page's checks."""

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


def match_rules(root: etree._Element) -> dict[etree._Element, list[Matched]]:
    matched: dict[etree._Element, list[Matched]] = {}
    index = _Index(root)
    for order, (selector, decls) in enumerate(dark_rules(root)):
        if not all(c in index.by_class for c in CLASS.findall(selector)):
            continue  # a class no element has: nothing to match
        compiled = _compile(selector)
        if compiled is None:
            continue
        xpath, spec = compiled
        found = index.match(selector)
        for el in xpath(root) if found is None else found:
            matched.setdefault(el, []).extend(
                Matched(imp, spec, order, prop, value) for prop, value, imp in decls)
    return matched


class DarkView:
    """The email as a dark-mode client computes it: colours, backgrounds, display."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.matched = match_rules(root)
        self.scheme_dark = any(SCHEME.search(s.text or "") for s in root.iter("style")) or any(
            "dark" in (m.get("content") or "") for m in root.iter("meta")
            if (m.get("name") or "").lower() == "color-scheme")
        # per element, computed once: each walk up the tree stops at a known ancestor
        self._colors: dict[etree._Element, RGB | None] = {}
        self._backgrounds: dict[etree._Element, RGB | str | None] = {}
        self._hidden: dict[etree._Element, bool] = {}

    def _value(self, el: etree._Element, props: tuple[str, ...]) -> str | None:
        style = el.get("style")
        if not style and el not in self.matched:
            return None  # most elements: nothing inline, no dark rule
        inline = [d for d in declarations(style or "") if d.prop in props]
        rules = [m for m in self.matched.get(el, ()) if m.prop in props]
        for d in reversed(inline):
            if d.important:
                return d.value
        important = [m for m in rules if m.important]
        if important:
            return max(important, key=lambda m: (m.specificity, m.order)).value
        if inline:
            return inline[-1].value
        if rules:
            return max(rules, key=lambda m: (m.specificity, m.order)).value
        return None

    def color(self, el: etree._Element) -> RGB | None:
        if el in self._colors:
            return self._colors[el]
        value = self._value(el, ("color",))
        parent = el.getparent()
        if value and value.strip().lower() not in {"inherit", "currentcolor"}:
            color = parse_color(value)
        elif el.tag == "a":
            color = LINK[self.scheme_dark]
        else:
            color = self.color(parent) if parent is not None else CANVAS[self.scheme_dark][0]
        self._colors[el] = color
        return color

    def background(self, el: etree._Element) -> RGB | str | None:
        """The painted background behind `el`: a colour, "image", or None if unknown."""
        if el in self._backgrounds:
            return self._backgrounds[el]
        found: RGB | str | None = None
        if self._value(el, ("background-image",)) not in (None, "none"):
            found = "image"
        else:
            value = self._value(el, ("background-color", "background")) or el.get("bgcolor")
            if value and "url(" in value:
                found = "image"
            elif value and value.split()[0].lower() != "transparent":
                found = parse_color(value.split()[0])
            else:
                parent = el.getparent()
                found = (self.background(parent) if parent is not None
                         else CANVAS[self.scheme_dark][1])
        self._backgrounds[el] = found
        return found

    def hidden(self, el: etree._Element) -> bool:
        if el in self._hidden:
            return self._hidden[el]
        display = (self._value(el, ("display",)) or "").strip().lower()
        parent = el.getparent()
        hidden = display == "none" or (is_hidden(el) and not display) or (
            parent is not None and self.hidden(parent))
        self._hidden[el] = hidden
        return hidden


def has_dark_mode(root: etree._Element) -> bool:
    return any(DARK_MEDIA.search(s.text or "") for s in root.iter("style"))


def check_dark(root: etree._Element, view: DarkView | None = None) -> list[Finding]:
    if not has_dark_mode(root):
        return []  # no dark mode: the client's own inversion is out of our hands
    view = view or DarkView(root)
    body = root.find("body")
    findings: list[Finding] = []
    seen: set[tuple[RGB, RGB, bool]] = set()
    for el in (body if body is not None else root).iter(etree.Element):
        if el.tag in SKIP_TEXT:
            continue
        text = own_text(el)
        if not text or view.hidden(el):
            continue
        fg, bg = view.color(el), view.background(el)
        if fg is None or bg is None or isinstance(bg, str):
            continue
        failed = low_contrast(el, fg, bg, seen)
        if failed is None:
            continue
        ratio, need, large = failed
        findings.append(Finding(
            "error", "dark",
            f"dark mode: text {hex_color(fg)} on {hex_color(bg)} in `{describe(el)}` "
            f"(\"{text[:40]}\") has contrast {ratio:.2f}:1, below WCAG AA's {need:g}:1 for "
            f"{'large' if large else 'body'} text: give it a colour in the "
            "prefers-color-scheme: dark rules", describe(el)))
    return findings


def check_light_blocks(root: etree._Element, view: DarkView | None = None) -> list[Finding]:
    """Boxes painted light in dark mode on a dark background: a cream button or panel
    that no dark rule reaches glares on the dark page even when its text is readable."""
    if not has_dark_mode(root):
        return []
    view = view or DarkView(root)
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    reported: set[etree._Element] = set()
    body = root.find("body")
    for el in (body if body is not None else root).iter(etree.Element):
        if reported and any(a in reported for a in el.iterancestors()):
            continue  # the box around it is named already
        own = view._value(el, ("background-color", "background")) or el.get("bgcolor")
        if not own or "url(" in own or view.hidden(el):
            continue
        rgb = parse_color(own.split()[0])
        if rgb is None or luminance(rgb) < LIGHT_BLOCK:
            continue
        parent = el.getparent()
        around = view.background(parent) if parent is not None else CANVAS[view.scheme_dark][1]
        if not isinstance(around, tuple) or luminance(around) >= LIGHT_BLOCK:
            continue  # light on light: no dark mode here, nothing glares
        shown = describe(el)
        label = squash("".join(el.itertext()))[:40]
        if (shown, label) in seen:
            reported.add(el)
            continue
        reported.add(el)
        seen.add((shown, label))
        findings.append(Finding(
            "warning", "dark",
            f"dark mode: `{shown}` (\"{label}\") keeps the light background {hex_color(rgb)}: "
            "give it a background in the prefers-color-scheme: dark rules", shown))
    return findings


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    if not has_dark_mode(root):
        return []
    view = DarkView(root)
    return check_dark(root, view) + check_light_blocks(root, view)
