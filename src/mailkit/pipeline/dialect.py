"""What the pipeline needs of an email platform: its template language (`Dialect`) and
its export (`Exporter`).

In the preview, person and event data are a fixture's values. In an export nobody's data
is known yet: the platform fills it in at send time, so the render stage prints the
platform's own syntax instead (Klaviyo's Django-like language, klaviyo/dialect/).
`environment.make_environment` receives a `Dialect` and `gather` an `Exporter`; neither
reaches into an export package. A new ESP implements both, and the render, compile and
check stages stay as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

    from ..model import CompiledEmail, KlaviyoTemplate, Links, Target
    from ..project.contract import Contract
    from ..project.load import Project
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
        """A per-customer value (schema.PerCustomer) in the platform's language."""

    def links(self) -> Links:
        """Unsubscribe, preferences and web-view links as the platform's tags."""

    # `{% ifdata %}` and `{% fordata %}` (jinja/datatags.py), at render time:
    def operand(self, value: Any) -> str:
        """A value in a condition: a variable's path or a literal."""

    def open_for(self, name: str, seq: Any) -> str:
        """The opening tag of a loop over the platform's data."""

    def loop_var(self, name: str, seq: Any) -> Any:
        """The loop variable, itself platform data (an item of `seq`)."""

    def block(self, text: str) -> Markup:
        """A block tag (if, else, endfor…), protected until the compile stage is done."""


class Prepared(Protocol):
    """One email rendered in an export's dialect, waiting for its compile."""

    mjml: str


class Exporter(Protocol):
    """An ESP's export, as the build's one render loop drives it (klaviyo/export.py):
    an environment per brand gets the `dialect()`, each email is rendered once in it and
    `prepare`d, compiled as a job like a page, then `finish`ed into a template."""

    def dialect(self) -> Dialect: ...

    def prepare(self, project: Project, env: jinja2.Environment, target: Target) -> Prepared:
        """Render `target`'s email in the dialect; raises MailkitError at its line."""
        ...

    def finish(self, project: Project, prepared: Prepared, compiled: CompiledEmail | None,
               mjml_error: str | None = None) -> KlaviyoTemplate:
        """The template, once the compile stage has compiled `prepared.mjml` (or failed)."""
        ...
