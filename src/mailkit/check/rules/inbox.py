"""Subject and preheader as Gmail shows them in its inbox on a 375 px phone.

What falls after the cut is read by nobody who skims: the theme must come first. The
cut is measured as the preview's inbox view measures it (check/inbox.py), in the state's
own words (a first name counts), and shown in the finding.
"""

from __future__ import annotations

from lxml import etree

from ..inbox import ELLIPSIS, shown
from ..model import CheckConfig, CheckInput, Finding

NAME = "inbox"  # the family in findings, `run_checks(only=…)` and reports


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    findings = []
    for where, text, bold in (("subject", doc.subject, True),
                              ("preheader", doc.preheader, False)):
        count = shown(text, bold=bold)
        if text and count < len(text):
            findings.append(Finding(
                "warning", NAME, f"{where}: {len(text)} characters, Gmail on a 375 px phone "
                f"shows the first {count}: “{text[:count]}{ELLIPSIS}”; say the theme before "
                "the cut", where))
    return findings
