"""The preview site's Klaviyo tab: what Klaviyo will receive, with its tags highlighted.

The build exports each fresh email once (`BuildResult.exports`), so the tab shows
the same HTML and text `mailkit export klaviyo` writes, and an email the export
cannot translate shows its error here instead of failing the preview. One Klaviyo
template serves every state of an email, so the tab's data travels once per email,
in the email's sources script (`sources.py`); the browser draws the tab when it is
opened and highlights the tags (`_mailkit/code.js`, the same pattern as
`klaviyo.tokens.KLAVIYO_TAG`).
"""

from __future__ import annotations

from typing import Any

from ..errors import MailkitError
from ..model import KlaviyoTemplate


def klaviyo_sources(exported: KlaviyoTemplate | MailkitError | None) -> dict[str, Any]:
    """The tab's data: the export, its error, or that it is still to come (the dev
    server shows a save first and exports it right after)."""
    if exported is None:
        return {"pending": True}
    if isinstance(exported, MailkitError):
        return {"error": str(exported)}
    return {"name": exported.name, "subject": exported.subject,
            "preheader": exported.preheader, "tags": list(exported.tags),
            "html": exported.html, "text": exported.text}
