"""An email page's sources, written beside it as one script: `<brand>/<email>/sources.js`.

The page itself carries no source text. Every state's compiled HTML, plain text,
rendered MJML and Checks tab, the template (once), and the Klaviyo export (once per
email, not per state) travel in this one file, which the page loads with a `<script>`
tag: a page opened from file:// may run a script beside it but not fetch() a file.
The browser writes the frame from it, fills a code tab when it is first opened, and
computes the facts panel (size, links, images) from the HTML, so the build parses no
HTML for the site.

The JSON is gzip-compressed and base64-encoded; the page inflates it with the
browser's `DecompressionStream`. The states of one email differ in a few lines, and
the HTML of each is shorter than deflate's 32 KB window, so the states are laid out
kind by kind (every HTML, then every MJML…): each HTML then compresses against the
previous one. zlib's fast levels (1 to 3) find few of those matches; level 6, its
default, comes within 3 % of level 9 (the figures are in the README)."""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..check.word import merged, word_table
from .klaviyo import klaviyo_sources

if TYPE_CHECKING:
    from ..model import BuildResult, Page
    from .pages import EmailView

FILE = "sources.js"
LEVEL = 6
HEAD = "// mailkit: this email's sources, for its page (JSON, gzip, base64)\n"
_PACKED = re.compile(r'window\.MAILKIT_SOURCES = "([A-Za-z0-9+/=]*)";')


def email_sources(result: BuildResult, view: EmailView, name: Callable[[Path], str],
                  checks: Callable[[Page], str] | None = None,
                  spam: Callable[[Page], str] | None = None) -> dict[str, Any]:
    """What the page of `view` shows that is not in the page: one entry per state, by
    kind, in the page's order of states. `name`: a template's path as the project
    names it; `checks`: each state's Checks tab, as HTML (most of it, what the
    configuration accepts, is the same for every state); `spam`: each state's
    SpamAssassin score, for the facts panel."""
    names = [name(p.rendered.template) for p in view.pages]
    templates: dict[str, str] = {}
    for page, template in zip(view.pages, names, strict=True):
        if template not in templates:
            templates[template] = page.rendered.template.read_text(encoding="utf-8")
    klaviyo = klaviyo_sources(result.exports.get(f"{view.brand}/{view.email.id}"))
    return {
        "scenarios": [p.target.scenario for p in view.pages],
        "html": [p.compiled.html for p in view.pages],
        "klaviyo_html": klaviyo.pop("html", ""),  # the same email again: next to the states'
        "mjml": [p.rendered.mjml for p in view.pages],
        "templates": templates,
        "template": names,
        "text": [p.compiled.text for p in view.pages],
        "klaviyo": klaviyo,
        "checks": [str(checks(p)) for p in view.pages] if checks else [],
        "spam": [spam(p) for p in view.pages] if spam else [],
        "outlook": merged(word_table(p.compiled.html) if p.outlook is None else p.outlook
                          for p in view.pages),  # clients.js's table, from the workers
    }


def script(data: dict[str, Any]) -> str:
    """`data` as the payload script: JSON, gzip (no timestamp: the same build writes the
    same bytes), base64."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packed = base64.b64encode(gzip.compress(raw, LEVEL, mtime=0)).decode("ascii")
    return f'{HEAD}window.MAILKIT_SOURCES = "{packed}";\n'


def read(path: Path) -> dict[str, Any]:
    """A payload script back as data, for tests and tools."""
    match = _PACKED.search(path.read_text(encoding="ascii"))
    if match is None:
        raise ValueError(f"{path}: not a mailkit sources script")
    return json.loads(gzip.decompress(base64.b64decode(match.group(1))))
