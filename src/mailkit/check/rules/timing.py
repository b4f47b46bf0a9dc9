"""Words that are true on one day only, in an email whose send day the flow does not fix.

A flow triggered by a segment sends when someone enters it, any day; a delay of days
after an event lands on a weekday nobody chose. "Demain", "ce week-end" or "jusqu'à
dimanche" are then false for most readers: print real dates (`frperiod`, brand data).
A countdown ("plus que 10 jours") counted from an event holds after a fixed delay, so it
is flagged only in segment-triggered flows. The words are the locale's
(`Locale.relative_time`).
"""

from __future__ import annotations

from lxml import etree

from ..kept import first_of_each, remember
from ..locales import locale_for
from ..model import CheckConfig, CheckInput, Finding
from .typography import copy_text_groups

NAME = "timing"  # the family in findings, `run_checks(only=…)` and reports


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    locale = locale_for(doc.lang)
    if locale is None or not doc.trigger:
        return []
    segment = doc.trigger == "segment"
    kinds = ([("calendar", locale.relative_time.get("calendar"))] if segment or doc.delay_days
             else []) + ([("countdown", locale.relative_time.get("countdown"))] if segment
                         else [])
    sent = ("when someone enters its segment, any day" if segment
            else f"{doc.delay_days} days after its trigger, on any weekday")
    return first_of_each([x for group in copy_text_groups(root, doc) for x in remember(
        (NAME, locale.name, segment, doc.delay_days, group),
        lambda g=group: _words(g, kinds, sent))])


def _words(group: tuple[tuple[str, str], ...], kinds: list, sent: str,
           ) -> tuple[tuple[tuple[str, str], Finding], ...]:
    """Each day-bound word of a group of texts, with what makes it the same as another."""
    out = []
    for where, text in group:
        for kind, pattern in kinds:
            for match in pattern.finditer(text) if pattern is not None else ():
                word = match.group()
                fix = ("print the dates (brand data, `frperiod`)" if kind == "calendar"
                       else "count from a date the reader knows, or drop the countdown")
                out.append(((where, word.lower()), Finding(
                    "error", NAME, f"{where}: \"{word}\" is true on one day only, and this "
                    f"email is sent {sent}: {fix}", where, locate=word)))
    return tuple(out)
