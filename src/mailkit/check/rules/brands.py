"""Another brand's name or domain on a page: the copy of a shared template, or a file
copied from a demo brand, that still speaks for someone else.

A shared template reads its brand from brand.yaml; a brand's own words belong in its
brand.yaml or in its own `brands/<brand>/emails/`. A new brand made from a copy of
another keeps that brand's name in a sentence or a link until this rule finds it.
"""

from __future__ import annotations

import re

from lxml import etree

from ..dom import all_text, describe
from ..kept import first_of_each
from ..model import CheckConfig, CheckInput, Finding
from ..units import walk

NAME = "brands"  # the family in findings, `run_checks(only=…)` and reports
LINKED = ("href", "src", "alt", "title")


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    if not doc.other_brands:
        return []
    longest = sorted(doc.other_brands, key=len, reverse=True)  # kokawa.fr before kokawa
    pattern = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(o) for o in longest)
                         + r")(?![\w-])", re.I)
    found = _found("subject", doc.subject, pattern) + _found("preheader", doc.preheader, pattern)
    found += _found("text", all_text(root), pattern)
    found += walk(root, lambda el: [x for attr in LINKED if (value := el.get(attr))
                                    for x in _found(describe(el), value, pattern)],
                  (NAME, tuple(longest)), whole=True)
    return first_of_each(found)


def _found(where: str, text: str, pattern: re.Pattern[str]) -> list[tuple[tuple, Finding]]:
    return [((where, m.group().lower()), Finding(
        "error", NAME, f"{where}: “{m.group()}” is another brand of this project: "
        "write this brand's words (brand.yaml, or its own brands/<brand>/emails/)",
        where, locate=m.group())) for m in pattern.finditer(text.replace("\u2011", "-"))]
