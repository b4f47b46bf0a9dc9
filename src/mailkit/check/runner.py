"""`run_checks`: every registered rule (rules/__init__.py) over one email, in a stable order.

The HTML is parsed once and shared by the rules. Callers sort or filter as they like.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from .dom import parse_html
from .model import CheckConfig, CheckInput, Finding
from .rules import RULES
from .rules.size import check_size

if TYPE_CHECKING:
    from lxml import etree

CHECKS: tuple[str, ...] = tuple(rule.NAME for rule in RULES)


def run_checks(doc: CheckInput, config: CheckConfig | None = None,
               only: Collection[str] | None = None,
               root: etree._Element | None = None) -> list[Finding]:
    """All findings for `doc`; `only` restricts to some families (names in `CHECKS`).

    `root` is `doc.html` already parsed, as `parse_html` parses it (the build hands in
    the compile's own tree, which it serialised into `doc.html`): it is not parsed again.
    The rules only read it.
    """
    config = config or CheckConfig()
    wanted = set(CHECKS if only is None else only)
    unknown = wanted - set(CHECKS)
    if unknown:
        raise ValueError(f"unknown checks {sorted(unknown)}; known: {', '.join(CHECKS)}")
    if root is None or root.tag != "html":
        root = parse_html(doc.html)
    if root is None:
        findings = check_size(doc.html, config) if "size" in wanted else []
        return [*findings, Finding("error", "required", "the HTML is empty", "html")]
    findings: list[Finding] = []
    for rule in RULES:
        if rule.NAME in wanted:
            findings += rule.check(root, doc, config)
    return findings
