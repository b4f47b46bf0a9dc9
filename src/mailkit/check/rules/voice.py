"""One voice per brand: the copy speaks with the form of address `brand.yaml` states.

A brand that says *tu* everywhere and *Respirez* in its tagline sounds like two
brands. `voice.address` in brand.yaml (*tu* or *vous*) says which is right; the
locale knows the words that give each away (`mailkit.check.locales`). Subject, preheader,
visible text and the attributes read aloud are checked.
"""

from __future__ import annotations

import re

from lxml import etree

from ..kept import first_of_each, remember
from ..locales import locale_for
from ..model import CheckConfig, CheckInput, Finding
from .typography import copy_text_groups

NAME = "voice"  # the family in findings, `run_checks(only=…)` and reports


def check_voice(root: etree._Element, doc: CheckInput) -> list[Finding]:
    locale = locale_for(doc.lang)
    if not doc.voice or locale is None or doc.voice not in locale.address:
        return []
    groups = copy_text_groups(root, doc)
    found = []
    for form, pattern in locale.address.items():
        if form == doc.voice:
            continue
        found += [x for group in groups for x in remember(
            (NAME, locale.name, doc.voice, form, group),
            lambda g=group, f=form, p=pattern: _words(g, f, p, doc.voice))]
    return first_of_each(found)


def _words(group: tuple[tuple[str, str], ...], form: str, pattern: re.Pattern[str],
           voice: str) -> tuple[tuple[str, Finding], ...]:
    """Each word of `form` in a group of texts, with what makes it the same as another."""
    out = []
    for where, text in group:
        for m in pattern.finditer(text):
            word = m.group().strip(" «.!?")
            around = text[max(0, m.start() - 20):m.start() + 25]
            out.append((where + word, Finding(
                "error", "voice",
                f"{where}: \"{word}\" speaks with {form} (\"…{around}…\"); "
                f"the brand says {voice} (voice.address in brand.yaml)", where)))
    return tuple(out)


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    return check_voice(root, doc)
