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
"""

from __future__ import annotations

import re

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
    return _ATTR.sub(lambda m: m.group(1) + _unescape(m.group(2)) + m.group(3), html)
