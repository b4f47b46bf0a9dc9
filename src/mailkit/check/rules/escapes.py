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

from ..dom import SKIP_TEXT, describe, elements
from ..model import CheckConfig, CheckInput, Finding

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
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for where, text in _spoken(root, doc):
        for leak in leaks(text):
            if (where, leak) in seen:
                continue
            seen.add((where, leak))
            at = max(0, text.find(leak))
            around = text[max(0, at - 25): at + len(leak) + 15].strip()
            findings.append(Finding(
                "error", "escapes",
                f"{where} shows `{leak}` as text (\"…{around}…\"): an escape sequence or "
                "entity quoted twice; readers and screen readers get the quoting, not the "
                "character", where))
    return findings


def _spoken(root: etree._Element, doc: CheckInput) -> Iterator[tuple[str, str]]:
    """(where, text) for everything a reader sees or hears."""
    yield "subject", doc.subject
    yield "preheader", doc.preheader
    yield "plain text", doc.text
    title = root.find("head/title")
    if title is not None and title.text:
        yield "<title>", title.text
    body = root.find("body")
    base = body if body is not None else root
    for el in base.iter():
        if isinstance(el.tag, str) and el.tag not in SKIP_TEXT and el.text:
            yield describe(el), el.text
        if el.tail and el is not base:
            parent = el.getparent()
            yield describe(parent if parent is not None else el), el.tail
    for el in elements(base):
        for attr in SPOKEN_ATTRS:
            value = el.get(attr)
            if value:
                yield f"{describe(el)} {attr}", value


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    return check_escapes(root, doc)
