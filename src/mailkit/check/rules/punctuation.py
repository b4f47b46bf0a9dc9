"""A subject, a preheader or a line that starts with punctuation or a space.

`{{ first_name }}, ce qui irait…` for a profile without a first name sends
", ce qui irait…": the inbox shows it, the customer sees the hole. The subject and the
preheader must start with a word, and so must every line of the plain-text part (which
mirrors the visible lines of the HTML).
"""

from __future__ import annotations

import re

from lxml import etree

from ..dom import shorten
from ..model import CheckConfig, CheckInput, Finding

LEADING = re.compile(r"^[\s,;:.!?)\]}]")  # "-20 %" or "« …" start well


NAME = "punctuation"  # the family in findings, `run_checks(only=…)` and reports


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    findings: list[Finding] = []
    for what, text in (("subject", doc.subject), ("preheader", doc.preheader)):
        if text and LEADING.match(text):
            findings.append(Finding("error", NAME, f"the {what} starts with "
                                    f"{text[0]!r}: “{shorten(text, 50)}” (a value missing "
                                    "before it? write the sentence for both cases with "
                                    "{% ifdata %})", what))
    for number, line in enumerate(doc.text.splitlines(), 1):
        if line.strip() and re.match(r"^\s*[,;:.!?)\]}]", line):
            findings.append(Finding("error", NAME, f"line {number} of the text part starts "
                                    f"with punctuation: “{shorten(line, 50)}”", f"text:{number}"))
    return findings
