"""The Klaviyo push client against a local fake of the Templates API.

The fake is strict where Klaviyo is (auth header, revision header, JSON:API body shape)
and paginates with a page size of 2, so the client's happy path proves the request
shapes, and its fault injection (429, 5xx, lost replies, outages, 4xx) proves the
retry and reporting rules without any real waiting: sleeps are recorded, not slept.
"""

from __future__ import annotations

import json
import logging
import socket
import urllib.error
import urllib.request

import pytest
from klaviyo_fake import KEY, FakeKlaviyo

from mailkit.klaviyo.push.client import JSONAPI, KLAVIYO_REVISION, KlaviyoError, _Client, _Secret
from mailkit.klaviyo.push.templates import PushReport, TemplateUpload, push_templates


def _uploads(n: int, version: str = "v1") -> list[TemplateUpload]:
    return [TemplateUpload(f"r-{i} · Post-purchase · {i} App (J+3)",
                           f"<html><body>{version} #{i}</body></html>", f"{version} #{i}")
            for i in range(n)]


def _push(fake: FakeKlaviyo, uploads, **kwargs) -> PushReport:
    kwargs.setdefault("sleep", lambda s: None)
    return push_templates(uploads, api_key=KEY, base_url=fake.base, **kwargs)


def test_push_creates_each_template_once_with_its_content(fake: FakeKlaviyo) -> None:
    for i in range(3):
        fake.seed(f"someone else's {i}")  # 3 existing -> the listing spans 2 pages
    uploads = _uploads(5)
    report = _push(fake, uploads)
    assert report.created == [u.name for u in uploads]
    assert report.updated == report.failed == report.not_attempted == []
    assert report.ok and set(report.ids) == {u.name for u in uploads}
    for u in uploads:
        [stored] = fake.by_name(u.name)
        assert (stored["html"], stored["text"], stored["editor_type"]) == (u.html, u.text, "CODE")
    assert fake.requests.count(("GET", "/api/templates/")) == 2  # listed once, both pages
    assert fake.writes() == [("POST", "/api/templates/")] * 5


def test_second_push_updates_instead_of_duplicating(fake: FakeKlaviyo) -> None:
    _push(fake, _uploads(5, "v1"))
    fake.requests.clear()
    report = _push(fake, _uploads(5, "v2"))
    assert report.created == [] and report.updated == [u.name for u in _uploads(5)]
    assert len(fake.templates) == 5
    for u in _uploads(5, "v2"):
        [stored] = fake.by_name(u.name)
        assert (stored["html"], stored["text"]) == (u.html, u.text)
    # one paginated listing (5 templates, 2 a page), not one query per template
    assert fake.requests.count(("GET", "/api/templates/")) == 3
    assert [m for m, _ in fake.writes()] == ["PATCH"] * 5


def test_dry_run_reads_only_and_lists_what_would_change(fake: FakeKlaviyo) -> None:
    uploads = _uploads(4)
    fake.seed(uploads[1].name)
    fake.seed(uploads[3].name)
    before = json.dumps(fake.templates, sort_keys=True)
    report = _push(fake, uploads, dry_run=True)
    assert report.dry_run
    assert report.created == [uploads[0].name, uploads[2].name]
    assert report.updated == [uploads[1].name, uploads[3].name]
    assert fake.writes() == [] and json.dumps(fake.templates, sort_keys=True) == before
    lines = report.summary_lines()
    assert lines[0] == f"would create  {uploads[0].name}"
    assert lines[-1].endswith("(dry run: nothing written)")


def test_retry_after_and_5xx_backoff_are_honoured(fake: FakeKlaviyo) -> None:
    fake.faults = [("GET", 500, {}), ("POST", 429, {"Retry-After": "2.5"}), ("POST", 502, {})]
    sleeps: list[float] = []
    report = _push(fake, _uploads(3), sleep=sleeps.append)
    # listing 500 -> 0.5; create 429 -> Retry-After 2.5; same create, 2nd retry, 502 -> 1.0
    assert sleeps == [0.5, 2.5, 1.0]
    assert report.ok and len(report.created) == 3
    assert all(len(fake.by_name(u.name)) == 1 for u in _uploads(3))


def test_retry_after_integer_and_missing(fake: FakeKlaviyo) -> None:
    fake.faults = [("POST", 429, {}), ("POST", 429, {"Retry-After": "3"})]
    sleeps: list[float] = []
    report = _push(fake, _uploads(1), sleep=sleeps.append)
    assert sleeps == [1.0, 3.0] and report.ok


def test_lost_create_reply_is_not_duplicated(fake: FakeKlaviyo) -> None:
    fake.lost_replies = 1  # Klaviyo stored it, but the client saw a 500
    report = _push(fake, _uploads(2))
    assert report.created == [u.name for u in _uploads(2)]
    assert all(len(fake.by_name(u.name)) == 1 for u in _uploads(2))


def test_rejected_template_is_reported_and_a_rerun_completes(fake: FakeKlaviyo) -> None:
    uploads = _uploads(3)
    fake.reject[uploads[1].name] = "html contains an unclosed Django tag"
    report = _push(fake, uploads)
    assert report.created == [uploads[0].name, uploads[2].name]
    [failure] = report.failed
    assert failure.name == uploads[1].name
    assert "HTTP 400" in failure.reason and "unclosed Django tag" in failure.reason
    assert "/data/attributes/html" in failure.reason
    assert not report.ok and report.not_attempted == []
    assert any(line.startswith("failed") for line in report.summary_lines())

    del fake.reject[uploads[1].name]
    rerun = _push(fake, uploads)
    assert rerun.ok and rerun.created == [uploads[1].name]
    assert rerun.updated == [uploads[0].name, uploads[2].name]
    assert all(len(fake.by_name(u.name)) == 1 for u in uploads) and len(fake.templates) == 3


