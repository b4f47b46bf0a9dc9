"""The copy a brand writes in brand.yaml (its tagline, its WhatsApp message, a sale's
name…), checked and fixed where it is written: a typography fault there is in every
email that prints it, and its fix belongs in brand.yaml, not in a template.

A value is copy when it holds a space: URLs, e-mail addresses, colours, slugs and file
names are single tokens.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..check.locales import Locale, locale_for
from ..yamlfile import KeyPath, YamlDoc, load_yaml


@dataclass(frozen=True)
class Copy:
    keypath: KeyPath
    value: str
    line: int

    @property
    def key(self) -> str:
        return _dotted(self.keypath)


def brand_copy(doc: YamlDoc) -> list[Copy]:
    """Every copy value of a brand.yaml, with its key path and line."""
    return [Copy(path, value, doc.line_of(path)) for path, value in _strings(doc.data, ())
            if " " in value.strip() or "\u00a0" in value or "\u202f" in value]


def _strings(data: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def _dotted(path: KeyPath) -> str:
    return ".".join(f"[{k}]" if isinstance(k, int) else str(k) for k in path).replace(".[", "[")


def fix_brand_copy(path: Path, root: Path, locale: Locale) -> tuple[str, str, list[str]]:
    """(before, after, notes): brand.yaml with each copy value fixed where it is written
    on one line as it reads; a value written otherwise (folded, escaped) is left, noted."""
    doc = load_yaml(path, root)
    before = path.read_text("utf-8")
    lines = before.split("\n")
    notes = []
    for item in brand_copy(doc):
        fixed = locale.fix(item.value)
        if fixed == item.value:
            continue
        index = item.line - 1
        if 0 <= index < len(lines) and lines[index].count(item.value) == 1:
            lines[index] = lines[index].replace(item.value, fixed)
        else:
            notes.append(f"{doc.shown}:{item.line}: {_dotted(item.keypath)}: not written on "
                         "one line as it reads: fix it by hand")
    return before, "\n".join(lines), notes


def locale_of(doc: YamlDoc) -> Locale | None:
    data = doc.data if isinstance(doc.data, dict) else {}
    return locale_for(str(data.get("locale", "")))
