"""The preview site: a static, browsable view of every brand, flow, email and scenario.

Written by the build into the same staging tree as the emails, so it is swapped in
with them. It needs no server (file:// works) and loads nothing from the internet:
its CSS, scripts and icon are hand-written files in `static/`, its pages Jinja
templates in `templates/`. The live-reload script is never written here; `serve`
injects it into responses.

May import: errors, model, cache, check, project.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from ..cache.bytecode import BytecodeCache, bytecode_cache
from ..check.urls import WHATSAPP_HOSTS
from ..errors import relpath
from ..model import BuildResult, Page
from . import thumbs
from .clients import FILE as CLIENT_VIEWS
from .clients import views_script
from .nav import (
    brand_labels,
    flow_steps,
    humanize,
    nav_data,
    nav_script,
    override_summary,
    problem_count,
    state_label,
)
from .pages import EmailView, batch_label, email_views, spam_facts
from .sources import FILE as SOURCES
from .sources import email_sources, script

if TYPE_CHECKING:
    from ..output.staging import Writer
    from ..project.flows_yaml import Flow

HERE = Path(__file__).parent
ASSET_DIR = "_mailkit"

# Optional panels of each state (checks): name → function(page) → HTML, carried in the
# email's sources script.
Panel = Callable[["Page"], Markup]
# Optional blocks of the home page (the checks summary): name → function(result) → HTML.
HomePanel = Callable[["BuildResult"], Markup]


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """One environment per process: the site's templates are mailkit's, not the
    project's, so `serve` compiles them once, not on every save.
    """
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.bytecode_cache = own_bytecode()
    env.globals.update(batch_label=batch_label, state_label=state_label, humanize=humanize,
                       override_summary=override_summary, problem_count=problem_count)
    return env


def own_bytecode() -> BytecodeCache | None:
    """The site's compiled templates, kept beside them (`templates/__pycache__/`, as
    Python keeps a module's bytecode; scripts/bootstrap.sh writes them with mailkit's
    .pyc): they are mailkit's, the same for every project, so a fresh clone's first build
    does not compile them. None where the package cannot be written: write_site then
    keeps them in the project's `.mailkit-cache/`."""
    try:
        return BytecodeCache(HERE / "templates" / "__pycache__")
    except OSError:
        return None


def precompile() -> int:
    """Compile every site template into `own_bytecode()` (bootstrap); how many."""
    env = environment()
    names = env.list_templates(extensions=["html"])
    for name in names:
        env.get_template(name)
    return len(names)


def brand_counts(tree: dict[str, list[tuple[Flow, list[EmailView]]]]) -> dict[str, dict]:
    """brand → its pages, emails and findings to look at (errors and warnings)."""
    out = {}
    for brand, flows in tree.items():
        views = [v for _, vs in flows for v in vs]
        pages = [p for v in views for p in v.pages]
        out[brand] = {"pages": len(pages), "emails": len(views),
                      "problems": sum(problem_count(p) for p in pages)}
    return out


def write_site(result: BuildResult, writer: Writer,
               panels: dict[str, Panel] | None = None,
               home_panels: dict[str, HomePanel] | None = None, *,
               klaviyo: bool = False) -> None:
    """Write the home page (every brand and its flows, in short), a home page per brand
    (its flows drawn as canvases, with thumbnails), one page and one sources script per
    email, and the site's assets. `klaviyo`: the email pages have a Klaviyo tab (the
    build's exports).

    An email page whose scenarios were all reused from the previous build is linked,
    not rendered again, and so are its sources: the sidebar only changes when flows
    do, and then every page is fresh.
    """
    panels = panels or {}
    env = environment()
    if env.bytecode_cache is None:  # compiling the site's templates: a cold build's biggest cost
        env.bytecode_cache = bytecode_cache(result.project.root, "site")
    tree = email_views(result)
    root = result.project.root
    labels = brand_labels(result)
    names: dict[Path, str] = {}

    def name(path: Path) -> str:  # a template's path as typed, resolved once per build
        if path not in names:
            names[path] = relpath(path, root)
        return names[path]

    common = {
        "tree": tree,
        "brands": {slug: bp.brand for slug, bp in result.project.brands.items()},
        "labels": labels,
        "relpath": name,
    }
    views = [v for flows in tree.values() for _, vs in flows for v in vs]
    report = (writer.previous or writer.staging) / "visual-report/index.html"  # moved in last
    report_url = "visual-report/index.html" if report.is_file() else ""
    writer.text(f"{ASSET_DIR}/nav-data.js",
                lambda: nav_script(nav_data(result, tree, labels, report_url)))
    thumbnails = thumbs.link(result, writer)
    steps = {(brand, flow.id): flow_steps(result, brand, vs)
             for brand, flows in tree.items() for flow, vs in flows}
    counts = brand_counts(tree)
    writer.text("index.html", lambda: env.get_template("home.html").render(
        root="", current=None, page_count=len(result.pages), email_count=len(views),
        built_at=datetime.now().strftime("%Y-%m-%d %H:%M:%S"), counts=counts,
        report_url=report_url,
        home_panels=[panel(result) for panel in (home_panels or {}).values()], **common))
    for brand, flows in tree.items():  # one home per brand: its flows drawn as canvases
        writer.text(f"{brand}/index.html", lambda b=brand, f=flows: env.get_template(
            "brand.html").render(root="../", current=None, brand=b, brand_page=True, flows=f,
                                 counts=counts[b], steps=steps, thumbs=thumbnails, **common))
    email_page = env.get_template("email.html")
    spam = spam_facts(result)
    sources: list[tuple[str, Callable[[], str], bool]] = []
    pages: list[tuple[str, Callable[[], str], bool]] = []
    for view in views:
        reuse = not any(p.key in result.fresh for p in view.pages)
        folder = view.url.rsplit("/", 1)[0]
        sources.append((f"{folder}/{SOURCES}", lambda v=view: script(
            email_sources(result, v, name, panels.get("checks"), spam)), reuse))

        def render(view: EmailView = view) -> str:
            return email_page.render(
                root="../../", current=view, view=view, sources_url=SOURCES,
                whatsapp_hosts=" ".join(sorted(WHATSAPP_HOSTS)), has_klaviyo=klaviyo,
                has_checks="checks" in panels, **common)

        pages.append((view.url, render, reuse))
    # A third of a cold build's writing, shared between the cores, which deal it
    # round-robin: kind by kind, so that each core gets its part of the costly sources
    # (JSON, gzip, the Outlook table: ~5x a page's render). Alternated, as they were, the
    # parent built every sources.js of a cold build and the fork only the pages.
    writer.texts(sources + pages)
    writer.text(f"{ASSET_DIR}/{CLIENT_VIEWS}", views_script())
    for item in sorted((HERE / "static").iterdir()):
        writer.text(f"{ASSET_DIR}/{item.name}", item.read_text(encoding="utf-8"))
