"""`run_checks`: every family of checks over one email, in a stable order.

The HTML is parsed once and shared. The order (size, images, links, required, data,
a11y, support, spam) is the order a designer fixes things in: what blocks sending
first, what only improves it last. Callers sort or filter as they like.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from lxml import etree

from .a11y import check_a11y
from .caniemail import load_caniemail
from .dom import parse_html
from .images import check_images
from .links import check_links
from .model import CheckConfig, CheckInput, Finding
from .names import check_names
from .nulls import check_nulls
from .punctuation import check_punctuation
from .required import check_required
from .size import check_size, check_style_blocks
from .spam import check_spam
from .support import check_support
from .urls import check_urls

CHECKS: tuple[str, ...] = ("size", "images", "links", "required", "data", "a11y", "support",
                           "spam")
# The data rules: what a state's data (a null, a missing name or URL) does to the email.
DATA_RULES = (check_nulls, check_urls, check_punctuation, check_names)


def run_checks(doc: CheckInput, config: CheckConfig | None = None,
               only: Collection[str] | None = None) -> list[Finding]:
    """All findings for `doc`; `only` restricts to some families (names in `CHECKS`)."""
    config = config or CheckConfig()
    wanted = set(CHECKS if only is None else only)
    unknown = wanted - set(CHECKS)
    if unknown:
        raise ValueError(f"unknown checks {sorted(unknown)}; known: {', '.join(CHECKS)}")
    findings: list[Finding] = []
    if "size" in wanted:
        findings += check_size(doc.html, config)
    root = parse_html(doc.html)
    if root is None:
        findings.append(Finding("error", "required", "the HTML is empty", "html"))
        return findings
    families: list[tuple[str, Callable[[etree._Element], list[Finding]]]] = [
        ("size", check_style_blocks),
        ("images", lambda r: check_images(r, doc)),
        ("links", lambda r: check_links(r, doc)),
        ("required", lambda r: check_required(r, doc)),
        ("data", lambda r: [f for rule in DATA_RULES for f in rule(r, doc)]),
        ("a11y", lambda r: check_a11y(r, doc)),
        ("support", lambda r: check_support(r, config, load_caniemail(config.caniemail_path))),
        ("spam", lambda r: check_spam(r, doc)),
    ]
    for name, check in families:
        if name in wanted:
            findings += check(root)
    return findings
