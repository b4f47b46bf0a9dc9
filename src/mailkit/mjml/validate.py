"""Validate rendered MJML with MJML 5's own rules, as its validator does, and locate
each finding at the template line that wrote the element (sourcemap.py).

The rules of mjml-validator, one function each, over a tree parsed here (with each
element's offset, which mjml-python does not give): an unknown element
(`validTag`), an attribute the element does not take (`validAttributes`), a value
its type refuses (`validTypes`: units, colours, enumerations), a child its parent
does not allow (`validChildren`). The parse itself finds what MJML cannot compile,
located where the user can act: an element never closed (at its opening tag), a
closing tag that closes nothing.

The states of one email, and the brand's other emails, repeat the same elements with
the same attributes: what an element's attribute text parses to and which rules it
breaks depend on that text, its tag and its parent's tag only, so each process works
them out once (`_parsed`, `_broken`); the walk over each document, and so the offsets
that place a finding, stay per document.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

from .rules import Rules, load_rules
from .sourcemap import Origin, SourceMap

_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<(/?)([A-Za-z][\w:.-]*)"
                    r"((?:\s+[^\s=/>]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*(/?)>", re.S)
_MJML_TAG = re.compile(r"</?mj(?:ml\b|-[\w-]+)")
_ATTR = re.compile(r"([^\s=/>]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]  # shared by the elements with the same attribute text: read only
    offset: int
    children: list[Element] = field(default_factory=list)
    source: str = ""  # the attribute text as written: with the tag, what the rules read


@dataclass(frozen=True)
class MjmlFinding:
    """One rule broken by one element. `code` names the rule and the element, for
    `accept_mjml:` in checks.yaml (`illegal-attribute:mj-image:role`); `fatal`: MJML
    cannot compile the document (never accepted)."""

    code: str
    message: str
    path: str
    line: int
    via: str = ""
    fatal: bool = False

    def __str__(self) -> str:
        tail = f" ({self.via})" if self.via else ""
        return f"{self.path}:{self.line}: mjml: {self.message}{tail}"


def parse(text: str) -> tuple[list[Element], list[tuple[str, str, int, bool]]]:
    """The element tree (ending tags' content is HTML: not parsed) and the structural
    problems as (code, message, offset, fatal)."""
    rules = load_rules()
    root = Element("", {}, 0)
    stack = [root]
    problems: list[tuple[str, str, int, bool]] = []
    pos = 0
    while True:
        match = _TOKEN.search(text, pos)
        if match is None:
            break
        pos = match.end()
        closing, tag = match.group(1), match.group(2)
        if tag is None:  # a comment or CDATA
            if not match.group(0).endswith(("-->", "]]>")):
                problems.append(("unclosed:comment", f"{match.group(0)[:4]}… is never closed",
                                 match.start(), True))
            continue
        if closing:
            opened = next((i for i in range(len(stack) - 1, 0, -1) if stack[i].tag == tag), None)
            if opened is None:
                problems.append((f"stray-closing:{tag}", f"</{tag}> closes no open <{tag}>",
                                 match.start(), True))
                continue
            for left in stack[opened + 1:]:
                problems.append((f"unclosed:{left.tag}", f"<{left.tag}> is never closed "
                                 f"(</{tag}> comes first)", left.offset, True))
            del stack[opened:]
            continue
        attrs, unquoted = _parsed(match.group(3))
        element = Element(tag, attrs, match.start(), source=match.group(3))
        for name in unquoted:  # MJML reads XML: values are quoted
            problems.append((f"unquoted:{tag}", f"<{tag}>: the value of {name} "
                             "needs quotes", match.start(), True))
        stack[-1].children.append(element)
        if match.group(4):  # <tag/>
            continue
        if tag in rules.ending:  # HTML content up to the closing tag, unparsed
            end = _closing(tag).search(text, pos)
            inner = _MJML_TAG.search(text, pos, end.start() if end else len(text))
            if end is None or (inner is not None and tag != "mj-raw"):
                # never closed, or closed only after other MJML elements: say so at the
                # opening tag, and read on as if it had been closed there
                after = f" before {inner.group(0)}…>" if inner is not None else ""
                problems.append((f"unclosed:{tag}", f"<{tag}> is never closed{after}",
                                 match.start(), True))
                pos = inner.start() if inner is not None else len(text)
                continue
            pos = end.end()
            continue
        stack.append(element)
    if len(stack) > 1 and not any(p[3] for p in problems):
        # the text ends inside elements: the innermost is the one left open
        left, around = stack[-1], len(stack) - 2
        more = f" (nor {around} element{'s' if around > 1 else ''} around it)" if around else ""
        problems.append((f"unclosed:{left.tag}", f"<{left.tag}> is never closed{more}",
                         left.offset, True))
    return root.children, problems


MEMO_LIMIT = 50_000  # entries per memo: a long `serve` forgets, then learns again
_PARSED: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {}
_BROKEN: dict[tuple[str, str, str | None], tuple[tuple[str, str], ...]] = {}


def _parsed(text: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """An element's attribute text → (its attributes, the names of those whose value is
    not quoted), once per text and process (see the module doc)."""
    found = _PARSED.get(text)
    if found is None:
        if len(_PARSED) >= MEMO_LIMIT:
            _PARSED.clear()
        bare = tuple(m.group(1) for m in _ATTR.finditer(text) if m.group(4) is not None)
        found = _PARSED[text] = (_attributes(text), bare)
    return found


@cache  # a few ending tags: mj-text, mj-button, mj-raw…
def _closing(tag: str) -> re.Pattern[str]:
    """The closing tag of an ending tag, whose content is skipped."""
    return re.compile(rf"</{re.escape(tag)}\s*>")


def _attributes(text: str) -> dict[str, str]:
    found = {}
    for m in _ATTR.finditer(text):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        found[m.group(1)] = html.unescape(value)
    return found


Rule = Callable[[Element, Element | None, Rules], Iterator[tuple[str, str]]]


def valid_tag(el: Element, parent: Element | None, rules: Rules) -> Iterator[tuple[str, str]]:
    if not rules.known(el.tag) and el.tag not in rules.skip:
        yield f"unknown-element:{el.tag}", f"Element {el.tag} doesn't exist or is not registered"


def valid_attributes(el: Element, parent: Element | None,
                     rules: Rules) -> Iterator[tuple[str, str]]:
    allowed = rules.attributes.get(el.tag)
    if allowed is None:
        return
    for name in el.attrs:
        if name not in allowed and name not in rules.global_attributes:
            yield (f"illegal-attribute:{el.tag}:{name}",
                   f"{el.tag}: attribute {name} is illegal{_suggest(name, allowed)}")


def valid_types(el: Element, parent: Element | None, rules: Rules) -> Iterator[tuple[str, str]]:
    allowed = rules.attributes.get(el.tag, {})
    for name, value in el.attrs.items():
        kind = allowed.get(name)
        if kind is None:
            continue
        ok, accepts = rules.checker(kind)
        if not ok(value):
            yield (f"invalid-value:{el.tag}:{name}",
                   f"{el.tag}: attribute {name} has invalid value {value!r}: it takes {accepts}")


def valid_children(el: Element, parent: Element | None,
                   rules: Rules) -> Iterator[tuple[str, str]]:
    if parent is None or parent.tag == "" or rules.allows_child(parent.tag, el.tag):
        return
    where = ", ".join(rules.parents_of(el.tag)) or "nowhere"
    yield (f"illegal-child:{parent.tag}:{el.tag}",
           f"{el.tag} cannot be used inside {parent.tag}, only inside: {where}")


RULES: tuple[Rule, ...] = (valid_tag, valid_attributes, valid_types, valid_children)
DEFAULTS: tuple[Rule, ...] = (valid_attributes, valid_types)  # mj-attributes' children


def _broken(el: Element, parent: Element | None, rules: Rules,
            ) -> tuple[tuple[str, str], ...]:
    """(code, message) of each rule `el` breaks where it is: every rule reads the tag,
    the attributes (from `el.source`) and the parent's tag only, so the answer is kept
    per process for those three (see the module doc). `el` a child of
    `<mj-attributes>` (a default, any tag allowed): `parent` is the mj-attributes
    element and only the attribute rules apply."""
    defaults = parent is not None and parent.tag == "mj-attributes"
    key = (el.tag, el.source, parent.tag if parent is not None else None)
    found = _BROKEN.get(key)
    if found is None:
        if len(_BROKEN) >= MEMO_LIMIT:
            _BROKEN.clear()
        if defaults:
            found = tuple(f for rule in DEFAULTS for f in rule(el, None, rules))
        elif el.tag in rules.skip:  # as mjml-validator
            found = ()
        else:
            found = tuple(f for rule in RULES for f in rule(el, parent, rules))
        _BROKEN[key] = found
    return found


def _suggest(name: str, allowed: dict[str, str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(allowed), n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def validate(text: str, source: SourceMap | None = None) -> list[MjmlFinding]:
    """Every finding in `text`, located through `source` (else in the rendered text,
    as `<rendered>`), once per template line and rule."""
    rules = load_rules()
    tree, problems = parse(text)
    raw: list[tuple[str, str, int, bool]] = list(problems)

    def walk(elements: list[Element], parent: Element | None) -> None:
        for el in elements:
            for code, message in _broken(el, parent, rules):
                raw.append((code, message, el.offset, False))
            if el.tag != "mj-attributes":  # its children are defaults, any tag allowed
                walk(el.children, el)
            else:
                for default in el.children:
                    for code, message in _broken(default, el, rules):
                        raw.append((code, message, default.offset, False))

    walk(tree, None)
    found: dict[tuple, MjmlFinding] = {}
    for code, message, offset, fatal in raw:
        origin = source.locate(text, offset) if source is not None else None
        if origin is None:
            origin = Origin("<rendered>", text.count("\n", 0, offset) + 1)
        finding = MjmlFinding(code, message, origin.path, origin.line, origin.via(), fatal)
        found.setdefault((finding.path, finding.line, code, message), finding)
    return sorted(found.values(), key=lambda f: (f.path, f.line, f.code))
