"""`mailkit export klaviyo --verify`: Klaviyo renders each pushed template, per state.

The gate before a flow goes live. For every pushed template and every state of its
email (the named scenarios and the generated edge states the build renders), the
state's fixture goes to Klaviyo's Render Template API (``POST /api/template-render``,
render_template.json) as the context, and what Klaviyo renders is compared with the
preview of that state: the visible text and the links. So a difference between our
Jinja preview and Klaviyo's Django engine (a filter that prints differently, a
variable the export names wrongly, a template edited in Klaviyo since) shows up before
a customer sees it.

Klaviyo's system links (unsubscribe, preferences, web view) render to Klaviyo's own
URLs while the preview points them at the brand's site: both sides map them to
``[klaviyo link]`` before comparing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import lxml.html

from ...model import Page
from ...pipeline.text import html_to_text
from ...project.load import load_fixture
from ..dialect.engine import klaviyo_context

if TYPE_CHECKING:
    from ..export import KlaviyoExport

SYSTEM = "[klaviyo link]"
# Hosts of Klaviyo's system and tracking links (manage.kmail-lists.com, trk.klclick.com…).
_KLAVIYO_HOSTS = re.compile(r"https?://[^/\s\]\"']*(kmail-lists\.com|klclick\d*\.com|"
                            r"klaviyo\.com)[^\s\]\"']*")


@dataclass
class Verdict:
    template: str  # its name in Klaviyo
    state: str  # brand/email/state
    edge: bool
    text_ok: bool
    links_ok: bool
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.text_ok and self.links_ok


def _system(text: str, preview_links: tuple[str, ...]) -> str:
    for url in preview_links:
        text = text.replace(url, SYSTEM)
    return _KLAVIYO_HOSTS.sub(SYSTEM, text)


def _links(html: str) -> list[str]:
    return [a.get("href") or "" for a in lxml.html.document_fromstring(html).iter("a")]


def _first_difference(a: str, b: str) -> str:
    for i, (x, y) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False)):
        if x != y:
            return f"line {i + 1}: preview “{x[:60]}” ≠ Klaviyo “{y[:60]}”"
    return f"preview has {len(a.splitlines())} lines, Klaviyo {len(b.splitlines())}"


def verify(export: KlaviyoExport, pages: Mapping[str, Page], template_ids: dict[str, str],
           render: Callable[[str, dict[str, Any]], str]) -> list[Verdict]:
    """Compare Klaviyo's render of each template (``render(id, context)`` → HTML) with
    the preview ``pages`` of each state of its email (the command builds them). A
    template not in the account is a failed verdict, not an exception: the table says
    which."""
    project = export.project
    verdicts = []
    for t in export.templates:
        brand = project.brands[t.brand].brand
        site = brand.website.rstrip("/")
        system = tuple(f"{site}/pages/{p}" for p in
                       ("desinscription", "preferences-email", "version-web"))
        for key, page in sorted(pages.items()):
            target = page.target
            if (target.brand, target.email.id) != (t.brand, t.email.id):
                continue
            edge = target.edge
            tid = template_ids.get(t.name)
            if tid is None:
                verdicts.append(Verdict(t.name, key, edge, False, False, "not in the account"))
                continue
            state = target.data_state
            fixture = load_fixture(project, t.brand, state.fixture, state.override)
            html = render(tid, klaviyo_context(fixture))
            want = _system(page.compiled.text, system)
            got = _system(html_to_text(html), system)
            want_links = [_system(h, system) for h in _links(page.compiled.html)]
            got_links = [_system(h, system) for h in _links(html)]
            detail = ""
            if want != got:
                detail = _first_difference(want, got)
            elif want_links != got_links:
                extra = sorted(set(got_links) ^ set(want_links))[:2]
                detail = f"links differ: {', '.join(extra) or 'order or count'}"
            verdicts.append(Verdict(t.name, key, edge, want == got, want_links == got_links,
                                    detail))
    return verdicts


def table(verdicts: list[Verdict]) -> list[str]:
    """One row per template × state, then the totals."""
    width = max((len(v.state) for v in verdicts), default=5) + 2
    rows = [f"{'state':<{width}}{'kind':<7}{'text':<6}{'links':<7}detail"]
    for v in verdicts:
        rows.append(f"{v.state:<{width}}{'edge' if v.edge else 'named':<7}"
                    f"{'ok' if v.text_ok else 'DIFF':<6}{'ok' if v.links_ok else 'DIFF':<7}"
                    f"{v.detail}".rstrip())
    bad = sum(not v.ok for v in verdicts)
    differ = f"; {bad} {'differs' if bad == 1 else 'differ'}" if bad else ""
    rows.append(f"verify: {len(verdicts) - bad} of {len(verdicts)} states render in Klaviyo as "
                f"in the preview{differ}")
    return rows


def remote_renderer(client: Any) -> Callable[[str, dict[str, Any]], str]:
    """``render(id, context)`` through Klaviyo's Render Template API."""
    def render(template_id: str, context: dict[str, Any]) -> str:
        body = {"data": {"type": "template", "id": template_id,
                         "attributes": {"context": context}}}
        doc = client.send("POST", client.base_url + "/api/template-render", body)
        return ((doc.get("data") or {}).get("attributes") or {}).get("html") or ""

    return render


def verify_account(export: KlaviyoExport, pages: Mapping[str, Page], *, api_key: str,
                   base_url: str,
                   sleep: Callable[[float], Any] | None = None,
                   log: Callable[[str], None] | None = None) -> list[Verdict]:
    """Find the pushed templates by name, then verify each through Klaviyo."""
    from .client import KlaviyoError, _GaveUp, _Rejected, connect
    from .sync import Account

    client = connect(api_key, base_url, say=log, sleep=sleep)
    try:
        found = Account(client).by_name("/api/templates/", {"fields[template]": "name"})
        return verify(export, pages, {n: i["id"] for n, i in found.items()},
                      remote_renderer(client))
    except (KlaviyoError, _Rejected, _GaveUp) as exc:  # a refused key too: scrubbed
        prefix = "" if isinstance(exc, KlaviyoError) else "verify: "
        raise KlaviyoError(client.scrub(prefix + str(exc))) from None
