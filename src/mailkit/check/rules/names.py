"""The customer's name printed twice in a row: a title "…, Léa" then "Léa, ta commande…".

Each piece of copy greets the customer on its own; put together, the name comes back a
line later, which reads like a form letter. The checks know the name of the state's
profile (`CheckInput.names`): it must not appear in two consecutive lines of the
plain-text part (the visible lines of the HTML), nor in both the subject and the
preheader.
"""

from __future__ import annotations

import re

from lxml import etree

from ..dom import shorten
from ..model import CheckConfig, CheckInput, Finding

NAME = "names"  # the family in findings, `run_checks(only=…)` and reports


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    findings: list[Finding] = []
    for name in {n.strip() for n in doc.names if n and len(n.strip()) > 1}:
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
        if pattern.search(doc.subject) and pattern.search(doc.preheader):
            findings.append(Finding("warning", NAME, f"{name!r} is in both the subject and "
                                    "the preheader: the inbox shows the name twice", "subject"))
        previous: tuple[int, str] | None = None
        for number, line in enumerate(doc.text.splitlines(), 1):
            if not line.strip():
                continue
            here = bool(pattern.search(line))
            if here and previous is not None and pattern.search(previous[1]):
                findings.append(Finding("error", NAME, f"{name!r} is printed on two "
                                        f"consecutive lines (text lines {previous[0]} and "
                                        f"{number}: “{shorten(previous[1], 40)}” then "
                                        f"“{shorten(line, 40)}”)", f"text:{number}"))
            previous = (number, line)
    return findings
