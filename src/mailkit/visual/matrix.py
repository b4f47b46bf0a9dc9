"""Which shots a run takes: brand × email × scenario × viewport × scheme, and each
email's first scenario in the client views its brand declares (`snapshots:` in
brand.yaml), each named by its baseline.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import TEMPLATE_SUFFIX
from ..site.clients import CHOICES, script_hash
from .capture import Scheme, Shot, Viewport
from .compare import baseline_name

if TYPE_CHECKING:
    from ..model import BuildResult

#: Every page is shot in these four states: desktop and mobile, light and dark
#: (dark = ``prefers-color-scheme: dark`` emulated, the brand's dark palette).
VARIANTS: tuple[tuple[Viewport, Scheme], ...] = (
    ("desktop", "light"), ("desktop", "dark"), ("mobile", "light"), ("mobile", "dark"))
#: The client views (check/clients.py's VIEWS), at either viewport: a brand declares
#: which (`snapshots: clients:`), shot on each email's first scenario.
CLIENT_VARIANTS: tuple[tuple[Viewport, str], ...] = tuple(
    (viewport, view.id) for view in CHOICES[1:] for viewport in ("desktop", "mobile"))
#: What a run shoots unless told otherwise: every variant each page declares.
EVERY = (*VARIANTS, *CLIENT_VARIANTS)


@dataclass(frozen=True)
class Entry:
    """One built page, as the suite needs it (from a BuildResult or manifest.json)."""

    key: str  # brand/email/scenario, the page's path in build/ without .html
    brand: str
    email: str
    scenario: str
    template: str  # the template's name, so --email accepts it as `mailkit build` does
    # the brand's `snapshots:`; (viewport, client view) too on the email's first scenario
    variants: tuple[tuple[Viewport, str], ...] = VARIANTS


#: The generated edge states that are shot too: those that change the layout (a line item
#: without its image, a wider amount). The others change words only, which the checks
#: and the export round trip read; shooting them would double the matrix for no pixel.
EDGE_SHOTS = frozenset({"sans-image", "gros-montant"})


def shot(scenario: str, edge: bool) -> bool:
    return not edge or scenario in EDGE_SHOTS


def entries(result: BuildResult) -> list[Entry]:
    """The pages of a build held in memory (named scenarios, and the EDGE_SHOTS), each
    with the variants its brand declares (`snapshots:` in brand.yaml; all four by
    default, and three client views of each email's first scenario): a brand of
    hundreds of pages keeps its baselines down that way."""
    config = {slug: bp.brand.snapshots for slug, bp in result.project.brands.items()}
    declared = {slug: tuple(v for v in VARIANTS if f"{v[0]}-{v[1]}" in c.variants)
                for slug, c in config.items()}
    clients = {slug: tuple(v for v in CLIENT_VARIANTS if f"{v[0]}-{v[1]}" in c.clients)
               for slug, c in config.items()}
    out = []
    for p in result.pages.values():
        t = p.target
        if not shot(t.scenario, t.edge) or (t.edge and not config[t.brand].edge_states):
            continue
        first = not t.edge and t.scenario == next(iter(t.email.scenarios))
        out.append(Entry(p.key, t.brand, t.email.id, t.scenario, t.email.template,
                         declared[t.brand] + (clients[t.brand] if first else ())))
    return out


def read_manifest(build_dir: Path) -> list[Entry]:
    """The pages of a build on disk, for a suite run without rebuilding (the four
    variants: the brands' `snapshots:`, client views included, are read by `entries`,
    from a build in memory)."""
    data = json.loads((build_dir / "manifest.json").read_text(encoding="utf-8"))
    return [Entry(p["key"], p["brand"], p["email"], p["scenario"],
                  Path(p["template"]).name.removesuffix(TEMPLATE_SUFFIX)) for p in data["pages"]
            if shot(p["scenario"], p.get("edge", False))]


@dataclass(frozen=True)
class Planned:
    """A shot and what it shows: its baseline name is the shot's key."""

    shot: Shot
    entry: Entry
    viewport: Viewport
    scheme: str  # light, dark, or a client view (partial, full, nostyle, outlook)

    @property
    def variant(self) -> str:
        """What the shot shows besides its page, for reuse.py: a client view's shot also
        depends on the script that draws it."""
        return f"{self.viewport}-{self.scheme}" + (f"|{script_hash()}" if self.shot.client else "")


def plan(pages: Iterable[Entry], build_dir: Path, *, brand: str | None = None,
         email: str | None = None,
         variants: Sequence[tuple[Viewport, str]] = EVERY) -> list[Planned]:
    """Every selected page in every variant, in a stable order."""
    out = []
    for entry in sorted(pages, key=lambda e: e.key):
        if (brand and entry.brand != brand) or (email and email not in (entry.email,
                                                                         entry.template)):
            continue
        for viewport, scheme in variants:
            if (viewport, scheme) not in entry.variants:
                continue
            name = baseline_name(entry.brand, entry.email, entry.scenario, viewport, scheme)
            path = build_dir / f"{entry.key}.html"
            shot = (Shot(name, path, viewport, scheme) if scheme in ("light", "dark")  # type: ignore[arg-type]
                    else Shot(name, path, viewport, "light", client=scheme))
            out.append(Planned(shot, entry, viewport, scheme))
    return out
