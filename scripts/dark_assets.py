"""Make the dark-mode twins of a brand's light illustrations: `assets/dark/<name>`.

kokawa's illustrations and product tiles are painted on cream paper (translucent sand
that the cream surface shows through, demo/make_assets.py); in dark mode they glowed on
the brown page, and the terracotta logo went dim. A twin with the cream
turned into the dark surface (shading kept, colours untouched) or, for the logo, the
ink turned into the dark palette's primary, is shown instead by the dark-mode rules
(`.mk-dark-img`, see partials/layout.mjml.j2). Deterministic: run it again after
changing an illustration, and commit the output.

    .venv/bin/python scripts/dark_assets.py kokawa
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
#: per brand: the illustrations to recolour, and the logo (ink recoloured)
TWINS = {"kokawa": {"cream": ["hero-colis.png", "hero-winback.png", "vase-terracotta.png",
                              "coussin-lin.png", "bougie-figue.png", "plaid-gaufre.png",
                              "miroir-rotin.png", "panier-osier.png"],
                    "ink": ["logo.png"]}}


def _hex(value: str) -> tuple[int, int, int]:
    v = value.lstrip("#")
    return int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16)


def _mix(a: tuple[int, ...], b: tuple[int, ...], t: float) -> tuple[int, ...]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def cream_to_dark(rgb: tuple[int, int, int], surface: tuple[int, int, int],
                  raised: tuple[int, int, int]) -> tuple[int, int, int]:
    """A light, low-saturation colour (cream paper and its shading) becomes the dark
    surface, lighter shades a little raised; saturated colours stay as they are."""
    low, high = min(rgb), max(rgb)
    lightness = max(0.0, min(1.0, (low - 150) / 60))  # 1 from 210 up, 0 under 150
    neutral = max(0.0, min(1.0, 1 - (high - low - 30) / 40))  # grey or cream
    weight = lightness * neutral
    if weight == 0:
        return rgb
    depth = max(0.0, min(1.0, (250 - sum(rgb) / 3) / 45))  # 0 = paper, 1 = shading
    dark = _mix(surface, raised, depth)
    return _mix(rgb, dark, weight)  # type: ignore[return-value]


def _recolour(image: Image.Image, change: Callable[[tuple[int, ...]], tuple[int, ...]]) -> None:
    pixels = image.load()
    cache: dict[tuple[int, ...], tuple[int, ...]] = {}
    for y in range(image.height):
        for x in range(image.width):
            p = pixels[x, y]
            if p not in cache:
                cache[p] = change(p)
            pixels[x, y] = cache[p]


def main(brand: str) -> None:
    folder = ROOT / "brands" / brand / "assets"
    palettes = yaml.safe_load((folder.parent / "brand.yaml").read_text("utf-8"))["palette"]
    palette = palettes["dark"]
    surface, primary = _hex(palette["surface"]), _hex(palette["primary"])
    raised = _mix(surface, _hex(palette["border"]), 1.6)
    (folder / "dark").mkdir(exist_ok=True)
    for name in TWINS[brand]["cream"]:
        # the paper is translucent (it tints the surface under it, demo/make_assets.py):
        # laid on the light surface first, it is the cream this turns dark
        image = Image.new("RGBA", Image.open(folder / name).size,
                          (*_hex(palettes["light"]["surface"]), 255))
        image.alpha_composite(Image.open(folder / name).convert("RGBA"))
        _recolour(image, lambda p: (*cream_to_dark(p[:3], surface, raised), p[3]))
        image.quantize(256, method=Image.Quantize.FASTOCTREE).save(
            folder / "dark" / name, optimize=True)
        print(f"wrote brands/{brand}/assets/dark/{name}")
    for name in TWINS[brand]["ink"]:
        image = Image.open(folder / name).convert("RGBA")
        _recolour(image, lambda p: (*primary, p[3]))
        image.save(folder / "dark" / name, optimize=True)
        print(f"wrote brands/{brand}/assets/dark/{name}")


if __name__ == "__main__":
    for arg in sys.argv[1:] or list(TWINS):
        main(arg)
