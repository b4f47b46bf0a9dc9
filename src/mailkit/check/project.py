"""The checks applied to a mailkit project: a built page (or an export) → `CheckInput` → findings.

The library (`run_checks`) knows nothing of brands or builds; this module says what
each email *should* contain: the brand's language, palettes, postal address, UTM
parameters and website, the WhatsApp message when the email shares one, and where
its relative image URLs resolve. The build calls `check_page` once per rendered page
and keeps the findings on the `Page`, so the dev server, which reuses unchanged pages,
never checks an email twice, and `mailkit check` and the preview site show the same
findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..project import Project, Target
from .model import CheckConfig, CheckInput, Finding
from .settings import check_config

if TYPE_CHECKING:
    from ..build import BuildResult
    from ..compile import CompiledEmail
    from ..export.klaviyo import KlaviyoTemplate
    from ..render import Rendered

#: An email that includes this partial shares the brand's WhatsApp message: its link
#: must decode to that message exactly (a brand override of the partial counts too).
WHATSAPP_PARTIAL = ("partials", "whatsapp.mjml.j2")
EXPORT_SCENARIO = "klaviyo-export"  # the "scenario" column of an export's report
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class PageReport:
    """The findings of one page (brand/email/scenario), as the CLI and the site show them."""

    brand: str
    email: str
    scenario: str
    findings: tuple[Finding, ...]
    html_bytes: int

    @property
    def key(self) -> str:
        return f"{self.brand}/{self.email}/{self.scenario}"

    @property
    def counts(self) -> Counter[str]:
        return Counter(f.severity for f in self.findings)

    def shown(self, *, info: bool = False) -> list[Finding]:
        """Errors first, then warnings (then info): the order a designer fixes them in."""
        kept = [f for f in self.findings if info or f.severity != "info"]
        return sorted(kept, key=lambda f: SEVERITY_ORDER[f.severity])


def uses_whatsapp(deps: Iterable[Path]) -> bool:
    return any(p.parts[-2:] == WHATSAPP_PARTIAL for p in deps)


def page_input(project: Project, target: Target, rendered: Rendered,
               compiled: CompiledEmail | None, deps: Iterable[Path]) -> CheckInput:
    """What one preview page should be, for the checks (`compiled` None: what the
    compile will produce is filled in later, see jobs.py)."""
    bp = project.brands[target.brand]
    brand = bp.brand
    return CheckInput(
        html=compiled.html if compiled else "", text=compiled.text if compiled else "",
        subject=rendered.subject,
        preheader=rendered.preheader, lang=rendered.lang,
        palette=brand.palette.light.model_dump(), dark_palette=brand.palette.dark.model_dump(),
        postal_address=brand.postal_address,
        # the page is <brand>/<email>/<scenario>.html and the build copies the brand's
        # assets to <brand>/assets: so `../assets/x.png` resolves to brands/<brand>/assets
        asset_root=bp.dir / target.email.id,
        whatsapp_message=brand.whatsapp.message if brand.whatsapp and uses_whatsapp(deps)
        else None,
        utm=dict(brand.utm) if project.checks.require_utm and brand.utm else None,
        website=brand.website, source_name=target.key, names=state_names(project, target))


def state_names(project: Project, target: Target) -> tuple[str, ...]:
    """The profile's names in this state's data, for the doubled-name rule."""
    from ..project import load_fixture

    state = target.data_state
    try:
        person = load_fixture(project, target.brand, state.fixture, state.override).get("person")
    except Exception:  # a broken fixture is reported by the build itself
        return ()
    if not isinstance(person, dict):
        return ()
    return tuple(str(person[k]) for k in ("first_name", "last_name") if person.get(k))


def check_page(project: Project, target: Target, rendered: Rendered, compiled: CompiledEmail,
               deps: Iterable[Path], config: CheckConfig | None = None) -> tuple[Finding, ...]:
    """Every finding for one preview page (`config`: pass one per build, it is the same)."""
    from .runner import run_checks  # the checks' own modules: only where checks run

    doc = page_input(project, target, rendered, compiled, deps)
    return tuple(run_checks(doc, config or check_config(project.checks)))


def build_reports(result: BuildResult) -> list[PageReport]:
    """One report per built page, in build order, from the findings the build kept."""
    return [PageReport(p.target.brand, p.target.email.id, p.target.scenario, p.findings or (),
                       len(p.compiled.html.encode("utf-8"))) for p in result.pages.values()]


def export_reports(result: BuildResult, *, brand: str | None = None) -> list[PageReport]:
    """Check the Klaviyo export of each email the build covers (one per brand × email;
    `--brand` and `--email` have filtered the build already).

    The export renders Klaviyo's own tags (unsubscribe, web view) and absolute image
    URLs, so it is checked with `export=True`. The WhatsApp rule follows the preview:
    an email whose preview pages include the WhatsApp partial must carry the message.
    """
    from ..export.klaviyo import export_klaviyo  # the export is optional: import late
    from .runner import run_checks

    project = result.project
    export = export_klaviyo(project.root, brand=brand)
    wanted = {(p.target.brand, p.target.email.id) for p in result.pages.values()}
    states: dict[tuple[str, str], list[Target]] = {}
    for p in result.pages.values():
        states.setdefault((p.target.brand, p.target.email.id), []).append(p.target)
    whatsapp = {(p.target.brand, p.target.email.id) for p in result.pages.values()
                if uses_whatsapp(p.deps)}
    config = check_config(project.checks)
    reports = []
    for t in export.templates:
        if (t.brand, t.email.id) not in wanted:
            continue
        b = project.brands[t.brand].brand
        rendered = [render_state(project, t, target) for target in states[(t.brand, t.email.id)]]
        # the subject and preheader as the first state's customer reads them (the raw ones
        # hold Klaviyo's tags, whose length means nothing)
        doc = CheckInput(
            html=t.html, text=t.text, subject=rendered[0][1].subject,
            preheader=rendered[0][1].preheader,
            lang=b.locale, palette=b.palette.light.model_dump(),
            dark_palette=b.palette.dark.model_dump(), postal_address=b.postal_address,
            export=True,
            whatsapp_message=b.whatsapp.message if b.whatsapp and (t.brand, t.email.id)
            in whatsapp else None,
            utm=dict(b.utm) if project.checks.require_utm and b.utm else None,
            website=b.website, source_name=f"{t.key}/{EXPORT_SCENARIO}")
        reports.append(PageReport(t.brand, t.email.id, EXPORT_SCENARIO,
                                  tuple(run_checks(doc, config)),
                                  len(t.html.encode("utf-8"))))
        reports += [PageReport(t.brand, t.email.id, f"{EXPORT_SCENARIO}:{target.scenario}",
                               tuple(run_checks(state, config, only=["data"])),
                               len(state.html.encode("utf-8"))) for target, state in rendered]
    return reports


def render_state(project: Project, template: KlaviyoTemplate,
                 target: Target) -> tuple[Target, CheckInput]:
    """The export as Klaviyo renders it for `target`'s data (klaviyo_engine.py), for the
    data rules: a null or a missing value shows up here as it would in the inbox."""
    from ..klaviyo_engine import render_export
    from ..project import load_fixture

    state = target.data_state
    fixture = load_fixture(project, target.brand, state.fixture, state.override)
    b = project.brands[target.brand].brand
    return target, CheckInput(
        html=render_export(template.html, fixture), text=render_export(template.text, fixture),
        subject=render_export(template.subject, fixture),
        preheader=render_export(template.preheader, fixture), lang=b.locale,
        palette=b.palette.light.model_dump(), dark_palette=b.palette.dark.model_dump(),
        postal_address=b.postal_address, export=True,
        source_name=f"{template.key}/{EXPORT_SCENARIO}:{target.scenario}",
        names=state_names(project, target))


def totals(reports: Iterable[PageReport]) -> Counter[str]:
    total: Counter[str] = Counter()
    for report in reports:
        total.update(report.counts)
    return total


def failed(reports: Iterable[PageReport], *, strict: bool = False) -> bool:
    """The gate: any error, or with `strict` any warning too."""
    counts = totals(reports)
    return counts["error"] > 0 or (strict and counts["warning"] > 0)
