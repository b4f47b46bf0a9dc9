"""The HTTP client every call to Klaviyo's API goes through: the key, the requests, retries.

Why the stdlib ``urllib.request`` rather than an HTTP library or Klaviyo's SDK: every
call has one of three shapes - a GET (a paginated listing of templates, images, flows,
metrics or segments; one flow or template), a JSON:API POST or PATCH (create and update
templates, create flows and update their actions, render a template, a preview send on
the beta revision), or one multipart POST (an image upload) - with four headers, so a
dependency buys nothing; plain HTTP is testable against a local ``http.server`` fake
instead of mocks of a client's internals; and Klaviyo's SDKs pin their own API revision
per release, so an SDK upgrade would silently change API behaviour - here the revision
is one explicit constant, bumped on purpose after reading Klaviyo's changelog.

The API key only ever goes into the Authorization header. ``connect`` wraps it, once per
command, in a holder whose repr is masked; redirects are never followed (urllib would
resend the header to the new host), pagination links to another host are refused, and
what the client says is scrubbed of the key, as are the messages callers build from its
errors (``client.scrub``), in case a server or a proxy echoes it back.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ...errors import MailkitError

#: The ``revision`` header: latest GA revision in Klaviyo's API changelog
#: (developers.klaviyo.com/en/v2026-07-15/docs, "Revision 2026-07-15 (GA)"). A revision is
#: a contract supported for two years, so it is pinned, not "latest".
KLAVIYO_REVISION = "2026-07-15"
DEFAULT_BASE_URL = "https://a.klaviyo.com"
API_KEY_ENV = "KLAVIYO_API_KEY"
BASE_URL_ENV = "MAILKIT_KLAVIYO_BASE_URL"  # tests point the push at a local fake
JSONAPI = "application/vnd.api+json"
_TIMEOUT = 30.0
MAX_WAIT = 120.0  # longest Retry-After waited out (steady limits are per minute)


class KlaviyoError(Exception):
    """A problem that stops the whole command (key refused, account unreachable, ...)."""


class _Secret:
    """Holds the API key so that no repr, str or f-string can show it by accident."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def scrub(self, text: str) -> str:
        return text.replace(self._value, "[redacted]") if self._value else text

    def __repr__(self) -> str:
        return "<redacted>"

    __str__ = __repr__


class _Rejected(Exception):
    """A 4xx other than 401/403/429: this request is wrong; retrying will not help."""


