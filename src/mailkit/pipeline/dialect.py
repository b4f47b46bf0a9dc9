"""What the render stage needs of an email platform's template language (its dialect).

In the preview, person and event data are a fixture's values. In an export nobody's data
is known yet: the platform fills it in at send time, so the render stage prints the
platform's own syntax instead (Klaviyo's Django-like language, see klaviyo/lang.py).
`render.make_environment` receives a `Dialect` for that mode and never reaches into an
export package: a new ESP is a new implementation of this protocol, and the render,
compile and check stages stay as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

    from ..model import Links
    from ..project.contract import Contract
    from ..project.schema import Brand, PerCustomer


class Dialect(Protocol):
    """One export environment's template language (one instance per environment: it
    keeps the syntax it printed, to restore it after the compile stage)."""

    #: names the mode: its own Jinja bytecode cache (`{% ifdata %}` compiles otherwise)
    name: str

    def install(self, env: jinja2.Environment, brand: Brand) -> None:
        """Filters and tests that translate when given the platform's data."""

    def roots(self, contract: Contract | None = None) -> dict[str, Any]:
        """`person`, `event`, `organization` as symbolic values of the platform; with the
        trigger's data contract, reading a field real data lacks fails at its line."""

    def per_customer(self, source: PerCustomer) -> Any:
        """A per-customer value (config.PerCustomer) in the platform's language."""

    def links(self) -> Links:
        """Unsubscribe, preferences and web-view links as the platform's tags."""

    # `{% ifdata %}` and `{% fordata %}` (datatags.py), at render time:
    def operand(self, value: Any) -> str:
        """A value in a condition: a variable's path or a literal."""

    def open_for(self, name: str, seq: Any) -> str:
        """The opening tag of a loop over the platform's data."""

    def loop_var(self, name: str, seq: Any) -> Any:
        """The loop variable, itself platform data (an item of `seq`)."""

    def block(self, text: str) -> Markup:
        """A block tag (if, else, endfor…), protected until the compile stage is done."""
