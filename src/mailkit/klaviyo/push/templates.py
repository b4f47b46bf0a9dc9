"""Push email templates into a Klaviyo account through the Templates API.

Templates are matched by *name*: pushing twice updates instead of duplicating, and a
push that stopped part-way is finished by running it again. The requests go through
``client._Client``, which holds the key and does the retries.
"""

from __future__ import annotations

import logging
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .client import (
    DEFAULT_BASE_URL,
    KLAVIYO_REVISION,
    KlaviyoError,
    _Client,
    _GaveUp,
    _Rejected,
    _Secret,
)

_TEMPLATES = "/api/templates/"
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TemplateUpload:
    """One template to push; ``name`` is its identity in the Klaviyo account."""

    name: str
    html: str
    text: str

    def __repr__(self) -> str:  # the HTML can weigh 100 kB: keep reprs and logs readable
        return (f"TemplateUpload(name={self.name!r}, html=<{len(self.html)} chars>, "
                f"text=<{len(self.text)} chars>)")


@dataclass(frozen=True)
class PushFailure:
    name: str
    reason: str


@dataclass
class PushReport:
    """What a push did. In a dry run, ``created``/``updated`` are what it *would* do."""

    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    failed: list[PushFailure] = field(default_factory=list)
    not_attempted: list[str] = field(default_factory=list)
    stopped: str | None = None  # why the push stopped early, if it did
    ids: dict[str, str] = field(default_factory=dict)  # name -> Klaviyo template id

    @property
    def ok(self) -> bool:
        return not self.failed and not self.not_attempted

    def summary_lines(self) -> list[str]:
        """One line per template, then a totals line; aligned for a terminal."""
        create, update = ("created", "updated")
        if self.dry_run:
            create, update = "would create", "would update"
        rows = [(create, n) for n in self.created] + [(update, n) for n in self.updated]
        rows += [("failed", f"{f.name} — {f.reason}") for f in self.failed]
        rows += [("skipped", f"{n} (not attempted)") for n in self.not_attempted]
        width = max((len(label) for label, _ in rows), default=0) + 2
        lines = [f"{label:<{width}}{text}" for label, text in rows]
        totals = (f"{len(self.created)} {create}, {len(self.updated)} {update}, "
                  f"{len(self.failed)} failed, {len(self.not_attempted)} not attempted")
        lines.append(totals + (" (dry run: nothing written)" if self.dry_run else ""))
        if self.stopped:
            lines.append(f"stopped early: {self.stopped}; run the push again to finish")
        return lines


def existing_ids(client: _Client) -> dict[str, str]:
    """Map template name -> id for the whole account, following ``links.next``.

    Listing once beats one ``filter=equals(name,...)`` query per template: a page
    holds many templates, so it costs far fewer calls against the Templates rate
    limit shared with the writes; names with quotes or commas need no escaping in a
    filter expression; and dry-run and push classify against the same snapshot.
    Sparse fieldsets (``fields[template]=name``) keep the HTML out of the listing.
    """
    query = urllib.parse.urlencode({"fields[template]": "name"})
    ids: dict[str, str] = {}
    for page in client.pages(f"{client.base_url}{_TEMPLATES}?{query}"):
        for item in page.get("data") or []:
            name = (item.get("attributes") or {}).get("name")
            if name in ids:
                client.say(f"several Klaviyo templates are named {name!r}; "
                           f"updating the first ({ids[name]})")
            elif name is not None and item.get("id"):
                ids[name] = str(item["id"])
    return ids


def upsert_template(client: _Client, upload: TemplateUpload, template_id: str | None
                    ) -> tuple[str, bool]:
    """Update ``template_id`` or create the template; return (id, created)."""
    attributes = {"name": upload.name, "html": upload.html, "text": upload.text}
    if template_id is not None:
        body = {"data": {"type": "template", "id": template_id, "attributes": attributes}}
        url = f"{client.base_url}{_TEMPLATES}{urllib.parse.quote(template_id, safe='')}/"
        client.send("PATCH", url, body)
        return template_id, False
    attributes = {"name": upload.name, "editor_type": "CODE", **attributes}

    def created_anyway() -> dict | None:  # a lost reply must not become a duplicate
        found = existing_ids(client).get(upload.name)
        return None if found is None else {"data": {"id": found}}

    doc = client.send("POST", client.base_url + _TEMPLATES,
                      {"data": {"type": "template", "attributes": attributes}},
                      before_retry=created_anyway)
    try:
        return str(doc["data"]["id"]), True
    except (KeyError, TypeError):
        raise _Rejected("Klaviyo's reply to the create had no template id") from None


def push_templates(
    templates: Sequence[TemplateUpload], *, api_key: str, base_url: str = DEFAULT_BASE_URL,
    revision: str = KLAVIYO_REVISION, dry_run: bool = False,
    sleep: Callable[[float], Any] = time.sleep, max_retries: int = 5,
    log: Callable[[str], None] | None = None,
) -> PushReport:
    """Create or update ``templates`` in Klaviyo, matched by name.

    A template Klaviyo rejects (4xx) is reported as failed and the others carry on. If
    Klaviyo keeps failing (5xx, timeouts) the push stops - hammering an unhealthy API
    template by template helps nobody - and the rest is reported as not attempted; a
    rerun finishes the job. A refused key raises KlaviyoError at once. ``dry_run`` makes
    only the read requests. ``sleep`` is injectable so tests do not wait.
    """
    key = _Secret(api_key)
    emit = log or _log.debug

    def say(message: str) -> None:
        emit(key.scrub(message))

    uploads = list(templates)
    names = [t.name for t in uploads]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValueError(f"template names must be unique; repeated: {', '.join(repeated)}")
    report = PushReport(dry_run=dry_run)
    client = _Client(key, base_url, revision, sleep, max_retries, say)
    try:
        ids = existing_ids(client)
    except (KlaviyoError, _Rejected, _GaveUp) as exc:
        report.not_attempted = names
        prefix = "" if isinstance(exc, KlaviyoError) else "could not list Klaviyo templates: "
        raise KlaviyoError(key.scrub(prefix + str(exc)), report) from None
    say(f"Klaviyo account has {len(ids)} templates")
    if dry_run:
        for name in names:
            (report.updated if name in ids else report.created).append(name)
        return report
    for index, upload in enumerate(uploads):
        try:
            template_id, created = upsert_template(client, upload, ids.get(upload.name))
        except _Rejected as exc:
            report.failed.append(PushFailure(upload.name, key.scrub(str(exc))))
            say(f"failed {upload.name}: {exc}")
            continue
        except _GaveUp as exc:
            report.failed.append(PushFailure(upload.name, key.scrub(str(exc))))
            report.not_attempted = names[index + 1:]
            report.stopped = key.scrub(f"Klaviyo kept failing ({exc})")
            say(f"stopping: {report.stopped}")
            return report
        except KlaviyoError as exc:
            report.not_attempted = names[index:]
            raise KlaviyoError(key.scrub(str(exc)), report) from None
        ids[upload.name] = report.ids[upload.name] = template_id
        (report.created if created else report.updated).append(upload.name)
        say(f"{'created' if created else 'updated'} {upload.name} ({template_id})")
    return report
