"""The preview site's Klaviyo tab: what Klaviyo will receive, with its tags highlighted.

The build exports each fresh email once (`BuildResult.exports`), so the tab shows
the same HTML and text `mailkit export klaviyo` writes, and an email the export
cannot translate shows its error here instead of failing the preview.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from ..errors import MailkitError
from ..klaviyo.lang import KLAVIYO_TAG
from ..model import BuildResult, Page


def highlight(text: str) -> Markup:
    """Escape `text` and wrap every Klaviyo tag or variable in `<mark class="kl-tag">`."""
    out, last = [], 0
    for match in KLAVIYO_TAG.finditer(text):
        out += [escape(text[last:match.start()]),
                Markup('<mark class="kl-tag">%s</mark>') % match.group(0)]
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def klaviyo_panel(result: BuildResult) -> Callable[[Page], Markup]:
    def panel(page: Page) -> Markup:
        exported = result.exports.get(f"{page.target.brand}/{page.target.email.id}")
        if exported is None:
            return Markup("<p>Exporting… (the dev server shows a save first, then this)</p>")
        if isinstance(exported, MailkitError):
            return Markup('<p class="mk-bad">The export failed: <code>%s</code></p>') % str(
                exported)
        tags = Markup("").join(Markup("<li><code>%s</code></li>") % t for t in exported.tags)
        return Markup(
            '<div class="mk-klaviyo"><p>One Klaviyo template serves every scenario of this '
            "email. Template name <strong>%s</strong></p>"
            "<p>Subject <span>%s</span><br>Preheader <span>%s</span></p>"
            "<h2>Klaviyo tags and variables <small>%d</small></h2><ul class=\"mk-tags\">%s</ul>"
            "<h2>HTML</h2><pre tabindex=\"0\" class=\"mk-code\">%s</pre>"
            "<h2>Text</h2><pre tabindex=\"0\" class=\"mk-code mk-text\">%s</pre></div>"
        ) % (exported.name, highlight(exported.subject), highlight(exported.preheader),
             len(exported.tags), tags, highlight(exported.html), highlight(exported.text))

    return panel
