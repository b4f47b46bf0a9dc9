"""The Templates API calls of a push: create or update one template, by name.

A template's name is its identity in the account (the plan in sync.py finds it by
name), so a create whose reply was lost is looked up by name before it is sent again.
The requests go through ``client._Client``, which holds the key and does the retries.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from .client import _Client, _Rejected
from .plan import Account

_TEMPLATES = "/api/templates/"


@dataclass(frozen=True)
class TemplateUpload:
    """One template to push; ``name`` is its identity in the Klaviyo account."""

    name: str
    html: str
    text: str

    def __repr__(self) -> str:  # the HTML can weigh 100 kB: keep reprs and logs readable
        return (f"TemplateUpload(name={self.name!r}, html=<{len(self.html)} chars>, "
                f"text=<{len(self.text)} chars>)")


def existing_ids(client: _Client) -> dict[str, str]:
    """Map template name -> id for the whole account, following ``links.next``: how a
    create whose reply was lost is found. A listing rather than a
    ``filter=equals(name,...)`` query: names with quotes or commas need no escaping.
    Sparse fieldsets (``fields[template]=name``) keep the HTML out of the listing.
    """
    ids: dict[str, str] = {}
    for item in Account(client).listing(_TEMPLATES, {"fields[template]": "name"}):
        name = (item.get("attributes") or {}).get("name")
        if name in ids:
            client.say(f"several Klaviyo templates are named {name!r}; "
                       f"updating the first ({ids[name]})")
        elif name is not None:
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
