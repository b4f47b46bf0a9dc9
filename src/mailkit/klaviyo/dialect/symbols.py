"""Person, event and organization data as Klaviyo variables: symbolic values (`KlaviyoVar`)
whose attribute and item access build the Klaviyo path, and whose misuse (a truth test,
a loop, a comparison) fails at the template line. See lang.py for the whole picture.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
from markupsafe import Markup

from ...project.contract import Contract, Node
from .tokens import TOKEN, Placeholders

# Klaviyo's profile fields that exist as top-level variables (`{{ first_name }}`).
PROFILE_FIELDS = {"first_name", "last_name", "email", "phone_number"}
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class KlaviyoVar:
    """A value Klaviyo fills in at send time; attribute and item access extend its path.

    Only dunder and underscore names live on the class, so that no data key (`items`,
    `copy`, `expr`…) can be shadowed by a method.
    """

    __slots__ = ("_expr", "_tags", "_profile", "_node")

    def __init__(self, expr: str, tags: Placeholders, profile: bool = False,
                 node: Node | None = None) -> None:
        self._expr, self._tags, self._profile, self._node = expr, tags, profile, node

    def __getattr__(self, name: str) -> KlaviyoVar:
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, key: Any) -> KlaviyoVar:
        node = self._node
        if node is not None:  # the trigger's contract says what real data holds
            reason = node.refusal(self._expr, key)
            if reason is not None:
                raise jinja2.TemplateRuntimeError(reason)
            node = node.child(key)
        if self._expr == "person" and key in PROFILE_FIELDS:
            return KlaviyoVar(key, self._tags, True, node)
        return KlaviyoVar(path(self._expr, key), self._tags, self._profile, node)

    def __html__(self) -> Markup:
        # A missing profile field prints nothing rather than Klaviyo's placeholder text.
        shown = f"{self._expr}|default:''" if self._profile else self._expr
        return self._tags.token(f"{{{{ {shown} }}}}")

    def __str__(self) -> str:
        return str(self.__html__())

    def __repr__(self) -> str:
        return f"<Klaviyo variable {self._expr}>"

    def __mul__(self, other: Any) -> KlaviyoVar:
        return KlaviyoVar(f"{self._expr}|multiply:{operand(other)}", self._tags)

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        raise jinja2.TemplateRuntimeError(
            f"{self._expr} is person or event data, filled in by Klaviyo at send time: "
            "test it with {% ifdata … %}, not {% if %} or `or`/`if … else`")

    def __iter__(self) -> Any:
        raise jinja2.TemplateRuntimeError(
            f"{self._expr} is person or event data: loop over it with {{% fordata … %}}")

    def __eq__(self, other: object) -> bool:
        raise jinja2.TemplateRuntimeError(
            f"{self._expr} is person or event data: compare it inside {{% ifdata … %}}")

    __hash__ = object.__hash__


def expr_of(value: KlaviyoVar) -> str:
    return value._expr


def path(base: str, key: Any) -> str:
    """`base.key`, or `base|lookup:'key'` where Klaviyo's dot notation cannot go (a
    space, a `$`, or anything after a filter: once a lookup, always a lookup)."""
    if isinstance(key, int) and not isinstance(key, bool):
        return f"{base}|lookup:'{key}'" if "|" in base else f"{base}.{key}"
    if not isinstance(key, str):
        raise jinja2.TemplateRuntimeError(f"cannot look up {key!r} in Klaviyo data {base}")
    if "|" not in base and NAME.fullmatch(key):
        return f"{base}.{key}"
    return f"{base}|lookup:{quote(key)}"


def quote(text: str) -> str:
    """A Django string literal: single quotes, backslash escapes."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def operand(value: Any) -> str:
    """A value in a Klaviyo expression: a variable's path or a literal."""
    if isinstance(value, KlaviyoVar):
        return value._expr
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str) and not TOKEN.search(value):
        return quote(value)
    raise jinja2.TemplateRuntimeError(f"cannot use {value!r} in a Klaviyo expression")


def roots(tags: Placeholders, contract: Contract | None = None) -> dict[str, KlaviyoVar]:
    """The context Klaviyo gives a flow message, symbolically; with the trigger's
    contract, a key real data does not hold fails at the template's line."""
    def node(key: str) -> Node | None:
        return contract.node(key) if contract is not None else None

    return {"person": KlaviyoVar("person", tags, True, node("person")),
            "event": KlaviyoVar("event", tags, node=node("event")),
            "organization": KlaviyoVar("organization", tags, node=node("organization"))}


def node_of(value: KlaviyoVar) -> Node | None:
    return value._node
