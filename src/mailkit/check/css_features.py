"""Which caniemail features a piece of CSS uses: an inline `style`, a `<style>`
element's rules, selectors, at-rules and media queries, each with one example of where.

Detection proposes candidate slugs freely (`css-<property>` for any property); slugs
absent from the data are simply ignored by the support check, so new caniemail features
start working after a refresh without touching these tables. Vendor (`-webkit-…`) and
Outlook (`mso-…`) properties have no caniemail entry and are skipped. The elements and
attributes of an email, and the walk over it, are features.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .css import Declaration, Sheet, declarations, parse_stylesheet

Add = Callable[[str, str], None]

PROPERTY_RULES: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(p), slugs) for p, slugs in [
        (r"(margin|padding)(-(top|right|bottom|left))?", ("css-{0}",)),
        (r"(margin|padding)-(inline|block)", ("css-{0}-inline-block",)),
        (r"(margin|padding)-inline-(start|end)", ("css-{0}-inline-start-end",)),
        (r"(margin|padding)-block-(start|end)", ("css-{0}-block-start-end",)),
        (r"border(-(top|right|bottom|left))?(-(width|style|color))?", ("css-border",)),
        (r"border(-(top|bottom)-(left|right))?-radius", ("css-border-radius",)),
        (r"border-(start|end)-(start|end)-radius", ("css-border-radius-logical",)),
        (r"border-(inline|block)", ("css-border-inline-block",)),
        (r"border-(inline|block)-(color|style|width|start|end)",
         ("css-border-inline-block-individual",)),
        (r"border-(inline|block)-(start|end)-(color|style|width)",
         ("css-border-inline-block-longhand",)),
        (r"border-image(-.+)?", ("css-border-image",)),
        (r"background-position(-[xy])?", ("css-background-position",)),
        (r"(row-|column-)?gap", ("css-gap",)),
        (r"grid-template(-.+)?", ("css-grid-template",)),
        (r"column-(fill|rule.*|span|width)|columns", ("css-column-layout-properties",)),
        (r"left|right|top|bottom", ("css-left-right-top-bottom",)),
        (r"inset(-.+)?", ("css-inset",)),
        (r"animation(-.+)?", ("css-animation",)),
        (r"transition(-.+)?", ("css-transition",)),
        (r"overflow(-[xy]|-block|-inline)?", ("css-overflow",)),
        (r"block-size", ("css-block-inline-size",)),
        (r"inline-size", ("css-inline-size", "css-block-inline-size")),
        (r"scroll-snap(-.+)?", ("css-scroll-snap",)),
        (r"text-emphasis-(color|style)", ("css-text-emphasis",)),
    ]
]
FUNCTIONS = {
    "rgb": "css-rgb", "rgba": "css-rgba", "calc": "css-unit-calc", "var": "css-variables",
    "min": "css-function-min", "max": "css-function-max", "clamp": "css-function-clamp",
    "light-dark": "css-function-light-dark", "linear-gradient": "css-linear-gradient",
    "repeating-linear-gradient": "css-linear-gradient",
    "radial-gradient": "css-radial-gradient", "repeating-radial-gradient": "css-radial-gradient",
    "conic-gradient": "css-conic-gradient", "lch": "css-modern-color",
    "oklch": "css-modern-color", "lab": "css-modern-color", "oklab": "css-modern-color",
}
UNITS = {"%": "percent"} | {u: u for u in (
    "px", "em", "rem", "pt", "pc", "cm", "mm", "in", "ex", "ch", "vh", "vw", "vmin", "vmax")}
UNIT_RE = re.compile(r"(?<![\w#.-])-?(?:\d+\.?\d*|\.\d+)(%|[a-z]+)", re.I)
STRIP_VALUE = re.compile(r"url\([^)]*\)|\"[^\"]*\"|'[^']*'", re.I)
SYSTEM_FONTS = re.compile(r"\b(system-ui|ui-serif|ui-sans-serif|ui-rounded|ui-monospace)\b")
MEDIA_FEATURES = [
    (re.compile(r"prefers-color-scheme"), "css-at-media-prefers-color-scheme"),
    (re.compile(r"prefers-reduced-motion"), "css-at-media-prefers-reduced-motion"),
    (re.compile(r"\borientation\b"), "css-at-media-orientation"),
    (re.compile(r"\b(any-)?hover\b"), "css-at-media-hover"),
    (re.compile(r"device-pixel-ratio|resolution"), "css-at-media-device-pixel-ratio"),
]
AT_RULES = {"font-face": "css-at-font-face", "import": "css-at-import",
            "keyframes": "css-at-keyframes", "-webkit-keyframes": "css-at-keyframes",
            "supports": "css-at-supports", "media": "css-at-media"}
PSEUDO_ELEMENTS = {"before", "after", "first-letter", "first-line", "marker", "placeholder"}


@lru_cache(maxsize=512)
def style_element_features(media: str, css: str) -> tuple[tuple[str, str], ...]:
    """(slug, example) pairs of one `<style>` element, memoised: MJML writes the same
    head styles into every email of a brand, and parsing them was a third of the checks.
    """
    out: list[tuple[str, str]] = []

    def add(slug: str, where: str) -> None:
        out.append((slug, where))

    if media:
        media_features(media, add)
    sheet_features(parse_stylesheet(css), add)
    return tuple(out)


@lru_cache(maxsize=8192)
def style_features(style: str) -> tuple[tuple[str, str], ...]:
    """(slug, example) pairs of one inline `style` attribute, memoised."""
    out: list[tuple[str, str]] = []
    for decl in declarations(style):
        declaration_features(decl, lambda slug, where: out.append((slug, where)))
    return tuple(out)


def declaration_features(decl: Declaration, add: Add) -> None:
    prop, value = decl.prop, decl.value
    where = str(decl)
    if decl.important:
        add("css-important", where)
    if prop.startswith("--"):
        add("css-variables", where)
        return
    if prop.startswith(("-", "mso-")):
        return
    for slug in property_slugs(prop, value):
        add(slug, where)
    for slug in value_slugs(prop, value):
        add(slug, where)


def property_slugs(prop: str, value: str) -> tuple[str, ...]:
    if prop == "display":
        kind = value.lower().split()[0] if value.split() else ""
        return ({"flex": "css-display-flex", "inline-flex": "css-display-flex",
                 "grid": "css-display-grid", "inline-grid": "css-display-grid",
                 "none": "css-display-none"}.get(kind, "css-display"),)
    for pattern, slugs in PROPERTY_RULES:
        m = pattern.fullmatch(prop)
        if m:
            return tuple(s.replace("{0}", m.group(1)) if "{0}" in s else s for s in slugs)
    return (f"css-{prop}",)


def value_slugs(prop: str, value: str) -> set[str]:
    lower = value.lower()
    out: set[str] = set()
    for name in re.findall(r"([a-z-]+)\(", lower):
        if name in FUNCTIONS:
            out.add(FUNCTIONS[name])
    bare = STRIP_VALUE.sub(" ", lower)
    for m in UNIT_RE.finditer(bare):
        unit = m.group(1)
        if unit in UNITS:
            out.add(f"css-unit-{UNITS[unit]}")
    if re.search(r"(^|\s)initial(\s|$)", bare):
        out.add("css-unit-initial")
    if re.search(r"\b(fit|min|max)-content\b", bare):
        out.add("css-intrinsic-size")
    if prop in {"font", "font-family"} and SYSTEM_FONTS.search(lower):
        out.add("css-sytem-ui")  # sic: caniemail's slug
    return out


def media_features(prelude: str, add: Add) -> None:
    where = f"@media {prelude}"
    add("css-at-media", where)
    for pattern, slug in MEDIA_FEATURES:
        if pattern.search(prelude.lower()):
            add(slug, where)


def sheet_features(sheet: Sheet, add: Add) -> None:
    if sheet.has_comments:
        add("css-comments", "/* … */")
    if sheet.has_nesting:
        add("css-nesting", "nested rule")
    for name, prelude in sheet.at_rules:
        if name == "media":
            media_features(prelude, add)
        elif name in AT_RULES:
            add(AT_RULES[name], f"@{name} {prelude}".strip())
    for rule in sheet.rules:
        if len(rule.selectors) > 1:
            add("css-selector-grouping", ", ".join(rule.selectors))
        for selector in rule.selectors:
            selector_features(selector, add)
        for decl in rule.declarations:
            declaration_features(decl, add)


def selector_features(selector: str, add: Add) -> None:
    """Selector kinds, combinators and pseudo-classes of one (complex) selector."""
    where = selector
    for name in re.findall(r"::?(-?[a-z][\w-]*)", selector.lower()):
        if name.startswith("-"):
            continue
        kind = "element" if name in PSEUDO_ELEMENTS else "class"
        add(f"css-pseudo-{kind}-{name}", where)
    if "[" in selector:
        add("css-selector-attribute", where)
    flat = re.sub(r"\[[^\]]*\]", "[]", selector)
    flat = re.sub(r"\([^)]*\)", "()", flat)
    flat = re.sub(r"\s*([>+~])\s*", r"\1", flat.strip())
    for sign, slug in ((">", "child"), ("+", "adjacent-sibling"), ("~", "general-sibling")):
        if sign in flat:
            add(f"css-selector-{slug}", where)
    if re.search(r"\s", flat):
        add("css-selector-descendant", where)
    for compound in re.split(r"[\s>+~]+", flat):
        compound = re.sub(r"::?[\w-]+(\(\))?", "", compound)
        if not compound:
            continue
        if compound.startswith("*"):
            add("css-selector-universal", where)
        elif re.match(r"[a-zA-Z]", compound):
            add("css-selector-type", where)
        if "#" in compound:
            add("css-selector-id", where)
        if "." in compound:
            add("css-selector-class", where)
        if len(re.findall(r"[.#]-?[\w-]+|\[\]", compound)) >= 2:
            add("css-selector-chaining", where)
