"""Size against Gmail's clipping.

Gmail cuts an HTML part past about 102 KB and shows "[Message clipped]": what is
cut includes the footer (unsubscribe link, postal address) and Klaviyo's open
pixel, so opens stop being counted. We count UTF-8 bytes, as Gmail does, and warn
from 90 KB because Klaviyo's click tracking rewrites every link longer at send time.
"""

from __future__ import annotations

from lxml import etree

from ..dom import elements
from ..model import CheckConfig, CheckInput, Finding

NAME = "size"  # the family in findings, `run_checks(only=…)` and reports

STYLE_LIMIT = 16 * 1024  # caniemail html-style, Gmail note: larger <style> blocks are dropped


def check_size(html: str, config: CheckConfig) -> list[Finding]:
    size = len(html.encode("utf-8"))
    kb = size / 1024
    figure = f"{kb:.1f} KB"
    findings = [Finding("info", "size",
                        f"HTML is {figure} ({size} bytes); Gmail clips past "
                        f"{config.size_fail_kb:g} KB", figure)]
    if kb > config.size_fail_kb:
        findings.append(Finding(
            "error", "size",
            f"HTML is {figure}, past Gmail's {config.size_fail_kb:g} KB clipping limit: "
            "Gmail will hide the end of the email, footer and open tracking included",
            figure))
    elif kb >= config.size_warn_kb:
        findings.append(Finding(
            "warning", "size",
            f"HTML is {figure}, close to Gmail's {config.size_fail_kb:g} KB clipping limit "
            "(Klaviyo's tracked links add more at send time)", figure))
    return findings


def check_style_blocks(root: etree._Element) -> list[Finding]:
    """Gmail drops a `<style>` element over 16 KB whole, media queries included."""
    findings = []
    for style in elements(root, "style"):
        size = len((style.text or "").encode("utf-8"))
        if size > STYLE_LIMIT:
            findings.append(Finding(
                "warning", "size",
                f"a <style> block is {size / 1024:.1f} KB: Gmail ignores <style> elements "
                "over 16 KB (move rules inline or split the block)", f"<style> {size} bytes"))
    return findings


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    """Gmail's clipping on the whole HTML, then the `<style>` blocks Gmail drops."""
    return check_size(doc.html, config) + check_style_blocks(root)
