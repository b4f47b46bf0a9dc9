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

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .klaviyo import KlaviyoExport, KlaviyoTemplate
from .klaviyo_api import KlaviyoError, _Client, _GaveUp, _origin, _Rejected
from .klaviyo_images import assets, multipart, rewrite

NEW_IMAGE = "(new upload)"


@dataclass
class Step:
    kind: str  # image, template, flow, flow email, flow delay
    name: str
    action: str  # create, update, unchanged, blocked
    changes: list[str] = field(default_factory=list)
    run: Callable[[], None] | None = None
    details: list[str] = field(default_factory=list)  # printed under the line, indented

    def line(self, dry_run: bool) -> str:
        verb = {"create": "would create", "update": "would update"}.get(self.action, self.action) \
            if dry_run else self.action
        more = f" — {'; '.join(self.changes)}" if self.changes else ""
        return f"{verb:<13} {self.kind:<11} {self.name}{more}"


@dataclass
class SyncReport:
    steps: list[Step]
    dry_run: bool = False
    done: list[Step] = field(default_factory=list)
    failed: list[tuple[Step, str]] = field(default_factory=list)
    not_attempted: list[Step] = field(default_factory=list)
    stopped: str | None = None
    todo: dict[str, list[str]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)  # asset URL -> library URL
    template_ids: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.not_attempted

    def count(self, action: str) -> int:
        return sum(s.action == action for s in self.steps)

    def lines(self) -> list[str]:
        out = []
        for s in self.steps:
            out += [s.line(self.dry_run)] + [f"{'':<14}  {d}" for d in s.details]
        out += [f"failed        {s.kind:<11} {s.name} — {why}" for s, why in self.failed]
        out += [f"not done      {s.kind:<11} {s.name}" for s in self.not_attempted]
        for flow, items in self.todo.items():
            out += [f"to do         {flow}: {item}" for item in items]
        counts = ", ".join(f"{self.count(a)} {a}" for a in
                           ("create", "update", "unchanged", "blocked"))
        out.append(counts + (" (dry run: nothing written)" if self.dry_run else ""))
        if self.stopped:
            out.append(f"stopped early: {self.stopped}; run the push again to finish")
        return out


# Where the layout repeats the subject: the <title> and the email wrapper's aria-label.
_TITLE = re.compile(r'<title>.*?</title>|aria-label="[^"]*"(?= aria-roledescription="email")',
                    re.S)


def same_html(a: str | None, b: str | None) -> bool:
    return _TITLE.sub("", a or "") == _TITLE.sub("", b or "")


class Account:
    """The account as read once at the start: names and ids of what mailkit manages."""

    def __init__(self, client: _Client) -> None:
        self.client = client

    def listing(self, path: str, fields: dict[str, str] | None = None) -> list[dict]:
        """Every item of a collection, following ``links.next`` on the same host only."""
        query = "?" + urllib.parse.urlencode(fields) if fields else ""
        url: str | None = f"{self.client.base_url}{path}{query}"
        items: list[dict] = []
        while url:
            if _origin(url) != _origin(self.client.base_url):
                raise KlaviyoError("refusing to follow a pagination link to another host "
                                   f"({_origin(url)[1]}): the API key would go with it")
            page = self.client.send("GET", url)
            items += [i for i in page.get("data") or [] if i.get("id")]
            url = (page.get("links") or {}).get("next")
        return items

    def by_name(self, path: str, fields: dict[str, str] | None = None) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for item in self.listing(path, fields):
            found.setdefault((item.get("attributes") or {}).get("name"), item)
        return found

    def get(self, path: str) -> dict:
        return self.client.send("GET", self.client.base_url + path).get("data") or {}


def plan(export: KlaviyoExport, client: _Client) -> SyncReport:
    """Read the account and decide, per object, what a push does."""
    acc = Account(client)
    report = SyncReport([])
    _plan_images(export, acc, report)
    _plan_templates(export, acc, report)
    from .klaviyo_flow_sync import plan_flows  # it builds on this module's Step and Account

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


def with_urls(t: KlaviyoTemplate, report: SyncReport, required: bool = False
              ) -> KlaviyoTemplate:
    """``t`` pointing at the library URLs known so far: when a step runs, the images
    it needs were uploaded by earlier steps. ``required``: an image whose upload
    failed stops this template (it would point at a host the brand does not use)."""
    missing = [u for u, v in report.urls.items() if v == NEW_IMAGE and u in t.html]
    if required and missing:
        raise _Rejected(f"not pushed: its image {missing[0].rsplit('/', 1)[-1]} was not "
                        "uploaded")
    return rewrite(t, {k: v for k, v in report.urls.items() if v != NEW_IMAGE})


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
            tid, _ = acc.client.upsert(_upload(final), report.template_ids.get(t.name))
            report.template_ids[t.name] = tid

        action = "update" if have is not None else "create"
        report.steps.append(Step("template", t.name, action,
                                 changes if have is not None else [], upsert))


def _upload(t: KlaviyoTemplate) -> Any:
    from .klaviyo_api import TemplateUpload

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
    import time

    from .klaviyo_api import KLAVIYO_REVISION, _Secret

    key = _Secret(api_key)

    def say(message: str) -> None:
        if log is not None:
            log(key.scrub(message))

    client = _Client(key, base_url, KLAVIYO_REVISION, sleep or time.sleep, max_retries, say)
    try:
        report = plan(export, client)
    except (KlaviyoError, _Rejected, _GaveUp) as exc:
        prefix = "" if isinstance(exc, KlaviyoError) else "could not read the Klaviyo account: "
        raise KlaviyoError(key.scrub(prefix + str(exc))) from None
    report.dry_run = dry_run
    if not dry_run:
        try:
            apply(report, say)
        except KlaviyoError as exc:
            raise KlaviyoError(key.scrub(str(exc)), None) from None
        report.failed = [(s, key.scrub(why)) for s, why in report.failed]
        if report.stopped:
            report.stopped = key.scrub(report.stopped)
    return report
