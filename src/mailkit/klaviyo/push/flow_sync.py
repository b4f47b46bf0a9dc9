"""The flows part of a push plan: create each flow as a draft, or update it in place.

A flow is found by name. Missing: Create Flow with the whole definition
(flows.py). Present: its stored definition is read back and compared. A
changed trigger or chain of actions cannot be changed through the API, so the flow
is left alone with the reason; a delay, a subject, a preview text or a sender is
updated with Update Flow Action; the HTML of the flow's own copy of a template with
Update Template. Nothing is updated in a live flow: the changes are listed for a
person instead.
"""

from __future__ import annotations

import urllib.parse
from typing import TYPE_CHECKING

from ...model import KlaviyoTemplate
from .client import _Rejected
from .flows import FlowPlan, definition, describe, flow_plans, send_email_data, shape
from .images import rewrite
from .plan import Account, Step, SyncReport, same_html, with_urls

if TYPE_CHECKING:
    from ..export import KlaviyoExport


def plan_flows(export: KlaviyoExport, acc: Account, report: SyncReport) -> None:
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
    have = (acc.get(f"/api/flows/{fid}?additional-fields%5Bflow%5D=definition")
            .get("attributes") or {}).get("definition") or {}
    chain = _in_order(have)
    # Sending to customers: the flow is live or manual, or one of its emails was set so.
    status = (existing.get("attributes") or {}).get("status") or "draft"
    if status == "draft" and any((a.get("data") or {}).get("status") in ("live", "manual")
                                 for a in chain):
        status = "partly live"
    live = status != "draft"
    ids = {t.name: report.template_ids.get(t.name, "") for t in fp.templates}
    want = definition(fp, trigger_id, ids, sender)
    if shape({**have, "actions": chain}) != shape(want):
        report.steps.append(Step("flow", fp.name, "blocked", [
            "its trigger or its chain of delays and emails changed, which the API cannot "
            "change in place: left alone; " + (f"the flow is {status}: change it by hand"
                                               if live else "delete the draft in Klaviyo "
                                               "and push again")]))
        return
    steps: list[Step] = []
    for old, new in zip(chain, want["actions"], strict=True):
        if new["type"] == "time-delay":
            a, b = old.get("data") or {}, new["data"]
            before = next(t for t in fp.templates
                          if f"delay-{t.email.id}" == new["temporary_id"])
            if (a.get("unit"), a.get("value")) != (b["unit"], b["value"]):
                steps.append(_action_step("flow delay", f"{fp.name} · before {before.email.name}",
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
            s.changes.append(f"the flow is {status}: left alone, change it by hand")
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
        final = with_urls(t, report, required=True)
        body = {"data": {"type": "template", "id": copy_id,
                         "attributes": {"html": final.html, "text": final.text}}}
        acc.client.send("PATCH", f"{acc.client.base_url}/api/templates/{copy_id}", body)

    return [Step("flow email", f"{t.name} (its copy of the template)", "update", ["HTML"], run)]
