"""The data types of the quality gate: what goes in, what comes out, what is configurable.

They are plain frozen dataclasses so the CLI, the preview site and the tests can
build them without knowing how the checks work, and so a finding can be compared,
hashed and serialised (`dataclasses.asdict`) as it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "info"]

#: caniemail `family.platform` ids checked by default: the clients that read most of
#: our customers' mail (Gmail everywhere, Apple Mail, the three Outlooks, Yahoo on the
#: web). A bare family (`"gmail"`) or a glob (`"outlook.*"`, `"*.ios"`) also works.
DEFAULT_CLIENTS: tuple[str, ...] = (
    "gmail.desktop-webmail",
    "gmail.ios",
    "gmail.android",
    "apple-mail.macos",
    "apple-mail.ios",
    "outlook.windows",
    "outlook.macos",
    "outlook.outlook-com",
    "yahoo.desktop-webmail",
)


@dataclass(frozen=True)
class CheckInput:
    """One email as the checks see it: the compiled HTML plus what it should contain."""

    html: str  # the compiled email HTML (MJML output after CSS inlining)
    text: str  # plain-text version
    subject: str
    preheader: str
    lang: str  # expected <html lang>, e.g. "fr"
    palette: dict[str, str]  # light palette: text, background, primary, accent, …
    dark_palette: dict[str, str]  # same keys, dark mode
    postal_address: str
    export: bool = False  # checking the Klaviyo export rather than the preview
    asset_root: Path | None = None  # where relative image URLs resolve in the preview
    whatsapp_message: str | None = None  # a https://wa.me/?text=… link must decode to it
    utm: dict[str, str] | None = None  # utm_* params every link to `website` must carry
    website: str | None = None
    source_name: str = ""  # e.g. "r-pur/app_download/sans-app", for reports
    names: tuple[str, ...] = ()  # the profile's first and last name in this data state
    voice: str | None = None  # the brand's form of address ("tu", "vous"): see check/rules/voice.py
    keep_together: tuple[str, ...] = ()  # hyphenated names that must not break (R-PUR)
    # Copy written in brand data, with where: a fault in it is fixed there, not in a
    # template: (value, "brands/kokawa/brand.yaml:32 whatsapp.message")
    brand_copy: tuple[tuple[str, str], ...] = ()
    # The project's other brands, by name and by website host: none may show here
    other_brands: tuple[str, ...] = ()
    # How the flow sends it: "metric" (an event) or "segment" (entering a segment, any
    # day), and the days after the trigger: a day-bound word is true only on one day
    trigger: str = ""
    delay_days: int = 0


@dataclass(frozen=True)
class Finding:
    """One problem (or fact) about an email, worded for the designer who will fix it."""

    severity: Severity
    check: str  # "size", "images", "links", "required", "a11y", "support", "spam"
    message: str  # a sentence naming the element, e.g. `<img src="x.png">` has no alt
    where: str = ""  # the element or snippet concerned, short
    # Text the element shows or an attribute it carries (an image's src), as the template
    # wrote it: the build finds it in the rendered MJML and names the template line.
    locate: str = ""
    line: str = ""  # `partials/hero.mjml.j2:7`, filled in by the build (pipeline/jobs.py)

    def __str__(self) -> str:
        where = f"  [{self.where}]" if self.where and self.where not in self.message else ""
        return f"{self.severity}: {self.check}: {self.message}{where}"


@dataclass
class CheckConfig:
    """What a brand or project tunes: the clients it targets, the gaps it accepts.

    `accepted` holds caniemail feature slugs that were chosen knowingly (e.g. dark
    mode through `css-at-media-prefers-color-scheme`, which Gmail drops): findings
    about them become `info`, so the gate stays red only for surprises. MJML's own
    boilerplate is accepted separately (`accept_mjml_boilerplate`, see
    `mailkit.check.support.MJML_BOILERPLATE`), because nobody chose it email by email.
    """

    clients: list[str] = field(default_factory=lambda: list(DEFAULT_CLIENTS))
    accepted: list[str] = field(default_factory=list)
    size_warn_kb: float = 90
    size_fail_kb: float = 102
    accept_mjml_boilerplate: bool = True
    caniemail_path: Path | None = None  # another data file, e.g. freshly refreshed


def has_errors(findings: list[Finding]) -> bool:
    """True when the gate fails: any finding of severity `error`."""
    return any(f.severity == "error" for f in findings)


def format_report(doc: CheckInput, findings: list[Finding], *, show_info: bool = False) -> str:
    """Plain-text report for a terminal or a CI log, one finding a line, errors first.

    Named after `doc.source_name` so a run over many emails says which one failed.
    """
    order = {"error": 0, "warning": 1, "info": 2}
    shown = [f for f in findings if show_info or f.severity != "info"]
    shown.sort(key=lambda f: order[f.severity])
    counts = {s: sum(f.severity == s for f in findings) for s in order}
    head = doc.source_name or "email"
    lines = [f"{head}: {counts['error']} error(s), {counts['warning']} warning(s), "
             f"{counts['info']} info"]
    lines += [f"  {f}" for f in shown]
    return "\n".join(lines)


SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class PageReport:
    """The findings of one page (brand/email/scenario), as the CLI and the site show them."""

    key: str  # the page's key, given by the caller (the library has no notion of one)
    brand: str
    email: str
    scenario: str
    findings: tuple[Finding, ...]
    html_bytes: int

    @property
    def counts(self) -> Counter[str]:
        return Counter(f.severity for f in self.findings)

    def shown(self, *, info: bool = False) -> list[Finding]:
        """Errors first, then warnings (then info): the order a designer fixes them in."""
        kept = [f for f in self.findings if info or f.severity != "info"]
        return sorted(kept, key=lambda f: SEVERITY_ORDER[f.severity])


def totals(reports: Iterable[PageReport]) -> Counter[str]:
    total: Counter[str] = Counter()
    for report in reports:
        total.update(report.counts)
    return total


def failed(reports: Iterable[PageReport], *, strict: bool = False) -> bool:
    """The gate: any error, or with `strict` any warning too."""
    counts = totals(reports)
    return counts["error"] > 0 or (strict and counts["warning"] > 0)
