"""HTML helpers shared by the checks: parsing, naming an element, visible text.

The email is parsed once with lxml's HTML parser. MSO conditional comments
(`<!--[if mso]>…<![endif]-->`) are comments to an HTML parser, so everything inside
them, Outlook-only markup written for the Word engine, is invisible to every
check: it is not what Gmail or Apple Mail render, and it breaks rules (tables
without roles, fixed widths) on purpose. The "downlevel-revealed" form MJML uses
(`<!--[if !mso]><!-->…<!--<![endif]-->`) leaves its content outside the comments,
so that content is checked like the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache, wraps
from typing import TypeVar

from lxml import etree

from .sections import layout
from .units import memo, walk

SKIP_TEXT = {"head", "style", "script", "title", "noscript", "template"}
HIDDEN_STYLE = re.compile(
    r"(?:^|;)\s*(?:display\s*:\s*none|mso-hide\s*:\s*all|visibility\s*:\s*hidden"
    r"|max-height\s*:\s*0(?:px)?\s*(?:!important)?\s*(?:;|$)|opacity\s*:\s*0\s*(?:;|$))",
    re.I,
)
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_SPACE = re.compile(r"\s+")
DESCRIBE_ATTRS = ("src", "href", "alt", "name", "lang", "role", "class", "id")


def parse_html(html: str) -> etree._Element | None:
    """The `<html>` element of `html`, or None when there is no document at all.

    Plain `etree` elements, not `lxml.html`'s: its per-element class lookup cost a
    fifth of a whole check run, and the checks need none of its methods (see
    `text_content`).
    """
    if not html.strip():
        return None
    try:
        root = etree.fromstring(html.encode("utf-8"), etree.HTMLParser(encoding="utf-8"))
    except etree.ParserError:
        return None
    if root is not None and root.tag != "html":  # a fragment without <html>
        wrapper = etree.Element("html")
        wrapper.append(root)
        root = wrapper
    return root


def text_content(el: etree._Element) -> str:
    """All the text inside `el` (comments aside), like lxml.html's `text_content()`."""
    return "".join(el.itertext())


def elements(root: etree._Element, *tags: str) -> Iterator[etree._Element]:
    """Elements (never comments or processing instructions), optionally of some tags."""
    if tags:
        yield from root.iter(*tags)
    else:
        yield from root.iter(etree.Element)


def squash(text: str) -> str:
    """Collapse every kind of white space (including no-break spaces) to one space."""
    return _SPACE.sub(" ", text).strip()


