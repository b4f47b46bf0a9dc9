"""Accessibility: language, layout tables, contrast, heading order, text in images.

Email is read aloud more than people think (VoiceOver on iPhone Mail, screen
readers in Outlook), and every rule here is one a screen reader user trips on: the
wrong `lang` makes French read with an English voice, a layout table without
`role="presentation"` is announced cell by cell, a skipped heading level breaks
navigation by headings, and words inside an image are silent.
"""

from __future__ import annotations

from lxml import etree

from ..contrast import check_inline_colors, check_palettes
from ..dom import (
    content_images_described,
    describe,
    hidden_or_in_hidden,
    shorten,
    text_content,
    visible_text,
    words,
)
from ..model import CheckConfig, CheckInput, Finding
from ..units import walk

NAME = "a11y"  # the family in findings, `run_checks(only=…)` and reports

LAYOUT_ROLES = {"presentation", "none"}
MIN_WORDS_WITH_IMAGES = 20


def check_a11y(root: etree._Element, doc: CheckInput) -> list[Finding]:
    findings = check_lang(root, doc.lang)
    findings += check_tables(root)
    findings += check_palettes(doc)
    findings += check_inline_colors(root)
    findings += check_headings(root)
    findings += check_text_in_images(root)
    return findings


def check_lang(root: etree._Element, expected: str) -> list[Finding]:
    lang = (root.get("lang") or "").strip()
    want = expected.strip()
    if not lang:
        return [Finding("error", "a11y", f"<html> has no lang attribute (expected "
                        f"lang=\"{want}\"): screen readers will guess the voice", "<html>")]
    if not want or lang.lower() == want.lower():
        return []
    if lang.lower().split("-")[0] == want.lower().split("-")[0]:
        return [Finding("warning", "a11y", f'<html lang="{lang}"> differs from the expected '
                        f'"{want}" only by region', f'<html lang="{lang}">')]
    return [Finding("error", "a11y", f'<html lang="{lang}"> but this email is in "{want}"',
                    f'<html lang="{lang}">')]


def is_data_table(table: etree._Element) -> bool:
    """A real table (headers or caption) is allowed its table semantics."""
    return any(True for _ in table.iter("th", "caption")) or table.get("role") == "table"


def check_tables(root: etree._Element) -> list[Finding]:
    bad = walk(root, _layout_table, (NAME, "tables"), tags=("table",), whole=True)
    if not bad:
        return []
    first = bad[0]
    count = f"{len(bad)} layout tables lack" if len(bad) > 1 else "a layout table lacks"
    return [Finding("error", "a11y", f'{count} role="presentation" (first: `{first}`): '
                    "screen readers announce them row by row", first)]


def _layout_table(t: etree._Element) -> list[str]:
    if (t.get("role") or "").strip().lower() in LAYOUT_ROLES or is_data_table(t):
        return []
    return [describe(t)]


def check_headings(root: etree._Element) -> list[Finding]:
    findings: list[Finding] = []
    heads = walk(root, _heading, (NAME, "headings"), tags=HEADINGS, whole=True)
    h1 = [text for level, text in heads if level == 1]
    if len(h1) > 1:
        texts = ", ".join(f'"{shorten(text, 30)}"' for text in h1[:3])
        findings.append(Finding("error", "a11y", f"{len(h1)} <h1> headings ({texts}): an "
                                "email has one main heading", "<h1>"))
    previous = 0
    for level, whole in heads:
        text = shorten(whole, 40)
        if previous and level > previous + 1:
            findings.append(Finding("error", "a11y", f'heading jumps from h{previous} to '
                                    f'h{level} at <h{level}> "{text}"', f"<h{level}>{text}"))
        if not text:
            findings.append(Finding("warning", "a11y", f"empty <h{level}> heading",
                                    f"<h{level}>"))
        previous = level
    return findings


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _heading(h: etree._Element) -> list[tuple[int, str]]:
    return [] if hidden_or_in_hidden(h) else [(int(str(h.tag)[1]), text_content(h))]


def check_text_in_images(root: etree._Element) -> list[Finding]:
    images = content_images_described(root)
    count = len(words(visible_text(root)))
    if images and count < MIN_WORDS_WITH_IMAGES:
        return [Finding("warning", "a11y",
                        f"only {count} words of HTML text for {len(images)} image(s): text "
                        "inside images is lost to screen readers and to clients that block "
                        "images; write the message in HTML", images[0])]
    return []


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    return check_a11y(root, doc)
