"""Visible `None`, `null`, `undefined`: a data value the template printed without a guard.

Klaviyo's Django prints a null as `None` (Shopify sends `variant_title: null` for a
single-variant product, `tracking_url: null` for a fulfillment without tracking); a
JavaScript-minded template language would print `null` or `undefined`. None of them is
French copy, so any of them in what a customer reads (the body, the subject, the
preheader, an image's alt text, the plain-text part) is an error.
"""

from __future__ import annotations

import re

from lxml import etree

from ..dom import SKIP_TEXT, describe, hidden_or_in_hidden, shorten
from ..model import CheckConfig, CheckInput, Finding
from ..units import walk

NULLS = re.compile(r"(?<![\w-])(None|null|undefined|NaN)(?![\w-])")


NAME = "nulls"  # the family in findings, `run_checks(only=…)` and reports


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    findings: list[Finding] = []
    for what, text in (("subject", doc.subject), ("preheader", doc.preheader)):
        match = NULLS.search(text)
        if match:
            findings.append(_finding(match, text, f"the {what}", what))
    findings += walk(root, _shown, NAME)
    for number, line in enumerate(doc.text.splitlines(), 1):
        match = NULLS.search(line)
        if match:
            findings.append(_finding(match, line, f"line {number} of the text part",
                                     f"text:{number}"))
    return findings


def _shown(el: etree._Element) -> list[Finding]:
    """The nulls in an element's text, its tail (its parent's text) and its alt and title."""
    if el.tag in SKIP_TEXT or hidden_or_in_hidden(el):
        return []
    findings = []
    for text, owner in ((el.text, el), (el.tail, el.getparent())):
        match = NULLS.search(text or "")
        if match and owner is not None:
            findings.append(_finding(match, text or "", describe(owner), describe(owner)))
    for attr in ("alt", "title"):
        match = NULLS.search(el.get(attr) or "")
        if match:
            findings.append(_finding(match, el.get(attr) or "", f"the {attr} of "
                                     f"{describe(el)}", describe(el)))
    return findings


def _finding(match: re.Match[str], text: str, place: str, where: str) -> Finding:
    return Finding("error", NAME, f"{place} shows {match.group(1)!r} "
                   f"(“{shorten(text, 50)}”): a null or missing value printed as is; "
                   "guard it with {% ifdata %}", where)
