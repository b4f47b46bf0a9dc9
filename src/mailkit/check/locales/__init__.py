"""Typography and voice, per language: what correct copy looks like in a locale.

A `Locale` is data the checks and the autofix share: typography rules (a pattern
that finds a fault and the replacement that fixes it, so the check and
`mailkit check --fix` cannot disagree), the unit words a number must stay glued to,
and the words that give away each form of address (French *tu* or *vous*).

`locale_for("fr-FR")` finds the French rules from a brand's `locale` or an email's
`lang`; a language without a module here gets no typography rules (and no finding).
Another locale brings its own module (`de.py` with `LOCALE = Locale("de", …)`) and
one line in `_MODULES`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

NBSP = "\u00a0"  # no-break space
NNBSP = "\u202f"  # narrow no-break space
NBHY = "\u2011"  # non-breaking hyphen
#: how the autofix's diff shows the invisible characters it writes
VISIBLE = {NBSP: "⟨nbsp⟩", NNBSP: "⟨nnbsp⟩", NBHY: "⟨nbhy⟩"}

_MODULES = {"fr": "fr"}


@dataclass(frozen=True)
class Rule:
    """One typography rule: `pattern` finds a fault, `fix` (a `re.sub` replacement)
    corrects it. The pattern only ever consumes spaces and the marks it puts back, so
    a fix never eats a word or a template tag next to it."""

    id: str
    message: str  # says the rule, e.g. "a no-break space before `:`"
    pattern: re.Pattern[str]
    fix: str | Callable[[re.Match[str]], str]

    def faults(self, text: str) -> list[re.Match[str]]:
        return list(self.pattern.finditer(text))

    def apply(self, text: str) -> str:
        return self.pattern.sub(self.fix, text)


@dataclass(frozen=True)
class Locale:
    name: str
    rules: tuple[Rule, ...]
    #: form of address → the words that use it (a brand's voice says which is right)
    address: dict[str, re.Pattern[str]] = field(default_factory=dict)
    #: words whose truth depends on the day the email is read: "calendar" (tomorrow,
    #: this weekend, a weekday with no date), "countdown" (in two days: true counted
    #: from the trigger, not from the day someone enters a segment)
    relative_time: dict[str, re.Pattern[str]] = field(default_factory=dict)
    #: link texts that promise an action: "cart" (the link must fill a cart), "order"
    #: (adding to an order already placed: no link can)
    promises: dict[str, re.Pattern[str]] = field(default_factory=dict)

    def fix(self, text: str) -> str:
        for rule in self.rules:
            text = rule.apply(text)
        return text


@lru_cache(maxsize=64)
def locale_for(lang: str) -> Locale | None:
    """The rules for a language tag (`fr`, `fr-FR`), or None when there are none."""
    module = _MODULES.get(lang.strip().lower().split("-")[0])
    if module is None:
        return None
    return importlib.import_module(f".{module}", __name__).LOCALE  # type: ignore[no-any-return]


def visible(text: str) -> str:
    """`text` with its no-break characters named, for diffs and messages."""
    for char, name in VISIBLE.items():
        text = text.replace(char, name)
    return text
