"""How `mailkit check` prints its findings: a table per email for people, JSON for machines.

The text table is grouped by page (brand/email/scenario), errors first, one finding a
line with the element it concerns in its own column, so a designer can scan a CI log
for the `<img …>` or `@media …` to fix. Info findings (accepted gaps, sizes) stay out
of the table and in the JSON, which carries everything.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from .caniemail import load_caniemail
from .dom import shorten
from .model import Finding, PageReport, totals

WHERE_WIDTH = 38  # the element column of the table


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _page_head(report: PageReport) -> str:
    counts = report.counts
    state = "ok" if not counts["error"] and not counts["warning"] else \
        f"{_plural(counts['error'], 'error')}, {_plural(counts['warning'], 'warning')}"
    return f"{report.key}  ({report.html_bytes / 1024:.1f} KB)  {state}"


def _row(finding: Finding) -> str:
    where = shorten(finding.where, WHERE_WIDTH) if finding.where else "-"
    line = f"{finding.line}: " if finding.line else ""
    return (f"  {finding.severity:<8} {finding.check:<9} {where:<{WHERE_WIDTH}}  "
            f"{line}{finding.message}")


def text_lines(reports: Sequence[PageReport], *, strict: bool = False) -> list[tuple[str, str]]:
    """(line, tone) pairs; tone is "error", "warning", "ok" or "" for the CLI's colours.

    Only the pages with an error or a warning are listed, then one summary line: at a
    thousand pages, a line per clean page buried the findings."""
    lines: list[tuple[str, str]] = []
    for report in reports:
        counts = report.counts
        if not counts["error"] and not counts["warning"]:
            continue
        lines.append((_page_head(report), "error" if counts["error"] else "warning"))
        lines += [(_row(f), f.severity) for f in report.shown()]
    total = totals(reports)
    emails = len({(r.brand, r.email) for r in reports})
    verdict = "FAILED" if total["error"] or (strict and total["warning"]) else "passed"
    tone = "error" if verdict == "FAILED" else "warning" if total["warning"] else "ok"
    extra = " (--strict: warnings fail too)" if strict and total["warning"] else ""
    clean = sum(1 for r in reports if not r.counts["error"] and not r.counts["warning"])
    lines.append((f"check {verdict}: {_plural(len(reports), 'page')} of "
                  f"{_plural(emails, 'email')} ({clean} clean), "
                  f"{_plural(total['error'], 'error')}, "
                  f"{_plural(total['warning'], 'warning')}, {total['info']} info{extra}", tone))
    return lines


def to_json(reports: Sequence[PageReport], *, strict: bool = False) -> dict:
    """Every finding, info included, with the totals and the caniemail data's date."""
    total = totals(reports)
    data = load_caniemail()
    return {
        "passed": not (total["error"] or (strict and total["warning"])),
        "strict": strict,
        "totals": {s: total[s] for s in ("error", "warning", "info")},
        "caniemail": {"version": data.version, "last_update_date": data.last_update_date,
                      "fetched": data.fetched},
        "pages": [{
            "key": r.key, "brand": r.brand, "email": r.email, "scenario": r.scenario,
            "html_bytes": r.html_bytes, "errors": r.counts["error"],
            "warnings": r.counts["warning"],
            "findings": [{"severity": f.severity, "check": f.check, "message": f.message,
                          "where": f.where, "line": f.line} for f in r.shown(info=True)],
        } for r in reports],
    }


def format_json(reports: Sequence[PageReport], *, strict: bool = False) -> str:
    return json.dumps(to_json(reports, strict=strict), ensure_ascii=False, indent=1)
