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
from ..dom import SKIP_TEXT, describe, elements, hidden_or_in_hidden, is_hidden
from ..locales import locale_for, visible
from ..model import CheckConfig, CheckInput, Finding

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


def copy_texts(root: etree._Element, doc: CheckInput) -> list[tuple[str, str]]:
    """(where, text) for every piece of copy: subject, preheader, visible blocks and
    the attributes read aloud. Only ASCII white space is collapsed: no-break spaces are
    what the rules look at. Typography and voice both ask, on the same document: the
    last answer is kept (the checks never change the tree)."""
    global _last
    last = _last
    if last is not None and last[0] is root and last[1] is doc:
        return last[2]
    texts = list(_copy_texts(root, doc))
    _last = (root, doc, texts)
    return texts


_last: tuple[etree._Element, CheckInput, list[tuple[str, str]]] | None = None


def _copy_texts(root: etree._Element, doc: CheckInput) -> Iterator[tuple[str, str]]:
    yield "subject", untagged(doc.subject)
    yield "preheader", untagged(doc.preheader)
    body = root.find("body")
    base = body if body is not None else root
    runs: list[tuple[etree._Element, list[str]]] = []
    _walk(base, runs, base)
    for el, parts in runs:
        text = _ASCII_SPACE.sub(" ", untagged("".join(parts))).strip()
        if text:
            yield describe(el), text
    for el in elements(base):
        for attr in SPOKEN_ATTRS:
            value = el.get(attr)
            if value and value.strip() and not hidden_or_in_hidden(el):
                yield f"{describe(el)} {attr}", untagged(value)




def _walk(el: etree._Element, runs: list[tuple[etree._Element, list[str]]],
          block: etree._Element) -> None:
    if not isinstance(el.tag, str) or el.tag in SKIP_TEXT or is_hidden(el):
        return
    if el.tag in BLOCKS:
        runs.append((el, []))
        block = el
    elif not runs:
        runs.append((block, []))
    if el.text:
        runs[-1][1].append(el.text)
    for child in el:
        _walk(child, runs, block)
        if child.tail:
            if isinstance(child.tag, str) and child.tag in BLOCKS:
                runs.append((block, []))  # the text after a block is a block of its own
            runs[-1][1].append(child.tail)


def check_typography(root: etree._Element, doc: CheckInput) -> list[Finding]:
    findings: list[Finding] = []
    locale = locale_for(doc.lang)
    if locale is not None:
        seen: set[tuple[str, str]] = set()
        for where, text in copy_texts(root, doc):
            for rule in locale.rules:
                for m in rule.faults(text):
                    around = text[max(0, m.start() - 20): m.end() + 12]
                    if (rule.id, around) in seen:
                        continue
                    seen.add((rule.id, around))
                    written = _in_brand_copy(text, m, doc.brand_copy)
                    findings.append(Finding(
                        "error", "typography",
                        f"{where}: \"…{visible(around)}…\" needs {rule.message} "
                        f"({locale.name}; " + (f"written in {written[1].split(' ', 1)[1]} of "
                                               "brand.yaml: `mailkit check --fix` rewrites it)"
                                               if written else
                                               "`mailkit check --fix` rewrites the templates)"),
                        where, locate="" if written else around.strip(),
                        line=written[1].split(" ", 1)[0] if written else ""))
    findings += check_unbroken_names(root, doc)
    return findings


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
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    body = root.find("body")
    for el in elements(body if body is not None else root):
        texts = [t for t in [el.text or "", *(c.tail or "" for c in el)] if pattern.search(t)]
        if not texts or el.tag in SKIP_TEXT or hidden_or_in_hidden(el) or _nowrap(el):
            continue  # cheap test first: few texts hold a name
        for text in map(untagged, texts):
            for m in pattern.finditer(text):
                key = (describe(el), m.group().lower())
                if key in seen:
                    continue
                seen.add(key)
                findings.append(Finding(
                    "error", "typography",
                    f"`{describe(el)}`: \"{m.group()}\" can break at its hyphen: write it "
                    "with a non-breaking hyphen (U+2011) or inside white-space: nowrap",
                    describe(el)))
    return findings


def _nowrap(el: etree._Element) -> bool:
    return any(_style(n).get("white-space", "").strip().startswith("nowrap")
               for n in (el, *el.iterancestors()))


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    return check_typography(root, doc)
