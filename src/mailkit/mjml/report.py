"""MJML findings as the rest of mailkit shows them: build warnings (or errors when MJML
cannot compile the page), `mailkit check` findings, and acceptances from checks.yaml.

Severity follows the issue's contract: a finding warns in `mailkit build` and in the
serve overlay, fails `build --strict`, and is an error in `mailkit check` (and so in
CI), unless `accept_mjml:` in checks.yaml accepts it, for every brand or some, with a
reason: it is then an `info` line. A document MJML cannot compile (an element left
open) is always an error, and is never accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..check.model import Finding
from ..errors import MailkitError
from ..yamlfile import YamlDoc
from .rules import load_rules
from .validate import MjmlFinding

if TYPE_CHECKING:  # the project's checks.yaml, read by project/checks_yaml.py
    from ..project.checks_yaml import Checks

KINDS = ("unknown-element", "illegal-attribute", "invalid-value", "illegal-child")
_CODE = re.compile(r"(?P<kind>[a-z-]+):(?P<tag>[\w-]+)(?::(?P<more>[\w-]+))?")


def accepted(checks: Checks, brand: str, finding: MjmlFinding) -> bool:
    if finding.fatal:
        return False
    entry = checks.accept_mjml.get(finding.code)
    if entry is None:
        return False
    brands = _brands(entry)
    return not brands or brand in brands


def as_error(finding: MjmlFinding, key: str) -> MailkitError:
    """`partials/hero.mjml.j2:7: mjml: … (via emails/vip.mjml.j2:10; kokawa/vip/default)`."""
    tail = "; ".join(x for x in (finding.via, key) if x)
    return MailkitError(finding.path, finding.line, "mjml", f"{finding.message} ({tail})")


def warnings(checks: Checks, pages: Iterable[tuple[str, str, Iterable[MjmlFinding]]],
             ) -> list[MailkitError]:
    """One warning per template line and message, naming the first page it was seen in
    (a partial's mistake is in every email that includes it)."""
    seen: dict[tuple, MailkitError] = {}
    for brand, key, findings in pages:
        for f in findings:
            if not f.fatal and not accepted(checks, brand, f):
                seen.setdefault((f.path, f.line, f.message), as_error(f, key))
    return list(seen.values())


def check_findings(checks: Checks, brand: str, findings: Iterable[MjmlFinding]) -> list[Finding]:
    """For `mailkit check` and the Checks tab: errors, or info when accepted."""
    return [Finding("info" if accepted(checks, brand, f) else "error", "mjml",
                    f"{f.path}:{f.line}: {f.message}" + (f" ({f.via})" if f.via else "")
                    + (" (accepted in checks.yaml)" if accepted(checks, brand, f) else ""),
                    f.code) for f in findings]


def validate_acceptances(checks: Checks, doc: YamlDoc) -> list[MailkitError]:
    """Codes in `accept_mjml:` that could never match, each at its line: a misspelt
    acceptance would accept nothing, silently."""
    rules = load_rules()
    errors = []
    for code in checks.accept_mjml:
        m = _CODE.fullmatch(code)
        problem = None
        if m is None or m["kind"] not in KINDS:
            problem = (f"{code!r} is not an MJML finding code (kind:element[:attribute|child], "
                       f"kinds: {', '.join(KINDS)})")
        elif m["kind"] != "unknown-element" and m["tag"] not in rules.attributes:
            problem = f"{m['tag']!r} is not an MJML {rules.version} element"
        elif m["kind"] == "unknown-element" and rules.known(m["tag"]):
            problem = f"{m['tag']!r} is an MJML element: nothing to accept"
        elif m["kind"] != "unknown-element" and not m["more"]:
            problem = f"{code!r} names no attribute or child after the element"
        elif m["kind"] == "invalid-value" and m["more"] not in rules.attributes[m["tag"]]:
            problem = f"{m['tag']} has no attribute {m['more']!r}"
        if problem:
            errors.append(doc.error(("accept_mjml", code), problem))
        entry = checks.accept_mjml[code]
        brands_dir = doc.path.parent / "brands"  # checks.yaml is at the project root
        for index, brand in enumerate(_brands(entry)):
            if not (brands_dir / brand / "brand.yaml").is_file():
                errors.append(doc.error(("accept_mjml", code, "brands", index),
                                        f"no brand {brand!r} in brands/"))
    return errors


def _brands(entry: object) -> list[str]:
    """The brands an acceptance is for (`AcceptMjml.brands`); none: every brand (a bare
    reason accepts for all)."""
    return list(getattr(entry, "brands", None) or [])
