"""One voice per brand: the copy speaks with the form of address `brand.yaml` states.

A brand that says *tu* everywhere and *Respirez* in its tagline sounds like two
brands. `voice.address` in brand.yaml (*tu* or *vous*) says which is right; the
locale knows the words that give each away (`mailkit.check.locales`). Subject, preheader,
visible text and the attributes read aloud are checked.
"""

from __future__ import annotations

from lxml import etree

from ..locales import locale_for
from ..model import CheckConfig, CheckInput, Finding
from .typography import copy_texts

NAME = "voice"  # the family in findings, `run_checks(only=…)` and reports


def check_voice(root: etree._Element, doc: CheckInput) -> list[Finding]:
    locale = locale_for(doc.lang)
    if not doc.voice or locale is None or doc.voice not in locale.address:
        return []
    findings: list[Finding] = []
    seen: set[str] = set()
    texts = copy_texts(root, doc)
    for form, pattern in locale.address.items():
        if form == doc.voice:
            continue
        for where, text in texts:
            for m in pattern.finditer(text):
                word = m.group().strip(" «.!?")
                if (where + word) in seen:
                    continue
                seen.add(where + word)
                around = text[max(0, m.start() - 20):m.start() + 25]
                findings.append(Finding(
                    "error", "voice",
                    f"{where}: \"{word}\" speaks with {form} (\"…{around}…\"); "
                    f"the brand says {doc.voice} (voice.address in brand.yaml)", where))
    return findings


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    return check_voice(root, doc)
