"""Leaked escapes: an escape sequence or an entity that a reader sees as text.

Copy passes through Jinja, MJML (MRML), premailer and the plain-text writer, and each
has its own quoting. When one of them quotes twice or quotes in the wrong language,
the reader gets the quoting instead of the character: `\\u{a0}` where a no-break space
was (MRML's Rust-debug attributes, see `mailkit.pipeline.mrml_attrs`), `&nbsp;` or `&#8239;`
printed as such (an entity escaped twice), `\\n` in an `alt`. A screen reader reads
them out ("u a0"), and the preview's facts panel shows them. Everything a person can
see or hear is scanned: body text (the hidden preheader included), `alt`, `title`,
`aria-label`, the `<title>`, the subject, the preheader and the plain-text version.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from ..dom import SKIP_TEXT, describe
from ..kept import first_of_each
from ..model import CheckConfig, CheckInput, Finding
from ..sections import layout
from ..units import memo, walk

SPOKEN_ATTRS = ("alt", "title", "aria-label")
LEAK = re.compile(
    r"\\u\{[0-9a-fA-F]{1,6}\}"          # Rust / JS ES6: \u{a0}
    r"|\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}"  # Python, JSON, JS: \u00a0
    r"|\\x[0-9a-fA-F]{2}"               # \xa0
    r"|\\[0-9a-fA-F]{4,6}(?![0-9a-zA-Z])"  # CSS: \00a0
    r"|%20|(?:%[89A-Fa-f][0-9A-Fa-f]){2,}"  # percent-encoding: %20, %C2%A0, %E2%80%AF
    r"|\\[ntr0\\\"']"                   # \n, \t, \\, \" …
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});"  # &nbsp; &#160;
)

NAME = "escapes"  # the family in findings, `run_checks(only=…)` and reports


URL = re.compile(r"(?:https?://|mailto:|tel:|www\.)\S+", re.I)


def leaks(text: str) -> list[str]:
    """The escape sequences and entities `text` shows literally, in order. A URL in the
    text (the plain-text version lists every link) may be percent-encoded: it is not
    prose, so it is left out."""
    return LEAK.findall(URL.sub(" ", text))


def check_escapes(root: etree._Element, doc: CheckInput) -> list[Finding]:
    found = [x for where, text in _heard(root, doc) for x in _leaked(where, text)]
    body = root.find("body")
    base = body if body is not None else root
    units = layout(root).units
    stack: list[etree._Element] = [base]
    while stack:  # every node of the body, in document order: its text, then its tail
        el = stack.pop()
        unit = units.get(el)
        if unit is not None:
            found += memo((NAME, "texts"), root, unit, lambda el=el: tuple(
                x for node in el.iter() for where, text in _texts(node, base)
                for x in _leaked(where, text)))
            continue
        found += [x for where, text in _texts(el, base) for x in _leaked(where, text)]
        stack += reversed(list(el))
    found += walk(root, _attributes, (NAME, "attributes"))
    return first_of_each(found)


def _heard(root: etree._Element, doc: CheckInput) -> Iterator[tuple[str, str]]:
    """(where, text) for what is heard outside the body."""
    yield "subject", doc.subject
    yield "preheader", doc.preheader
    yield "plain text", doc.text
    title = root.find("head/title")
    if title is not None and title.text:
        yield "<title>", title.text


def _texts(node: etree._Element, base: etree._Element) -> list[tuple[str, str]]:
    """A node's own text (an element's, outside `SKIP_TEXT`) and its tail (its parent's
    text, unless the node is `base`)."""
    out = []
    if isinstance(node.tag, str) and node.tag not in SKIP_TEXT and node.text:
        out.append((describe(node), node.text))
    if node.tail and node is not base:
        parent = node.getparent()
        out.append((describe(parent if parent is not None else node), node.tail))
    return out


def _attributes(el: etree._Element) -> list[tuple[tuple[str, str], Finding]]:
    return [x for attr in SPOKEN_ATTRS if (value := el.get(attr))
            for x in _leaked(f"{describe(el)} {attr}", value)]


def _leaked(where: str, text: str) -> list[tuple[tuple[str, str], Finding]]:
    out = []
    for leak in leaks(text):
        at = max(0, text.find(leak))
        around = text[max(0, at - 25): at + len(leak) + 15].strip()
        out.append(((where, leak), Finding(
            "error", "escapes",
            f"{where} shows `{leak}` as text (\"…{around}…\"): an escape sequence or "
            "entity quoted twice; readers and screen readers get the quoting, not the "
            "character", where)))
    return out


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    return check_escapes(root, doc)
