"""The parts every marketing email must have: opt-out, postal address, subject, preheader.

The unsubscribe link and the sender's postal address are legal requirements
(CAN-SPAM, and the French CPCE / GDPR for the opt-out), and Gmail and Yahoo's bulk
sender rules reject mail without an easy unsubscribe. In the preview the links are
recognised by their wording, French or English; the Klaviyo export must contain
Klaviyo's own tags, which Klaviyo turns into per-recipient links (without them it
refuses to send a campaign, or appends its own footer).
"""

from __future__ import annotations

import re

from lxml import etree

from ..dom import all_text, link_text, squash, visible_text
from ..model import CheckConfig, CheckInput, Finding
from ..units import walk
from ..urls import KLAVIYO_PREFERENCES, KLAVIYO_UNSUBSCRIBE, PREFERENCES, UNSUBSCRIBE

NAME = "required"  # the family in findings, `run_checks(only=…)` and reports

PREHEADER_MIN, PREHEADER_MAX = 30, 140
SUBJECT_MAX = 78


def check_required(root: etree._Element, doc: CheckInput) -> list[Finding]:
    findings = check_opt_out(root, doc)
    findings += check_address(root, doc)
    findings += check_subject(doc.subject)
    findings += check_preheader(root, doc.preheader)
    if not doc.text.strip():
        findings.append(Finding("error", "required", "the plain-text version is empty",
                                "text"))
    return findings


def _hrefs_and_text(root: etree._Element) -> str:
    hrefs = " ".join(walk(root, lambda a: [a.get("href") or ""], (NAME, "hrefs"), tags=("a",),
                          whole=True))
    return f"{hrefs} {all_text(root)}"


def check_opt_out(root: etree._Element, doc: CheckInput) -> list[Finding]:
    findings: list[Finding] = []
    if doc.export:
        haystack = _hrefs_and_text(root)
        for tag, pattern, what in (
                ("{% unsubscribe_link %}", KLAVIYO_UNSUBSCRIBE, "unsubscribe"),
                ("{% manage_preferences_link %}", KLAVIYO_PREFERENCES, "preferences")):
            if not pattern.search(haystack):
                findings.append(Finding("error", "required", f"the export has no {what} link: "
                                        f"Klaviyo needs the {tag} tag", tag))
        if not KLAVIYO_UNSUBSCRIBE.search(doc.text):
            findings.append(Finding("warning", "required", "the plain-text version has no "
                                    "{% unsubscribe_link %}", "text"))
        return findings
    links = walk(root, _says, (NAME, "links"), tags=("a",), whole=True)
    for at, (_, what, words) in enumerate((
            (UNSUBSCRIBE, "unsubscribe", "unsubscribe / se désabonner / se désinscrire"),
            (PREFERENCES, "preferences", "preferences / préférences"))):
        if not any(link[at] for link in links):
            findings.append(Finding("error", "required", f"no {what} link: none whose text "
                                    f"or URL says {words}", what))
    if not UNSUBSCRIBE.search(doc.text):
        findings.append(Finding("warning", "required", "the plain-text version has no "
                                "unsubscribe link", "text"))
    return findings


def _says(a: etree._Element) -> list[tuple[bool, bool]]:
    """Whether the link's text or URL says unsubscribe, and preferences."""
    said = f"{link_text(a)} {a.get('href') or ''}"
    return [(UNSUBSCRIBE.search(said) is not None, PREFERENCES.search(said) is not None)]


def _normal(text: str) -> str:
    """Compare addresses loosely: case, commas, line breaks and no-break spaces aside."""
    return squash(re.sub(r"[,;]", " ", text)).lower()


def check_address(root: etree._Element, doc: CheckInput) -> list[Finding]:
    address = _normal(doc.postal_address)
    if not address:
        return [Finding("error", "required", "no postal address is configured for this brand",
                        "postal_address")]
    findings = []
    if address not in _normal(visible_text(root)):
        findings.append(Finding("error", "required", "the HTML does not show the postal "
                                f"address \"{doc.postal_address}\"", doc.postal_address))
    if address not in _normal(doc.text):
        findings.append(Finding("error", "required", "the plain-text version lacks the postal "
                                f"address \"{doc.postal_address}\"", doc.postal_address))
    return findings


def check_subject(subject: str) -> list[Finding]:
    subject = subject.strip()
    if not subject:
        return [Finding("error", "required", "the subject is empty", "subject")]
    if len(subject) > SUBJECT_MAX:
        return [Finding("warning", "required", f"the subject is {len(subject)} characters long: "
                        f"inboxes cut it after about {SUBJECT_MAX}", subject[:40])]
    return []


def check_preheader(root: etree._Element, preheader: str) -> list[Finding]:
    text = squash(preheader)
    if not text:
        return [Finding("error", "required", "the preheader is empty: inboxes will show the "
                        "first words of the body instead", "preheader")]
    findings = []
    if len(text) < PREHEADER_MIN:
        findings.append(Finding("warning", "required", f"the preheader is only {len(text)} "
                                f"characters (aim for {PREHEADER_MIN}–{PREHEADER_MAX}): the "
                                "inbox fills the rest with body text", text))
    elif len(text) > PREHEADER_MAX:
        findings.append(Finding("warning", "required", f"the preheader is {len(text)} "
                                f"characters: inboxes show about {PREHEADER_MAX}", text[:40]))
    if text not in all_text(root):
        findings.append(Finding("warning", "required", "the preheader is not in the HTML "
                                "(MJML's <mj-preview> puts it in a hidden div)", text[:40]))
    return findings


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    return check_required(root, doc)
