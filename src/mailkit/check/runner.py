"""`run_checks`: every registered rule (rules/__init__.py) over one email, in a stable order.

The HTML is parsed once and shared by the rules. Callers sort or filter as they like.
"""

from __future__ import annotations

from collections.abc import Collection

from .dom import parse_html
from .model import CheckConfig, CheckInput, Finding
from .rules import RULES
from .rules.size import check_size

CHECKS: tuple[str, ...] = tuple(rule.NAME for rule in RULES)


def run_checks(doc: CheckInput, config: CheckConfig | None = None,
               only: Collection[str] | None = None) -> list[Finding]:
    """All findings for `doc`; `only` restricts to some families (names in `CHECKS`)."""
    config = config or CheckConfig()
    wanted = set(CHECKS if only is None else only)
    unknown = wanted - set(CHECKS)
    if unknown:
        raise ValueError(f"unknown checks {sorted(unknown)}; known: {', '.join(CHECKS)}")
    root = parse_html(doc.html)
    if root is None:
        findings = check_size(doc.html, config) if "size" in wanted else []
        return [*findings, Finding("error", "required", "the HTML is empty", "html")]
    findings: list[Finding] = []
    for rule in RULES:
        if rule.NAME in wanted:
            findings += rule.check(root, doc, config)
    return findings
