"""How much of a subject or preheader Gmail shows in its inbox on a 375 px phone, as the
preview's inbox view measures it: one line of 289 px at 14 px, the subject bold
(unread), then "…". Widths are Liberation Sans's (Arial's metrics, the view's font in
CI), kept in data/inbox-metrics.json by scripts/inbox_metrics.py, so no browser runs.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "inbox-metrics.json"
ELLIPSIS = "…"


@lru_cache(maxsize=1)
def _metrics() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def width(text: str, *, bold: bool = False) -> float:
    """`text`'s width in px on one line, kerning included."""
    face = _metrics()["bold" if bold else "regular"]
    widths, kern = face["width"], face["kern"]
    fallback = widths["n"]  # a character the table lacks (an emoji) counts as an n
    total = sum(widths.get(c, fallback) for c in text)
    return total + sum(kern.get(text[i:i + 2], 0.0) for i in range(len(text) - 1))


def shown(text: str, *, bold: bool = False) -> int:
    """How many characters of `text` show before Gmail's "…" (all of them if it fits)."""
    room = _metrics()["room"]
    if width(text, bold=bold) <= room:
        return len(text)
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if width(text[:mid] + ELLIPSIS, bold=bold) <= room:
            low = mid
        else:
            high = mid - 1
    return low
