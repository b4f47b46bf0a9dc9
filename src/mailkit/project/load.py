"""Discovery: which brands, flows, emails and data states exist, as one list of targets.

Everything later stages need is read and cross-checked here (a flow naming a
template that does not exist, a refill delay naming a product without a lifetime,
two emails writing the same output) so that a build fails before rendering
anything, with every config problem reported at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import BuildFailed, MailkitError, relpath
from ..model import Target, template_name
from ..yamlfile import YamlDoc, load_yaml
from .checks_yaml import Checks, load_checks
from .contract import DROP, Contract, data_copy
from .contract.edges import edge_targets
from .contract.fixtures import check_fixtures, contract_of, load_contracts
from .copy import brand_copy
from .flows_yaml import Email, Flow, Flows
from .schema import Brand
from .validation import validate


@dataclass
class BrandProject:
    slug: str
    dir: Path
    brand: Brand
    flows: list[Flow]
    fixtures_dir: Path
    flows_doc: YamlDoc  # kept to locate cross-file errors at their flows.yaml line
    copy: tuple[tuple[str, str], ...] = ()  # brand.yaml's copy: (value, "file:line key")

    def template_dirs(self, root: Path) -> list[Path]:
        """Brand first, then the shared tree: a same-named file in the brand wins."""
        return [self.dir, root]

    def delay_days(self, email: Email) -> int:
        delay = email.delay
        if delay.product is None:
            return delay.days or 0
        product = self.brand.product(delay.product)
        assert product is not None and product.lifetime_days is not None  # checked on load
        return product.lifetime_days - delay.lead_days


@dataclass
class Project:
    root: Path
    brands: dict[str, BrandProject]
    warnings: list[MailkitError] = field(default_factory=list)
    checks: Checks = field(default_factory=Checks)  # checks.yaml, for `mailkit check`
    contracts: dict[str, Contract] = field(default_factory=dict)  # trigger → data contract
    _edges: dict[str, list[Target]] = field(default_factory=dict, repr=False)
    # each fixture's `extends:` chain resolved once per build (a project lives one build),
    # not once per page: by brand and fixture name
    fixtures: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, repr=False)

    def contract(self, flow: Flow) -> Contract | None:
        """The shape of the data Klaviyo gives this flow's emails (contract/)."""
        return contract_of(self.contracts, flow)

    def targets(self, brand: str | None = None, email: str | None = None,
                *, edges: bool = True) -> list[Target]:
        """Every page: each email's named scenarios, then (`edges`) its generated edge
        states (contract/edges.py), computed once per project."""
        found = []
        for slug, bp in self.brands.items():
            if brand and slug != brand:
                continue
            for flow in bp.flows:
                for em in flow.emails:
                    if email and email not in (em.id, em.template):
                        continue
                    named = [Target(slug, flow, em, name) for name in em.scenarios]
                    found += named
                    if edges and named:
                        key = f"{slug}/{em.id}"
                        if key not in self._edges:
                            self._edges[key] = edge_targets(self, named[0], load_fixture)
                        found += self._edges[key]
        return found

    def template_path(self, brand: str, name: str) -> Path | None:
        """Where `emails/<name>` or `partials/<name>` resolves for this brand."""
        for base in self.brands[brand].template_dirs(self.root):
            if (base / name).is_file():
                return base / name
        return None


