"""The Jinja environment of one brand in one build, and the helpers templates call.

A fresh environment per build and brand (brand folder first on the search path, so
a brand overrides an email or a partial by placing a file of the same name), with
`StrictUndefined` so a missing fixture key fails at the partial's line, and
autoescape on so fixture text can never inject markup. Rendering a page with it is
render.py; the data it reads is wrapped in jinja/data.py.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from ..cache.bytecode import bytecode_cache
from ..mjml import sourcemap
from ..model import Links
from ..project import percustomer
from ..project.contract.reads import Missing, missing_or_refused
from ..project.load import Project
from ..project.schema import PerCustomer
from .dialect import Dialect
from .jinja.data import DataList, MailkitUndefined, Record
from .jinja.datatags import DataTags
from .jinja.filters import cart_link, fr_day, fr_period, fr_time, frdate, money, whatsapp_url
from .jinja.loader import TemplateLoader


class Environment(jinja2.Environment):
    """`brand.copy` must mean the `copy:` key, not `dict.copy`: data keys win on Records.

    A key the fixture lacks but its contract declares is missing data, which Klaviyo
    prints as nothing (a falsy `Missing`); a key the contract does not know is an error
    that says what real data has instead (contract/reads.py).

    With `source_map` (the preview), templates are parsed with source markers, so MJML
    findings can name the template line that wrote an element (mjml/sourcemap.py).
    """

    source_map = False

    def parse(self, source: str, name: str | None = None, filename: str | None = None) -> Any:
        """The template's tree, kept for this environment's compile of the same source:
        `deps.dependencies` parses each template for its references just before it is
        compiled, and a fresh clone's first build parsed it twice (the tree is only read
        by both)."""
        parsed = super().parse(source, name, filename)
        self._parsed[name, filename, source] = parsed
        return parsed

    def _parse(self, source: str, name: str | None, filename: str | None) -> Any:
        kept = self._parsed.pop((name, filename, source), None)
        if kept is not None:
            return kept
        parsed = super()._parse(source, name, filename)
        return sourcemap.mark(parsed, filename) if self.source_map else parsed

    @property
    def _parsed(self) -> dict[tuple[str | None, str | None, str], Any]:
        return self.__dict__.setdefault("_asts", {})

    dialect: Dialect | None = None  # an export mode's template language (dialect.py)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Record):
            return self._data(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, Record) and isinstance(argument, str):
            return self._data(obj, argument)
        if isinstance(obj, DataList) and isinstance(argument, int) \
                and not -len(obj) <= argument < len(obj):
            return Missing(name=str(argument))
        return super().getitem(obj, argument)

    def _data(self, obj: Record, key: str) -> Any:
        if key in obj:
            return obj[key]
        found = missing_or_refused(obj.where, key, obj.node)
        return self.undefined(obj=obj, name=key) if found is None else found


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
        auto_reload=False,  # it lives for one build: no stat of the file at every include
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
    assets, dark = Files(bp.dir / "assets"), Files(bp.dir / "assets" / "dark")
    env.filters["media"] = lambda url: _media(assets, str(url), base)
    env.filters["times"] = lambda value, n: float(value) * float(n)  # "39.00" × 2
    env.filters["frdate"] = frdate
    zone = ZoneInfo(b.timezone)
    env.filters["frperiod"] = lambda start, end, year=False: fr_period(
        start.astimezone(zone), end.astimezone(zone), year=year)
    env.filters["frday"] = lambda value: fr_day(value.astimezone(zone))
    env.filters["frtime"] = lambda value: fr_time(value.astimezone(zone))
    env.filters["upperfirst"] = lambda text: text[:1].upper() + text[1:]
    links = Links(f"{site}/pages/desinscription", f"{site}/pages/preferences-email",
                  f"{site}/pages/version-web")
    if dialect is not None:
        links = dialect.links()
        dialect.install(env, b)
    percustomer.install(env, {"referral": b.referral.code} if b.referral else {}, dialect)
    @jinja2.pass_context
    def cart(ctx: jinja2.runtime.Context, item: Record, qty: int = 1, *,
             attributes: dict[str, Any] | None = None, note: Any = None) -> Markup:
        """A cart link that puts `item` in the cart with its offer's code (cart_link)."""
        found = b.product(str(item["id"])) if isinstance(item, dict) else None
        if found is None or found.variant_id is None:
            raise jinja2.TemplateRuntimeError(
                f"cart link: {item!r} needs a catalogue product with a variant_id")
        code = found.offer_code
        if isinstance(code, PerCustomer):
            code = percustomer.value_of(code, ctx, dialect)
        return cart_link(b.website, found.variant_id, qty, code=code, attributes=attributes,
                         note=note, utm=utm)

    env.globals.update(
        cart_link=cart,
        whatsapp_url=whatsapp_url,
        # the brand's form of address, for shared templates: by_voice("Ta", "Votre")
        by_voice=lambda tu, vous: vous if b.voice and b.voice.address == "vous" else tu,
        asset=lambda name: _asset(assets, name, base),
        # the dark-mode twin of an asset (assets/dark/<name>), or "" when it has none
        dark_asset=lambda name: f"{base}/dark/{name}" if dark.has(name) else "",
        product=lambda pid: _product(brand_data, pid),
        # Per brand, so globals: macros imported without context still see them.
        brand=Record(brand_data, "brand"),
        links=links,
    )
    return env


class Files:
    """The files of one folder (a brand's assets), listed once per environment: pages
    ask for a dozen assets each, through `asset`, `media` and `dark_asset`, and a
    `stat` per question was a tenth of the render's time. An environment lives for
    one build, so a file added or removed is seen by the next. A name not listed (in
    a sub-folder, or missing) is asked of the disk, as before."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._names: frozenset[str] | None = None

    def has(self, name: str) -> bool:
        """Whether `folder / name` is a file (following links, as `Path.is_file`)."""
        if self._names is None:
            try:
                with os.scandir(self.folder) as entries:
                    self._names = frozenset(e.name for e in entries if e.is_file())
            except OSError:
                self._names = frozenset()
        return name in self._names or (self.folder / name).is_file()


def _asset(folder: Files, name: str, base: str) -> str:
    """A brand asset: relative to the page in the preview (build/<brand>/<email>/
    <scenario>.html, base `../assets`), absolute from `public_base_url` in an export."""
    if not folder.has(name):
        brand = folder.folder.parent.name
        raise jinja2.TemplateRuntimeError(f"no asset {name!r} in brands/{brand}/assets/")
    return f"{base}/{name}"


def _media(folder: Files, url: str, base: str) -> str:
    """An asset name, or an image URL from the data (Shopify's CDN). The preview loads
    nothing from the internet: a URL whose file name is one of the brand's assets is
    shown from there (the demo's product photos), any other URL is kept as is; missing
    data stays empty, as Klaviyo prints it (the checks flag the empty src)."""
    if not url:
        return ""
    if "://" not in url:
        return _asset(folder, url, base)
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return f"{base}/{name}" if base.startswith("..") and name and folder.has(name) \
        else url


def _product(brand: dict[str, Any], pid: str) -> Record:
    for item in brand["catalogue"]:
        if item["id"] == pid:
            return Record(item, f"product({pid!r})")
    raise jinja2.TemplateRuntimeError(f"no product {pid!r} in the brand's catalogue")


