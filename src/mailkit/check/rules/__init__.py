"""The rules of `mailkit check`, one module each, registered here and nowhere else.

Each rule module has a `NAME` (the family its findings carry) and a function
`check(root, doc, config) -> list[Finding]`: `root` is the email's parsed HTML (parsed
once for all rules), `doc` the `CheckInput` (the HTML plus what the email should
contain), `config` the `CheckConfig`. A rule knows nothing of mailkit's projects,
builds or exports. A new rule is one module here, one line in `RULES` and one test.

The order is the order a designer fixes things in: what blocks sending first
(size, images, links, required parts, leaked escapes), then what a reader meets
(accessibility, dark mode, typography, voice), what only improves it last (client
support, spam heuristics).
"""

from __future__ import annotations

from types import ModuleType

from . import (
    a11y,
    dark,
    escapes,
    images,
    links,
    required,
    size,
    spam,
    support,
    typography,
    voice,
)

RULES: tuple[ModuleType, ...] = (size, images, links, required, escapes, a11y, dark, typography,
                                 voice, support, spam)
