"""`mailkit check`: every finding of every page, and of each Klaviyo export with
`--export`, from the findings the build kept (a build with nothing changed renders
nothing)."""

from __future__ import annotations

from pathlib import Path

from ..check.model import PageReport
from ..errors import BuildFailed
from ..model import BuildResult, Target, page_key
from ..pipeline.check_inputs import EXPORT_SCENARIO, export_input, state_input, uses_whatsapp
from ..project.checks_yaml import check_config
from .build import build


def check(root: Path, *, brand: str | None = None, email: str | None = None,
          with_export: bool = False) -> tuple[BuildResult, list[PageReport]]:
    """The build (nothing written) and one report per page, then per export."""
    result = build(root, brand=brand, email=email, write=False, with_exports=with_export)
    reports = result.reports()
    if with_export:  # the exports the build rendered alongside the pages
        errors = result.export_errors()
        if errors:
            raise BuildFailed(errors)
        reports += export_reports(result)
    return result, reports


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
