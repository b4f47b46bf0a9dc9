"""A large mailkit project generated from the demo, for `make bench` (the scale figures).

    python benchmarks/generate.py OUT [--pages 1000] [--brands 16]

Why: the demo has 13 pages; agencies have hundreds. Measuring build, serve, check and
snapshot at 1 000 pages needs a project of that size that every run rebuilds the same
(deterministic: no randomness, no clock), that passes `mailkit check` like the demo, and
that is shaped like a real one:

- new brands, each a copy of a demo brand (kokawa or r-pur, in turn) with its own
  name and palette: the demo palette turned round the colour wheel, every colour kept
  at its relative luminance, so text and button contrasts stay what the demo passes;
- more emails: each demo email again, under a new id (`<id>-2`, `<id>-3`…), with its
  demo states;
- more states: each copy's states greet another first name (a fixture override), so
  no two pages are the same MJML and no cache shares work between them;
- pages counted as the build counts them: an email's named states *and* the edge states
  its data contract generates (contract/edges.py), so `--pages 1000` builds ~1 000 pages.

Shared templates and partials are the demo's (a partial edit touches every page).
"""

from __future__ import annotations

import argparse
import colorsys
import re
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEMO_BRANDS = ("kokawa", "r-pur")
NAMES = ("Camille", "Léa", "Hugo", "Inès", "Noé", "Chloé", "Jules", "Zoé", "Louis", "Manon",
         "Adam", "Jade", "Gabriel", "Alice", "Raphaël", "Lina", "Arthur", "Rose", "Paul",
         "Anna")
HEX = re.compile(r"#[0-9A-Fa-f]{6}\b")


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG relative luminance (what the contrast rule compares)."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def turn(colour: str, degrees: float) -> str:
    """`colour` turned round the hue wheel, then brought back to its own luminance (by
    lightness, bisected), so every contrast ratio of the palette stays the demo's."""
    target = luminance(_rgb(colour))
    h, lightness, s = colorsys.rgb_to_hls(*_rgb(colour))
    h = (h + degrees / 360) % 1
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if luminance(colorsys.hls_to_rgb(h, mid, s)) < target:
            lo = mid
        else:
            hi = mid
    rgb = colorsys.hls_to_rgb(h, (lo + hi) / 2, s)
    return "#" + "".join(f"{round(min(max(c, 0), 1) * 255):02X}" for c in rgb)


def _palette_text(text: str, degrees: float) -> str:
    """Turn the colours of brand.yaml's `palette:` block only (the rest is copy)."""
    start = text.index("palette:")
    end = text.index("\nfonts:", start)
    block = HEX.sub(lambda m: turn(m.group(0), degrees), text[start:end])
    return text[:start] + block + text[end:]


def _domain(brand_yaml: str) -> str:
    """The brand's own domain: its `public_base_url`'s host less the first label
    (`https://cdn.kokawa.fr/emails` → `kokawa.fr`)."""
    host = re.search(r"(?m)^public_base_url: *https?://([^/\s]+)", brand_yaml).group(1)
    return host.split(".", 1)[1] if host.count(".") > 1 else host


def _brand(src: Path, dest: Path, name: str, degrees: float) -> None:
    """A copy of the demo brand `src` as the brand `name`, with a domain of its own in
    every text it carries (as a real brand has: `mailkit check`'s brands rule flags a
    page that shows another brand's domain)."""
    for folder in ("assets", "fixtures", "emails", "partials"):  # the brand's own templates too
        if (src / folder).is_dir():
            shutil.copytree(src / folder, dest / folder)
    text = (src / "brand.yaml").read_text(encoding="utf-8")
    domain = _domain(text)
    own = f"{name}.{domain.rsplit('.', 1)[1]}"  # kokawa.fr → kokawa-03.fr
    for path in dest.rglob("*"):
        if path.suffix in (".j2", ".yaml", ".yml", ".json"):
            path.write_text(path.read_text(encoding="utf-8").replace(domain, own),
                            encoding="utf-8")
    text = re.sub(r"(?m)^display_name: .*$", f"display_name: {name}", text.replace(domain, own))
    (dest / "brand.yaml").write_text(_palette_text(text, degrees), encoding="utf-8")


def edge_counts() -> dict[tuple[str, str], int]:
    """(demo brand, email id) → how many edge states the build adds to that email: a
    copy shares the template and the flow, so it gets as many."""
    from mailkit.project.load import load_project

    counts: dict[tuple[str, str], int] = {}
    for target in load_project(REPO).targets():
        key = (target.brand, target.email.id)
        counts[key] = counts.get(key, 0) + (1 if target.edge else 0)
    return counts


def _flows(src: Path, pages: int, edges: dict[str, int]) -> dict:
    """The demo brand's flows, each email copied under new ids until `pages` pages
    (named states plus each email's `edges`, by email id)."""
    flows = yaml.safe_load((src / "flows.yaml").read_text(encoding="utf-8"))
    originals = [(flow, list(flow["emails"])) for flow in flows["flows"]]
    total = sum(len(e["scenarios"]) + edges.get(e["id"], 0)
                for f in flows["flows"] for e in f["emails"])
    copy = 2
    while total < pages:
        for flow, emails in originals:
            for email in emails:
                if total >= pages:
                    break
                new = dict(email, id=f"{email['id']}-{copy}", name=f"{email['name']} ({copy})")
                scenarios = {}
                for i, (sname, scenario) in enumerate(email["scenarios"].items()):
                    if total + len(scenarios) >= pages:
                        break
                    first = NAMES[(copy * 7 + i) % len(NAMES)]
                    override = scenario.get("override") or {}
                    person = dict(override.get("person") or {})
                    person.setdefault("first_name", first)
                    scenarios[sname] = {**scenario, "override": {**override, "person": person}}
                new["scenarios"] = scenarios
                flow["emails"].append(new)
                total += len(scenarios) + edges.get(email["id"], 0)
        copy += 1
    return flows


def generate(out: Path, pages: int = 1000, brands: int = 16) -> Path:
    """Write the project into `out` (emptied first); returns `out`."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    for item in ("emails", "partials"):  # shared templates; a brand's own come with it
        if (REPO / item).is_dir():
            shutil.copytree(REPO / item, out / item)
    shutil.copy2(REPO / "checks.yaml", out / "checks.yaml")
    if (REPO / "contracts").is_dir():
        shutil.copytree(REPO / "contracts", out / "contracts")
    counts = edge_counts()
    for index in range(brands):
        base = DEMO_BRANDS[index % len(DEMO_BRANDS)]
        src, slug = REPO / "brands" / base, f"{base}-{index + 1:02d}"
        dest = out / "brands" / slug
        _brand(src, dest, slug, degrees=(index * 360 / brands) % 360)
        share = pages // brands + (1 if index < pages % brands else 0)
        flows = _flows(src, share, {e: n for (b, e), n in counts.items() if b == base})
        (dest / "flows.yaml").write_text(
            yaml.safe_dump(flows, allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--brands", type=int, default=16)
    args = parser.parse_args(argv)
    generate(args.out, args.pages, args.brands)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
