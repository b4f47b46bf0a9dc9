"""The push plan's parts: one Step per object, the report, and the account as read.

Below sync.py and flow_sync.py, which fill a SyncReport with Steps: a step says what a
push does to one object (create, update with what changed, unchanged, blocked) and
holds the request that does it, run later by ``sync.apply``.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

from ...model import KlaviyoTemplate
from .client import _Client, _Rejected
from .images import rewrite

NEW_IMAGE = "(new upload)"


@dataclass
class Step:
    """What a push does to one object; ``run`` makes the request (None: nothing to do)."""

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
    """The plan, then what running it did; ``lines()`` is what the command prints."""

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
        return [i for page in self.client.pages(f"{self.client.base_url}{path}{query}")
                for i in page.get("data") or [] if i.get("id")]

    def by_name(self, path: str, fields: dict[str, str] | None = None) -> dict[str, dict]:
        found: dict[str, dict] = {}
        for item in self.listing(path, fields):
            found.setdefault((item.get("attributes") or {}).get("name"), item)
        return found

    def get(self, path: str) -> dict:
        return self.client.send("GET", self.client.base_url + path).get("data") or {}


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
