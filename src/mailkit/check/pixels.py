"""What an image's pixels say about it on another background: its edge, and its ink.

An inverting client recolours the email around an image and never the image itself,
so the checks need two facts per file, read once per file content (a build checks
the same logo on every page):

- **the edge**: how much of the one-pixel border is opaque, and its colours. A light
  opaque edge is the flat background an illustration or a packshot is painted on,
  which blends into a light email and shows as a light band on a dark one;
- **the ink**: the colours of its solid pixels, with their share, so that the part
  still visible on a given background (3:1, WCAG's non-text contrast) is a sum.

Pillow reads the pixels; it is imported on the first image only.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from .contrast import contrast_ratio

if TYPE_CHECKING:
    from PIL import Image

RGB = tuple[int, int, int]
SOLID = 128  # alpha from which a pixel counts as ink
SAMPLE = 160  # px: the ink is read on the image scaled down to this, at most
INK_COLOURS = 48  # the ink's colours, quantised


@dataclass(frozen=True)
class ImageFacts:
    width: int
    height: int
    edge_opaque: float  # share of the border pixels that are opaque
    edge: tuple[tuple[RGB, float], ...]  # the opaque border pixels' colours, by share
    transparent: float  # share of all pixels that are not solid
    ink: tuple[tuple[RGB, float], ...]  # the solid pixels' colours, by share

    def edge_share(self, test: Callable[[RGB], bool]) -> float:
        """The share of the whole border that is opaque and passes `test`."""
        return self.edge_opaque * sum(share for rgb, share in self.edge if test(rgb))

    def visible(self, background: RGB, need: float = 3.0) -> float:
        """The share of the ink that reaches `need`:1 against `background`."""
        return _visible(self.ink, background, need)


@lru_cache(maxsize=4096)
def _visible(ink: tuple[tuple[RGB, float], ...], background: RGB, need: float) -> float:
    return sum(share for rgb, share in ink if contrast_ratio(rgb, background) >= need)


def local_file(src: str, asset_root: Path | None) -> str | None:
    """The file a relative `src` names, resolved as the preview resolves it (normalised,
    so `../assets/x.png` resolves even before the page's folder exists); None for a
    URL, a data: URI or no asset root."""
    return _resolve(src.strip(), os.fspath(asset_root)) if asset_root is not None else None


@lru_cache(maxsize=4096)
def _resolve(src: str, asset_root: str) -> str | None:
    parts = urlsplit(src)
    if parts.scheme or src.startswith("//") or not parts.path:
        return None
    return os.path.normpath(os.path.join(asset_root, unquote(parts.path)))


def facts(path: Path | str) -> ImageFacts | None:
    """The facts of the image at `path`, or None when it cannot be read as an image."""
    name = os.fspath(path)
    try:
        stat = os.stat(name)
    except OSError:
        return None
    key = (name, stat.st_mtime_ns, stat.st_size)
    digest = _SEEN.get(key)
    if digest is None:  # a file not seen as it is now: read it
        try:
            with open(name, "rb") as file:
                data = file.read()
        except OSError:
            return None
        digest = _SEEN[key] = hashlib.blake2b(data, digest_size=16).digest()
        if digest not in _READ:  # the same content, under any name, is analysed once
            _READ[digest] = _facts(data)
    return _READ.get(digest)


_SEEN: dict[tuple[str, int, int], bytes] = {}  # (path, mtime, size) → content digest
_READ: dict[bytes, ImageFacts | None] = {}  # content digest → facts


def _facts(data: bytes) -> ImageFacts | None:
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            w, h = opened.size
            boxes = [(0, 0, w, 1), (0, h - 1, w, h), (0, 1, 1, h - 1), (w - 1, 1, w, h - 1)]
            ring = [c for box in boxes if box[2] > box[0] and box[3] > box[1]
                    for c in opened.crop(box).convert("RGBA").getcolors(2 * (w + h)) or ()]
            factor = max(1, -(-max(w, h) // SAMPLE))  # a box filter, in C: no resampling cost
            small = _reduced(opened, factor)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    pixels = small.getcolors(small.width * small.height) or []
    opaque = [(n, p[:3]) for n, p in ring if p[3] >= 250]
    solid = [(n, p[:3]) for n, p in pixels if p[3] >= SOLID]
    rim, total = sum(n for n, _ in ring), small.width * small.height
    return ImageFacts(w, h, sum(n for n, _ in opaque) / max(rim, 1), _shares(opaque, 16),
                      1 - sum(n for n, _ in solid) / max(total, 1), _shares(solid, INK_COLOURS))


def _reduced(opened: Image.Image, factor: int) -> Image.Image:
    """`opened` as RGBA reduced by `factor`: the pixels of `opened.convert("RGBA")
    .reduce(factor)`, read with less work. Pillow reduces RGBA premultiplied (RGBa) and
    converts back; a palette image (most PNGs here) gets its palette premultiplied
    instead, 256 entries rather than every pixel, and is expanded once, straight into
    premultiplied pixels. The ring is read before: this rewrites `opened`'s palette."""
    from PIL import Image

    if factor == 1:
        return opened.convert("RGBA")
    if opened.mode != "P" or opened.palette is None:
        return opened.convert("RGBA").reduce(factor)
    indices = opened.crop((0, 0, 256, 1))  # with `opened`'s palette and transparency,
    indices.putdata(range(256))  # so that each index converts as its pixels do
    premultiplied = indices.convert("RGBA").convert("RGBa").tobytes()
    opened.info.pop("transparency", None)  # now in the palette's alpha
    opened.putpalette(premultiplied, "RGBA")
    flat = opened.convert("RGBA")  # the premultiplied pixels, under RGBA's name
    small = flat._new(flat.im.reduce((factor, factor), (0, 0, *flat.size)))
    return Image.frombytes("RGBa", small.size, small.tobytes()).convert("RGBA")


def _shares(colours: list[tuple[int, RGB]], most: int) -> tuple[tuple[RGB, float], ...]:
    """Counted `colours` grouped by 16 levels a channel, each group as its mean colour
    with its share, the `most` commonest kept (the rest, rare by then, left out)."""
    groups: dict[RGB, list[int]] = {}
    for n, (r, g, b) in colours:
        group = groups.setdefault((r >> 4, g >> 4, b >> 4), [0, 0, 0, 0])
        group[0] += r * n
        group[1] += g * n
        group[2] += b * n
        group[3] += n
    total = sum(group[3] for group in groups.values())
    top = sorted(groups.values(), key=lambda t: -t[3])[:most]
    return tuple(((round(r / n), round(g / n), round(b / n)), n / total)
                 for r, g, b, n in top)
