"""Klaviyo's template language seen from Jinja: what the render stage prints in export mode.

In an export nobody's data is known yet: Klaviyo fills it in at send time. So `person`,
`event` and `organization` are symbolic (`KlaviyoVar`): attribute and item access build
the Klaviyo path (`event.extra.order_number`, `person|lookup:'Has R-PUR App'`), printing
one prints the Klaviyo variable, and the filters that format data (`money`, `frdate`,
`lower`, `default`…) print the Klaviyo filter chain that does the same at send time.
Anything else done with person or event data (a truth test, a Jinja loop, a filter with
no Klaviyo twin) fails at the template line: baking one fixture's value into a template
sent to everybody is the bug this module exists to prevent.

Every piece of Klaviyo syntax is registered in `Placeholders` and printed as a token
(`~~12~~`): digits and tildes go through MJML, premailer and lxml untouched, in text and
in attributes (lxml percent-encodes `{`, `|` and spaces in an `href`; premailer
entity-escapes quotes). The tokens are swapped back once the HTML and text are final. So
any `{{`, `{%` or `{#` found in the rendered MJML is Jinja that leaked: an error.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..config import Brand, PerCustomer
from ..contract import Contract, Node
from ..model import Links

TOKEN = re.compile(r"~~(\d+)~~")
KLAVIYO_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)  # one tag or variable of the export
JINJA_SYNTAX = re.compile(r"\{[{%#]")
# Klaviyo's profile fields that exist as top-level variables (`{{ first_name }}`).
PROFILE_FIELDS = {"first_name", "last_name", "email", "phone_number"}
# MJML components whose content is HTML or text: a block tag there is plain text.
ENDING_TAGS = {"mj-text", "mj-button", "mj-title", "mj-preview", "mj-raw", "mj-table",
               "mj-style", "mj-navbar-link", "mj-social-element", "mj-accordion-title",
               "mj-accordion-text"}
MJ_TAG_OR_TOKEN = re.compile(
    r"""<(/?)(mj-[a-z-]+)\b(?:"[^"]*"|'[^']*'|[^'">])*?(/?)>|~~(\d+)~~""")
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")
NBSP = "\u00a0"
NNBSP = "\u202f"


class Placeholders:
    """The Klaviyo syntax of one export environment, printed as tokens until the end."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.blocks: set[int] = set()  # tags that open or close a block ({% if %}, {% for %}…)
        self._index: dict[tuple[str, bool], int] = {}

    def token(self, text: str, *, block: bool = False) -> Markup:
        index = self._index.get((text, block))
        if index is None:
            index = self._index[(text, block)] = len(self.texts)
            self.texts.append(text)
            if block:
                self.blocks.add(index)
        return Markup(f"~~{index}~~")

    def restore(self, text: str) -> str:
        return TOKEN.sub(lambda m: self.texts[int(m.group(1))], text)

    def restore_text(self, text: str) -> str:
        """Restore a plain-text part: block tags alone on their line take the line break
        after them along, so that Klaviyo's rendering leaves no empty line where it stood."""
        def glue(match: re.Match[str]) -> str:
            indexes = [int(i) for i in TOKEN.findall(match.group(1))]
            if all(i in self.blocks for i in indexes):  # only block tags on this line
                return "".join(self.texts[i] for i in indexes)
            return match.group(0)

        return self.restore(re.sub(r"^((?:~~\d+~~)+)\n", glue, text, flags=re.M))

    def used(self, text: str) -> list[str]:
        """The distinct Klaviyo tags and variables in `text` (tokens not yet restored)."""
        return list(dict.fromkeys(self.texts[int(i)] for i in TOKEN.findall(text)))

    def wrap_structural(self, mjml: str) -> str:
        """Put `<mj-raw>` around block tags that stand between MJML components.

        `{% if %}` around two sections, or `{% for %}` around an mj-text and an mj-button
        in a column, is not MJML; inside `<mj-raw>` it passes through as is, and MJML
        gives every section and column row its own Outlook wrapper, so the tag encloses
        whole rows. Inside an mj-text (HTML content) a tag stays where it is.
        """
        stack: list[str] = []

        def visit(m: re.Match[str]) -> str:
            if m.group(2) is not None:
                name = m.group(2)
                if stack and stack[-1] in ENDING_TAGS and name != stack[-1]:
                    return m.group(0)  # markup inside an mj-text is not structure
                if m.group(1):
                    if stack and stack[-1] == name:
                        stack.pop()
                elif not m.group(3):
                    stack.append(name)
                return m.group(0)
            inline = stack and stack[-1] in ENDING_TAGS
            if int(m.group(4)) in self.blocks and not inline:
                return f"<mj-raw>{m.group(0)}</mj-raw>"
            return m.group(0)

        return MJ_TAG_OR_TOKEN.sub(visit, mjml)


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


def money(value: KlaviyoVar, tags: Placeholders, currency: str) -> Markup:
    """`1 299,00 €` as the preview prints it, from a number or Shopify's string "1299.00".

    `floatformat:'2g'` gives two decimals grouped by thousands in Klaviyo's English
    locale (`1,299.00`, Django's documented `g` suffix); the commas become narrow
    no-break spaces, then the point a comma."""
    tag = tags.token(f"{{{{ {value._expr}|floatformat:'2g'|find_replace:',|{NNBSP}'"
                     f"|find_replace:'.|,' }}}}")
    return tag + Markup(NBSP) + escape(currency)


