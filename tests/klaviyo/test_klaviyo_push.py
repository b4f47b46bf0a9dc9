"""The push's requests against the fake Klaviyo (klaviyo_fake.py): the client that holds
the key (client.py), the Templates API calls (templates.py), and what a push
(``sync.sync``) makes of a refused key, an unreachable account or a server that echoes
the key back.

The fake is strict where Klaviyo is (auth header, revision header, each body against
the official schema) and paginates with a page size of 2, so these calls prove the
request shapes, and its fault injection (429, 5xx, lost replies, outages, 4xx,
redirects, a next link to another host) proves the retry rules without any real
waiting: sleeps are recorded, not slept. What a push plans and does: test_klaviyo_sync.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner
from klaviyo_fake import KEY, FakeKlaviyo

from mailkit.cli import main
from mailkit.commands.export import export_klaviyo
from mailkit.klaviyo.push.client import (
    JSONAPI,
    KLAVIYO_REVISION,
    KlaviyoError,
    _Client,
    _GaveUp,
    _Rejected,
    connect,
)
from mailkit.klaviyo.push.plan import Account
from mailkit.klaviyo.push.sync import sync
from mailkit.klaviyo.push.templates import TemplateUpload, existing_ids, upsert_template


def _uploads(n: int, version: str = "v1") -> list[TemplateUpload]:
    return [TemplateUpload(f"r-{i} · Post-purchase · {i} App (J+3)",
                           f"<html><body>{version} #{i}</body></html>", f"{version} #{i}")
            for i in range(n)]


def _client(fake: FakeKlaviyo, sleeps: list[float] | None = None, max_retries: int = 5,
            said: list[str] | None = None) -> _Client:
    return connect(KEY, fake.base, sleep=(lambda s: None) if sleeps is None else sleeps.append,
                   max_retries=max_retries, say=None if said is None else said.append)


def test_existing_ids_reads_every_page_once(fake: FakeKlaviyo) -> None:
    seeded = {fake.seed(f"someone else's {i}"): f"someone else's {i}" for i in range(5)}
    assert existing_ids(_client(fake)) == {name: tid for tid, name in seeded.items()}
    assert fake.requests == [("GET", "/api/templates/")] * 3  # 5 templates, 2 a page


def test_upsert_creates_once_then_updates_in_place(fake: FakeKlaviyo) -> None:
    client = _client(fake)
    [v1], [v2] = _uploads(1, "v1"), _uploads(1, "v2")
    tid, created = upsert_template(client, v1, None)  # the fake refuses an editor but CODE
    assert created and fake.templates[tid] == {"name": v1.name, "editor_type": "CODE",
                                               "html": v1.html, "text": v1.text}
    assert upsert_template(client, v2, tid) == (tid, False)
    assert list(fake.templates) == [tid]
    assert (fake.templates[tid]["html"], fake.templates[tid]["text"]) == (v2.html, v2.text)
    assert fake.writes() == [("POST", "/api/templates/"), ("PATCH", f"/api/templates/{tid}/")]


def test_retry_after_and_5xx_backoff_are_honoured(fake: FakeKlaviyo) -> None:
    fake.faults = [("GET", 500, {}), ("POST", 429, {"Retry-After": "2.5"}), ("POST", 502, {})]
    sleeps: list[float] = []
    said: list[str] = []
    client = _client(fake, sleeps, said=said)
    assert existing_ids(client) == {}
    for upload in _uploads(3):
        upsert_template(client, upload, None)
    # listing 500 -> 0.5; create 429 -> Retry-After 2.5; same create, 2nd retry, 502 -> 1.0
    assert sleeps == [0.5, 2.5, 1.0]
    assert "POST /api/templates/: rate limit hit (HTTP 429, Retry-After 2.5 s); retry 1/5 " \
        "in 2.5 s" in said
    assert all(len(fake.by_name(u.name)) == 1 for u in _uploads(3))


def test_retry_after_integer_and_missing(fake: FakeKlaviyo) -> None:
    fake.faults = [("POST", 429, {}), ("POST", 429, {"Retry-After": "3"})]
    sleeps: list[float] = []
    upsert_template(_client(fake, sleeps), _uploads(1)[0], None)
    assert sleeps == [1.0, 3.0] and len(fake.templates) == 1


def test_lost_create_reply_is_not_duplicated(fake: FakeKlaviyo) -> None:
    fake.lost_replies = 1  # Klaviyo stored it, but the client saw a 500
    [upload] = _uploads(1)
    tid, created = upsert_template(_client(fake), upload, None)
    assert created and fake.templates[tid]["name"] == upload.name
    assert len(fake.templates) == 1
    assert fake.writes() == [("POST", "/api/templates/")]  # found by the listing, not resent


def test_a_rejected_template_says_why_and_where(fake: FakeKlaviyo) -> None:
    [upload] = _uploads(1)
    fake.reject[upload.name] = "html contains an unclosed Django tag"
    with pytest.raises(_Rejected) as info:
        upsert_template(_client(fake), upload, None)
    assert str(info.value) == ("HTTP 400: html contains an unclosed Django tag "
                               "(at /data/attributes/html)")
    assert fake.writes() == [("POST", "/api/templates/")]  # a 4xx is not retried


def test_an_outage_gives_up_after_the_retries(fake: FakeKlaviyo) -> None:
    fake.write_outage = True
    sleeps: list[float] = []
    with pytest.raises(_GaveUp, match=r"^HTTP 503 after 3 attempts$"):
        upsert_template(_client(fake, sleeps, max_retries=2), _uploads(1)[0], None)
    assert sleeps == [0.5, 1.0] and fake.templates == {}


@pytest.mark.parametrize("method", ["GET", "POST"])  # urllib itself follows a GET's 307
def test_redirects_are_not_followed(fake: FakeKlaviyo, method: str) -> None:
    fake.faults = [(method, 307, {"Location": f"{fake.base}/steal/"})]
    client = _client(fake)
    with pytest.raises(_Rejected, match=r"^HTTP 307"):
        if method == "GET":
            existing_ids(client)
        else:
            upsert_template(client, _uploads(1)[0], None)
    assert not [p for _, p in fake.requests if p.startswith("/steal")]


def test_pagination_to_another_host_is_refused(fake: FakeKlaviyo) -> None:
    for i in range(3):
        fake.seed(f"t{i}")
    fake.link_base = "http://127.0.0.2:9"
    with pytest.raises(KlaviyoError, match=r"another host \(127.0.0.2:9\)"):
        Account(_client(fake)).by_name("/api/templates/", {"fields[template]": "name"})
    assert fake.requests == [("GET", "/api/templates/")]


def test_wrong_revision_is_rejected_by_the_fake(fake: FakeKlaviyo) -> None:
    client = _client(fake)
    client.revision = "2020-01-01"
    with pytest.raises(_Rejected, match=r"^HTTP 400: Invalid revision header"):
        existing_ids(client)


def test_the_key_is_in_no_repr(fake: FakeKlaviyo) -> None:
    client = _client(fake)
    assert KEY not in f"{client} {client!r} {vars(client)!r} {client._key}"


def test_what_the_client_says_is_scrubbed(fake: FakeKlaviyo) -> None:
    first = fake.seed(f"echo {KEY}")  # account data holding the key, named twice
    fake.seed(f"echo {KEY}")
    said: list[str] = []
    existing_ids(_client(fake, said=said))
    assert said == ["several Klaviyo templates are named 'echo [redacted]'; updating the "
                    f"first ({first})"]


def test_unreachable_account_backs_off_then_raises(demo_copy, fake: FakeKlaviyo) -> None:
    with socket.socket() as s:  # `fake` clears the proxy variables: 127.0.0.1 is direct
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"  # closed once the block ends
    sleeps: list[float] = []
    with pytest.raises(KlaviyoError, match=r"^could not read the Klaviyo account: "
                                           r"connection error .* after 4 attempts$"):
        sync(export_klaviyo(demo_copy), api_key=KEY, base_url=dead, sleep=sleeps.append,
             max_retries=3)
    assert sleeps == [0.5, 1.0, 2.0]


def test_refused_key_raises_without_the_key(demo_copy, fake: FakeKlaviyo) -> None:
    fake.key = "pk_the_right_one"
    with pytest.raises(KlaviyoError) as info:  # the fake echoes the wrong key back
        sync(export_klaviyo(demo_copy), api_key=KEY, base_url=fake.base)
    assert str(info.value).startswith("Klaviyo refused the API key (401)")
    assert KEY not in str(info.value) and KEY not in repr(info.value)
    assert fake.writes() == []


@pytest.mark.parametrize("args", [
    ["export", "klaviyo", "--push"], ["export", "klaviyo", "--verify"],
    ["send", "r-pur/colis", "--to", "a@exemple.fr", "--via", "klaviyo"]])
def test_no_command_shows_a_refused_key(demo_copy, fake: FakeKlaviyo, args: list[str]) -> None:
    fake.key = "pk_the_right_one"  # the fake echoes the wrong key back
    env = {"KLAVIYO_API_KEY": KEY, "MAILKIT_KLAVIYO_BASE_URL": fake.base}
    result = CliRunner().invoke(main, ["--root", str(demo_copy), *args], env=env)
    assert result.exit_code == 1
    assert "Klaviyo refused the API key (401)" in result.stderr
    assert KEY not in result.output


def test_key_without_write_scope_stops_at_once(demo_copy, fake: FakeKlaviyo) -> None:
    fake.read_only_key = True
    with pytest.raises(KlaviyoError, match=r"refused the API key \(403\).*templates:write"):
        sync(export_klaviyo(demo_copy), api_key=KEY, base_url=fake.base)
    assert len(fake.writes()) == 1  # stopped after the first refusal


def test_api_key_never_leaks(demo_copy, fake: FakeKlaviyo) -> None:
    export = export_klaviyo(demo_copy)
    rejected, updated = export.templates[0].name, export.templates[1].name
    fake.reject[rejected] = f"rejected for Klaviyo-API-Key {KEY}"  # a server echoing it
    fake.faults = [("POST", 429, {"Retry-After": "0"}), ("PATCH", 500, {})]
    fake.seed(updated)  # an update, so the PATCH's 500 is retried too
    said: list[str] = []
    report = sync(export, api_key=KEY, base_url=fake.base, sleep=lambda s: None,
                  log=said.append)
    [why] = [why for step, why in report.failed if step.name == rejected]
    assert "[redacted]" in why
    assert any("rate limit hit" in line for line in said)
    assert any(line.startswith("PATCH /api/templates/") for line in said)
    texts = [*said, *report.lines(), repr(report)]
    assert not [t for t in texts if KEY in t]


@pytest.mark.parametrize(("method", "path", "doc", "pointer"), [
    ("POST", "/api/templates/", {"data": {"type": "tmpl", "attributes": {}}}, "/data/type"),
    ("POST", "/api/templates/", {"data": {"type": "template", "attributes": {
        "name": "x", "editor_type": "SYSTEM_DRAGGABLE", "html": ""}}}, "editor_type"),
    ("PATCH", "/api/templates/{id}/", {"data": {"type": "template", "id": "nope",
                                                "attributes": {"html": ""}}}, "/data/id"),
    ("PATCH", "/api/templates/{id}/", {"data": {"type": "template", "id": "{id}", "attributes": {
        "editor_type": "CODE"}}}, "/data/attributes/editor_type"),
])
def test_fake_rejects_malformed_bodies(fake: FakeKlaviyo, method: str, path: str, doc: dict,
                                       pointer: str) -> None:
    fake.expect_invalid = True  # the first case breaks the official schema on purpose
    tid = fake.seed("existing")
    body = json.dumps(doc).replace("{id}", tid).encode()
    request = urllib.request.Request(
        fake.base + path.replace("{id}", tid), data=body, method=method,
        headers={"Authorization": f"Klaviyo-API-Key {KEY}", "revision": KLAVIYO_REVISION,
                 "accept": JSONAPI, "content-type": JSONAPI})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    with info.value as err:
        assert err.code == 400
        assert pointer in json.loads(err.read())["errors"][0]["source"]["pointer"]
