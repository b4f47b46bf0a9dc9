"""What the preview's client views need from Python: what each view is (check/clients.py's
`VIEWS`, plus the email as written), in `_mailkit/client-views.js`, and, per email, the
Outlook table.

The browser draws the views (`static/clients.js`) but knows no caniemail data: the
table, written into the email's sources, names each declaration of the email that
Outlook for Windows does not support (`clients.unsupported`), keyed as clients.js keys
a declaration (check/word.py's `declaration_key`). clients.js only looks declarations
up in it, so the preview drops exactly what the checks would.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from ..check.clients import CANVAS, VIEWS, ClientView
from ..check.word import merged, word_table

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


def outlook_table(pages: Iterable[str], client: str = "outlook.windows") -> dict[str, list[str]]:
    """{declaration key: caniemail slugs} for every declaration of these HTML pages, as
    Word reads them (conditional comments applied), that `client` does not support.
    A build's pages bring theirs from the compile workers (`Page.outlook`, merged in
    sources.py); this computes them, for a page without."""
    return merged(word_table(page, client) for page in pages)
