"""A client view's HTML for a shot, drawn by the preview's own script.

A client view (check/clients.py) is what a mail app makes of the email: recoloured for
its dark mode, without `<style>`, or as Word reads it. The preview draws it in the
browser (site/static/clients.js); a snapshot must show the same thing, so the same
script draws it here, in a page with JavaScript on, and hands back the HTML. The usual
capture (JavaScript off, every pixel source pinned) then shoots that HTML, written
into the build folder with a `<base>` that points at the email's folder, so its images
load from where they are.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..site.clients import CANVAS, CHOICES, SCRIPT, outlook_table

VIEWS = frozenset(view.id for view in CHOICES if view.id)
FOLDER = ".client-views"  # inside the build folder, removed after the run

# The email written into the page's own document (its URL is the email's, so its images
# resolve), drawn as the preview draws it in its frame, and serialised back.
_DRAW = """([html, id, opts]) => {
  const views = window.mailkitClients;
  document.open(); document.write(views.prepare(html, id)); document.close();
  views.finish(document, id, opts);
  return views.serialize(document);
}"""
_HEAD = re.compile(r"<head\b[^>]*>", re.I)


async def arm(context: Any) -> None:
    """Give every page of `context` the preview's script (once, not per shot)."""
    await context.add_init_script(SCRIPT.read_text(encoding="utf-8"))


async def draw(page: Any, html_path: Path, view: str, out: Path) -> Path:
    """The client view `view` of the email at `html_path`, drawn in `page` (an `arm`ed
    context: JavaScript on, the shot's viewport) and written to `out`, ready to shoot.

    The page opens one email over file:// (a page elsewhere may not load the build's
    images), then every email is written into that document, its `<base>` pointing at
    its own folder: one navigation per page, not one per shot."""
    base = f'<base href="{html_path.parent.as_uri()}/">'
    html = _HEAD.sub(lambda m: m.group(0) + base, html_path.read_text(encoding="utf-8"),
                     count=1)
    if not page.url.startswith("file:"):
        await page.goto(html_path.as_uri(), wait_until="domcontentloaded")
    opts = {"canvas": list(CANVAS), "outlook": outlook_table([html]) if view == "outlook" else {}}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(await page.evaluate(_DRAW, [html, view, opts]), encoding="utf-8")
    return out
