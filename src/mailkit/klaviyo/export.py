"""Every brand × email as the Klaviyo template it should be: HTML, text, manifest.

The preview's templates and partials are the only source. This module is the build's
`Exporter` (pipeline/dialect.py): `dialect()` gives each brand's export environment
Klaviyo's language (dialect/lang.py), `prepare` renders the email in it and protects
Klaviyo's block tags for MJML, the same compile stage as the preview's runs with the
Klaviyo syntax kept as tokens, and `finish` swaps the tokens back into a
`KlaviyoTemplate`. `write_export` writes the folder (default `build/klaviyo/`, read by
the preview's Klaviyo tab) into a staging folder swapped in whole:

    manifest.json             {"templates": [...]}, one entry per brand × email
    <brand>/<email>.html      the HTML Klaviyo receives
    <brand>/<email>.txt       its text part
    <brand>/<email>.mjml      the rendered MJML with Klaviyo tags, for debugging
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..errors import MailkitError, keep_debug, relpath
from ..model import CompiledEmail, KlaviyoTemplate, Rendered, Target
from ..output.staging import staging_for, swap
from ..pipeline.render import render_located, shown_template
from ..project.load import Project
from .dialect.lang import JINJA_SYNTAX, KLAVIYO_TAG, KlaviyoDialect, Placeholders

OUT_DIR = "klaviyo"  # under build/


@dataclass
class KlaviyoExport:
    project: Project
    templates: list[KlaviyoTemplate] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self, out: Path | None = None) -> str:
        brands = len({t.brand for t in self.templates})
        where = f" to {relpath(out, self.project.root)}" if out is not None else ""
        plural = "s" if brands > 1 else ""
        return (f"exported {len(self.templates)} Klaviyo templates ({brands} brand{plural})"
                f"{where} in {self.seconds * 1000:.0f} ms")


@dataclass(frozen=True)
class Prepared:
    """One email rendered for Klaviyo, waiting for its compile (a job, see pipeline/jobs.py)."""

    target: Target
    tags: Placeholders  # its environment's: they turn the placeholders back into tags
    rendered: Rendered
    mjml: str  # Klaviyo's structural tags wrapped, ready for MJML
    shown: str  # the email template, relative to the project


def dialect() -> KlaviyoDialect:
    """A new Klaviyo dialect, for one export environment (one brand in one build)."""
    return KlaviyoDialect()


def prepare(project: Project, env: jinja2.Environment, target: Target) -> Prepared:
    """Render `target`'s email in Klaviyo's mode (`env` has a `KlaviyoDialect`), ready for
    the compile stage; raises MailkitError at the template's line."""
    tags: Placeholders = env.dialect.tags  # type: ignore[attr-defined]
    rendered, _ = render_located(project, env, target, {})
    shown = shown_template(project, target)
    leak = JINJA_SYNTAX.search(rendered.mjml)
    if leak:
        line = rendered.mjml[:leak.start()].count("\n") + 1
        debug = keep_debug(project.root, _debug_name(target), rendered.mjml)
        raise MailkitError(debug, line, "export",
                           f"Jinja syntax left in the rendered email (rendered from {shown}): "
                           f"{rendered.mjml[leak.start():leak.start() + 40]!r}")
    return Prepared(target, tags, rendered, tags.wrap_structural(rendered.mjml), shown)


def finish(project: Project, prepared: Prepared, compiled: CompiledEmail | None,
           mjml_error: str | None = None) -> KlaviyoTemplate:
    """The template, once the compile stage has compiled `prepared.mjml` (or failed)."""
    target, tags, rendered, mjml = prepared.target, prepared.tags, prepared.rendered, prepared.mjml
    if compiled is None:
        raise MailkitError(keep_debug(project.root, _debug_name(target), mjml), None, "mjml",
                           f"{mjml_error} (rendered from {prepared.shown} for the "
                           "Klaviyo export)")
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
    return f"{OUT_DIR}/{target.email_key}.mjml"


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
    staging = staging_for(out, copy=partial)
    kept: list[dict] = []
    if partial and out.is_dir():
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
