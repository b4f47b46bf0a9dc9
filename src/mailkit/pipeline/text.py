"""Plain-text version of an email, derived from its final HTML.

Clients that show text (and spam filters, which like a text part) get the same
words as the HTML: headings, paragraphs, list items and table cells become lines,
a link becomes `label [url]` as html-to-text (React Email's choice) writes it (an
image link is labelled by its alt; other images say nothing the copy does not), and
what is hidden (the preheader, MSO-only markup, head styles) is left out.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

BLOCKS = {"p", "div", "table", "tr", "td", "th", "ul", "ol", "li", "h1", "h2", "h3", "h4",
          "h5", "h6", "blockquote", "section", "article", "header", "footer", "hr", "center"}
SKIP = {"head", "style", "script", "title", "noscript"}
HIDDEN = re.compile(r"display\s*:\s*none|mso-hide\s*:\s*all", re.I)
LINE, PARA = "\x00", "\x01"  # break markers, resolved in _tidy once all text is in
HEADINGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6"}
SPACE = re.compile(r"[ \t\r\n\f\v]+")  # HTML white space; no-break spaces are content


def html_to_text(html: str) -> str:
    """Return the text part for `html`; deterministic, so exports and tests can diff it."""
    return tree_to_text(lxml.html.document_fromstring(html))


def tree_to_text(root: etree._Element) -> str:
    """The text part of an already parsed document (the compile stage parses once)."""
    body = root.find("body")
    out: list[str] = []
    events = ("start", "end", "comment", "pi")
    walker = etree.iterwalk(body if body is not None else root, events=events)
    skipped: set[etree._Element] = set()  # their "end" event still comes: tail only
    for event, el in walker:
        if not isinstance(el.tag, str):  # a comment (MSO markup): its tail is text
            _tail(el, out)
            continue
        tag = el.tag
        if event == "start":
            hidden = _hidden(el)
            if tag in SKIP or tag == "a" or hidden:
                if tag == "a" and not hidden:
                    _link(el, out)
                walker.skip_subtree()
                skipped.add(el)
            elif tag == "br":
                out.append(LINE)
            else:
                if tag in BLOCKS:
                    out.append(PARA if tag in HEADINGS else LINE)
                if tag == "li":
                    out.append("- ")
                if el.text:
                    out.append(SPACE.sub(" ", el.text))
        else:
            if tag in BLOCKS and el not in skipped:
                out.append(PARA if tag in HEADINGS else LINE)
            _tail(el, out)
    return _tidy("".join(out))


def _hidden(el: etree._Element) -> bool:
    style = el.get("style")
    return bool(style) and ("none" in style or "mso-hide" in style) and bool(HIDDEN.search(style))


def _tail(el: etree._Element, out: list[str]) -> None:
    if el.tail:
        out.append(SPACE.sub(" ", el.tail))


def _link(el: etree._Element, out: list[str]) -> None:
    label = squash("".join(el.itertext()))
    if not label:
        label = " ".join(img.get("alt", "") for img in el.iter("img")).strip()
    href = (el.get("href") or "").strip()
    if href.startswith("mailto:") and label == href[7:]:
        href = ""
    if href and href != label:
        out.append(f"{label} [{href}]" if label else href)
    else:
        out.append(label)


def squash(text: str) -> str:
    """Collapse ASCII white space only: French typography's no-break spaces stay."""
    return SPACE.sub(" ", text).strip(" ")


def _tidy(text: str) -> str:
    """Resolve break markers: any paragraph mark in a run → blank line, else newline."""
    text = re.sub(r"[ \x00\x01]*[\x00\x01][ \x00\x01]*",
                  lambda m: "\n\n" if PARA in m.group(0) else "\n", text.replace("\u00ad", ""))
    lines = [squash(line) for line in text.split("\n")]
    return "\n".join(lines).strip() + "\n"
