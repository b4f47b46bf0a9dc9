"""Each flow of flows.yaml as the definition Klaviyo's Create Flow takes, plus to-dos.

A definition (create_flow.json, ``FlowDefinition``) is one trigger, then a chain of
actions linked by ``links.next``: a time delay before each email whose delay differs
from the previous one's (flows.yaml counts delays from the trigger, Klaviyo from the
previous action), and one send-email action per email, always in ``draft``: a push
never sends anything to a customer. What the API cannot express (a batch rule, a
segment's own conditions, a filter written only in words) becomes a to-do line.

Pure: it reads the export and the ids found in the account, and calls nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...model import KlaviyoTemplate
from ...project.flows_yaml import Flow, Where

if TYPE_CHECKING:
    from ..export import KlaviyoExport

_OPS = {">": "above", "<": "below", ">=": "at least", "<=": "at most"}
_RATES = {"open_rate": "open rate", "unsubscribe_rate": "unsubscribe rate",
          "spam_complaint_rate": "spam complaint rate", "click_rate": "click rate"}


@dataclass
class FlowPlan:
    """One flow as mailkit will create it, keyed by its name in the account."""

    brand: str
    flow: Flow
    templates: list[KlaviyoTemplate]  # its emails, in order
    todo: list[str] = field(default_factory=list)
    sender_label: str = ""  # "R-PUR <hello@r-pur.com>", for people

    @property
    def name(self) -> str:
        return f"{self.brand} · {self.flow.name}"

    @property
    def trigger_kind(self) -> str:
        return "metric" if self.flow.trigger.metric else "segment"

    @property
    def trigger_name(self) -> str:
        return self.flow.trigger.metric or self.flow.trigger.segment or ""


def flow_plans(export: KlaviyoExport) -> list[FlowPlan]:
    """Every flow of every exported brand, with what a person must still do by hand."""
    plans: list[FlowPlan] = []
    for slug, bp in export.project.brands.items():
        for flow in bp.flows:
            emails = [t for t in export.templates if t.brand == slug and t.flow.id == flow.id]
            if not emails:
                continue
            plan = FlowPlan(slug, flow, sorted(emails, key=lambda t: t.position),
                            sender_label=f"{bp.brand.sender.name} <{bp.brand.sender.email}>")
            plan.todo = _todo(flow)
            plans.append(plan)
    return plans


def _todo(flow: Flow) -> list[str]:
    trigger, todo = flow.trigger, []
    if trigger.segment and trigger.filters:
        todo.append(f"the segment “{trigger.segment}” is used as it is in Klaviyo: check "
                    f"that it holds {'; '.join(trigger.filters)}")
    if trigger.metric and trigger.filters and not trigger.where:
        todo.append(f"add the trigger filter by hand (not written as `where:`): "
                    f"{'; '.join(trigger.filters)}")
    if flow.batch is not None:
        rules = ", ".join(f"{_RATES[t.metric]} {_OPS[t.op]} {_percent(t.value)}"
                          for t in flow.batch.while_)
        todo.append(f"batch rule: Klaviyo flows cannot send by batch; send to "
                    f"{_percent(flow.batch.share)} of the segment at a time, the next batch only "
                    f"while {rules} (by hand, or as campaigns to a random sample)")
    todo.append("review the draft in Klaviyo, then set each email live by hand "
                "(mailkit never makes a flow live)")
    return todo


def _percent(share: float) -> str:
    return f"{round(share * 100, 4):g} %"


def _hours(t: KlaviyoTemplate) -> int:
    return t.delay_days * 24 + t.email.delay.hours


def delay_data(hours: int) -> dict[str, Any]:
    """Whole days when the delay is whole days (Klaviyo's default unit), else hours."""
    if hours % 24 == 0:
        return {"unit": "days", "value": hours // 24}
    return {"unit": "hours", "value": hours}


def trigger_filter(where: list[Where], metric_id: str) -> dict | None:
    """``where:`` as a ``MetricTrigger.trigger_filter``: all conditions in one group."""
    conditions = []
    for w in where:
        test = ({"type": "list", "operator": "contains", "value": w.contains}
                if w.contains is not None else
                {"type": "string", "operator": "equals", "value": w.equals})
        conditions.append({"type": "metric-property", "metric_id": metric_id,
                           "field": w.property, "filter": test})
    return {"condition_groups": [{"conditions": conditions}]} if conditions else None


def send_email_data(plan: FlowPlan, t: KlaviyoTemplate, template_id: str,
                    sender: tuple[str, str]) -> dict[str, Any]:
    """The send-email action's ``data``: status draft, the brand's sender."""
    name, address = sender
    return {"status": "draft", "message": {
        "name": t.email.name, "from_email": address, "from_label": name,
        "subject_line": t.subject, "preview_text": t.preheader,
        "template_id": template_id, "add_tracking_params": False}}


def definition(plan: FlowPlan, trigger_id: str, template_ids: dict[str, str],
               sender: tuple[str, str]) -> dict[str, Any]:
    """The ``FlowDefinition`` to create: trigger, then delays and emails in a chain."""
    trigger: dict[str, Any] = {"type": plan.trigger_kind, "id": trigger_id}
    if plan.trigger_kind == "metric":
        found = trigger_filter(plan.flow.trigger.where, trigger_id)
        if found:
            trigger["trigger_filter"] = found
    actions: list[dict[str, Any]] = []
    before = 0
    for t in plan.templates:
        if _hours(t) > before:
            actions.append({"temporary_id": f"delay-{t.email.id}", "type": "time-delay",
                            "data": delay_data(_hours(t) - before) | {"timezone": "profile"}})
        before = _hours(t)
        actions.append({"temporary_id": f"email-{t.email.id}", "type": "send-email",
                        "data": send_email_data(plan, t, template_ids[t.name], sender)})
    for action, nxt in zip(actions, actions[1:], strict=False):
        action["links"] = {"next": nxt["temporary_id"]}
    return {"triggers": [trigger], "actions": actions,
            "entry_action_id": actions[0]["temporary_id"]}


def shape(definition: dict[str, Any]) -> list[tuple[str, Any]]:
    """What can only change by recreating the flow: the trigger and the chain of action
    types. Two definitions with the same shape differ only in what Update Flow Action
    can change in place (a delay's length, an email's subject, preview text, sender)."""
    [trigger] = definition.get("triggers") or [{}]
    return [("trigger", (trigger.get("type"), trigger.get("id"),
                         trigger.get("trigger_filter") or None))] + \
        [("action", a.get("type")) for a in definition.get("actions") or []]


def describe(plan: FlowPlan) -> list[str]:
    """Per flow, what Klaviyo receives, in words (for the dry run and the README)."""
    trigger = plan.flow.trigger
    what = f"trigger: {plan.trigger_kind} “{plan.trigger_name}”"
    if trigger.where:
        what += " where " + " and ".join(
            f"{w.property} {'contains' if w.contains is not None else 'is'} "
            f"“{w.contains if w.contains is not None else w.equals}”" for w in trigger.where)
    lines, before = [what], 0
    for t in plan.templates:
        if _hours(t) > before:
            d = delay_data(_hours(t) - before)
            unit = d["unit"] if d["value"] > 1 else d["unit"].rstrip("s")
            lines.append(f"wait {d['value']} {unit}")
        before = _hours(t)
        lines.append(f"send (draft) “{t.name}”: subject “{t.subject}”, from "
                     f"{plan.sender_label}")
    return lines
