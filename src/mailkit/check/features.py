"""Which caniemail features an email uses, each with one example of where.

Detection maps what is written (an inline `style`, a `<style>` rule, an element,
an attribute, an image format) to caniemail slugs: elements, attributes and image
formats here, CSS in css_features.py. Slugs absent from the data are simply ignored by
the support check, so new caniemail features start working after a refresh without
touching these tables. Markup inside MSO conditional comments is never seen (see `dom`).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from .css_features import Add, style_element_features, style_features
from .dom import describe, shorten
from .units import walk

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