class _GaveUp(Exception):
    """429/5xx/connection errors outlasted the retries."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Klaviyo's API does not redirect, and urllib would resend the key to the new URL."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _retry_after(headers: Any) -> float:
    """Seconds to wait after a 429: ``Retry-After`` (int or float), else 1 s."""
    try:
        seconds = float(headers.get("Retry-After"))
    except (AttributeError, TypeError, ValueError):
        return 1.0
    return seconds if math.isfinite(seconds) and seconds >= 0 else 1.0


def _error_detail(raw: bytes) -> str:
    """The JSON:API ``errors[].detail`` (with the offending pointer), or the raw text."""
    try:
        parts = []
        for err in json.loads(raw)["errors"]:
            text = err.get("detail") or err.get("title") or err.get("code") or "error"
            pointer = (err.get("source") or {}).get("pointer")
            parts.append(f"{text} (at {pointer})" if pointer else str(text))
        if parts:
            return "; ".join(parts)
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    return raw.decode("utf-8", "replace").strip()[:200] or "no detail given"


def _origin(url: str) -> tuple[str, str]:
    return urllib.parse.urlsplit(url)[:2]


class _Client:
    """One account at one revision: sends requests with the key, retries, waits out
    rate limits. What to ask for is up to the callers (templates, sync and flow_sync,
    verify, commands/send)."""

    def __init__(self, key: _Secret, base_url: str, sleep: Callable[[float], Any],
                 max_retries: int, say: Callable[[str], None] | None) -> None:
        self._key, self.base_url, self.revision = key, base_url.rstrip("/"), KLAVIYO_REVISION
        self.sleep, self.max_retries, self._say = sleep, max_retries, say
        self._opener = urllib.request.build_opener(_NoRedirect)

    def __repr__(self) -> str:
        return f"<Klaviyo client {self.base_url} revision={self.revision}>"

    def scrub(self, text: str) -> str:
        """``text`` with the key masked: for the messages callers build from errors."""
        return self._key.scrub(text)

    def say(self, message: str) -> None:
        """Progress (retries, waits, what was done) for the command's log, scrubbed."""
        if self._say is not None:
            self._say(self.scrub(message))

    def _once(self, method: str, url: str, body: dict | None,
              raw: tuple[bytes, str] | None = None, beta: bool = False
              ) -> tuple[int, Any, bytes]:
        """One request. ``raw`` is a body already encoded (a multipart upload) with its
        content type; ``beta`` sends the beta revision (``2026-07-15.pre``)."""
        headers = {"Authorization": f"Klaviyo-API-Key {self._key.reveal()}",
                   "revision": self.revision + (".pre" if beta else ""), "accept": JSONAPI}
        data = None
        if body is not None:
            data, headers["content-type"] = json.dumps(body).encode(), JSONAPI
        elif raw is not None:
            data, headers["content-type"] = raw
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=_TIMEOUT) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as err:
            with err:
                return err.code, err.headers, err.read()

    def send(self, method: str, url: str, body: dict | None = None, *,
             before_retry: Callable[[], dict | None] | None = None,
             raw: tuple[bytes, str] | None = None, beta: bool = False) -> dict:
        """One API call. 429: wait ``Retry-After``; 5xx or no connection: back off
        0.5, 1, 2, ... s; 401/403: KlaviyoError; other 4xx: _Rejected.

        ``before_retry`` guards non-idempotent calls: after a 5xx or a dropped connection
        the server may have acted anyway, so it is asked first whether to stop retrying.
        """
        path = urllib.parse.urlsplit(url).path
        for attempt in range(self.max_retries + 1):
            try:
                status, headers, reply = self._once(method, url, body, raw, beta)
                problem = f"HTTP {status}"
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                status, headers, reply = 0, None, b""
                problem = f"connection error ({getattr(exc, 'reason', exc)})"
            if 200 <= status < 300:
                try:
                    return json.loads(reply) if reply.strip() else {}
                except ValueError:
                    raise _Rejected(f"HTTP {status} with an unreadable body") from None
            if status in (401, 403):
                hint = ("check the key" if status == 401
                        else "it lacks a needed scope (templates:read, templates:write; "
                        "for flows and images also flows:read, flows:write, images:read, "
                        "images:write, metrics:read, segments:read)")
                raise KlaviyoError(f"Klaviyo refused the API key ({status}): {hint}; "
                                   f"Klaviyo said: {_error_detail(reply)}")
            if status == 429:
                delay = _retry_after(headers)
                problem = f"rate limit hit (HTTP 429, Retry-After {delay:g} s)"
                if delay > MAX_WAIT:  # a daily limit: do not sleep for hours
                    raise _GaveUp(f"{problem}: more than {MAX_WAIT:g} s, so not waiting; "
                                  "a daily limit is likely reached, try again later")
            elif status == 0 or status >= 500:
                delay = 0.5 * 2**attempt
            else:
                raise _Rejected(f"HTTP {status}: {_error_detail(reply)}")
            if attempt == self.max_retries:
                break
            self.say(f"{method} {path}: {problem}; retry {attempt + 1}/{self.max_retries} "
                     f"in {delay:g} s")
            self.sleep(delay)
            if before_retry is not None and status != 429:  # a 429 was not processed
                done = before_retry()
                if done is not None:
                    return done
        raise _GaveUp(f"{problem} after {self.max_retries + 1} attempts")

    def pages(self, url: str) -> Iterator[dict]:
        """Each page of a listing, following ``links.next`` on this host only: a link
        to another host would take the key with it."""
        next_url: str | None = url
        while next_url:
            if _origin(next_url) != _origin(self.base_url):
                raise KlaviyoError("refusing to follow a pagination link to another host "
                                   f"({_origin(next_url)[1]}): the API key would go with it")
            page = self.send("GET", next_url)
            yield page
            next_url = (page.get("links") or {}).get("next")


def connect(api_key: str, base_url: str, *, say: Callable[[str], None] | None = None,
            sleep: Callable[[float], Any] | None = None, max_retries: int = 5) -> _Client:
    """The client for one command's calls, and the only place the key is wrapped: what
    it says reaches ``say`` scrubbed of the key (nothing is said without ``say``), and
    ``client.scrub`` masks it in the messages a caller builds from its errors. ``sleep``
    is injectable so tests do not wait."""
    return _Client(_Secret(api_key), base_url, sleep or time.sleep, max_retries, say)


def api_key(environ: Mapping[str, str] = os.environ) -> str:
    """The key comes from KLAVIYO_API_KEY only: never an option, so never in a shell
    history or a process list. Checked before exporting, so a push fails fast."""
    key = environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise MailkitError(API_KEY_ENV, None, "push", f"set {API_KEY_ENV} to a private API key "
                           "with the scopes templates, flows and images (read and write), "
                           "metrics:read and segments:read")
    return key


def base_url(environ: Mapping[str, str] = os.environ) -> str:
    """https://a.klaviyo.com, or MAILKIT_KLAVIYO_BASE_URL (tests: a local fake)."""
    return environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
