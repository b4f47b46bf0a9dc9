"""Render stage: Jinja templates + brand + fixture → MJML text, subject and preheader.

A fresh environment per build and brand (brand folder first on the search path, so
a brand overrides an email or a partial by placing a file of the same name), with
`StrictUndefined` so a missing fixture key fails at the partial's line, and
autoescape on so fixture text can never inject markup.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import jinja2

from .cache import bytecode_cache
from .datatags import DataTags
from .dialect import Dialect
from .errors import MailkitError, relpath
from .loader import TemplateLoader
from .mjml import sourcemap
from .model import Links, Rendered, Target
from .project import Project, load_fixture
from .text import squash

NBSP = "\u00a0"
NNBSP = "\u202f"


class Record(dict):
    """A fixture or brand mapping that knows its dotted path, for error messages."""

    def __init__(self, data: dict[str, Any], where: str) -> None:
        super().__init__({k: wrap(v, f"{where}.{k}") for k, v in data.items()})
        self.where = where


def wrap(value: Any, where: str) -> Any:
    if isinstance(value, dict):
        return Record(value, where)
    if isinstance(value, list):
        return [wrap(v, f"{where}[]") for v in value]
    return value


class MailkitUndefined(jinja2.StrictUndefined):
    """Say `'person' has no attribute 'frist_name'`, not `'dict object' has …`."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj = self._undefined_obj
        if isinstance(obj, Record) and isinstance(self._undefined_name, str):
            return f"{obj.where!r} has no attribute {self._undefined_name!r}"
        return super()._undefined_message


class Environment(jinja2.Environment):
    """`brand.copy` must mean the `copy:` key, not `dict.copy`: data keys win on Records.

    With `source_map` (the preview), templates are parsed with source markers, so MJML
    findings can name the template line that wrote an element (mjml/sourcemap.py).
    """

    source_map = False

    def _parse(self, source: str, name: str | None, filename: str | None) -> Any:
        parsed = super()._parse(source, name, filename)
        return sourcemap.mark(parsed, filename) if self.source_map else parsed

    dialect: Dialect | None = None  # an export mode's template language (dialect.py)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Record):
            if attribute in obj:
                return obj[attribute]
            return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def whatsapp_url(text: str) -> str:
    """`https://wa.me/?text=` + the UTF-8 percent-encoding of `text`, nothing left raw.

    `safe=""` encodes `/`, `&`, `#`, `'` and spaces (as `%20`, which WhatsApp
    expects; `+` would arrive as a plus sign), so decoding gives back the text.
    """
    return "https://wa.me/?text=" + quote(text, safe="")


def money(value: float, currency: str = "€") -> str:
    """French price format: `1 290,00 €`, with the non-breaking spaces typography wants."""
    whole, cents = f"{value:,.2f}".split(".")
    return f"{whole.replace(',', NNBSP)},{cents}{NBSP}{currency}"


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def frdate(value: Any) -> str:
    """`20 août 2026`: dates in fixtures are YAML timestamps or ISO strings."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, date):
        raise jinja2.TemplateRuntimeError(f"frdate expects a date, got {value!r}")
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def make_environment(project: Project, brand: str, *,
                     dialect: Dialect | None = None) -> Environment:
    """A new environment for one brand in one build: nothing cached across builds.

    With a `dialect` (an export mode, one new instance per environment): person, event
    and organization become the platform's variables, system links its tags, and asset
    URLs are absolute from the brand's `public_base_url`. The dialect is kept in
    `env.dialect` (None in the preview). `{% ifdata %}`/`{% fordata %}` compile
    differently in that mode, so it has its own bytecode cache.
    """
    bp = project.brands[brand]
    env = Environment(
        loader=TemplateLoader([str(d) for d in bp.template_dirs(project.root)], project.root),
        undefined=MailkitUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache(project.root, dialect.name if dialect else "preview-map5"),
        extensions=[DataTags],
    )
    env.dialect = dialect
    env.source_map = dialect is None  # the preview locates MJML findings (mjml/sourcemap.py)
    b = bp.brand
    brand_data = b.model_dump(by_alias=True)
    site = b.website.rstrip("/")
    utm = dict(b.utm)

    def track(url: str) -> str:
        """Append the brand's UTM parameters to links that go to its own website."""
        if not utm or not url.startswith(b.website.rstrip("/")):
            return url
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query.update({k: v for k, v in utm.items() if k not in query})
        return urlunsplit(parts._replace(query=urlencode(query)))

    base = b.public_base_url.rstrip("/") if dialect is not None else "../assets"
    env.filters["money"] = lambda v: money(float(v), b.currency)
    env.filters["track"] = track
    env.filters["media"] = (lambda url: url if "://" in str(url)
                            else _asset(bp.dir / "assets", url, base))
    env.filters["frdate"] = frdate
    links = Links(f"{site}/pages/desinscription", f"{site}/pages/preferences-email",
                  f"{site}/pages/version-web")
    if dialect is not None:
        links = dialect.links()
        dialect.install(env, b)
    env.globals.update(
        whatsapp_url=whatsapp_url,
        asset=lambda name: _asset(bp.dir / "assets", name, base),
        # the dark-mode twin of an asset (assets/dark/<name>), or "" when it has none
        dark_asset=lambda name: (f"{base}/dark/{name}"
                                 if (bp.dir / "assets" / "dark" / name).is_file() else ""),
        product=lambda pid: _product(brand_data, pid),
        # Per brand, so globals: macros imported without context still see them.
        brand=Record(brand_data, "brand"),
        links=links,
    )
    return env


