"""Klaviyo syntax kept as tokens (`~~12~~`) while the render and compile stages run.

Digits and tildes go through MJML, premailer and lxml untouched, in text and in
attributes (lxml percent-encodes `{`, `|` and spaces in an `href`; premailer
entity-escapes quotes); the export swaps the Klaviyo tags back in once the HTML and
text are final. Kept apart from the symbols (symbols.py) and filters (filters.py) that
make them, so each part of the export language reads in one sitting (see lang.py).
"""

from __future__ import annotations

import re

from markupsafe import Markup

TOKEN = re.compile(r"~~(\d+)~~")
KLAVIYO_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)  # one tag or variable of the export
JINJA_SYNTAX = re.compile(r"\{[{%#]")
# MJML components whose content is HTML or text: a block tag there is plain text.
ENDING_TAGS = {"mj-text", "mj-button", "mj-title", "mj-preview", "mj-raw", "mj-table",
               "mj-style", "mj-navbar-link", "mj-social-element", "mj-accordion-title",
               "mj-accordion-text"}
MJ_TAG_OR_TOKEN = re.compile(
    r"""<(/?)(mj-[a-z-]+)\b(?:"[^"]*"|'[^']*'|[^'">])*?(/?)>|~~(\d+)~~""")


class Placeholders:
    """The Klaviyo syntax of one export environment, printed as tokens until the end."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.blocks: set[int] = set()  # tags that open or close a block ({% if %}, {% for %}…)
        self._index: dict[tuple[str, bool], int] = {}

    def token(self, text: str, *, block: bool = False) -> Markup:
        index = self._index.get((text, block))
        if index is None:
            index = self._index[(text, block)] = len(self.texts)
            self.texts.append(text)
            if block:
                self.blocks.add(index)
        return Markup(f"~~{index}~~")

    def restore(self, text: str) -> str:
        return TOKEN.sub(lambda m: self.texts[int(m.group(1))], text)

    def restore_text(self, text: str) -> str:
        """Restore a plain-text part: block tags alone on their line take the line break
        after them along, so that Klaviyo's rendering leaves no empty line where it stood."""
        def glue(match: re.Match[str]) -> str:
            indexes = [int(i) for i in TOKEN.findall(match.group(1))]
            if all(i in self.blocks for i in indexes):  # only block tags on this line
                return "".join(self.texts[i] for i in indexes)
            return match.group(0)

        return self.restore(re.sub(r"^((?:~~\d+~~)+)\n", glue, text, flags=re.M))

    def used(self, text: str) -> list[str]:
        """The distinct Klaviyo tags and variables in `text` (tokens not yet restored)."""
        return list(dict.fromkeys(self.texts[int(i)] for i in TOKEN.findall(text)))

    def wrap_structural(self, mjml: str) -> str:
        """Put `<mj-raw>` around block tags that stand between MJML components.

        `{% if %}` around two sections, or `{% for %}` around an mj-text and an mj-button
        in a column, is not MJML; inside `<mj-raw>` it passes through as is, and MJML
        gives every section and column row its own Outlook wrapper, so the tag encloses
        whole rows. Inside an mj-text (HTML content) a tag stays where it is.
        """
        stack: list[str] = []

        def visit(m: re.Match[str]) -> str:
            if m.group(2) is not None:
                name = m.group(2)
                if stack and stack[-1] in ENDING_TAGS and name != stack[-1]:
                    return m.group(0)  # markup inside an mj-text is not structure
                if m.group(1):
                    if stack and stack[-1] == name:
                        stack.pop()
                elif not m.group(3):
                    stack.append(name)
                return m.group(0)
            inline = stack and stack[-1] in ENDING_TAGS
            if int(m.group(4)) in self.blocks and not inline:
                return f"<mj-raw>{m.group(0)}</mj-raw>"
            return m.group(0)

        return MJ_TAG_OR_TOKEN.sub(visit, mjml)
