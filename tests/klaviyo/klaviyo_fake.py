"""A fake Klaviyo account for tests, held to Klaviyo's official OpenAPI contract.

Every request body is validated against its operation's ``requestBody`` schema from
``tests/klaviyo/klaviyo-openapi/`` (Klaviyo's official schemas, copied unchanged from
../shared/, MIT; ``$ref``s resolved, OpenAPI 3.0 ``nullable`` and ``writeOnly``
honoured: openapi-schema-validator's OAS30WriteValidator, read in klaviyo_spec.py), and
every full 2xx answer against the documented response schema (OAS30ReadValidator), so
the fake cannot drift from the real shapes either. A body the schema rejects is answered 400 like
Klaviyo does *and* recorded: the ``fake`` fixture fails the test at teardown unless the
test declared that it sends bad bodies on purpose.

Templates are rendered like Klaviyo renders them: Django's engine with the Klaviyo
doubles of ``test_export_klaviyo`` (one copy of those doubles, not two). Creating a flow
copies each send-email's template, as Klaviyo does, so updating the standalone template
does not change a flow's email.

Faults: ``faults`` (served once per method: 429 with Retry-After, 5xx, redirects),
``write_outage`` (every write 503), ``fail_after_writes`` (a partial failure: the Nth
write and every later one answers 503 until reset), ``lost_replies``, ``reject``.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from klaviyo_fake_ops import PNG, Operations, errors_doc
from klaviyo_spec import Spec, multipart

from mailkit.cli import main
from mailkit.klaviyo.push.client import JSONAPI, KLAVIYO_REVISION

KEY = "pk_test_5ecr3t_DO_NOT_LEAK_0123456789abcdef"
BETA = KLAVIYO_REVISION + ".pre"

# (method, path pattern) -> the operation's spec file; None: Klaviyo documents it, but
# the shared excerpts do not hold it (Get Metrics, Get Segments: reads without a body).
ROUTES: list[tuple[str, str, str | None]] = [
    ("GET", r"/api/templates", "get_templates"),
    ("POST", r"/api/templates", "create_template"),
    ("GET", r"/api/templates/(?P<id>[^/]+)", "get_template"),
    ("PATCH", r"/api/templates/(?P<id>[^/]+)", "update_template"),
    ("POST", r"/api/template-render", "render_template"),
    ("POST", r"/api/template-preview-send-jobs", "create_template_preview_send_job_beta"),
    ("GET", r"/api/images", "get_images"),
    ("POST", r"/api/image-upload", "upload_image_from_file"),
    ("GET", r"/api/flows", "get_flows"),
    ("POST", r"/api/flows", "create_flow"),
    ("GET", r"/api/flows/(?P<id>[^/]+)", "get_flow"),
    ("PATCH", r"/api/flow-actions/(?P<id>[^/]+)", "update_flow_action"),
    ("GET", r"/api/metrics", None),
    ("GET", r"/api/segments", None),
]


class FakeKlaviyo(Operations):
    """In-memory Klaviyo account. All state is guarded by ``lock`` (threaded server)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.link_base = base  # where links.next points; another host tests the guard
        self.key = KEY
        self.lock = threading.Lock()
        self.page_size = 2  # small, so every listing is paginated
        self.templates: dict[str, dict] = {}  # id -> attributes
        self.images: dict[str, dict] = {}
        self.flows: dict[str, dict] = {}  # id -> {"name", "status", "definition"}
        self.actions: dict[str, tuple[str, dict]] = {}  # action id -> (flow id, action)
        self.metrics = {"M-FUL": "Fulfilled Order", "M-PLA": "Placed Order",
                        "M-OPN": "Opened Email"}
        self.segments = {"S-VIP": "VIP", "S-WIN": "Winback",
                         "S-XS": "A acheté un vase, jamais de bougie"}
        self.sent: list[dict] = []  # preview send jobs accepted
        self.requests: list[tuple[str, str]] = []
        self.bodies: list[tuple[str, str, Any]] = []  # (method, operation, body)
        self.schema_errors: list[str] = []  # bodies the official schema rejects
        self.crashes: list[str] = []  # the fake's own bugs
        self.expect_invalid = False  # set by tests that send bad bodies on purpose
        self.faults: list[tuple[str, int, dict[str, str]]] = []  # served once, by method
        self.reject: dict[str, str] = {}  # template name -> 400 detail
        self.lost_replies = 0  # creates that are stored but answered with a 500
        self.write_outage = False  # every write answers 503
        self.fail_after_writes: int | None = None  # partial failure: writes past N get 503
        self.read_only_key = False  # every write answers 403
        self.render = None  # set by the fixture: (html, context) -> rendered html
        self._next = 1

    # -- helpers for tests -------------------------------------------------------------
    def new_id(self, prefix: str) -> str:
        self._next += 1
        return f"{prefix}{self._next:04d}"

    def seed(self, name: str, html: str = "<p>old</p>", text: str = "old") -> str:
        tid = self.new_id("T")
        self.templates[tid] = {"name": name, "editor_type": "CODE", "html": html, "text": text}
        return tid

    def by_name(self, name: str) -> list[dict]:
        return [a for a in self.templates.values() if a["name"] == name]

    def writes(self) -> list[tuple[str, str]]:
        return [r for r in self.requests if r[0] != "GET" and r[1] != "/api/template-render"]

    def operations(self) -> list[str]:
        """Operation ids of the write requests, in order."""
        return [op for m, op, _ in self.bodies if m != "GET" and op != "render_template"]

    # -- dispatch ------------------------------------------------------------------------
    def dispatch(self, method: str, target: str, headers: Any, body: bytes
                 ) -> tuple[int, dict, dict]:
        path, _, query = target.partition("?")
        self.requests.append((method, path))
        qs = urllib.parse.parse_qs(query)
        if headers.get("Authorization") != f"Klaviyo-API-Key {self.key}":
            seen = headers.get("Authorization")  # echoed, as a careless proxy might
            return 401, {}, errors_doc(401, "not_authenticated", f"bad credentials: {seen}")
        route = self._route(method, path.rstrip("/"))
        if route is None:
            return 404, {}, errors_doc(404, "not_found", "No such endpoint.")
        name, params = route
        spec = Spec.get(name) if name else None
        revision = BETA if name and name.endswith("_beta") else KLAVIYO_REVISION
        if headers.get("revision") != revision:
            return 400, {}, errors_doc(400, "invalid", "Invalid revision header.")
        if headers.get("accept") != JSONAPI:
            return 406, {}, errors_doc(406, "not_acceptable", "Accept must be JSON:API.")
        for i, (fault_method, status, extra) in enumerate(self.faults):
            if fault_method == method:
                del self.faults[i]
                return status, extra, errors_doc(status, "injected", f"injected {status}")
        doc: Any = None
        if spec is not None and spec.request is not None:
            doc, problem = self._parse(spec, headers, body)
            if problem:
                return problem
            self.bodies.append((method, name, doc))
            invalid = Spec.problems(spec.request, doc)
            if invalid:
                pointer, message = invalid[0]
                self.schema_errors.append(f"{name} {pointer}: {message}")
                return 400, {}, errors_doc(400, "invalid", message, pointer)
        elif method == "GET":
            self.bodies.append((method, name or path, None))
        writing = method != "GET" and name != "render_template"
        if writing and self.read_only_key:
            return 403, {}, errors_doc(403, "permission_denied", "Missing scope.")
        if writing and self.fail_after_writes is not None:
            if self.fail_after_writes <= 0:
                return 503, {}, errors_doc(503, "unavailable", "Service unavailable.")
            self.fail_after_writes -= 1
        if writing and self.write_outage:
            return 503, {}, errors_doc(503, "unavailable", "Service unavailable.")
        status, extra, answer = getattr(self, f"_{name or path.rstrip('/').rsplit('/', 1)[-1]}")(
            doc, params, qs)
        if spec is not None and 200 <= status < 300 and not any(k.startswith("fields[")
                                                                 for k in qs):
            wrong = Spec.problems(spec.response, answer)
            assert not wrong, f"the fake's own {name} answer breaks the contract: {wrong}"
        return status, extra, answer

    @staticmethod
    def _route(method: str, path: str) -> tuple[str | None, dict] | None:
        """The operation's spec name (None for the reads without a shared spec)."""
        for m, pattern, name in ROUTES:
            match = re.fullmatch(pattern, path)
            if m == method and match:
                return name, match.groupdict()
        return None

    def _parse(self, spec: Spec, headers: Any, body: bytes):
        ctype = headers.get("content-type") or ""
        if spec.content_type == "multipart/form-data":
            if not ctype.startswith("multipart/form-data"):
                return None, (415, {}, errors_doc(415, "unsupported_media_type", "multipart"))
            fields = multipart(ctype, body)
            self.upload = fields  # the bytes, for the handler
            doc = {k: v for k, v in fields.items() if not k.startswith("_")}
            if isinstance(doc.get("file"), bytes):
                doc["file"] = "<binary>"  # format: binary, a string in the schema
            if doc.get("hidden") in ("true", "false"):
                doc["hidden"] = doc["hidden"] == "true"
            return doc, None
        if ctype != JSONAPI:
            return None, (415, {}, errors_doc(415, "unsupported_media_type", "Use JSON:API."))
        try:
            return json.loads(body), None
        except ValueError:
            return None, (400, {}, errors_doc(400, "parse_error", "Malformed JSON."))

    def _page(self, kind: str, items: list[tuple[str, dict]], qs: dict, path: str) -> dict:
        start = int(qs.get("page[cursor]", ["0"])[0])
        data = [{"type": kind, "id": i, "attributes": a,
                 "links": {"self": f"{self.base}{path}/{i}"}}
                for i, a in items[start:start + self.page_size]]
        more = {k: v[0] for k, v in qs.items()} | {"page[cursor]": str(start + self.page_size)}
        next_url = (f"{self.link_base}{path}/?{urllib.parse.urlencode(more)}"
                    if start + self.page_size < len(items) else None)
        return {"data": data, "links": {"self": f"{self.base}{path}/", "next": next_url}}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        fake: FakeKlaviyo = self.server.fake  # type: ignore[attr-defined]
        with fake.lock:
            try:
                status, extra, doc = fake.dispatch(self.command, self.path, self.headers, body)
            except Exception as exc:  # a bug in the fake: answer 400 (no retries), fail later
                fake.crashes.append(f"{self.command} {self.path}: {exc!r}")
                status, extra, doc = 400, {}, errors_doc(400, "fake_crashed", repr(exc))
        payload = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", JSONAPI)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_DELETE = _handle


