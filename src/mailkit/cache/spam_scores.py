"""SpamAssassin's scores from the last `mailkit check --spam`, for the preview's facts panel.

The preview is built without running SpamAssassin (a build and every save of `serve`
stay fast), so `check --spam` keeps each page's score in
`.mailkit-cache/spamassassin.json`, by a hash of what SpamAssassin reads of its message
(`content_key`); the site shows a score only while the page's content still has that
hash, so a score never describes an older email.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import CACHE_DIR

if TYPE_CHECKING:
    from ..model import Page
    from ..project.schema import Brand

SCORES_FILE = CACHE_DIR / "spamassassin.json"
KEEP = 2000  # scores kept, the newest; older contents are gone from the project anyway


def content_key(page: Page, brand: Brand) -> str:
    """What SpamAssassin reads of the message `mailkit send` makes of `page`, hashed:
    sender, subject, both parts and the unsubscribe address. The date, message id and
    recipient change at every send and are left out."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (brand.sender.name, brand.sender.email, brand.website, page.rendered.subject,
                 page.compiled.text, page.compiled.html):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def load(root: Path) -> dict[str, dict[str, Any]]:
    """The kept scores by content key; none when the file is missing or unreadable."""
    try:
        data = json.loads((root / SCORES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(root: Path, scores: dict[str, dict[str, Any]]) -> None:
    """Add `scores` to the kept ones (the newest last, at most `KEEP`). The same scores
    write the same bytes, so a build sees no change (cache/last_build.py)."""
    kept = load(root)
    for key in scores:
        kept.pop(key, None)
    kept.update(scores)
    kept = dict(list(kept.items())[-KEEP:])
    path = root / SCORES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        tmp.write_text(json.dumps(kept, indent=0, sort_keys=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
