"""The site's shared data: the sidebar as one script file, brand labels, state labels,
and each flow as a canvas (trigger, waits, emails, branches) for the home page.

The sidebar is written once per build as `_mailkit/nav-data.js` and drawn by the
browser, instead of being copied into every page: a project of 1 000 pages then
writes 1 000 small pages and one index, not 1 000 copies of a 1 000-entry list
(a quadratic build), and the search box filters data it already holds. It is a
script, not JSON, because a page opened from file:// cannot fetch a JSON file.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .pages import EmailView

if TYPE_CHECKING:
    from ..model import BuildResult, Page
    from ..project.flows_yaml import Flow


def brand_labels(result: BuildResult) -> dict[str, str]:
    """brand slug → the name the site shows: the display name, with the folder's name
    added where two brands share a display name (a copied brand folder)."""
    names = {slug: bp.brand.display_name for slug, bp in result.project.brands.items()}
    twice = {n for n, c in Counter(names.values()).items() if c > 1}
    return {slug: f"{name} ({slug})" if name in twice else name for slug, name in names.items()}


def humanize(slug: str) -> str:
    """`sans-app` → `Sans app`: a readable fallback where a state has no description."""
    text = slug.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def state_label(page: Page) -> str:
    """What a state's button says: the description the flow gives it, else its name."""
    return page.target.description or humanize(page.target.scenario)


def override_summary(page: Page) -> str:
    """The data a state changes, `person.Has R-PUR App = true`: the condition of a branch."""
    target = page.target
    if target.edge or not target.data_state.override:
        return ""
    parts: list[str] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict) and value:
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        else:
            parts.append(f"{prefix} = {json.dumps(value, ensure_ascii=False)}")

    walk("", target.data_state.override)
    return ", ".join(parts)


def problem_count(page: Page) -> int:
    """Errors and warnings of one state (its findings), for its button's pill."""
    return sum(1 for f in page.findings or () if f.severity in ("error", "warning"))


@dataclass
class Step:
    """One email of a flow's canvas: the wait before it, and its states as branches."""

    view: EmailView
    wait_days: int  # since the previous email (or the trigger)
    wait_hours: int
    named: list[Page] = field(default_factory=list)
    edge: list[Page] = field(default_factory=list)

    @property
    def wait_label(self) -> str:
        days, hours = self.wait_days, self.wait_hours
        if not days and not hours:
            return ""
        parts = []
        if days:
            parts.append(f"{days} day{'s' if days > 1 else ''}")
        if hours:
            parts.append(f"{hours} h")
        return "Wait " + " ".join(parts)


def flow_steps(result: BuildResult, brand: str, views: list[EmailView]) -> list[Step]:
    """The flow as Klaviyo's builder draws it: a wait node before each email (relative
    to the previous one), then the email, split into one branch per named state."""
    bp = result.project.brands[brand]
    steps, before = [], 0
    for view in views:
        days = bp.delay_days(view.email)
        step = Step(view, max(days - before, 0), view.email.delay.hours)
        for page in view.pages:
            (step.edge if page.target.edge else step.named).append(page)
        steps.append(step)
        before = days
    return steps


def nav_data(result: BuildResult, tree: dict[str, list[tuple[Flow, list[EmailView]]]],
             labels: dict[str, str], report_url: str) -> dict:
    """Everything the sidebar shows and searches: brand, flow, email, subject, states."""
    brands = []
    for slug, flows in tree.items():
        brands.append({"slug": slug, "label": labels[slug], "url": f"{slug}/index.html",
                       "flows": [{
            "id": flow.id, "name": flow.name,
            "trigger": flow.trigger.metric or flow.trigger.segment,
            "emails": [{
                "url": v.url, "name": v.email.name, "delay": v.delay.split(" ")[0],
                "subject": v.pages[0].rendered.subject,
                "states": [f"{p.target.scenario} {p.target.description}" for p in v.pages],
            } for v in views]} for flow, views in flows]})
    return {"brands": brands, "report": report_url, "pages": len(result.pages)}


def nav_script(data: dict) -> str:
    """`nav_data` as a script: `</` escaped so no subject can close the script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return f"window.MAILKIT_NAV = {text};\n"
