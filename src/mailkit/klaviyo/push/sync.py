"""Bring a Klaviyo account in line with the export: images, templates, draft flows.

First a *plan*, read from the account: each object is found by its name (templates,
flows) or its content hash (images) and marked create, update (with what changed) or
unchanged; what the API cannot change in place is marked ``blocked`` with the reason,
and the live flow is left alone. ``--dry-run`` prints the plan and writes nothing.
Then the plan runs in order (images, whose URLs the templates need, then templates,
then flows, which need the templates' ids). A push that stops half-way (Klaviyo kept
failing) reports what was done and what was not; running it again plans only the rest.

A template's ``<title>`` (and the wrapper's ``aria-label``) is left out of comparisons:
it repeats the subject, which Klaviyo takes from the flow email's subject line, so a
changed subject is one update, of that subject line; the title follows at the next
change of the HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...model import KlaviyoTemplate
from .client import KlaviyoError, _Client, _GaveUp, _Rejected, connect
from .flow_sync import plan_flows
from .images import assets, multipart, rewrite
from .plan import NEW_IMAGE, Account, Step, SyncReport, same_html, with_urls
from .templates import TemplateUpload, upsert_template

if TYPE_CHECKING:
    from ..export import KlaviyoExport


def plan(export: KlaviyoExport, client: _Client) -> SyncReport:
    """Read the account and decide, per object, what a push does."""
    acc = Account(client)
    report = SyncReport([])
    _plan_images(export, acc, report)
    for slug, bp in export.project.brands.items():
        if bp.brand.images == "public_base_url" and any(t.brand == slug
                                                         for t in export.templates):
            report.todo[f"{slug} · images"] = [
                f"put the brand's assets at {bp.brand.public_base_url.rstrip('/')}/<file> "
                "(images: public_base_url in brand.yaml: mailkit uploads nothing)"]
    _plan_templates(export, acc, report)
    plan_flows(export, acc, report)
    return report


def _plan_images(export: KlaviyoExport, acc: Account, report: SyncReport) -> None:
    wanted = assets(export)
    if not wanted:
        return
    by_hash = {}
    for item in acc.listing("/api/images", {"fields[image]": "name,image_url"}):
        a = item.get("attributes") or {}
        by_hash.setdefault(str(a.get("name", "")).rsplit(" ", 1)[-1], a.get("image_url"))
    for asset in wanted:
        if by_hash.get(asset.digest):
            report.urls[asset.url] = by_hash[asset.digest]
            report.steps.append(Step("image", asset.name, "unchanged"))
            continue

        def upload(asset=asset) -> None:
            doc = acc.client.send("POST", acc.client.base_url + "/api/image-upload",
                                  raw=multipart(asset))
            report.urls[asset.url] = doc["data"]["attributes"]["image_url"]

        report.urls.setdefault(asset.url, NEW_IMAGE)
        report.steps.append(Step("image", asset.name, "create", [asset.file], upload))


def _plan_templates(export: KlaviyoExport, acc: Account, report: SyncReport) -> None:
    found = acc.by_name("/api/templates/", {"fields[template]": "name,html,text"})
    for t in export.templates:
        have = found.get(t.name)
        planned = rewrite(t, report.urls)
        if have is not None:
            report.template_ids[t.name] = have["id"]
            a = have.get("attributes") or {}
            changes = [what for what, same in (
                ("HTML", same_html(a.get("html"), planned.html)),
                ("text", (a.get("text") or "") == planned.text)) if not same]
            if NEW_IMAGE in planned.html:
                changes = ["HTML (new image URLs)"]
            if not changes:
                report.steps.append(Step("template", t.name, "unchanged"))
                continue

        def upsert(t=t) -> None:
            final = with_urls(t, report, required=True)
            tid, _ = upsert_template(acc.client, _upload(final),
                                     report.template_ids.get(t.name))
            report.template_ids[t.name] = tid

        action = "update" if have is not None else "create"
        report.steps.append(Step("template", t.name, action,
                                 changes if have is not None else [], upsert))


def _upload(t: KlaviyoTemplate) -> TemplateUpload:
    return TemplateUpload(t.name, t.html, t.text)


def apply(report: SyncReport, say: Callable[[str], None]) -> SyncReport:
    """Run the plan in order. A rejected object (4xx) is reported and the rest goes on;
    Klaviyo failing on and on (5xx, no connection) stops the push, the rest reported as
    not done."""
    todo = [s for s in report.steps if s.run is not None]
    for index, step in enumerate(todo):
        try:
            step.run()
        except _Rejected as exc:
            report.failed.append((step, str(exc)))
            continue
        except _GaveUp as exc:
            report.failed.append((step, str(exc)))
            report.not_attempted = todo[index + 1:]
            report.stopped = f"Klaviyo kept failing ({exc})"
            return report
        except KlaviyoError as exc:
            report.not_attempted = todo[index:]
            raise KlaviyoError(str(exc)) from None
        report.done.append(step)
        say(f"{step.action}d {step.kind} {step.name}")
    return report


def sync(export: KlaviyoExport, *, api_key: str, base_url: str, dry_run: bool = False,
         sleep: Callable[[float], Any] | None = None, max_retries: int = 5,
         log: Callable[[str], None] | None = None) -> SyncReport:
    """Plan, then (unless ``dry_run``) apply. Every message is scrubbed of the key;
    a refused key or an unreadable account raises KlaviyoError."""
    client = connect(api_key, base_url, say=log, sleep=sleep, max_retries=max_retries)
    try:
        report = plan(export, client)
    except (KlaviyoError, _Rejected, _GaveUp) as exc:
        prefix = "" if isinstance(exc, KlaviyoError) else "could not read the Klaviyo account: "
        raise KlaviyoError(client.scrub(prefix + str(exc))) from None
    report.dry_run = dry_run
    if not dry_run:
        try:
            apply(report, client.say)
        except KlaviyoError as exc:
            raise KlaviyoError(client.scrub(str(exc))) from None
        report.failed = [(s, client.scrub(why)) for s, why in report.failed]
        if report.stopped:
            report.stopped = client.scrub(report.stopped)
    return report
