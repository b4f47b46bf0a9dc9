"""What Outlook for Windows (Word) drops of one page's CSS, for the preview's Outlook view.

The preview's `sources.js` carries, per email, a table {declaration key: caniemail
slugs} of the declarations Word does not support (site/clients.py's `outlook_table`).
Building it reads the page as Word does (`apply_mso`) and parses every style, which
ran serially in the parent at the end of a build. It is per page, so the compile
workers compute it (pipeline/jobs.py's run_job) beside the checks and send it back with the
page; the site only merges the pages' tables.
Here, not in site/ or pipeline/, because both use it.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterable
from functools import lru_cache

from .clients import apply_mso, unsupported
from .css import Declaration, declarations, parse_stylesheet

#: A page's table: {declaration key: the caniemail slugs `client` does not support},
#: only the declarations it drops (the slugs depend on the key alone).
Table = dict[str, tuple[str, ...]]

_STYLE_ATTR = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.I | re.S)


def declaration_key(decl: Declaration) -> str:
    """`prop:value`, lower-cased, without `!important`: clients.js's `declarationKey`."""
    return f"{decl.prop}:{decl.value}".lower()


def word_table(page: str, client: str = "outlook.windows") -> Table:
    """The declarations of the HTML `page`, as Word reads it (conditional comments
    applied), that `client` does not support, in the order first met."""
    word = apply_mso(page)
    attrs = tuple(m.group(1) or m.group(2) or "" for m in _STYLE_ATTR.finditer(word))
    sheets = tuple(m.group(1) for m in _STYLE_ELEMENT.finditer(word))
    return dict(_table(attrs, sheets, client))


@lru_cache(maxsize=512)
def _table(attrs: tuple[str, ...], sheets: tuple[str, ...], client: str) -> Table:
    """The table of a page's styles: the states of an email, and a brand's emails, have
    the same `style` attributes and head CSS, only their texts differ, so a process
    parses and judges each set once (parsing the head CSS was most of the table)."""
    found: list[Declaration] = []
    for text in attrs:
        found += declarations(htmllib.unescape(text))
    for css in sheets:
        for rule in parse_stylesheet(css).rules:
            found += rule.declarations
    table: Table = {}
    seen: set[str] = set()
    for decl in found:
        key = declaration_key(decl)
        if key not in seen:
            seen.add(key)
            slugs = unsupported(decl.prop, decl.value, client)
            if slugs:
                table[key] = tuple(slugs)
    return table


def merged(tables: Iterable[Table]) -> dict[str, list[str]]:
    """Pages' tables as one, sorted by key: an email's table, as clients.js reads it."""
    table: dict[str, tuple[str, ...]] = {}
    for page in tables:
        for key, slugs in page.items():
            table.setdefault(key, slugs)
    return {key: list(slugs) for key, slugs in sorted(table.items())}