def frdate(value: KlaviyoVar, tags: Placeholders) -> Markup:
    """`20 août 2026`, `1er mai 2026`: the calendar date Shopify wrote, in the shop's offset.

    Shopify's dates are ISO strings with the shop's offset ("2026-08-21T00:30:00+02:00").
    What Klaviyo's `format_date_string|date` does with that offset is not documented (a
    third party says it shows UTC, which would print the 20th for that order): so the
    date is read from the string itself, year, month and day by position, with no time
    zone involved. Month names are French, chosen by number (Klaviyo's are English)."""
    d = "mk_date"
    months = "".join(f"{{% {'elif' if i else 'if'} {d}|slice:'5:7' == '{i + 1:02d}' %}}{name}"
                     for i, name in enumerate(MONTHS))
    text = (f"{{% with {d}={value._expr}|slice:':10' %}}{{{{ {d}|slice:'8:10'|add:0 }}}}"
            f"{{% if {d}|slice:'8:10' == '01' %}}er{{% endif %}} {months}{{% endif %}} "
            f"{{{{ {d}|slice:':4' }}}}{{% endwith %}}")
    return tags.token(text)


def install(env: jinja2.Environment, tags: Placeholders, currency: str) -> None:
    """Export mode for an environment's filters and tests.

    Filters with a Klaviyo twin translate when given Klaviyo data; every other filter or
    test given Klaviyo data, or text that holds Klaviyo tags (which it would mangle),
    fails with a message that says what to do.
    """
    twins: dict[str, Callable[..., Any]] = {
        "default": lambda v, default="", boolean=False: KlaviyoVar(
            f"{v._expr}|default:{operand(default)}", tags),
        "lower": lambda v: KlaviyoVar(f"{v._expr}|lower", tags),
        "upper": lambda v: KlaviyoVar(f"{v._expr}|upper", tags),
        "money": lambda v: money(v, tags, currency),
        "frdate": lambda v: frdate(v, tags),
        "media": lambda v: v,  # Shopify's image URLs are absolute already
        "times": lambda v, n: KlaviyoVar(f"{v._expr}|multiply:{operand(n)}", tags),
    }
    twins["d"] = twins["default"]
    keeps_tags = {"e", "escape", "safe", "string", "default", "d", "trim"}
    for name, func in list(env.filters.items()):
        env.filters[name] = _guard("filter", name, func, twins.get(name), name in keeps_tags)
    for name, func in list(env.tests.items()):
        env.tests[name] = _guard("test", name, func, None, True)


def _guard(kind: str, name: str, func: Callable[..., Any], twin: Callable[..., Any] | None,
           keeps_tags: bool) -> Callable[..., Any]:
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        value = args[skip] if len(args) > skip else None
        if isinstance(value, KlaviyoVar):
            if twin is not None:
                return twin(*args[skip:], **kwargs)
            raise jinja2.TemplateRuntimeError(
                f"the {kind} {name!r} has no Klaviyo equivalent in mailkit, so it cannot run "
                f"on {value._expr}, which Klaviyo fills in at send time")
        if isinstance(value, str) and not keeps_tags and TOKEN.search(value):
            raise jinja2.TemplateRuntimeError(
                f"the {kind} {name!r} would change the Klaviyo variables inside this text: "
                "apply it to the variable itself")
        return func(*args, **kwargs)

    return guarded


class KlaviyoDialect:
    """Klaviyo's template language for one export environment (see dialect.py): the render
    stage prints person and event data, system links and data tags through it, and the
    export restores the syntax from `tags` once the compile stage is done."""

    name = "klaviyo"

    def __init__(self) -> None:
        self.tags = Placeholders()

    def install(self, env: jinja2.Environment, brand: Brand) -> None:
        install(env, self.tags, brand.currency)

    def roots(self, contract: Contract | None = None) -> dict[str, KlaviyoVar]:
        return roots(self.tags, contract)

    def per_customer(self, source: PerCustomer) -> Any:
        """A profile property (`person|lookup:'…'`) or a unique coupon code (K8/K9)."""
        if source.profile_property is not None:
            return roots(self.tags)["person"][source.profile_property]
        return self.tags.token(f"{{% coupon_code {quote(source.coupon or '')} %}}")

    def links(self) -> Links:
        return Links(*(self.tags.token(f"{{% {tag} %}}") for tag in (
            "unsubscribe_link", "manage_preferences_link", "web_view_link")))

    def operand(self, value: Any) -> str:
        return operand(value)

    def open_for(self, name: str, seq: Any) -> str:
        if not isinstance(seq, KlaviyoVar):
            raise jinja2.TemplateRuntimeError(
                "fordata loops over person or event data; loop over brand data with {% for %}")
        return f"{{% for {name} in {operand(seq)} %}}"

    def loop_var(self, name: str, seq: Any) -> KlaviyoVar:
        node = node_of(seq) if isinstance(seq, KlaviyoVar) else None  # an item's contract
        return KlaviyoVar(name, self.tags, node=node.child(0) if node else None)

    def block(self, text: str) -> Markup:
        return self.tags.token(text, block=True)
