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
from .klaviyo_flows import FlowPlan, definition, describe, flow_plans, send_email_data, shape
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
    _plan_flows(export, acc, report)
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


def _final(t: KlaviyoTemplate, report: SyncReport) -> KlaviyoTemplate:
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
            final = _final(t, report)
            tid, _ = acc.client.upsert(_upload(final), report.template_ids.get(t.name))
            report.template_ids[t.name] = tid

        action = "update" if have is not None else "create"
        report.steps.append(Step("template", t.name, action,
                                 changes if have is not None else [], upsert))


def _upload(t: KlaviyoTemplate) -> Any:
    from .klaviyo_api import TemplateUpload

    return TemplateUpload(t.name, t.html, t.text)


def _plan_flows(export: KlaviyoExport, acc: Account, report: SyncReport) -> None:
    plans = flow_plans(export)
    if not plans:
        return
    ids = {"metric": {n: i["id"] for n, i in acc.by_name("/api/metrics").items()},
           "segment": {n: i["id"] for n, i in acc.by_name("/api/segments").items()}}
    flows = acc.by_name("/api/flows", {"fields[flow]": "name,status"})
    for fp in plans:
        report.todo[fp.name] = list(fp.todo)
        trigger_id = ids[fp.trigger_kind].get(fp.trigger_name)
        if trigger_id is None:
            report.steps.append(Step("flow", fp.name, "blocked", [
                f"no {fp.trigger_kind} named “{fp.trigger_name}” in the account: create it "
                "(or connect the integration that records it), then push again"]))
            continue
        brand = export.project.brands[fp.brand].brand
        sender = (brand.sender.name, brand.sender.email)
        existing = flows.get(fp.name)
        if existing is None:
            def create(fp=fp, trigger_id=trigger_id, sender=sender) -> None:
                missing = [t.name for t in fp.templates if t.name not in report.template_ids]
                if missing:
                    raise _Rejected(f"not created: its template {missing[0]!r} was not pushed")
                body = {"data": {"type": "flow", "attributes": {
                    "name": fp.name,
                    "definition": definition(fp, trigger_id, report.template_ids, sender)}}}
                acc.client.send("POST", acc.client.base_url + "/api/flows", body)

            emails = ", ".join(str(t.position) for t in fp.templates)
            report.steps.append(Step("flow", fp.name, "create", [f"draft, emails {emails}"],
                                     create, describe(fp)))
            continue
        _plan_flow_update(fp, trigger_id, sender, existing, acc, report)


def _plan_flow_update(fp: FlowPlan, trigger_id: str, sender: tuple[str, str],
                      existing: dict, acc: Account, report: SyncReport) -> None:
    fid = existing["id"]
    live = (existing.get("attributes") or {}).get("status") == "live"
    have = (acc.get(f"/api/flows/{fid}?additional-fields%5Bflow%5D=definition")
            .get("attributes") or {}).get("definition") or {}
    ids = {t.name: report.template_ids.get(t.name, "") for t in fp.templates}
    want = definition(fp, trigger_id, ids, sender)
    if shape(have) != shape(want):
        report.steps.append(Step("flow", fp.name, "blocked", [
            "its trigger or its chain of delays and emails changed, which the API cannot "
            "change in place: left alone; delete the draft in Klaviyo and push again"
            + (" (the flow is live: change it by hand)" if live else "")]))
        return
    steps: list[Step] = []
    chain = _in_order(have)
    for old, new in zip(chain, want["actions"], strict=True):
        if new["type"] == "time-delay":
            a, b = old.get("data") or {}, new["data"]
            if (a.get("unit"), a.get("value")) != (b["unit"], b["value"]):
                steps.append(_action_step("flow delay", f"{fp.name} · {new['temporary_id']}",
                             [f"delay {a.get('value')} {a.get('unit')} → {b['value']} "
                              f"{b['unit']}"], old, new, acc))
            continue
        t = next(t for t in fp.templates if f"email-{t.email.id}" == new["temporary_id"])
        msg = (old.get("data") or {}).get("message") or {}
        data = send_email_data(fp, t, msg.get("template_id") or "", sender)
        changes = [f"{label}: “{msg.get(k)}” → “{data['message'][k]}”" for k, label in (
            ("subject_line", "subject"), ("preview_text", "preview text"),
            ("from_email", "sender address"), ("from_label", "sender name"))
            if msg.get(k) != data["message"][k]]
        if changes:
            steps.append(_action_step("flow email", t.name, changes, old,
                                      {"type": "send-email", "data": data}, acc))
        if msg.get("template_id"):
            steps += _flow_template_step(t, msg["template_id"], acc, report)
    if live and steps:
        for s in steps:
            s.action, s.run = "blocked", None
            s.changes.append("the flow is live: left alone, change it by hand")
    report.steps += steps or [Step("flow", fp.name, "unchanged")]


def _in_order(definition: dict) -> list[dict]:
    """The actions of a stored definition, from the entry along ``links.next``."""
    by_id = {a.get("id"): a for a in definition.get("actions") or []}
    chain, at = [], definition.get("entry_action_id")
    while at in by_id and len(chain) < len(by_id):
        chain.append(by_id[at])
        at = (by_id[at].get("links") or {}).get("next")
    return chain


def _action_step(kind: str, name: str, changes: list[str], old: dict, new: dict,
                 acc: Account) -> Step:
    aid = old["id"]
    body = {"data": {"type": "flow-action", "id": aid, "attributes": {"definition": {
        "id": aid, "type": new["type"], "data": new["data"]}}}}

    def run() -> None:
        acc.client.send("PATCH", f"{acc.client.base_url}/api/flow-actions/"
                        f"{urllib.parse.quote(aid, safe='')}", body)

    return Step(kind, name, "update", changes, run)


def _flow_template_step(t: KlaviyoTemplate, copy_id: str, acc: Account,
                        report: SyncReport) -> list[Step]:
    """Klaviyo copies a template into the flow email: compare and update that copy."""
    stored = acc.get(f"/api/templates/{urllib.parse.quote(copy_id, safe='')}")
    a = stored.get("attributes") or {}
    planned = rewrite(t, report.urls)
    if same_html(a.get("html"), planned.html) and (a.get("text") or "") == planned.text:
        return []

    def run() -> None:
        final = _final(t, report)
        body = {"data": {"type": "template", "id": copy_id,
                         "attributes": {"html": final.html, "text": final.text}}}
        acc.client.send("PATCH", f"{acc.client.base_url}/api/templates/{copy_id}", body)

    return [Step("flow email", f"{t.name} (its copy of the template)", "update", ["HTML"], run)]


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
