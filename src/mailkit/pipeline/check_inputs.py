"""What each built email should contain, for the checks: a page or an export → `CheckInput`.

The checks (`check/`) know nothing of brands or builds; this module is the one place
that turns build data into their input: the brand's language, palettes, postal
address, UTM parameters and website, the WhatsApp message when the email shares one,
and where its relative image URLs resolve.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..check.model import CheckInput
from ..model import CompiledEmail, KlaviyoTemplate, Rendered, Target
from ..project.flows_yaml import Email, Flow
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
    """What one preview page should be (`compiled` None: the compile's output is filled
    in where the job runs, see jobs.py)."""
    return CheckInput(
        html=compiled.html if compiled else "", text=compiled.text if compiled else "",
        subject=rendered.subject, preheader=rendered.preheader,
        # the page is <brand>/<email>/<scenario>.html and the build copies the brand's
        # assets to <brand>/assets: so `../assets/x.png` resolves to brands/<brand>/assets
        asset_root=project.brands[target.brand].dir / target.email.id,
        source_name=target.key, names=state_names(project, target),
        **_sent(project, target.brand, target.flow, target.email),
        **_expected(project, target.brand, whatsapp=uses_whatsapp(deps)))


def export_input(project: Project, t: KlaviyoTemplate, whatsapp: bool,
                 first: CheckInput | None = None) -> CheckInput:
    """What one Klaviyo template should be. The subject and preheader are checked as the
    first state's customer reads them (`first`, rendered): the raw ones hold Klaviyo's
    tags, whose length means nothing."""
    return CheckInput(
        html=t.html, text=t.text, subject=first.subject if first else t.subject,
        preheader=first.preheader if first else t.preheader, export=True,
        source_name=f"{t.key}/{EXPORT_SCENARIO}", **_sent(project, t.brand, t.flow, t.email),
        **_expected(project, t.brand, whatsapp=whatsapp))


def state_input(project: Project, template: KlaviyoTemplate, target: Target,
                render: Any) -> CheckInput:
    """The export as Klaviyo renders it for `target`'s data, for the data rules: a null or
    a missing value shows up here as it would in the inbox. `render(text, fixture)` is
    the ESP's own renderer (klaviyo/dialect/engine.py)."""
    state = target.data_state
    fixture = load_fixture(project, target.brand, state.fixture, state.override)
    return CheckInput(
        html=render(template.html, fixture), text=render(template.text, fixture),
        subject=render(template.subject, fixture),
        preheader=render(template.preheader, fixture), export=True,
        source_name=f"{template.key}/{EXPORT_SCENARIO}:{target.scenario}",
        names=state_names(project, target), **_expected(project, target.brand, whatsapp=False))


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


def _sent(project: Project, slug: str, flow: Flow, email: Email) -> dict[str, Any]:
    """When the flow sends it: by an event or a segment, how many days after."""
    return {"trigger": "segment" if flow.trigger.segment else "metric",
            "delay_days": project.brands[slug].delay_days(email)}


def _expected(project: Project, slug: str, *, whatsapp: bool) -> dict[str, Any]:
    """What every email of this brand should carry, whatever it is."""
    brand = project.brands[slug].brand
    return {
        "lang": brand.locale, "palette": brand.palette.light.model_dump(),
        "dark_palette": brand.palette.dark.model_dump(),
        "postal_address": brand.postal_address,
        "whatsapp_message": brand.whatsapp.message if brand.whatsapp and whatsapp else None,
        "utm": dict(brand.utm) if project.checks.require_utm and brand.utm else None,
        "website": brand.website, "brand_copy": project.brands[slug].copy,
        "other_brands": _others(project, slug), **copy_rules(brand)}


def _others(project: Project, slug: str) -> tuple[str, ...]:
    """The other brands' names and website hosts (`www.` dropped), for the brand rule."""
    found: set[str] = set()
    for other, bp in project.brands.items():
        if other != slug:
            host = urlsplit(bp.brand.website).hostname or ""
            found |= {bp.brand.display_name, host.removeprefix("www.")} - {""}
    return tuple(sorted(found))


def copy_rules(brand: Brand) -> dict[str, Any]:
    """The brand's voice and the hyphenated names it must never see broken: its
    name, its app's, its website's host (the footer shows it)."""
    names = [brand.display_name, brand.app.name if brand.app else "",
             urlsplit(brand.website).hostname or ""]
    together = sorted({w for n in names for w in n.split() if "-" in w.strip("-")})
    return {"voice": brand.voice.address if brand.voice else None,
            "keep_together": tuple(together)}
