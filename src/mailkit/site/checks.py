"""The preview site's view of `mailkit check`: a Checks tab per email, a summary at home.

The findings are the ones the build computed and kept on each `Page`
(`Page.report()`), so the site shows exactly what `mailkit check` prints, and a
reused page costs nothing here either.
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from ..check.model import PageReport, totals
from ..model import BuildResult, Page


def _templates() -> jinja2.Environment:
    """The site's environment, made once: a panel is rendered for every fresh page."""
    from . import environment

    return environment()


def checks_panel(page: Page) -> Markup:
    """The Checks tab of one scenario: errors and warnings, then what was accepted."""
    if page.findings is None:
        return Markup("<p>Checking… (the dev server shows a save first, then its checks)</p>")
    report = page.report()
    return Markup(_templates().get_template("checks_panel.html").render(
        report=report, problems=report.shown(),
        info=[f for f in report.findings if f.severity == "info"]))


def checks_summary(result: BuildResult) -> Markup:
    """The home page's block: errors and warnings per brand, and the emails to fix."""
    reports = result.reports()
    brands: dict[str, list[PageReport]] = {}
    for report in reports:
        brands.setdefault(report.brand, []).append(report)
    names = {slug: bp.brand.display_name for slug, bp in result.project.brands.items()}
    return Markup(_templates().get_template("checks_summary.html").render(
        total=totals(reports), page_count=len(reports),
        brands=[(slug, names.get(slug, slug), totals(rs),
                 [r for r in rs if r.counts["error"] or r.counts["warning"]])
                for slug, rs in brands.items()]))
