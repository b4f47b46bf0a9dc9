"""What the preview's client views need from Python: what each view is (check/clients.py's
`VIEWS`, plus the email as written), in `_mailkit/client-views.js`, and, per email, the
Outlook table.

The browser draws the views (`static/clients.js`) but knows no caniemail data: the
table, written into the email's sources, names each declaration of the email that
Outlook for Windows does not support (`clients.unsupported`), keyed as clients.js keys
a declaration (`declaration_key`). clients.js only looks declarations up in it, so
the preview drops exactly what the checks would.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from ..check.clients import CANVAS, VIEWS, ClientView, apply_mso, unsupported
from ..check.css import Declaration, declarations, parse_stylesheet

SCRIPT = Path(__file__).parent / "static" / "clients.js"

#: The preview's default: the email as built, its own dark rules applied by Dark.
AS_WRITTEN = ClientView(
    "", "As written", "Apple Mail (macOS, iOS) and every client that honours the email's "
    "own styles and its prefers-color-scheme rules",
    "The email as built, in Chromium; Dark applies its prefers-color-scheme: dark rules.",
    "Each client's own defaults (fonts, link colours, margins) and Apple Mail's quirks "
    "(a pure #ffffff background turned black in dark mode).")
CHOICES: tuple[ClientView, ...] = (AS_WRITTEN, *VIEWS)
FILE = "client-views.js"

_STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.I | re.S)


def views_script() -> str:
    """`_mailkit/client-views.js`: the views as the toolbar, Compare and the About panel
    show them, and the canvas an inverting client paints (one file for every page)."""
    data = {"views": [asdict(v) for v in CHOICES], "canvas": list(CANVAS)}
    return ("// mailkit: the client views (check/clients.py's VIEWS), for the email pages\n"
            f"window.MAILKIT_CLIENT_VIEWS = {json.dumps(data, ensure_ascii=False)};\n")


@lru_cache(maxsize=1)
def script_hash() -> str:
    """clients.js's content, hashed: a client view's shot depends on it."""
    return hashlib.sha256(SCRIPT.read_bytes()).hexdigest()[:16]


def declaration_key(decl: Declaration) -> str:
    """`prop:value`, lower-cased, without `!important`: clients.js's `declarationKey`."""
    return f"{decl.prop}:{decl.value}".lower()


def outlook_table(pages: Iterable[str], client: str = "outlook.windows") -> dict[str, list[str]]:
    """{declaration key: caniemail slugs} for every declaration of these HTML pages, as
    Word reads them (conditional comments applied), that `client` does not support."""
    table: dict[str, list[str]] = {}
    for page in pages:
        word = apply_mso(page)
        found: list[Declaration] = []
        for m in _STYLE_ATTR.finditer(word):
            found += declarations(htmllib.unescape(m.group(1) or m.group(2) or ""))
        for m in _STYLE_ELEMENT.finditer(word):
            for rule in parse_stylesheet(m.group(1)).rules:
                found += rule.declarations
        for decl in found:
            key = declaration_key(decl)
            if key not in table:
                table[key] = list(unsupported(decl.prop, decl.value, client))
    return {key: slugs for key, slugs in sorted(table.items()) if slugs}
