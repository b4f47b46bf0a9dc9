"""Write src/mailkit/check/data/inbox-metrics.json: how wide each character is in the
preview's inbox view (Gmail's inbox on a 375 px phone: 14 px Liberation Sans, the subject
bold), so `mailkit check` measures a subject's cut as the view does, with no browser.

Run after changing the inbox view's font or width: .venv/bin/python scripts/inbox_metrics.py
Needs Pillow and fonts-liberation (the bootstrap installs both).
"""

from __future__ import annotations

import json
from itertools import product
from pathlib import Path

from PIL import ImageFont

FONTS = Path("/usr/share/fonts/truetype/liberation")
OUT = Path(__file__).resolve().parent.parent / "src/mailkit/check/data/inbox-metrics.json"
SIZE, ROOM = 14, 289  # px: .mk-row-subject / .mk-row-pre in site/static/app.css
CHARS = ("".join(chr(c) for c in range(32, 127)) + "àâäæçéèêëîïôöœùûüÿÀÂÄÆÇÉÈÊËÎÏÔÖŒÙÛÜŸ"
         "«»…’‘“”–—€\u00a0\u202f\u2011·×°%ñíóúáÑ")


def metrics(file: str) -> dict:
    font = ImageFont.truetype(str(FONTS / file), SIZE)
    width = {c: font.getlength(c) for c in CHARS}
    kern = {}
    for a, b in product(CHARS, repeat=2):
        delta = font.getlength(a + b) - width[a] - width[b]
        if abs(delta) > 0.01:
            kern[a + b] = round(delta, 3)
    return {"width": {c: round(w, 3) for c, w in width.items()}, "kern": kern}


if __name__ == "__main__":
    data = {"font": "Liberation Sans", "size": SIZE, "room": ROOM,
            "regular": metrics("LiberationSans-Regular.ttf"),
            "bold": metrics("LiberationSans-Bold.ttf")}
    OUT.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
                   encoding="utf-8")
    print(f"{OUT}: {len(CHARS)} characters, "
          f"{len(data['regular']['kern'])} + {len(data['bold']['kern'])} kerning pairs")
