"""A small, forgiving CSS reader for the support check.

Why not cssutils (which premailer brings): it validates against CSS 2.1, logs a
warning for every `mso-` or `-webkit-` property MJML emits, and normalises values
(so `0px` may come back as `0`). The support check needs the opposite: what the
author wrote, verbatim, including what is invalid, with no log noise. Email CSS is
flat (rules, `@media`, `@font-face`, a few others), so brace matching is enough.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

COMMENT = re.compile(r"/\*.*?\*/", re.S)
AT_NAME = re.compile(r"@([-\w]+)")
IMPORTANT = re.compile(r"!\s*important\s*$", re.I)
PROPERTY = re.compile(r"-{0,2}[\w-]+")
NESTED_AT = {"media", "supports", "document", "-moz-document", "container", "layer"}
DECLARATION_AT = {"font-face", "page"}


@dataclass(frozen=True)
class Declaration:
    prop: str  # lower-cased; custom properties keep their case after `--`
    value: str
    important: bool = False

    def __str__(self) -> str:
        return f"{self.prop}: {self.value}" + (" !important" if self.important else "")


@dataclass
class Rule:
    selectors: list[str]
    declarations: list[Declaration]


@dataclass
class Sheet:
    rules: list[Rule] = field(default_factory=list)
    at_rules: list[tuple[str, str]] = field(default_factory=list)  # (name, prelude)
    has_comments: bool = False
    has_nesting: bool = False


def split_top(text: str, sep: str) -> list[str]:
    """Split on `sep` outside parentheses, brackets and quotes (`a, :not(b, c)`)."""
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def parse_declarations(text: str) -> list[Declaration]:
    """`color: red; width: 10px !important` → declarations, skipping malformed bits."""
    return list(declarations(text))


@lru_cache(maxsize=8192)
def declarations(text: str) -> tuple[Declaration, ...]:
    """`parse_declarations`, memoised: MJML repeats the same few dozen `style`
    attributes on hundreds of elements, and three checks read them."""
    out: list[Declaration] = []
    for part in split_top(COMMENT.sub(" ", text), ";"):
        if ":" not in part or "{" in part or "}" in part:
            continue
        prop, value = part.split(":", 1)
        prop = prop.strip()
        prop = prop if prop.startswith("--") else prop.lower()
        value = value.strip()
        important = bool(IMPORTANT.search(value))
        if important:
            value = IMPORTANT.sub("", value).strip()
        if prop and value and PROPERTY.fullmatch(prop):
            out.append(Declaration(prop, value, important))
    return tuple(out)


def _scan(css: str, start: int, stops: str, nest: str) -> int:
    """Index of the first character of `stops` outside quotes and outside any pair of
    `nest` brackets opened after `start` (-1 if none)."""
    depth = 0
    quote = ""
    for i in range(start, len(css)):
        ch = css[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in stops and depth == 0:
            return i
        elif ch == nest[0]:
            depth += 1
        elif ch == nest[1]:
            depth = max(0, depth - 1)
    return -1


def _match_brace(css: str, open_at: int) -> int:
    """Index of the `}` closing the `{` at `open_at` (or the end of the text)."""
    end = _scan(css, open_at + 1, "}", "{}")
    return len(css) if end < 0 else end


def _find_open_or_semicolon(css: str, start: int) -> int:
    """The `{` or `;` that ends an at-rule's prelude (parentheses skipped), or -1."""
    return _scan(css, start, "{;", "()")


def parse_stylesheet(css: str) -> Sheet:
    """Rules, at-rules (with their preludes) and whether comments or nesting appear."""
    sheet = Sheet()
    text = COMMENT.sub(" ", css)
    sheet.has_comments = text != css
    text = text.replace("<!--", " ").replace("-->", " ")  # old-school hiding of CSS
    _parse_block(text, sheet)
    return sheet


def _parse_block(css: str, sheet: Sheet) -> None:
    i, n = 0, len(css)
    while i < n:
        while i < n and (css[i].isspace() or css[i] in ";}"):
            i += 1
        if i >= n:
            return
        if css[i] == "@":
            i = _parse_at_rule(css, i, sheet)
            continue
        k = css.find("{", i)
        if k == -1:
            return
        end = _match_brace(css, k)
        body = css[k + 1 : end]
        if "{" in body:
            sheet.has_nesting = True
            body = re.sub(r"[^;{}]*\{[^{}]*\}", " ", body)
        selectors = [s.strip() for s in split_top(css[i:k], ",") if s.strip()]
        sheet.rules.append(Rule(selectors, parse_declarations(body)))
        i = end + 1


def _parse_at_rule(css: str, i: int, sheet: Sheet) -> int:
    m = AT_NAME.match(css, i)
    if m is None:
        return i + 1
    name = m.group(1).lower()
    k = _find_open_or_semicolon(css, m.end())
    if k == -1 or css[k] == ";":
        sheet.at_rules.append((name, css[m.end() : k if k != -1 else len(css)].strip()))
        return k + 1 if k != -1 else len(css)
    end = _match_brace(css, k)
    sheet.at_rules.append((name, css[m.end() : k].strip()))
    inner = css[k + 1 : end]
    if name in NESTED_AT:
        _parse_block(inner, sheet)
    elif name in DECLARATION_AT:
        sheet.rules.append(Rule([], parse_declarations(inner)))
    return end + 1