def test_outage_stops_the_push_and_a_rerun_finishes(fake: FakeKlaviyo) -> None:
    uploads = _uploads(3)
    fake.write_outage = True
    sleeps: list[float] = []
    report = _push(fake, uploads, sleep=sleeps.append, max_retries=2)
    assert sleeps == [0.5, 1.0]
    assert [f.name for f in report.failed] == [uploads[0].name]
    assert "HTTP 503 after 3 attempts" in report.failed[0].reason
    assert report.not_attempted == [uploads[1].name, uploads[2].name]
    assert report.stopped and "run the push again" in report.summary_lines()[-1]
    assert fake.templates == {}

    fake.write_outage = False
    rerun = _push(fake, uploads)
    assert rerun.ok and rerun.created == [u.name for u in uploads]


def test_unreachable_account_backs_off_then_raises(fake: FakeKlaviyo) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"  # closed once the block ends
    sleeps: list[float] = []
    with pytest.raises(KlaviyoError, match="could not list Klaviyo templates") as info:
        push_templates(_uploads(2), api_key=KEY, base_url=dead, sleep=sleeps.append,
                       max_retries=3)
    assert sleeps == [0.5, 1.0, 2.0]
    assert info.value.report is not None
    assert info.value.report.not_attempted == [u.name for u in _uploads(2)]


def test_refused_key_raises_without_the_key(fake: FakeKlaviyo) -> None:
    fake.key = "pk_the_right_one"
    with pytest.raises(KlaviyoError) as info:
        _push(fake, _uploads(2))  # the fake echoes the wrong key back in its error
    assert str(info.value).startswith("Klaviyo refused the API key (401)")
    assert KEY not in str(info.value) and KEY not in repr(info.value)
    assert KEY not in repr(info.value.report)
    assert fake.writes() == []


def test_key_without_write_scope_stops_at_once(fake: FakeKlaviyo) -> None:
    fake.read_only_key = True
    with pytest.raises(KlaviyoError, match=r"refused the API key \(403\).*templates:write"):
        _push(fake, _uploads(3))
    assert len(fake.writes()) == 1  # stopped after the first refusal


def test_api_key_never_leaks(fake: FakeKlaviyo, caplog: pytest.LogCaptureFixture,
                             capsys: pytest.CaptureFixture[str]) -> None:
    uploads = _uploads(3)
    fake.reject[uploads[0].name] = f"rejected for Klaviyo-API-Key {KEY}"  # a server echoing it
    fake.faults = [("POST", 429, {"Retry-After": "0"}), ("PATCH", 500, {})]
    fake.seed(uploads[2].name)
    logged: list[str] = []
    report = _push(fake, uploads, log=logged.append)
    with caplog.at_level(logging.DEBUG, logger="mailkit.klaviyo.push.templates"):
        _push(fake, uploads)  # log=None -> the module logger
    texts = [*logged, *caplog.messages, *report.summary_lines(), repr(report),
             *(f.reason for f in report.failed), repr(uploads[0]), capsys.readouterr().err]
    assert report.failed and logged and caplog.messages
    assert "[redacted]" in report.failed[0].reason
    assert not [t for t in texts if KEY in t]
    secret = _Secret(KEY)
    client = _Client(secret, fake.base, KLAVIYO_REVISION, lambda s: None, 1, print)
    assert KEY not in f"{secret} {secret!r} {client!r} {client.__dict__!r}"


def test_redirects_are_not_followed(fake: FakeKlaviyo) -> None:
    fake.faults = [("POST", 307, {"Location": f"{fake.base}/steal/"})]
    report = _push(fake, _uploads(2))
    assert [f.name for f in report.failed] == [_uploads(2)[0].name]
    assert "HTTP 307" in report.failed[0].reason
    assert not [p for _, p in fake.requests if p.startswith("/steal")]


def test_pagination_to_another_host_is_refused(fake: FakeKlaviyo) -> None:
    for i in range(3):
        fake.seed(f"t{i}")
    fake.link_base = "http://127.0.0.2:9"
    with pytest.raises(KlaviyoError, match="another host"):
        _push(fake, _uploads(1))


def test_wrong_revision_is_rejected_by_the_fake(fake: FakeKlaviyo) -> None:
    with pytest.raises(KlaviyoError, match="HTTP 400: Invalid revision header"):
        _push(fake, _uploads(1), revision="2020-01-01")


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


def test_summary_lines_format() -> None:
    report = PushReport(created=["r-pur · Post-purchase · 2 App (J+3)"], updated=["r-wel"],
                        not_attempted=["r-win"])
    assert report.summary_lines() == [
        "created  r-pur · Post-purchase · 2 App (J+3)",
        "updated  r-wel",
        "skipped  r-win (not attempted)",
        "1 created, 1 updated, 0 failed, 1 not attempted",
    ]


def test_duplicate_names_are_refused_before_any_request(fake: FakeKlaviyo) -> None:
    with pytest.raises(ValueError, match="repeated"):
        _push(fake, [*_uploads(2), _uploads(1)[0]])
    assert fake.requests == []