def load_project(root: Path, only_brand: str | None = None) -> Project:
    """Read every brand; raise BuildFailed listing all config errors."""
    root = root.resolve()
    brands_dir = root / "brands"
    if not brands_dir.is_dir():
        raise BuildFailed([MailkitError(str(root), None, "config", "no brands/ folder here")])
    project = Project(root, {})
    errors: list[MailkitError] = []
    folders = sorted(p for p in brands_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    slugs = [p.name for p in folders if (p / "brand.yaml").is_file()]
    errors += [MailkitError(f"brands/{p.name}/", None, "config", "no brand.yaml: a brand "
                            "folder needs brand.yaml and flows.yaml (its flows, fixtures and "
                            "assets are not built without them)")
               for p in folders if p.name not in slugs]
    if not folders:
        raise BuildFailed([MailkitError("brands/", None, "config", "no brand yet: create "
                                        "brands/<name>/ with brand.yaml and flows.yaml "
                                        "(mailkit new brand NAME writes them; see "
                                        "docs/writing-emails.md)")])
    if only_brand and only_brand not in slugs:
        known = ", ".join(slugs)
        raise BuildFailed([MailkitError("brands/", None, "config",
                                        f"no brand {only_brand!r} (brands: {known})")])
    for slug in slugs:
        if only_brand and slug != only_brand:
            continue
        bp = _load_brand(root, brands_dir / slug, errors, project.warnings)
        if bp is not None:
            project.brands[slug] = bp
    project.contracts, contract_errors = load_contracts(root)
    errors += contract_errors
    for bp in project.brands.values():
        errors += _cross_check(project, bp)
        if not contract_errors:
            errors += check_fixtures(project, bp)
    project.warnings += _same_display_names(project)
    project.checks, check_errors, check_warnings = load_checks(root)
    errors += check_errors
    project.warnings += check_warnings
    if errors:
        raise BuildFailed(errors)
    return project


def _load_brand(root: Path, bdir: Path, errors: list[MailkitError],
                warnings: list[MailkitError]) -> BrandProject | None:
    docs: dict[str, YamlDoc] = {}
    for name in ("brand.yaml", "flows.yaml"):
        try:
            docs[name] = load_yaml(bdir / name, root)
        except MailkitError as exc:
            errors.append(exc)
    if len(docs) < 2:
        return None
    brand, brand_errors, brand_warnings = validate(docs["brand.yaml"], Brand)
    flows, flow_errors, flow_warnings = validate(docs["flows.yaml"], Flows)
    errors += brand_errors + flow_errors
    warnings += brand_warnings + flow_warnings
    if brand is None or flows is None:
        return None
    copy = tuple((c.value, f"{docs['brand.yaml'].shown}:{c.line} {c.key}")
                 for c in brand_copy(docs["brand.yaml"]))
    return BrandProject(bdir.name, bdir, brand, flows.flows, bdir / "fixtures", docs["flows.yaml"],
                        copy)


def _cross_check(project: Project, bp: BrandProject) -> list[MailkitError]:
    doc = bp.flows_doc
    errors = []
    seen: dict[str, tuple[int, int]] = {}
    names: set[str] = set()
    for fi, flow in enumerate(bp.flows):
        if flow.name in names:  # a push finds a brand's flows and templates by their names
            errors.append(doc.error(("flows", fi, "name"), f"flow name {flow.name!r} is used "
                                    "twice: Klaviyo's flows and templates are found by name"))
        names.add(flow.name)
        for ei, email in enumerate(flow.emails):
            at = ("flows", fi, "emails", ei)
            if email.id in seen:
                errors.append(doc.error((*at, "id"), f"email id {email.id!r} is used twice: "
                                        "both would write the same output"))
            seen[email.id] = (fi, ei)
            name = template_name(email.template)
            if project.template_path(bp.slug, name) is None:
                errors.append(doc.error((*at, "template"), f"no template {name} "
                                        f"(looked in brands/{bp.slug}/ and the project)"))
            errors += _check_delay(bp, doc, email, (*at, "delay"))
            for sname, scenario in email.scenarios.items():
                if sname == "index":
                    errors.append(doc.error((*at, "scenarios", sname),
                                            "'index' is the email's preview page: rename it"))
                if not (bp.fixtures_dir / f"{scenario.fixture}.yaml").is_file():
                    errors.append(doc.error((*at, "scenarios", sname, "fixture"),
                                            f"no fixture brands/{bp.slug}/fixtures/"
                                            f"{scenario.fixture}.yaml"))
    return errors


def _same_display_names(project: Project) -> list[MailkitError]:
    """A copied brand folder keeps its display name: the preview then shows the folder's
    name beside it, and each brand that shares its name is told so."""
    by_name: dict[str, list[str]] = {}
    for slug, bp in project.brands.items():
        by_name.setdefault(bp.brand.display_name, []).append(slug)
    found = []
    for name, slugs in by_name.items():
        for slug in slugs if len(slugs) > 1 else []:
            path = project.brands[slug].dir / "brand.yaml"
            lines = path.read_text(encoding="utf-8").splitlines()
            line = next((i for i, text in enumerate(lines, 1)
                         if text.startswith("display_name:")), None)
            others = ", ".join(f"brands/{o}" for o in slugs if o != slug)
            found.append(MailkitError(relpath(path, project.root), line, "config",
                                      f"display name {name!r} is also {others}'s: the preview "
                                      f"adds the folder names, \"{name} ({slug})\"; "
                                      "give it its own"))
    return found


def _check_delay(bp: BrandProject, doc: YamlDoc, email: Email, at: tuple) -> list[MailkitError]:
    product_id = email.delay.product
    if product_id is None:
        return []
    product = bp.brand.product(product_id)
    if product is None:
        return [doc.error((*at, "product"), f"no product {product_id!r} in the catalogue")]
    if product.lifetime_days is None:
        return [doc.error((*at, "product"), f"product {product_id!r} has no lifetime_days")]
    if product.lifetime_days <= email.delay.lead_days:
        return [doc.error((*at, "lead_days"), "lead time is longer than the product's lifetime")]
    return []


def load_fixture(project: Project, brand: str, name: str, override: dict[str, Any]) -> dict:
    """Resolve a fixture with its `extends:` chain, then deep-merge the scenario override
    (into a copy: the resolved chain is kept for the next page of the build)."""
    if (brand, name) not in project.fixtures:
        project.fixtures[brand, name] = _resolve_fixture(project, brand, name)
    return deep_merge(project.fixtures[brand, name], override)


def _resolve_fixture(project: Project, brand: str, name: str) -> dict[str, Any]:
    bp = project.brands[brand]
    chain: list[str] = []
    lines: list[tuple[str, int]] = []  # where each file of the chain says `extends:`
    data: dict[str, Any] = {}
    while name:
        if name in chain:
            loop = lines[chain.index(name):]
            shown = " → ".join(f"{path}:{line}" for path, line in loop)
            raise MailkitError(*loop[0], "config",
                               f"fixture extends loop: {shown} → back to {name!r}")
        chain.append(name)
        doc = load_yaml(bp.fixtures_dir / f"{name}.yaml", project.root)
        if not isinstance(doc.data, dict):
            raise doc.error((), "a fixture is a mapping with person, event, organization")
        data = deep_merge(doc.data, data)
        parent = doc.data.get("extends")
        name = parent if isinstance(parent, str) else ""
        lines.append((doc.shown, doc.line_of(("extends",))))
    data.pop("extends", None)
    return data


def deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` wins; nested mappings merge, lists and scalars are replaced."""
    merged = {key: value if key in over else data_copy(value) for key, value in base.items()}
    for key, value in over.items():
        if value is DROP:  # an edge state's missing field (contract/edges.py)
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = data_copy(value)
    return merged
