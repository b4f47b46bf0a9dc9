"""The rules of `mailkit check`, one module each, registered here and nowhere else.

Each rule module has a `NAME` (the family its findings carry) and a function
`check(root, doc, config) -> list[Finding]`: `root` is the email's parsed HTML (parsed
once for all rules), `doc` the `CheckInput` (the HTML plus what the email should
contain), `config` the `CheckConfig`. A rule knows nothing of mailkit's projects,
builds or exports. A new rule is one module here, one line in `RULES` and one test.

The order is the order a designer fixes things in: what blocks sending first
(size, images, links, required parts, leaked escapes, what a state's data breaks), then
what a reader meets (accessibility, dark mode, typography, voice), what only improves it
last (client support, spam heuristics).
"""

from __future__ import annotations

from types import ModuleType

from . import (
    a11y,
    brands,
    dark,
    data_urls,
    escapes,
    images,
    inbox,
    inversion,
    links,
    names,
    nostyle,
    nulls,
    outlook,
    promises,
    punctuation,
    required,
    size,
    spam,
    support,
    timing,
    typography,
    voice,
)

RULES: tuple[ModuleType, ...] = (size, images, links, promises, required, escapes, nulls,
                                 data_urls, punctuation, names, brands, timing, a11y, dark,
                                 inversion, nostyle, outlook, typography, voice, inbox, support,
                                 spam)
#: The rules about what a data state does to an email (a null, a missing name or URL):
#: `mailkit check --export` runs them on the export rendered with each state's data.
DATA_RULES: tuple[str, ...] = (nulls.NAME, data_urls.NAME, punctuation.NAME, names.NAME)
