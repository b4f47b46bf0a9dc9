"""The fake Klaviyo's operations: templates, rendering, preview sends, images,
metrics, segments and flows (the server, routing and validation: klaviyo_fake.py).

A mixin of FakeKlaviyo: the handlers read and write its state (``images``, ``flows``,
``actions``, ``templates``…) under its lock. Creating a flow copies each send-email's
template, as Klaviyo does; updating an action of a live flow is refused.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

PNG = b"\x89PNG\r\n\x1a\n"


def errors_doc(status: int, code: str, detail: str, pointer: str | None = None) -> dict:
    err: dict[str, Any] = {"id": "e1", "status": status, "code": code, "title": code,
                           "detail": detail}
    if pointer:
        err["source"] = {"pointer": pointer}
    return {"errors": [err]}


class Operations:
    base: str
    images: dict[str, dict]
    templates: dict[str, dict]
    flows: dict[str, dict]
    actions: dict[str, tuple[str, dict]]
    metrics: dict[str, str]
    segments: dict[str, str]
    upload: dict[str, Any]
    reject: dict[str, str]
    lost_replies: int
    sent: list[dict]
    render: Any

    # -- templates -------------------------------------------------------------------------
    def _template(self, tid: str, status: int = 200) -> tuple[int, dict, dict]:
        attrs = {"amp": None, "created": "2026-11-30T05:00:00+00:00",
                 "updated": "2026-11-30T05:00:00+00:00", **self.templates[tid]}
        return status, {}, {"data": {"type": "template", "id": tid, "attributes": attrs,
                                     "links": {"self": f"{self.base}/api/templates/{tid}"}},
                            "links": {"self": f"{self.base}/api/templates/{tid}"}}

    def _get_templates(self, doc, params, qs):
        fields = (qs.get("fields[template]") or [""])[0].split(",")
        items = [(t, {k: v for k, v in a.items() if k in fields or fields == [""]})
                 for t, a in sorted(self.templates.items())]
        return 200, {}, self._page("template", items, qs, "/api/templates")

    def _get_template(self, doc, params, qs):
        if params["id"] not in self.templates:
            return 404, {}, errors_doc(404, "not_found", "Template not found.")
        return self._template(params["id"])

    def _create_template(self, doc, params, qs):
        attrs = doc["data"]["attributes"]
        if attrs.get("editor_type") != "CODE":
            return 400, {}, errors_doc(400, "invalid", "editor_type must be CODE for HTML "
                                       "templates.", "/data/attributes/editor_type")
        if attrs["name"] in self.reject:
            return 400, {}, errors_doc(400, "invalid", self.reject[attrs["name"]],
                                       "/data/attributes/html")
        tid = self.seed(attrs["name"], attrs.get("html") or "", attrs.get("text") or "")
        if self.lost_replies:
            self.lost_replies -= 1
            return 500, {}, errors_doc(500, "error", "Internal error.")
        return self._template(tid, 201)

    def _update_template(self, doc, params, qs):
        tid = params["id"]
        if tid not in self.templates:
            return 404, {}, errors_doc(404, "not_found", "Template not found.")
        if doc["data"].get("id") != tid:
            return 400, {}, errors_doc(400, "invalid", "data.id must match the URL.", "/data/id")
        attrs = doc["data"]["attributes"]
        if "editor_type" in attrs:
            return 400, {}, errors_doc(400, "invalid", "'editor_type' is not a valid field.",
                                       "/data/attributes/editor_type")
        if self.templates[tid]["name"] in self.reject:
            return 400, {}, errors_doc(400, "invalid", self.reject[self.templates[tid]["name"]],
                                       "/data/attributes/html")
        self.templates[tid].update({k: v for k, v in attrs.items() if v is not None})
        return self._template(tid)

    def _render_template(self, doc, params, qs):
        tid = doc["data"]["id"]
        if tid not in self.templates:
            return 404, {}, errors_doc(404, "not_found", "Template not found.")
        stored = self.templates[tid]
        context = doc["data"]["attributes"]["context"]
        out = {"name": stored["name"], "editor_type": "CODE",
               "html": self.render(stored["html"], context),
               "text": self.render(stored["text"], context)}
        return 201, {}, {"data": {"type": "template", "id": tid, "attributes": out,
                                  "links": {"self": f"{self.base}/api/templates/{tid}"}}}

    def _create_template_preview_send_job_beta(self, doc, params, qs):
        data = doc["data"]
        tid = data["relationships"]["template"]["data"]["id"]
        if tid not in self.templates:
            return 404, {}, errors_doc(404, "not_found", "Template not found.")
        recipients = data["attributes"]["recipients"]
        if len(recipients) > 5:
            return 400, {}, errors_doc(400, "invalid", "At most 5 recipients.",
                                       "/data/attributes/recipients")
        self.sent.append({"template": tid, "recipients": recipients,
                          "context": data["attributes"].get("context")})
        jid = self.new_id("J")
        return 202, {}, {"data": {"type": "template-preview-send-job", "id": jid,
                                  "attributes": {"status": "queued",
                                                 "created_at": "2026-11-30T05:00:00+00:00"},
                                  "links": {"self": f"{self.base}/api/jobs/{jid}"}}}

    # -- images ----------------------------------------------------------------------------
    def _get_images(self, doc, params, qs):
        return 200, {}, self._page("image", sorted(self.images.items()), qs, "/api/images")

    def _upload_image_from_file(self, doc, params, qs):
        data = self.upload["file"]
        if not data.startswith(PNG) and data[:3] not in (b"GIF", b"\xff\xd8\xff"):
            return 400, {}, errors_doc(400, "invalid", "Unsupported image format.", "/file")
        name = doc.get("name") or self.upload.get("_filename")
        if any(i["name"] == name for i in self.images.values()):
            name += f" ({len(self.images)})"  # Klaviyo adds a suffix to a taken name
        iid = self.new_id("I")
        digest = hashlib.sha256(data).hexdigest()[:16]
        self.images[iid] = {"name": name, "image_url": f"https://d3k81ch9hvuctc.cloudfront."
                            f"net/company/FAKE/images/{digest}.png", "format": "png",
                            "size": len(data), "hidden": bool(doc.get("hidden", False)),
                            "updated_at": "2026-11-30T05:00:00+00:00"}
        self.image_bytes = getattr(self, "image_bytes", {}) | {iid: data}
        return 201, {}, {"data": {"type": "image", "id": iid, "attributes": self.images[iid],
                                  "links": {"self": f"{self.base}/api/images/{iid}"}},
                         "links": {"self": f"{self.base}/api/images/{iid}"}}

    # -- metrics and segments ----------------------------------------------------------------
    def _metrics(self, doc, params, qs):
        items = [(i, {"name": n}) for i, n in sorted(self.metrics.items())]
        return 200, {}, self._page("metric", items, qs, "/api/metrics")

    def _segments(self, doc, params, qs):
        items = [(i, {"name": n}) for i, n in sorted(self.segments.items())]
        return 200, {}, self._page("segment", items, qs, "/api/segments")

    # -- flows -------------------------------------------------------------------------------
    def _flow(self, fid: str, status: int = 200, definition: bool = True) -> tuple:
        flow = self.flows[fid]
        attrs = {"name": flow["name"], "status": flow["status"], "archived": False,
                 "created": "2026-11-30T05:00:00+00:00", "updated": "2026-11-30T05:00:00+00:00",
                 "trigger_type": flow["trigger_type"]}
        if definition:
            attrs["definition"] = copy.deepcopy(flow["definition"])
        link = {"self": f"{self.base}/api/flows/{fid}"}
        return status, {}, {"data": {"type": "flow", "id": fid, "attributes": attrs,
                                     "links": link}, "links": link}

    def _get_flows(self, doc, params, qs):
        items = []
        for fid in sorted(self.flows):
            _, _, one = self._flow(fid, definition=False)
            items.append((fid, one["data"]["attributes"]))
        return 200, {}, self._page("flow", items, qs, "/api/flows")

    def _get_flow(self, doc, params, qs):
        if params["id"] not in self.flows:
            return 404, {}, errors_doc(404, "not_found", "Flow not found.")
        return self._flow(params["id"], definition="definition" in
                          (qs.get("additional-fields[flow]") or [""])[0])

    def _create_flow(self, doc, params, qs):
        attrs = doc["data"]["attributes"]
        definition = copy.deepcopy(attrs["definition"])
        [trigger] = definition["triggers"]
        known = self.metrics if trigger["type"] == "metric" else self.segments
        if trigger.get("id") not in known:
            return 400, {}, errors_doc(400, "invalid", f"Unknown {trigger['type']}.",
                                       "/data/attributes/definition/triggers/0/id")
        ids: dict[str, str] = {}
        for action in definition["actions"]:
            if "id" in action:
                return 400, {}, errors_doc(400, "invalid", "An id is not allowed on create.")
            ids[action.pop("temporary_id")] = self.new_id("A")
        fid = self.new_id("F")
        for action, temp in zip(definition["actions"], list(ids), strict=True):
            action["id"] = ids[temp]
            nxt = (action.get("links") or {}).get("next")
            if nxt is not None:
                action["links"] = {"next": ids[nxt]}
            message = (action.get("data") or {}).get("message")
            if action["type"] == "send-email" and message:
                source = message.get("template_id")
                if source not in self.templates:
                    return 400, {}, errors_doc(400, "invalid", "Unknown template.")
                copy_id = self.seed(self.templates[source]["name"] + " (flow copy)",
                                    self.templates[source]["html"],
                                    self.templates[source]["text"])
                message["template_id"] = copy_id  # Klaviyo copies the template into the flow
                message["id"] = self.new_id("MSG")
            self.actions[ids[temp]] = (fid, action)
        definition["entry_action_id"] = ids[definition["entry_action_id"]]
        self.flows[fid] = {"name": attrs["name"], "status": "draft", "definition": definition,
                           "trigger_type": "Metric" if trigger["type"] == "metric"
                           else "Added to List"}
        return self._flow(fid, 201)

    def _update_flow_action(self, doc, params, qs):
        aid = params["id"]
        if aid not in self.actions:
            return 404, {}, errors_doc(404, "not_found", "Flow action not found.")
        fid, action = self.actions[aid]
        new = doc["data"]["attributes"]["definition"]
        if new.get("type") != action["type"] or doc["data"].get("id") != aid:
            return 400, {}, errors_doc(400, "invalid", "Cannot change an action's type or id.")
        if self.flows[fid]["status"] == "live":
            return 400, {}, errors_doc(400, "invalid", "Cannot update an action of a live flow.")
        data = copy.deepcopy(new.get("data") or {})
        if action["type"] == "send-email":
            keep = action["data"]["message"]
            data["message"] = {**keep, **{k: v for k, v in data["message"].items()
                                          if k not in ("id", "template_id")}}
        action["data"] = data
        link = {"self": f"{self.base}/api/flow-actions/{aid}"}
        return 200, {}, {"data": {"type": "flow-action", "id": aid, "attributes": {
            "definition": copy.deepcopy(action), "status": "draft",
            "created": "2026-11-30T05:00:00+00:00", "updated": "2026-11-30T05:00:00+00:00"},
            "links": link}, "links": link}
