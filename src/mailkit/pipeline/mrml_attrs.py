"""Undo MRML's Rust-debug quoting of attribute values.

MRML (the Rust MJML that mjml-python wraps) writes every attribute it renders with
Rust's `{:?}` formatting (`RenderBuffer::push_attribute` in mrml-core), so an
attribute value comes out the way Rust debug-prints a string: a no-break space
becomes the six characters `\\u{a0}`, a narrow no-break space `\\u{202f}`, a
backslash `\\\\`, a tab `\\t`, an emoji's variation selector `\\u{fe0f}`. Text
nodes are not affected. French copy is full of no-break spaces, so the subject
(MJML copies it into the body's `aria-label`) and every `alt` leaked the escapes to
screen readers. This reverses exactly that quoting, attribute by attribute, until
MRML is fixed upstream (the reproduction is in the README).

Only the few backslashes are visited, not every attribute of the page: a value with
a backslash in it ends at a quote, so the `="` that opens it is the one just before the
first backslash after it (`_matches`), and `_ATTR` is tried there only. The output is
the same as `_ATTR.sub` over the whole page, character for character (tests/pipeline).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# a double-quoted attribute value holding at least one backslash
_ATTR = re.compile(r'(=")((?:[^"\\]|\\.)*\\(?:[^"\\]|\\.)*)(")')
_ESCAPE = re.compile(r"\\(u\{([0-9a-fA-F]{1,6})\}|[\\\"'ntr0])")
_SIMPLE = {"\\": "\\", '"': "&quot;", "'": "'", "n": "\n", "t": "\t", "r": "\r", "0": "\0"}


def _unescape(value: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(2):
            return chr(int(m.group(2), 16))
        return _SIMPLE[m.group(1)]

    return _ESCAPE.sub(one, value)


def unquote_attributes(html: str) -> str:
    """`html` with every attribute value as the template wrote it (see module doc)."""
    if "\\" not in html:
        return html
    out: list[str] = []
    done = 0  # html[:done] is in `out`
    for match in _matches(html):
        out += (html[done:match.start()], match.group(1), _unescape(match.group(2)),
                match.group(3))
        done = match.end()
    out.append(html[done:])
    return "".join(out)


def _matches(html: str) -> Iterator[re.Match[str]]:
    """What `_ATTR.finditer(html)` finds, trying only where a match can start. A match
    holds a backslash, and no quote comes between its `="` and the first backslash
    after it (`_ATTR` would end the value at that quote, before any backslash). So for
    each backslash `b` in turn, the one place a match can start is the `="` whose
    quote is the last one before `b`; those places only move right as `b` does, so
    the first that matches is the one a search finds."""
    pos = 0  # the search goes on from here: the end of the last match
    tried = -1  # the last place tried (the backslashes of one value share it)
    back = html.find("\\")
    while back >= 0:
        start = html.rfind('"', pos, back) - 1
        if start >= pos and start != tried and html[start] == "=":
            tried = start
            match = _ATTR.match(html, start)
            if match is not None:
                yield match
                pos = match.end()
                back = html.find("\\", pos)
                continue
        back = html.find("\\", back + 1)
