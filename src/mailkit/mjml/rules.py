"""MJML's rules as data (`data/mjml-rules.json`, refreshed by refresh.py) and its type
checkers, written to answer as mjml-core's `types/*.js` do.

Type strings are MJML's own: `color`, `enum(left,right,center)`, `unit(px,%){1,4}`,
`unitWithNegative(px,em)`, `integer`, `boolean`, `string`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RULES_FILE = Path(__file__).parent / "data" / "mjml-rules.json"  # refresh.py writes it

Checker = Callable[[str], bool]


@dataclass(frozen=True, eq=False)
class Rules:
    version: str
    attributes: dict[str, dict[str, str]]  # tag → attribute → MJML type
    ending: frozenset[str]  # tags whose content is HTML, not MJML elements
    children: dict[str, tuple[str, ...]]  # parent tag → allowed child tags
    child_patterns: dict[str, tuple[re.Pattern[str], ...]]
    global_attributes: frozenset[str]
    componentless: frozenset[str]
    skip: frozenset[str]
    colors: frozenset[str]

    def known(self, tag: str) -> bool:
        return tag in self.attributes or tag in self.componentless

    def allows_child(self, parent: str, child: str) -> bool:
        """mjml-validator's validChildren: unknown tags and skipped ones pass here."""
        if parent not in self.attributes or child not in self.attributes or child in self.skip:
            return True
        return child in self.children.get(parent, ()) or any(
            p.search(child) for p in self.child_patterns.get(parent, ()))

    def parents_of(self, child: str) -> list[str]:
        """Where `child` may go, as the official message lists it."""
        return [parent for parent, kids in self.children.items() if child in kids]

    def checker(self, kind: str) -> tuple[Checker, str]:
        """(is the value valid, what the type accepts) for an MJML type string."""
        if kind not in _CHECKERS:
            _CHECKERS[kind] = _checker(kind, self.colors)
        return _CHECKERS[kind]


_CHECKERS: dict[str, tuple[Checker, str]] = {}


@cache
def load_rules() -> Rules:
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    comps = data["components"]
    deps = data["dependencies"]
    return Rules(
        version=data["version"],
        attributes={tag: c["attributes"] for tag, c in comps.items()},
        ending=frozenset(tag for tag, c in comps.items() if c["ending_tag"]),
        children={tag: tuple(c for c in kids if isinstance(c, str)) for tag, kids in deps.items()},
        child_patterns={tag: tuple(_js_regex(c["regex"]) for c in kids if isinstance(c, dict))
                        for tag, kids in deps.items()},
        global_attributes=frozenset(data["global_attributes"]),
        componentless=frozenset(data["componentless_tags"]),
        skip=frozenset(data["skip_elements"]),
        colors=frozenset(data["colors"]),
    )


def _js_regex(source: str) -> re.Pattern[str]:
    """MJML's `/^.*^/` (mj-attributes takes any child) means "matches at 0" in JS; a
    second `^` in Python does too without MULTILINE, so the source carries over."""
    return re.compile(source)


def _checker(kind: str, colors: frozenset[str]) -> tuple[Checker, str]:
    if kind.startswith("color"):
        patterns = [re.compile(r"rgba\(\d{1,3},\s?\d{1,3},\s?\d{1,3},\s?\d(\.\d{1,3})?\)", re.I),
                    re.compile(r"rgb\(\d{1,3},\s?\d{1,3},\s?\d{1,3}\)", re.I),
                    re.compile(r"^#([0-9a-f]{3}){1,2}$", re.I)]
        return (lambda v: v in colors or any(p.search(v) for p in patterns),
                "a colour (#rgb, #rrggbb, rgb(), rgba() or a CSS colour name)")
    if kind.startswith("enum"):
        values = _inside(kind, "(", ")").split(",")
        return (lambda v: v in values), f"one of {', '.join(values)}"
    if kind.startswith("unit"):  # unit(px,%){1,4}, unitWithNegative(px,em)
        units = _inside(kind, "(", ")").split(",")
        counts = _inside(kind, "{", "}") if "{" in kind else "1"
        neg = "-|" if kind.startswith("unitWithNegative") else ""
        auto = "|auto" if "auto" in units else ""
        listed = "|".join(re.escape(u) for u in units if u != "auto")
        pattern = re.compile(rf"^((({neg}\d|,|\.){{1,}}({listed})|0{auto})( )?){{{counts}}}$")
        shown = ", ".join(u or "no unit" for u in units)
        many = f"{counts.replace(',', ' to ')} value(s)"
        return (lambda v: pattern.search(v) is not None), f"{many} in {shown}"
    if kind.startswith("integer"):
        return (lambda v: re.search(r"\d+", v) is not None), "an integer"
    if kind.startswith("boolean"):
        return (lambda v: v in ("true", "false")), "true or false"
    return (lambda v: True), "any text"


def _inside(text: str, start: str, end: str) -> str:
    return text[text.index(start) + 1:text.index(end, text.index(start))]