def _asset(folder: Path, name: str, base: str) -> str:
    """A brand asset: relative to the page in the preview (build/<brand>/<email>/
    <scenario>.html, base `../assets`), absolute from `public_base_url` in an export."""
    if not (folder / name).is_file():
        brand = folder.parent.name
        raise jinja2.TemplateRuntimeError(f"no asset {name!r} in brands/{brand}/assets/")
    return f"{base}/{name}"


def _product(brand: dict[str, Any], pid: str) -> Record:
    for item in brand["catalogue"]:
        if item["id"] == pid:
            return Record(item, f"product({pid!r})")
    raise jinja2.TemplateRuntimeError(f"no product {pid!r} in the brand's catalogue")


def context(project: Project, target: Target,
            dialect: Dialect | None = None) -> dict[str, Any]:
    """Fixture data and email facts; brand data (`brand.*`) is an environment global.

    With a `dialect` (export mode) person, event and organization are the platform's
    variables and no fixture is read: the export must not depend on one customer's data.
    """
    bp = project.brands[target.brand]
    ctx: dict[str, Any] = {
        "email": Record({"id": target.email.id, "name": target.email.name,
                         "flow": target.flow.name, "scenario": target.scenario,
                         "delay_days": bp.delay_days(target.email)}, "email"),
    }
    if dialect is not None:
        return ctx | dialect.roots()
    scenario = target.data_state
    fixture = load_fixture(project, target.brand, scenario.fixture, scenario.override)
    for key in ("person", "event", "organization"):
        ctx[key] = wrap(fixture.get(key, {}), key)
    return ctx


def render(project: Project, env: jinja2.Environment, target: Target) -> Rendered:
    """Render one target; Jinja errors propagate for the caller to locate."""
    name = target.template_name
    mjml = env.get_template(name).render(context(project, target, getattr(env, "dialect", None)))
    source = None
    if getattr(env, "source_map", False):
        mjml, source = sourcemap.strip(mjml, lambda file: _shown(file, project.root))
    path = project.template_path(target.brand, name)
    assert path is not None
    shown = relpath(path, project.root)
    return Rendered(target, path, mjml, _head_text(mjml, "mj-title", shown),
                    _head_text(mjml, "mj-preview", shown),
                    project.brands[target.brand].brand.locale, source)


@lru_cache(maxsize=1024)
def _shown(file: str, root: Path) -> str:
    """A template file as findings name it (relpath resolves: a few syscalls each)."""
    return relpath(file, root)


def _head_text(mjml: str, tag: str, shown: str) -> str:
    """Subject and preheader as an inbox shows them, read back from the rendered head.

    The layout puts `{% block subject %}` in `<mj-title>` and the preheader in
    `<mj-preview>`; reading them from the one render keeps the blocks' variables and
    Jinja's error locations intact (calling a block alone would lose both).
    """
    match = re.search(rf"<{tag}>(.*?)</{tag}>", mjml, re.S)
    if match is None:
        raise MailkitError(shown, None, "render", f"the email has no <{tag}>: "
                           "extend partials/layout.mjml.j2 or write one")
    return squash(html.unescape(match.group(1)))
