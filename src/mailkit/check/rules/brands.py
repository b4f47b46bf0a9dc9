"""Another brand's name or domain on a page: the copy of a shared template, or a file
copied from a demo brand, that still speaks for someone else.

A shared template reads its brand from brand.yaml; a brand's own words belong in its
brand.yaml or in its own `brands/<brand>/emails/`. A new brand made from a copy of
another keeps that brand's name in a sentence or a link until this rule finds it.
"""

from __future__ import annotations

import re

from lxml import etree

from ..dom import all_text, describe, elements
from ..model import CheckConfig, CheckInput, Finding

NAME = "brands"  # the family in findings, `run_checks(only=…)` and reports
LINKED = ("href", "src", "alt", "title")


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    if not doc.other_brands:
        return []
    longest = sorted(doc.other_brands, key=len, reverse=True)  # kokawa.fr before kokawa
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(o) for o in longest)
                         + r")(?![\w-])", re.I)
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()

    def found(where: str, text: str) -> None:
        for m in pattern.finditer(text.replace("\u2011", "-")):  # R‑PUR is R-PUR
            if (where, m.group().lower()) not in seen:
                seen.add((where, m.group().lower()))
                findings.append(Finding(
                    "error", NAME, f"{where}: “{m.group()}” is another brand of this project: "
                    "write this brand's words (brand.yaml, or its own brands/<brand>/emails/)",
                    where, locate=m.group()))

    found("subject", doc.subject)
    found("preheader", doc.preheader)
    found("text", all_text(root))
    for el in elements(root):
        for attr in LINKED:
            value = el.get(attr)
            if value:
                found(describe(el), value)
    return findings
