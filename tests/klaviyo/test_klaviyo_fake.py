"""The fake Klaviyo itself (klaviyo_fake.py): it holds every request to Klaviyo's official
OpenAPI schema, `nullable` included, and answers a body the schema rejects as Klaviyo
does, with a 400 that points at the field."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from klaviyo_fake import KEY, FakeKlaviyo

from mailkit.klaviyo.push.client import JSONAPI, KLAVIYO_REVISION


def _post_flow(fake: FakeKlaviyo, definition: dict) -> tuple[int, dict]:
    body = {"data": {"type": "flow", "attributes": {"name": "x", "definition": definition}}}
    request = urllib.request.Request(
        fake.base + "/api/flows", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Klaviyo-API-Key {KEY}", "revision": KLAVIYO_REVISION,
                 "accept": JSONAPI, "content-type": JSONAPI})
    try:
        with urllib.request.urlopen(request, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read())


def test_the_fake_holds_requests_to_the_official_schema(fake):
    fake.templates["T1"] = {"name": "t", "editor_type": "CODE", "html": "<p>x</p>", "text": "x"}
    email = {"temporary_id": "e", "type": "send-email", "data": {"status": "draft", "message": {
        "template_id": "T1", "from_email": None, "subject_line": "s"}}}
    # OpenAPI `nullable` honoured: null where the schema allows it is valid
    ok = {"triggers": [{"type": "metric", "id": "M-PLA", "trigger_filter": None}],
          "actions": [email], "entry_action_id": "e"}
    assert _post_flow(fake, ok)[0] == 201 and fake.schema_errors == []
    # a delay in weeks is not in the schema's enum: 400, and the test would fail
    delay = {"temporary_id": "d", "type": "time-delay", "data": {"unit": "weeks", "value": 1},
             "links": {"next": "e"}}
    status, doc = _post_flow(fake, {**ok, "actions": [delay, email], "entry_action_id": "d"})
    assert status == 400 and doc["errors"][0]["source"]["pointer"].startswith(
        "/data/attributes/definition/actions/0")
    assert len(fake.schema_errors) == 1 and fake.schema_errors[0].startswith("create_flow ")
    fake.expect_invalid = True  # this test sent it on purpose