def _django_render(html: str, context: dict) -> str:
    from django.template import Context
    from test_export_klaviyo import ENGINE  # Django + the Klaviyo doubles, defined once

    return ENGINE.from_string(html).render(Context(context))


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeKlaviyo]:
    """A running fake account; fails the test if any request broke the official schema."""
    for var in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
        monkeypatch.delenv(var.upper(), raising=False)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)  # port 0: a free port
    server.daemon_threads = True
    server.fake = FakeKlaviyo(f"http://127.0.0.1:{server.server_port}")  # type: ignore[attr-defined]
    server.fake.render = _django_render  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield server.fake  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()
    thread.join()
    assert server.fake.crashes == []  # type: ignore[attr-defined]
    if not server.fake.expect_invalid:  # type: ignore[attr-defined]
        assert server.fake.schema_errors == [], "requests the official schema rejects"  # type: ignore[attr-defined]


def export_cli(root: Path, *args: str, fake: FakeKlaviyo) -> Result:
    """`mailkit --root ROOT export klaviyo ARGS` against `fake`, with its key."""
    env = {"KLAVIYO_API_KEY": KEY, "MAILKIT_KLAVIYO_BASE_URL": fake.base}
    return CliRunner().invoke(main, ["--root", str(root), "export", "klaviyo", *args], env=env)


def png(seed: str) -> bytes:
    """A tiny valid PNG whose bytes depend on ``seed`` (distinct content hashes)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    shade = hashlib.sha256(seed.encode()).digest()[:3]
    raw = zlib.compress(b"\x00" + shade)
    return PNG + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + \
        chunk(b"IDAT", raw) + chunk(b"IEND", b"")


__all__ = ["KEY", "FakeKlaviyo", "Spec", "errors_doc", "export_cli", "fake", "png"]