def shorten(text: str, limit: int = 60) -> str:
    text = squash(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(el: etree._Element) -> str:
    """A short, recognisable rendering of an element: `<img src="logo.png" alt="">`."""
    attrs = [f'{name}="{shorten(el.get(name, ""))}"' for name in DESCRIBE_ATTRS
             if el.get(name) is not None]
    if el.tag in {"img", "a"}:
        attrs = [a for a in attrs if not a.startswith(("class=", "id="))]
    inner = " ".join([str(el.tag), *attrs[:3]])
    return f"<{inner}>"


def link_text(el: etree._Element) -> str:
    """What a reader sees for a link: its text, else the alt of its images."""
    text = squash(text_content(el))
    if not text:
        text = squash(" ".join(img.get("alt", "") for img in el.iter("img")))
    return text


def is_hidden(el: etree._Element) -> bool:
    """Hidden by its own inline style or attributes (the preheader div, MSO-hidden parts)."""
    return _hiding_style(el.get("style", "")) or el.get("hidden") is not None


@lru_cache(maxsize=8192)
def _hiding_style(style: str) -> bool:
    return HIDDEN_STYLE.search(style) is not None


T = TypeVar("T")


def per_document(compute: Callable[[etree._Element], T]) -> Callable[[etree._Element], T]:
    """`compute(root)`, kept for the last document it was asked about: several checks
    ask the same question of one document, which is parsed once per run and not
    changed by the checks."""
    last: list[tuple[etree._Element, T]] = []

    @wraps(compute)
    def cached(root: etree._Element) -> T:
        entry = last[0] if last else None  # one read: another thread may replace it
        if entry is not None and entry[0] is root:
            return entry[1]
        value = compute(root)
        last[:] = [(root, value)]
        return value

    return cached


def hidden_or_in_hidden(el: etree._Element) -> bool:
    """Hidden itself or inside a hidden element. Several rules ask element by element:
    each answer is kept with the document, so a walk up stops at a known ancestor."""
    known = _hidden_known(el.getroottree().getroot())
    found = known.get(el)
    if found is None:
        parent = el.getparent()
        found = known[el] = (parent is not None and hidden_or_in_hidden(parent)) or is_hidden(el)
    return found


@per_document
def _hidden_known(root: etree._Element) -> dict[etree._Element, bool]:
    """Elements of `root`'s document asked about, hidden or not. lxml hands back the same
    proxy for a node while one is alive, and the dict keeps them alive: keys are
    identities."""
    return {}


def own_text(el: etree._Element) -> str:
    """The text `el` holds itself (its text and its children's tails), squashed."""
    return squash((el.text or "") + "".join(c.tail or "" for c in el))


@per_document
def visible_text(root: etree._Element) -> str:
    """Text a reader sees in the body: no head, styles, hidden preheader or MSO parts
    (three checks ask for it on the same document). Each unit's share is kept
    (check/units.py): most of an email's text is the same from state to state."""
    return _visible_text(root)


def _visible_text(root: etree._Element) -> str:
    body = root.find("body")
    out: list[str] = []
    _collect(body if body is not None else root, out, root)
    return squash(" ".join(out))


def _collect(el: etree._Element, out: list[str], root: etree._Element | None = None) -> None:
    unit = layout(root).units.get(el) if root is not None else None
    if unit is not None:
        out.append(memo("visible text", root, unit, lambda: " ".join(_collected(el))))
        return
    if isinstance(el.tag, str) and el.tag not in SKIP_TEXT and not is_hidden(el):
        if el.text:
            out.append(el.text)
        for child in el:
            _collect(child, out, root)
    if el.tail:
        out.append(el.tail)


def _collected(el: etree._Element) -> list[str]:
    out: list[str] = []
    _collect(el, out)
    return out


@per_document
def all_text(root: etree._Element) -> str:
    """Every text node of the body, hidden ones included (the preheader lives there).
    In document order, each node's text then its tail; each unit's share kept."""
    body = root.find("body")
    base = body if body is not None else root
    units = layout(root).units
    parts: list[str] = []
    stack = [base]
    while stack:
        el = stack.pop()
        unit = units.get(el)
        if unit is not None:
            parts.append(memo("all text", root, unit, lambda el=el: " ".join(_texts(el))))
            continue
        parts += _texts(el, base, alone=True)
        stack += reversed(list(el))
    return squash(" ".join(parts))


def _texts(top: etree._Element, base: etree._Element | None = None, *,
           alone: bool = False) -> list[str]:
    """The texts of `top` (and, unless `alone`, of every node inside it), in document
    order: each node's text (elements' only, not in SKIP_TEXT), then its tail (unless
    the node is `base`)."""
    parts: list[str] = []
    for el in (top,) if alone else top.iter():  # comments too: text after a comment is its tail
        if el.text and isinstance(el.tag, str) and el.tag not in SKIP_TEXT:
            parts.append(el.text)
        if el.tail and el is not base:
            parts.append(el.tail)
    return parts


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def is_template(value: str) -> bool:
    """Holds a Klaviyo/Jinja tag (`{% unsubscribe_link %}`, `{{ person.first_name }}`)."""
    return "{%" in value or "{{" in value


#: A wrapper class that declares the image inside decorative. MJML's `<mj-image>` drops
#: attributes it does not know (role, data-*), but puts its `css-class` on the cell
#: around the `<img>`: `<mj-image css-class="mk-decorative" alt="">` is how a template
#: says "no alt on purpose".
DECORATIVE_CLASS = "mk-decorative"


def is_decorative(img: etree._Element) -> bool:
    """Declared decorative: role="presentation"/"none", data-decorative, aria-hidden, or
    inside an element of class `mk-decorative` (what MJML can express)."""
    return ((img.get("role") or "").strip().lower() in {"presentation", "none"}
            or img.get("data-decorative") is not None
            or (img.get("aria-hidden") or "").strip().lower() == "true"
            or _in_decorative_wrapper(img))


def _in_decorative_wrapper(img: etree._Element) -> bool:
    node = img.getparent()
    for _ in range(6):  # MJML nests an image four levels below its cell
        if node is None:
            return False
        if DECORATIVE_CLASS in (node.get("class") or "").split():
            return True
        node = node.getparent()
    return False


def _content(img: etree._Element) -> bool:
    return not (is_decorative(img) or hidden_or_in_hidden(img)
                or (img.get("width") or "").strip() in {"0", "1"})


def content_image_widths(root: etree._Element) -> list[str]:
    """The `width` of each image that carries content (not decorative, not hidden, not
    a 1px tracking pixel: `_content`), each unit's share kept."""
    return walk(root, lambda img: [img.get("width") or ""] if _content(img) else [],
                "content images", tags=("img",), whole=True)


def content_images_described(root: etree._Element) -> list[str]:
    """`describe()` of each image that carries content (`_content`), each unit's share
    kept."""
    return walk(root, lambda img: [describe(img)] if _content(img) else [],
                "content images described", tags=("img",), whole=True)


def locator(el: etree._Element) -> str:
    """What the template most likely wrote for `el`, for `Finding.locate`: an image's src;
    else a run of text on one line (its own first, cut at a word, 40 characters); else
    the src of the first image inside."""
    if el.tag == "img":
        return (el.get("src") or "").strip()
    chunks = [el.text, *(c.tail for c in el)]
    chunks += [n.text for n in el.iterdescendants() if isinstance(n.tag, str)
               and n.tag not in SKIP_TEXT] + [n.tail for n in el.iterdescendants()]
    for chunk in chunks:
        line = squash((chunk or "").strip().split("\n")[0])
        if line:
            return line if len(line) <= 40 else line[:40].rsplit(" ", 1)[0]
    img = next(el.iter("img"), None)
    return (img.get("src") or "").strip() if img is not None else ""

