"""`mailkit check`: every finding of every page, and of each Klaviyo export with
`--export`, from the findings the build kept (a build with nothing changed renders
nothing); with `--spam`, SpamAssassin's score of every page's message as `mailkit send`
builds it. `--refresh-caniemail` and `--refresh-mjml` update the data the rules read."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from ..cache import spam_scores
from ..check.model import PageReport
from ..errors import BuildFailed, MailkitError
from ..model import BuildResult, Target, page_key
from ..pipeline.check_inputs import EXPORT_SCENARIO, export_input, state_input, uses_whatsapp
from ..project.checks_yaml import check_config
from .build import build

# The recipient of the scored messages, as an email platform writes a profile's address:
# with a name (a bare address in `To` costs points by itself, TO_NO_BRKTS_HTML_IMG).
SPAM_TO = ["Camille Martin <camille.martin@example.com>"]


def check(root: Path, *, brand: str | None = None, email: str | None = None,
          with_export: bool = False, spam: bool = False,
          ) -> tuple[BuildResult, list[PageReport], str]:
    """The build (nothing written), one report per page, then per export, and with
    `spam` the line SpamAssassin's scoring prints (`check_spam`), "" without."""
    result = build(root, brand=brand, email=email, write=False, with_exports=with_export)
    reports = result.reports()
    if with_export:  # the exports the build rendered alongside the pages
        errors = result.export_errors()
        if errors:
            raise BuildFailed(errors)
        reports += export_reports(result)
    if spam:
        return result, *check_spam(result, reports)
    return result, reports, ""


def refresh_caniemail() -> str:
    """`check --refresh-caniemail`: the shipped caniemail data updated from npm, and
    what it holds now. npm or the network failing is the user's to fix: a MailkitError
    that names the data file."""
    from ..check import caniemail  # looked up as it runs: the tests replace the function

    try:
        return caniemail.refresh_caniemail(caniemail.DATA_FILE)
    except (RuntimeError, ValueError) as exc:
        raise MailkitError(str(caniemail.DATA_FILE), None, "caniemail", str(exc)) from None


def refresh_mjml(version: str) -> str:
    """`check --refresh-mjml VERSION`: the shipped MJML rules rebuilt from that npm
    release, and what they hold now; a failure is a MailkitError naming the rules file."""
    from ..mjml.refresh import RULES_FILE, refresh_mjml_rules

    try:
        return refresh_mjml_rules(version)
    except (RuntimeError, ValueError, OSError) as exc:
        raise MailkitError(str(RULES_FILE), None, "mjml", str(exc)) from None


def export_reports(result: BuildResult) -> list[PageReport]:
    """Check the Klaviyo export of each email the build covers, as the build exported it
    (one per brand × email; `--brand` and `--email` have filtered the build already).

    The export renders Klaviyo's own tags (unsubscribe, web view) and absolute image
    URLs, so it is checked with `export=True`; each state as Klaviyo renders it with
    that state's data, for the data rules. The WhatsApp rule follows the preview: an
    email whose preview pages include the WhatsApp partial must carry the message.
    """
    from ..check.rules import DATA_RULES
    from ..check.runner import run_checks
    from ..klaviyo.dialect.engine import render_export

    project = result.project
    whatsapp = {p.target.email_key for p in result.pages.values() if uses_whatsapp(p.deps)}
    states: dict[str, list[Target]] = {}
    for p in result.pages.values():
        states.setdefault(p.target.email_key, []).append(p.target)
    config = check_config(project.checks)
    reports = []
    for t in result.templates():
        targets = states.get(t.key, [])
        rendered = [state_input(project, t, target, render_export) for target in targets]
        doc = export_input(project, t, t.key in whatsapp, rendered[0] if rendered else None)
        reports.append(PageReport(page_key(t.brand, t.email.id, EXPORT_SCENARIO), t.brand,
                                  t.email.id, EXPORT_SCENARIO, tuple(run_checks(doc, config)),
                                  len(t.html.encode("utf-8"))))
        for target, state in zip(targets, rendered, strict=True):
            scenario = f"{EXPORT_SCENARIO}:{target.scenario}"
            reports.append(PageReport(page_key(t.brand, t.email.id, scenario), t.brand,
                                      t.email.id, scenario,
                                      tuple(run_checks(state, config, only=DATA_RULES)),
                                      len(state.html.encode("utf-8"))))
    return reports


def check_spam(result: BuildResult, reports: list[PageReport]) -> tuple[list[PageReport], str]:
    """`reports` with SpamAssassin's findings on each page's message, composed as
    `mailkit send` composes it (MIME, headers, both parts, images inline), and a line
    to print. The scores are kept for the preview's facts panel (cache/spam_scores.py).
    Identical messages are scored once."""
    from ..check import spamassassin
    from .send import compose

    start = time.perf_counter()
    project = result.project
    keys = {k: spam_scores.content_key(p, project.brands[p.target.brand].brand)
            for k, p in result.pages.items()}
    messages = {keys[k]: bytes(compose(project, p, SPAM_TO, environ={}))
                for k, p in result.pages.items()}
    try:
        with spamassassin.Spamd() as spamd:
            scored = dict(zip(messages, spamd.score_all(list(messages.values())),
                              strict=True))
            version, started = spamd.version, spamd.seconds
    except spamassassin.SpamAssassinError as exc:
        raise MailkitError("spamassassin", None, "spam", str(exc)) from None
    spam_scores.save(project.root, {key: {
        "points": s.points, "content": s.content, "delivery": s.delivery,
        "required": s.required, "version": version,
        "rules": {h.rule: h.points for h in s.hits}} for key, s in scored.items()})
    out = []
    for report in reports:
        key = keys.get(report.key)
        extra = spamassassin.findings(scored[key], version) if key in scored else []
        out.append(replace(report, findings=report.findings + tuple(extra)))
    worst = max(scored.values(), key=lambda s: (s.content, s.points), default=None)
    seconds = time.perf_counter() - start
    line = (f"SpamAssassin {version} (local rules only): {len(scored)} message(s) in "
            f"{seconds:.1f} s ({started:.1f} s to start)")
    if worst is not None:
        line += (f", highest content points {worst.content:.1f}, highest score "
                 f"{max(s.points for s in scored.values()):.1f}; delivery (reverse DNS, "
                 "DKIM, SPF, DMARC, blocklists, Bayes) is not scored offline")
    return out, line
