"""The adapter between a build and the checks: a built page (or its export) → `CheckInput`.

The library (`check/`, `run_checks`) knows nothing of brands or builds; this module, the
only place that turns build data into check inputs, says what
each email *should* contain: the brand's language, palettes, postal address, UTM
parameters and website, the WhatsApp message when the email shares one, and where
its relative image URLs resolve. The build calls `check_page` once per rendered page
and keeps the findings on the `Page`, so the dev server, which reuses unchanged pages,
never checks an email twice, and `mailkit check` and the preview site show the same
findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..check.model import CheckConfig, CheckInput, Finding, PageReport
from ..model import (
    BuildResult,
    CompiledEmail,
    KlaviyoTemplate,
    Page,
    Rendered,
    Target,
    page_key,
)
from ..project.checks_yaml import check_config
from ..project.load import Project, load_fixture
from ..project.schema import Brand

#: An email that includes this partial shares the brand's WhatsApp message: its link
#: must decode to that message exactly (a brand override of the partial counts too).
WHATSAPP_PARTIAL = ("partials", "whatsapp.mjml.j2")
EXPORT_SCENARIO = "klaviyo-export"  # the "scenario" column of an export's report


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
        website=brand.website, source_name=target.key, names=state_names(project, target),
        **copy_rules(brand))


def state_names(project: Project, target: Target) -> tuple[str, ...]:
    """The profile's names in this state's data, for the doubled-name rule."""
    state = target.data_state
    try:
        person = load_fixture(project, target.brand, state.fixture, state.override).get("person")
    except Exception:  # a broken fixture is reported by the build itself
        return ()
    if not isinstance(person, dict):
        return ()
    return tuple(str(person[k]) for k in ("first_name", "last_name") if person.get(k))


def copy_rules(brand: Brand) -> dict[str, Any]:
    """The brand's voice and the hyphenated names it must never see broken: its
    name, its app's, its website's host (the footer shows it)."""
    names = [brand.display_name, brand.app.name if brand.app else "",
             urlsplit(brand.website).hostname or ""]
    together = sorted({w for n in names for w in n.split() if "-" in w.strip("-")})
    return {"voice": brand.voice.address if brand.voice else None,
            "keep_together": tuple(together)}


def check_page(project: Project, target: Target, rendered: Rendered, compiled: CompiledEmail,
               deps: Iterable[Path], config: CheckConfig | None = None) -> tuple[Finding, ...]:
    """Every finding for one preview page (`config`: pass one per build, it is the same)."""
    from ..check.runner import run_checks  # the rules' modules: only where checks run

    doc = page_input(project, target, rendered, compiled, deps)
    return tuple(run_checks(doc, config or check_config(project.checks)))


def page_report(page: Page) -> PageReport:
    """A page's findings as the CLI and the site show them (kept by the build)."""
    t = page.target
    return PageReport(t.key, t.brand, t.email.id, t.scenario, page.findings or (),
                      len(page.compiled.html.encode("utf-8")))


def build_reports(result: BuildResult) -> list[PageReport]:
    """One report per built page, in build order, from the findings the build kept."""
    return [page_report(p) for p in result.pages.values()]


def export_reports(result: BuildResult) -> list[PageReport]:
    """Check the Klaviyo export of each email the build covers, as the build exported it
    (one per brand × email; `--brand` and `--email` have filtered the build already).

    The export renders Klaviyo's own tags (unsubscribe, web view) and absolute image
    URLs, so it is checked with `export=True`. The WhatsApp rule follows the preview:
    an email whose preview pages include the WhatsApp partial must carry the message.
    """
    from ..check.rules import DATA_RULES
    from ..check.runner import run_checks

    project = result.project
    whatsapp = {p.target.email_key for p in result.pages.values() if uses_whatsapp(p.deps)}
    states: dict[str, list[Target]] = {}
    for p in result.pages.values():
        states.setdefault(p.target.email_key, []).append(p.target)
    config = check_config(project.checks)
    reports = []
    for t in result.templates():
        rendered = [render_state(project, t, target) for target in states.get(t.key, [])]
        doc = export_input(project, t, t.key in whatsapp, rendered[0] if rendered else None)
        reports.append(PageReport(page_key(t.brand, t.email.id, EXPORT_SCENARIO), t.brand,
                                  t.email.id, EXPORT_SCENARIO, tuple(run_checks(doc, config)),
                                  len(t.html.encode("utf-8"))))
        for target, state in zip(states.get(t.key, []), rendered, strict=True):
            scenario = f"{EXPORT_SCENARIO}:{target.scenario}"
            reports.append(PageReport(page_key(t.brand, t.email.id, scenario), t.brand,
                                      t.email.id, scenario,
                                      tuple(run_checks(state, config, only=DATA_RULES)),
                                      len(state.html.encode("utf-8"))))
    return reports


def render_state(project: Project, template: KlaviyoTemplate, target: Target) -> CheckInput:
    """The export as Klaviyo renders it for `target`'s data (klaviyo/engine.py), for the
    data rules: a null or a missing value shows up here as it would in the inbox."""
    from ..klaviyo.dialect.engine import render_export

    state = target.data_state
    fixture = load_fixture(project, target.brand, state.fixture, state.override)
    b = project.brands[target.brand].brand
    return CheckInput(
        html=render_export(template.html, fixture), text=render_export(template.text, fixture),
        subject=render_export(template.subject, fixture),
        preheader=render_export(template.preheader, fixture), lang=b.locale,
        palette=b.palette.light.model_dump(), dark_palette=b.palette.dark.model_dump(),
        postal_address=b.postal_address, export=True,
        source_name=f"{template.key}/{EXPORT_SCENARIO}:{target.scenario}",
        names=state_names(project, target))


def export_input(project: Project, t: KlaviyoTemplate, whatsapp: bool,
                 first: CheckInput | None = None) -> CheckInput:
    """What one Klaviyo template should be, for the checks. The subject and preheader
    are checked as the first state's customer reads them (`first`, rendered): the raw
    ones hold Klaviyo's tags, whose length means nothing."""
    b = project.brands[t.brand].brand
    return CheckInput(
        html=t.html, text=t.text, subject=first.subject if first else t.subject,
        preheader=first.preheader if first else t.preheader,
        lang=b.locale, palette=b.palette.light.model_dump(),
        dark_palette=b.palette.dark.model_dump(), postal_address=b.postal_address,
        export=True, whatsapp_message=b.whatsapp.message if b.whatsapp and whatsapp else None,
        utm=dict(b.utm) if project.checks.require_utm and b.utm else None,
        website=b.website, source_name=f"{t.key}/{EXPORT_SCENARIO}", **copy_rules(b))
