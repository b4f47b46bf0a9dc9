"""The data every layer reads: what is built, what each stage makes of it, a build's result.

It sits below everything, as MkDocs' `structure/` and Pelican's `contents.py` do, and
names the project's layout once (its source folders and files).

One name per concept, each built by one function here:
- a *page key*, `brand/email/scenario`: one email in one data state (`page_key`);
- an *email key*, `brand/email`: one email of one brand, one Klaviyo template
  (`email_key`);
- a *template name*, `emails/<template>.mjml.j2`, as Jinja's loader knows it
  (`template_name`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .check.model import Finding, PageReport
from .errors import MailkitError

if TYPE_CHECKING:  # the project is loaded by project/load.py, which imports this module
    from .mjml.sourcemap import SourceMap
    from .mjml.validate import MjmlFinding
    from .project.flows_yaml import Email, Flow, Scenario
    from .project.load import Project

TEMPLATE_SUFFIX = ".mjml.j2"
# A project's sources, relative to its root: everything a build reads, so everything
# serve watches and the last build's fingerprint hashes.
TEMPLATE_FOLDERS = ("emails", "partials")  # at the root, and under each brand (overrides)
SOURCE_FOLDERS = ("brands", *TEMPLATE_FOLDERS, "contracts")
CHECKS_FILE = "checks.yaml"
SOURCE_FILES = (CHECKS_FILE,)


def template_name(template: str) -> str:
    """`parcel_contents` → `emails/parcel_contents.mjml.j2`, as the loader finds it."""
    return f"emails/{template}{TEMPLATE_SUFFIX}"


def email_key(brand: str, email: str) -> str:
    """`r-pur/application`: one email of one brand (one Klaviyo template)."""
    return f"{brand}/{email}"


def page_key(brand: str, email: str, scenario: str) -> str:
    """`r-pur/application/sans-app`: one email in one data state (one preview page)."""
    return f"{brand}/{email}/{scenario}"


@dataclass(frozen=True)
class Target:
    """One email of one brand in one named data state: one output page."""

    brand: str
    flow: Flow
    email: Email
    scenario: str
    # A generated edge state (no first name, a null variant title…) carries its own
    # Scenario; a named scenario is read from `email.scenarios`.
    state: Scenario | None = None

    @property
    def key(self) -> str:
        return page_key(self.brand, self.email.id, self.scenario)

    @property
    def email_key(self) -> str:
        return email_key(self.brand, self.email.id)

    @property
    def template_name(self) -> str:
        return template_name(self.email.template)

    @property
    def edge(self) -> bool:
        """A state derived from the data contract rather than named in flows.yaml."""
        return self.state is not None

    @property
    def data_state(self) -> Scenario:
        return self.state if self.state is not None else self.email.scenarios[self.scenario]

    @property
    def description(self) -> str:
        return self.data_state.description


@dataclass(frozen=True)
class Links:
    """The email platform's system links; the preview points them at the brand's site."""

    unsubscribe_url: str
    preferences_url: str
    web_view_url: str


@dataclass(frozen=True)
class Rendered:
    """The render stage's output for one target, in one mode (preview or an ESP's)."""

    target: Target
    template: Path  # the email template that was used (brand override or shared)
    mjml: str
    subject: str
    preheader: str
    lang: str
    source: SourceMap | None = None  # where each part of `mjml` was written (the preview)


@dataclass(frozen=True)
class CompiledEmail:
    """The compile stage's output: what a mail client receives."""

    html: str
    text: str


@dataclass(frozen=True)
class Page:
    """One built email in one data state."""

    target: Target
    rendered: Rendered
    compiled: CompiledEmail
    deps: frozenset[Path]  # every template file it was rendered from
    # `mailkit check`'s, computed once and reused with the page; None until `complete()`
    findings: tuple[Finding, ...] | None = ()
    mjml_findings: tuple[MjmlFinding, ...] = ()  # MJML's rules it breaks (mjml/validate.py)
    # its Outlook table for the preview (check/word.py), computed by the compile worker;
    # None: the site computes it (site/sources.py)
    outlook: dict[str, tuple[str, ...]] | None = None

    @property
    def key(self) -> str:
        return self.target.key

    def report(self) -> PageReport:
        """Its findings as the CLI and the preview site show them."""
        t = self.target
        return PageReport(t.key, t.brand, t.email.id, t.scenario, self.findings or (),
                          len(self.compiled.html.encode("utf-8")))


@dataclass(frozen=True)
class KlaviyoTemplate:
    """One email of one brand, as Klaviyo should receive it."""

    brand: str
    flow: Flow
    email: Email
    position: int  # 1-based, in its flow
    delay_days: int
    template: str  # the email template it was rendered from, relative to the project
    subject: str  # with Klaviyo variables: flow emails take their subject from the flow
    preheader: str
    html: str
    text: str
    mjml: str
    tags: list[str]  # the distinct Klaviyo tags and variables it uses

    @property
    def key(self) -> str:
        return email_key(self.brand, self.email.id)

    @property
    def delay_label(self) -> str:
        """`J+3`, `+1 h`, `J+2 +6 h`: the delay after the trigger, as the team says it."""
        hours = self.email.delay.hours
        if self.delay_days == 0 and hours:
            return f"+{hours} h"
        return f"J+{self.delay_days}" + (f" +{hours} h" if hours else "")

    @property
    def name(self) -> str:
        """The template's identity in Klaviyo (a push finds it by this name)."""
        return (f"{self.brand} · {self.flow.name} · {self.position} {self.email.name} "
                f"({self.delay_label})")


Exported = KlaviyoTemplate | MailkitError  # an email's export, or why it failed
Exports = dict[str, Exported]  # by email key


@dataclass
class BuildResult:
    project: Project
    pages: dict[str, Page]  # by page key
    warnings: list[MailkitError] = field(default_factory=list)
    seconds: float = 0.0
    fresh: frozenset[str] = frozenset()  # page keys rendered this time (the rest reused)
    # email key → its Klaviyo export (or why it failed), shown in the site's Klaviyo tab
    exports: Exports = field(default_factory=dict)
    out: Path | None = None  # where it was written

    @property
    def pending(self) -> bool:
        """Checks or exports left for `complete()` (a fast first pass of `serve`)."""
        return any(p.findings is None for p in self.pages.values()) or any(
            p.target.email_key not in self.exports for p in self.pages.values())

    @property
    def rendered_count(self) -> int:
        return len(self.fresh)

    def templates(self) -> list[KlaviyoTemplate]:
        """The exports that succeeded, in build order."""
        return [t for t in self.exports.values() if isinstance(t, KlaviyoTemplate)]

    def reports(self) -> list[PageReport]:
        """One report per page, in build order, from the findings the build kept."""
        return [p.report() for p in self.pages.values()]

    def export_errors(self) -> list[MailkitError]:
        return list(dict.fromkeys(e for e in self.exports.values()
                                  if isinstance(e, MailkitError)))

    def summary(self) -> str:
        brands = len({p.target.brand for p in self.pages.values()})
        emails = len({p.target.email_key for p in self.pages.values()})
        reused = len(self.pages) - self.rendered_count
        extra = f", {reused} reused" if reused else ""
        warn = f", {len(self.warnings)} warning(s)" if self.warnings else ""
        return (f"built {len(self.pages)} pages ({brands} brands, {emails} emails{extra}{warn}) "
                f"in {self.seconds * 1000:.0f} ms")
