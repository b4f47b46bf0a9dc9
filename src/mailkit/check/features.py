"""Which caniemail features an email uses, each with one example of where.

Detection maps what is written (an inline `style`, a `<style>` rule, an element,
an attribute, an image format) to caniemail slugs. It proposes candidate slugs
freely (`css-<property>` for any property); slugs absent from the data are simply
ignored by the support check, so new caniemail features start working after a
refresh without touching this table. Vendor (`-webkit-…`) and Outlook (`mso-…`)
properties have no caniemail entry and are skipped; markup inside MSO conditional
comments is never seen (see `dom`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree

from .css import Declaration, Sheet, declarations, parse_stylesheet
from .dom import describe, shorten
from .units import walk

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

TAGS = {t: f"html-{t}" for t in (
    "abbr acronym address audio base bdi blockquote body code del dfn dialog div form hr "
    "img link marquee meter object p picture pre progress rp rt ruby select small span "
    "strike strong style svg table textarea video wbr").split()}
TAGS |= {f"h{i}": "html-h1-h6" for i in range(1, 7)}
TAGS |= {t: "html-lists" for t in ("ul", "ol", "dl")}
TAGS |= {t: "html-image-maps" for t in ("map", "area")}
TAGS |= {t: "html-semantics" for t in (
    "article aside details figcaption figure footer header main mark nav section summary "
    "time").split()}
ATTRIBUTES = {a: f"html-{a}" for a in (
    "align valign background cellpadding cellspacing dir height width hidden lang role "
    "target required popover aria-label aria-labelledby aria-describedby aria-hidden "
    "aria-live").split()}
ATTRIBUTES |= {"loading": "html-loading-attribute", "srcset": "html-srcset",
               "sizes": "html-srcset", "inert": "css-inert-attribute",
               "usemap": "html-image-maps"}
IMAGE_FORMATS = {"png": "png", "jpg": "jpg", "jpeg": "jpg", "gif": "gif", "webp": "webp",
                 "svg": "svg", "avif": "avif", "bmp": "bmp", "ico": "ico", "tif": "tiff",
                 "tiff": "tiff", "heif": "heif", "heic": "heif", "apng": "apng", "hdr": "hdr"}


def detect_features(root: etree._Element) -> dict[str, str]:
    """{slug: example} for every feature the email uses (first occurrence as example).

    Only the first example of a slug is kept, so an element is described (the costly
    part) only when it brings a new slug, and a `style` attribute, repeated verbatim
    on hundreds of MJML elements, is analysed once (`style_features`). Each unit's
    share is kept (check/units.py).
    """
    found: dict[str, str] = {}

    def add(slug: str, where: str) -> None:
        if slug not in found:
            found[slug] = shorten(where, 80)

    doctype = (root.getroottree().docinfo.doctype or "").strip().lower()
    if doctype == "<!doctype html>":
        add("html-doctype", "<!doctype html>")
    for comment in root.iter(etree.Comment):
        add("html-comments", f"<!--{comment.text or ''}-->")
        break
    for slug, where in walk(root, _element_features, "features", whole=True, share=_first,
                              local=True):
        if slug not in found:
            found[slug] = where
    return found


def _element_features(el: etree._Element) -> list[tuple[str, etree._Element | str]]:
    """(slug, where) pairs of one element, in order: `where` is the element itself for
    the slugs it brings by its tag and attributes (described only if first)."""
    pairs: list[tuple[str, etree._Element | str]] = [(slug, el) for slug in element_slugs(el)]
    style = el.get("style")
    if style:
        pairs += style_features(style)
    if el.tag == "style":
        pairs += style_element_features(el.get("media", ""), el.text or "")
    return pairs


def _first(pairs: list[tuple[str, etree._Element | str]]) -> tuple[tuple[str, str], ...]:
    """The first pair of each slug, its example described and shortened."""
    seen: dict[str, str] = {}
    for slug, where in pairs:
        if slug not in seen:
            seen[slug] = shorten(describe(where) if not isinstance(where, str) else where, 80)
    return tuple(seen.items())


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


def element_slugs(el: etree._Element) -> list[str]:
    """Slugs an element brings by its tag, its attributes and, for an image, its format."""
    tag = str(el.tag).lower()
    slugs: list[str] = []
    if tag in TAGS:
        slugs.append(TAGS[tag])
    for attr in el.attrib:
        if attr.lower() in ATTRIBUTES:
            slugs.append(ATTRIBUTES[attr.lower()])
    if tag == "input":
        kind = (el.get("type") or "text").lower()
        slugs.append(f"html-input-{kind}")
    elif tag == "button":
        slugs.append(f"html-button-{(el.get('type') or 'submit').lower()}")
    elif tag == "meta" and (el.get("name") or "").lower() in {"color-scheme",
                                                              "supported-color-schemes"}:
        slugs.append("html-meta-color-scheme")
    elif tag == "a":
        href = (el.get("href") or "").strip()
        if href.startswith("#") and len(href) > 1:
            slugs.append("html-anchor-links")
        elif href.lower().startswith("mailto:"):
            slugs.append("html-mailto-links")
    elif tag == "img":
        image_format(el.get("src") or "", "", lambda slug, _: slugs.append(slug))
    return slugs


def image_format(src: str, where: str, add: Add) -> None:
    src = src.strip()
    if src.lower().startswith("data:"):
        add("image-base64", where)
        m = re.match(r"data:image/([\w.+-]+)", src, re.I)
        ext = m.group(1).lower().split("+")[0] if m else ""
    else:
        path = urlsplit(src).path if "://" in src or src.startswith("/") else src.split("?")[0]
        ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if ext in IMAGE_FORMATS:
        add(f"image-{IMAGE_FORMATS[ext]}", where)


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
