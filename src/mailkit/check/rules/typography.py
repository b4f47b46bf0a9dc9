"""Typography of the copy, by the rules of the email's language (`mailkit.check.locales`).

French copy needs its no-break spaces (before `:` `;` `!` `?`, inside « », between a
number and its unit) or a line can start with `?`, or end on `10` with `jours` on the
next. The rules are the locale's, chosen by the email's `lang`: an email in a
language without rules gets none. Every text a reader sees or hears is held to them:
the visible text (block by block, so a mark is judged with the words before it, even
across `<b>` or `<a>`), `alt`, `title`, `aria-label`, the subject and the preheader.

One rule is the brand's rather than the language's: a hyphenated name (`R-PUR`, the
website `www.r-pur.com`) must not break at its hyphen. Written with a non-breaking
hyphen (U+2011) or inside `white-space: nowrap`, it holds.

`mailkit check --fix` applies the same rules to the templates (`mailkit.commands.fix`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from ..contrast import _style
from ..dom import SKIP_TEXT, describe, hidden_or_in_hidden, is_hidden
from ..kept import first_of_each, remember
from ..locales import Locale, locale_for, visible
from ..model import CheckConfig, CheckInput, Finding
from ..sections import layout
from ..units import memo, walk

BLOCKS = {"div", "p", "td", "th", "tr", "table", "tbody", "li", "ul", "ol", "h1", "h2", "h3",
          "h4", "h5", "h6", "br", "center", "section", "blockquote", "body"}
SPOKEN_ATTRS = ("alt", "title", "aria-label")
_ASCII_SPACE = re.compile(r"[ \t\r\n]+")
_TAG = re.compile(r"\{%.*?%\}|(\{\{.*?\}\})", re.S)

NAME = "typography"  # the family in findings, `run_checks(only=…)` and reports


def untagged(text: str) -> str:
    """Klaviyo's (or Jinja's) tags out of an exported text: a `{% if %}` prints
    nothing, a `{{ first_name }}` prints a word (a private-use stand-in)."""
    if "{" not in text:
        return text
    return _TAG.sub(lambda m: "\ue000" if m.group(1) else "", text)


def copy_text_groups(root: etree._Element, doc: CheckInput,
                     ) -> list[tuple[tuple[str, str], ...]]:
    """(where, text) for every piece of copy (subject, preheader, visible blocks, the
    attributes read aloud; only ASCII white space collapsed: no-break spaces are what
    the rules look at), in groups: the subject and preheader, then the blocks of each unit
    (check/units.py) and of the elements between, then the attributes: a rule's work on
    a group is kept, for the groups come back from state to state. Typography, timing
    and voice all ask, on the same document: the last answer is kept (the checks never
    change the tree)."""
    global _last
    last = _last
    if last is not None and last[0] is root and last[1] is doc:
        return last[2]
    groups = list(_copy_texts(root, doc))
    _last = (root, doc, groups)
    return groups


_last: tuple[etree._Element, CheckInput, list[tuple[tuple[str, str], ...]]] | None = None


def _copy_texts(root: etree._Element, doc: CheckInput,
                ) -> Iterator[tuple[tuple[str, str], ...]]:
    yield ("subject", untagged(doc.subject)), ("preheader", untagged(doc.preheader))
    body = root.find("body")
    base = body if body is not None else root
    runs: list[tuple[etree._Element | tuple[tuple[str, str], ...], list[str]]] = []
    _walk(base, runs, base, layout(root).units, root)
    if any(isinstance(el, tuple) and "".join(parts).strip() for el, parts in runs):
        runs = []  # text after a unit joined its last block: the blocks are not its own
        _walk(base, runs, base)
    group: list[tuple[str, str]] = []
    for el, parts in runs:
        if isinstance(el, tuple):  # a unit's blocks, as kept
            yield tuple(group)
            yield el
            group = []
        else:
            group += _block_texts([(el, parts)])
    yield tuple(group)
    yield from walk(root, _spoken, (NAME, "spoken"), share=lambda pairs: (tuple(pairs),))


def _block_texts(runs: list[tuple[etree._Element, list[str]]]) -> list[tuple[str, str]]:
    out = []
    for el, parts in runs:
        text = _ASCII_SPACE.sub(" ", untagged("".join(parts))).strip()
        if text:
            out.append((describe(el), text))
    return out


def _spoken(el: etree._Element) -> list[tuple[str, str]]:
    out = []
    for attr in SPOKEN_ATTRS:
        value = el.get(attr)
        if value and value.strip() and not hidden_or_in_hidden(el):
            out.append((f"{describe(el)} {attr}", untagged(value)))
    return out


def _walk(el: etree._Element, runs: list, block: etree._Element,
          units: dict[etree._Element, bytes] | None = None,
          root: etree._Element | None = None) -> None:
    if not isinstance(el.tag, str) or el.tag in SKIP_TEXT or is_hidden(el):
        return
    unit = units.get(el) if units else None
    if unit is not None and el.tag in BLOCKS:  # its blocks are its own: kept
        def blocks() -> tuple[tuple[str, str], ...]:
            inside: list[tuple[etree._Element, list[str]]] = []
            _walk(el, inside, block)
            return tuple(_block_texts(inside))

        runs.append((memo((NAME, "blocks"), root, unit, blocks), []))  # type: ignore[arg-type]
        return
    if el.tag in BLOCKS:
        runs.append((el, []))
        block = el
    elif not runs:
        runs.append((block, []))
    if el.text:
        runs[-1][1].append(el.text)
    for child in el:
        _walk(child, runs, block, units, root)
        if child.tail:
            if isinstance(child.tag, str) and child.tag in BLOCKS:
                runs.append((block, []))  # the text after a block is a block of its own
            runs[-1][1].append(child.tail)


def check_typography(root: etree._Element, doc: CheckInput) -> list[Finding]:
    findings: list[Finding] = []
    locale = locale_for(doc.lang)
    if locale is not None:
        found = [x for group in copy_text_groups(root, doc) for x in remember(
            (NAME, locale.name, doc.brand_copy, group), lambda g=group: _faults(g, locale, doc))]
        findings += first_of_each(found)
    findings += check_unbroken_names(root, doc)
    return findings


def _faults(group: tuple[tuple[str, str], ...], locale: Locale,
            doc: CheckInput) -> tuple[tuple[tuple[str, str], Finding], ...]:
    """The faults of a group of texts, each with what makes it the same as another."""
    out = []
    for where, text in group:
        for rule in locale.rules:
            for m in rule.faults(text):
                around = text[max(0, m.start() - 20): m.end() + 12]
                written = _in_brand_copy(text, m, doc.brand_copy)
                out.append(((rule.id, around), Finding(
                    "error", "typography",
                    f"{where}: \"…{visible(around)}…\" needs {rule.message} "
                    f"({locale.name}; " + (f"written in {written[1].split(' ', 1)[1]} of "
                                           "brand.yaml: `mailkit check --fix` rewrites it)"
                                           if written else
                                           "`mailkit check --fix` rewrites the templates)"),
                    where, locate="" if written else around.strip(),
                    line=written[1].split(" ", 1)[0] if written else "")))
    return tuple(out)


def _in_brand_copy(text: str, m: re.Match[str], copy: tuple[tuple[str, str], ...],
                   ) -> tuple[str, str] | None:
    """The brand.yaml value the fault is written in, when the text around it is that
    value's (the fault's own characters and a few on each side)."""
    window = text[max(0, m.start() - 6): m.end() + 3].strip()
    return next((c for c in copy if window and window in c[0]), None)


def check_unbroken_names(root: etree._Element, doc: CheckInput) -> list[Finding]:
    """Hyphenated names with a breakable hyphen, outside `white-space: nowrap`."""
    if not doc.keep_together:
        return []
    pattern = re.compile("|".join(re.escape(n) for n in doc.keep_together), re.I)
    return first_of_each(walk(root, lambda el: _breakable(el, pattern),
                              (NAME, "names", doc.keep_together)))


def _breakable(el: etree._Element, pattern: re.Pattern[str]) -> list[tuple[tuple, Finding]]:
    texts = [t for t in [el.text or "", *(c.tail or "" for c in el)] if pattern.search(t)]
    if not texts or el.tag in SKIP_TEXT or hidden_or_in_hidden(el) or _nowrap(el):
        return []  # cheap test first: few texts hold a name
    out = []
    for text in map(untagged, texts):
        for m in pattern.finditer(text):
            out.append(((describe(el), m.group().lower()), Finding(
                "error", "typography",
                f"`{describe(el)}`: \"{m.group()}\" can break at its hyphen: write it "
                "with a non-breaking hyphen (U+2011) or inside white-space: nowrap",
                describe(el))))
    return out


def _nowrap(el: etree._Element) -> bool:
    return any(_style(n).get("white-space", "").strip().startswith("nowrap")
               for n in (el, *el.iterancestors()))


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    return check_typography(root, doc)
