"""Export every brand × email as the Klaviyo template it should be: HTML, text, manifest.

The preview's templates and partials are the only source: each email is rendered once
more, in the render stage's export mode (person and event data print as Klaviyo's
template language, see klaviyo_lang.py), then through the same compile stage as the
preview (MJML, premailer, plain text) with the Klaviyo syntax protected as tokens, then
the tokens are swapped back. Like the build, everything is gathered in memory, errors
are collected (path:line: stage), and the folder is written to a staging folder and
swapped in with renames. `mailkit build` keeps that folder when it swaps `build/`.

Layout of the output (default `build/klaviyo/`), read by the preview site's Klaviyo tab:

    manifest.json             {"templates": [...]}, one entry per brand × email
    <brand>/<email>.html      the HTML Klaviyo receives
    <brand>/<email>.txt       its text part
    <brand>/<email>.mjml      the rendered MJML with Klaviyo tags, for debugging
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from ..config import Email, Flow
from ..errors import BuildFailed, MailkitError, from_jinja, keep_debug, relpath
from ..jobs import Done, Job, run_job
from ..project import TEMPLATE_SUFFIX, Project, Target, load_project
from ..render import Rendered, make_environment, render
from ..writer import swap
from .klaviyo_lang import JINJA_SYNTAX, KLAVIYO_TAG, Placeholders

if TYPE_CHECKING:  # the API client is imported by `push` only: a build never needs it
    from .klaviyo_api import PushReport, TemplateUpload

API_KEY_ENV = "KLAVIYO_API_KEY"
BASE_URL_ENV = "MAILKIT_KLAVIYO_BASE_URL"  # tests point the push at a local fake
OUT_DIR = "klaviyo"  # under build/


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
        return f"{self.brand}/{self.email.id}"

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


@dataclass
class KlaviyoExport:
    project: Project
    templates: list[KlaviyoTemplate] = field(default_factory=list)
    seconds: float = 0.0

    def uploads(self) -> list[TemplateUpload]:
        from .klaviyo_api import TemplateUpload

        return [TemplateUpload(t.name, t.html, t.text) for t in self.templates]

    def summary(self, out: Path | None = None) -> str:
        brands = len({t.brand for t in self.templates})
        where = f" to {relpath(out, self.project.root)}" if out is not None else ""
        plural = "s" if brands > 1 else ""
        return (f"exported {len(self.templates)} Klaviyo templates ({brands} brand{plural})"
                f"{where} in {self.seconds * 1000:.0f} ms")


def export_klaviyo(root: Path, *, brand: str | None = None) -> KlaviyoExport:
    """Render every email of every brand (or one brand) for Klaviyo, in memory.

    Raises BuildFailed with every error; nothing is written.
    """
    start = time.perf_counter()
    project = load_project(root.resolve(), brand)
    found = export_emails(project, project.targets(brand))
    errors = [e for e in found.values() if isinstance(e, MailkitError)]
    if errors:
        raise BuildFailed(list(dict.fromkeys(errors)))
    export = KlaviyoExport(project, [t for t in found.values() if isinstance(t, KlaviyoTemplate)])
    export.seconds = time.perf_counter() - start
    return export


Exported = KlaviyoTemplate | MailkitError


def export_emails(project: Project, targets: list[Target]) -> dict[str, Exported]:
    """The export of each email among `targets`, keyed `brand/email`; an error is kept
    in place of the template, so the preview build can show it without failing."""
    prepared = prepare_exports(project, targets)
    done = {key: run_job(Job(key, p.mjml)) for key, p in prepared.items()
            if isinstance(p, Prepared)}
    return finish_exports(project, prepared, done)


@dataclass(frozen=True)
class Prepared:
    """One email rendered for Klaviyo, waiting for its compile (a job, see jobs.py)."""

    target: Target
    tags: Placeholders  # its environment's: they turn the placeholders back into tags
    rendered: Rendered
    mjml: str  # Klaviyo's structural tags wrapped, ready for MJML
    shown: str  # the email template, relative to the project


def prepare_exports(project: Project, targets: list[Target]) -> dict[str, Prepared | MailkitError]:
    """Render each email among `targets` for Klaviyo, keyed `brand/email`."""
    found: dict[str, Prepared | MailkitError] = {}
    envs: dict[str, jinja2.Environment] = {}
    first: dict[str, Target] = {}  # the export does not depend on data: one per email
    for target in targets:
        first.setdefault(f"{target.brand}/{target.email.id}", target)
    for key, target in first.items():
        env = envs.get(target.brand) or envs.setdefault(
            target.brand, make_environment(project, target.brand, klaviyo=True))
        try:
            found[key] = _prepare_one(project, env, target)
        except MailkitError as exc:
            found[key] = exc
    return found


def finish_exports(project: Project, prepared: Mapping[str, Prepared | MailkitError],
                   done: Mapping[str, Done]) -> dict[str, Exported]:
    """The templates, from what `prepare_exports` rendered and the jobs compiled."""
    found: dict[str, Exported] = {}
    for key, item in prepared.items():
        try:
            found[key] = item if isinstance(item, MailkitError) else \
                _finish_one(project, item, done[key])
        except MailkitError as exc:
            found[key] = exc
    return found


def _prepare_one(project: Project, env: jinja2.Environment, target: Target) -> Prepared:
    tags: Placeholders = env.klaviyo  # type: ignore[attr-defined]
    name = f"emails/{target.email.template}{TEMPLATE_SUFFIX}"
    shown = relpath(project.template_path(target.brand, name) or name, project.root)
    try:
        rendered = render(project, env, target)
    except MailkitError:
        raise
    except Exception as exc:  # a template error (or Klaviyo data misused): locate it
        raise from_jinja(exc, project.root, shown) from None
    leak = JINJA_SYNTAX.search(rendered.mjml)
    if leak:
        line = rendered.mjml[:leak.start()].count("\n") + 1
        debug = keep_debug(project.root, _debug_name(target), rendered.mjml)
        raise MailkitError(debug, line, "export",
                           f"Jinja syntax left in the rendered email (rendered from {shown}): "
                           f"{rendered.mjml[leak.start():leak.start() + 40]!r}")
    return Prepared(target, tags, rendered, tags.wrap_structural(rendered.mjml), shown)


def _finish_one(project: Project, prepared: Prepared, done: Done) -> KlaviyoTemplate:
    target, tags, rendered, mjml = prepared.target, prepared.tags, prepared.rendered, prepared.mjml
    if done.compiled is None:
        raise MailkitError(keep_debug(project.root, _debug_name(target), mjml), None, "mjml",
                           f"{done.mjml_error} (rendered from {prepared.shown} for the "
                           "Klaviyo export)")
    compiled = done.compiled
    bp = project.brands[target.brand]
    return KlaviyoTemplate(
        brand=target.brand, flow=target.flow, email=target.email,
        position=target.flow.emails.index(target.email) + 1,
        delay_days=bp.delay_days(target.email), template=prepared.shown,
        subject=_head(tags.restore(rendered.subject)),
        preheader=_head(tags.restore(rendered.preheader)),
        html=tags.restore(compiled.html), text=_plain(tags.restore_text(compiled.text)),
        mjml=tags.restore(mjml), tags=tags.used(compiled.html + rendered.subject))


def _plain(text: str) -> str:
    """The text part is not HTML: Klaviyo must not turn `&` into `&amp;` in it."""
    return f"{{% autoescape off %}}{text}{{% endautoescape %}}"


def _head(text: str) -> str:
    """A subject or preheader is text, not HTML: a name like D'Arcy must not arrive as
    `D&#x27;Arcy` (Django's autoescape, on in Klaviyo). Only text with Klaviyo syntax
    needs the wrapper; its literal text is already unescaped."""
    return _plain(text) if KLAVIYO_TAG.search(text) else text


def _debug_name(target: Target) -> str:
    return f"{OUT_DIR}/{target.brand}/{target.email.id}.mjml"


def page_export(page_key: str) -> str:
    """The export of a preview page, relative to `build/`: `r-pur/application/sans-app`
    → `klaviyo/r-pur/application.html` (one Klaviyo template serves every scenario)."""
    brand, email, _scenario = page_key.split("/")
    return f"{OUT_DIR}/{brand}/{email}.html"


def manifest(export: KlaviyoExport) -> dict:
    """What the export holds, for the preview site, the push and people."""
    project = export.project
    items = []
    for t in export.templates:
        # named scenarios, then the generated edge states
        scenarios = [target.key for target in project.targets(t.brand, t.email.id)]
        items.append({
            "key": t.key, "brand": t.brand, "flow": t.flow.id, "flow_name": t.flow.name,
            "email": t.email.id, "position": t.position, "name": t.name,
            "subject": t.subject, "preheader": t.preheader,
            "trigger": t.flow.trigger.label,
            "delay": {"days": t.delay_days, "hours": t.email.delay.hours,
                      "label": t.delay_label},
            "template": t.template, "html": f"{t.key}.html", "text": f"{t.key}.txt",
            "preview_pages": scenarios, "klaviyo_tags": t.tags,
            "html_bytes": len(t.html.encode("utf-8")),
        })
    brands = sorted(project.brands)
    return {"format": 1, "brands": brands, "templates": items}


def write_export(export: KlaviyoExport, out: Path, *, partial: bool = False) -> None:
    """Write into a staging folder and swap it in. `partial` (one brand) keeps the other
    brands' files and manifest entries."""
    staging = out.with_name(f".{out.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    kept: list[dict] = []
    if partial and out.is_dir():
        shutil.copytree(out, staging)
        old = _read_manifest(out)
        kept = [t for t in old.get("templates", []) if t.get("brand") not in export.project.brands]
    staging.mkdir(parents=True, exist_ok=True)
    for slug in export.project.brands:
        shutil.rmtree(staging / slug, ignore_errors=True)
    for t in export.templates:
        base = staging / t.key
        base.parent.mkdir(parents=True, exist_ok=True)
        base.with_suffix(".html").write_text(t.html, encoding="utf-8")
        base.with_suffix(".txt").write_text(t.text, encoding="utf-8")
        base.with_suffix(".mjml").write_text(t.mjml, encoding="utf-8")
    data = manifest(export)
    data["templates"] = sorted(kept + data["templates"], key=lambda t: t["brand"])  # stable
    data["brands"] = sorted({t["brand"] for t in data["templates"]})
    (staging / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, indent=1),
                                           encoding="utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    swap(staging, out)


def _read_manifest(out: Path) -> dict:
    try:
        return json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def api_key(environ: Mapping[str, str] = os.environ) -> str:
    """The key comes from KLAVIYO_API_KEY only: never an option, so never in a shell
    history or a process list. Checked before exporting, so a push fails fast."""
    key = environ.get(API_KEY_ENV, "").strip()
    if not key:
        raise MailkitError(API_KEY_ENV, None, "push", f"set {API_KEY_ENV} to a private API key "
                           "with the templates:read and templates:write scopes")
    return key


def push(export: KlaviyoExport, key: str, *, dry_run: bool = False,
         environ: Mapping[str, str] = os.environ,
         log: Callable[[str], None] | None = None) -> PushReport:
    """Create or update the templates in Klaviyo, found by name; raises KlaviyoError if
    the push stops early. MAILKIT_KLAVIYO_BASE_URL replaces https://a.klaviyo.com, for
    tests against a local fake."""
    from .klaviyo_api import DEFAULT_BASE_URL, push_templates

    base_url = environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    return push_templates(export.uploads(), api_key=key, base_url=base_url, dry_run=dry_run,
                          log=log)
