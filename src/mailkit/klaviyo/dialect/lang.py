"""Klaviyo's template language seen from Jinja: what the render stage prints in export mode.

In an export nobody's data is known yet: Klaviyo fills it in at send time. So `person`,
`event` and `organization` are symbolic (`KlaviyoVar`): attribute and item access build
the Klaviyo path (`event.extra.order_number`, `person|lookup:'Has R-PUR App'`), and the
filters that format data print the Klaviyo filter chain that does the same at send
time. Anything else done with that data (a truth test, a Jinja loop, a filter with no
Klaviyo twin) fails at the template line: one fixture's value baked into a template
sent to everybody is the bug this module prevents.

Every piece of Klaviyo syntax is printed as a token (`~~12~~`, tokens.py) that MJML,
premailer and lxml leave untouched, and swapped back once the HTML and text are final;
any `{{`, `{%` or `{#` left in the rendered MJML is Jinja that leaked: an error. This
module puts tokens.py, symbols.py and filters.py together as a `Dialect`.
"""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from ...model import Links
from ...project.contract import Contract
from ...project.schema import Brand, PerCustomer
from .filters import MONTHS, frdate, install, money
from .symbols import KlaviyoVar, expr_of, node_of, operand, path, quote, roots
from .tokens import JINJA_SYNTAX, KLAVIYO_TAG, TOKEN, Placeholders

__all__ = ["JINJA_SYNTAX", "KLAVIYO_TAG", "MONTHS", "TOKEN", "KlaviyoDialect", "KlaviyoVar",
           "Placeholders", "expr_of", "frdate", "install", "money", "node_of", "operand",
           "path", "quote", "roots"]


class KlaviyoDialect:
    """Klaviyo's template language for one export environment (pipeline/dialect.py): the render
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
