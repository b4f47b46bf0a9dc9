"""Pixel comparison of a baseline screenshot against a fresh one.

Semantics are pixelmatch's (YIQ colour distance with a ``threshold``, plus its
anti-aliasing detector so a shifted glyph edge does not count as a change), using the
Python port's own functions. The port walks every pixel in Python, too slow for a suite
of hundreds of shots, so the colour distance is computed for the whole image in
Pillow's C code; pixels clearly over the threshold whose neighbourhoods rule out
anti-aliasing are settled in bulk, and only the rest (glyph edges) go through
pixelmatch's exact ``color_delta`` and ``antialiased``. The count equals pixelmatch's
on the whole image (the tests check it); see ``AA_CHECK_LIMIT`` for page-wide changes.

A height or width change always fails, even if the common part matches: content that
moved below the fold or vanished is a regression a designer must see.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageMath
from pixelmatch.utils import antialiased, color_delta

#: Above this many pixels needing the per-pixel (Python, ~40 us) anti-aliasing check,
#: it is skipped and they all count: the change is massive (it fails anyway unless
#: a tolerance is set), and ``Comparison.approximate`` says the figure is an upper
#: bound.
AA_CHECK_LIMIT = 60_000
#: Opacity of the greyed-out baseline under the red diff marks.
FADE = 0.25
DIFF_RGB = (255, 0, 0)
EXTRA_RGBA = (255, 0, 0, 70)
EMPTY_RGB = (200, 200, 200)


@dataclass(frozen=True)
class Comparison:
    """Outcome of :func:`compare_png`; ``diff_png`` is None when nothing differs."""

    same: bool
    size_changed: bool
    baseline_size: tuple[int, int]
    actual_size: tuple[int, int]
    diff_pixels: int
    diff_ratio: float
    diff_png: bytes | None = field(repr=False)
    approximate: bool = False

    @property
    def percent(self) -> float:
        return self.diff_ratio * 100


def _opaque(img: Image.Image) -> Image.Image:
    """RGBA flattened over white, as pixelmatch blends translucent pixels."""
    img = img.convert("RGBA")
    return Image.alpha_composite(Image.new("RGBA", img.size, (255, 255, 255, 255)), img)


def _distance(a: Image.Image, b: Image.Image) -> Image.Image:
    """Float32 image of pixelmatch's squared YIQ distance, computed in Pillow's C code."""
    ar, ag, ab = (c.convert("F") for c in a.convert("RGB").split())
    br, bg, bb = (c.convert("F") for c in b.convert("RGB").split())

    def delta(e: dict) -> object:
        dr, dg, db = e["ar"] - e["br"], e["ag"] - e["bg"], e["ab"] - e["bb"]
        y = dr * 0.29889531 + dg * 0.58662247 + db * 0.11448223
        i = dr * 0.59597799 - dg * 0.27417610 - db * 0.32180189
        q = dr * 0.21147017 - dg * 0.52261711 + db * 0.31114694
        return y * y * 0.5053 + i * i * 0.299 + q * q * 0.1957

    return ImageMath.lambda_eval(delta, ar=ar, ag=ag, ab=ab, br=br, bg=bg, bb=bb)


def _above(dist: Image.Image, cut: float) -> Image.Image:
    """'L' mask, 255 where ``dist > cut``."""
    flags = ImageMath.lambda_eval(lambda e: e["d"] > cut, d=dist).convert("L")
    return flags.point(lambda v: 255 if v else 0)


def _nonzero(mask: Image.Image) -> int:
    return mask.width * mask.height - mask.histogram()[0]


def _not_antialiased(img: Image.Image) -> Image.Image:
    """'L' mask, 255 where pixelmatch's ``antialiased(img, ...)`` is surely False.

    ``antialiased`` returns False as soon as 3 of the 8 neighbours equal the centre
    pixel. Counting exactly-equal neighbours for the whole image takes a few Pillow
    calls; border pixels are left to the exact per-pixel check.
    """
    if img.width < 3 or img.height < 3:
        return Image.new("L", img.size, 0)
    rgb = img.convert("RGB")
    count = Image.new("L", img.size, 0)
    for dx, dy in ((-1, -1), (0, -1), (1, -1), (-1, 0), (1, 0), (-1, 1), (0, 1), (1, 1)):
        neighbour = ImageChops.offset(rgb, -dx, -dy)
        r, g, b = ImageChops.difference(rgb, neighbour).split()
        changed = ImageChops.lighter(ImageChops.lighter(r, g), b)
        count = ImageChops.add(count, changed.point(lambda v: 0 if v else 1))
    sure = count.point(lambda v: 255 if v >= 3 else 0)
    inner = Image.new("L", img.size, 0)
    inner.paste(255, (1, 1, img.width - 1, img.height - 1))
    return ImageChops.multiply(sure, inner)


def _diff_mask(
    a: Image.Image, b: Image.Image, threshold: float, include_aa: bool, aa_limit: float
) -> tuple[Image.Image, int, bool]:
    """('L' mask of differing pixels, their count, True if the count is an upper bound).

    Pixels far above the threshold whose neighbourhood rules out anti-aliasing in
    both images are settled in bulk; the rest get pixelmatch's exact float64
    ``color_delta`` and ``antialiased`` in Python. Past ``aa_limit`` such pixels
    the anti-aliasing check is skipped and the count is an upper bound.
    """
    width, height = a.size
    max_delta = 35215 * threshold * threshold
    dist = _distance(a, b)
    # +-1 of slack absorbs float32 rounding against pixelmatch's float64. Identical
    # pixels have distance exactly 0, so a cut >= 0 never selects them.
    loose = _above(dist, max(max_delta - 1.0, 0.0))
    settled = Image.new("L", a.size, 0)
    if _nonzero(loose) > 1000:
        settled = _above(dist, max_delta + 1.0)
        if not include_aa:
            plain = ImageChops.multiply(_not_antialiased(a), _not_antialiased(b))
            settled = ImageChops.multiply(settled, plain)
        loose = ImageChops.subtract(loose, settled)
    approximate = not include_aa and _nonzero(loose) > aa_limit
    data_a, data_b = a.tobytes(), b.tobytes()
    marks = bytearray(width * height)
    for run in re.finditer(rb"[^\x00]+", loose.tobytes()):
        for p in range(run.start(), run.end()):
            if color_delta(data_a, data_b, 4 * p, 4 * p) <= max_delta:
                continue
            x, y = p % width, p // width
            if not (include_aa or approximate) and (
                antialiased(data_a, x, y, width, height, data_b)
                or antialiased(data_b, x, y, width, height, data_a)
            ):
                continue
            marks[p] = 255
    mask = ImageChops.lighter(settled, Image.frombytes("L", a.size, bytes(marks)))
    return mask, _nonzero(mask), approximate


def _faded(img: Image.Image) -> Image.Image:
    grey = img.convert("L").point(lambda v: round(255 + (v - 255) * FADE))
    return grey.convert("RGB")


def _diff_image(base: Image.Image, actual: Image.Image, marks: Image.Image) -> Image.Image:
    """Faded baseline with differing pixels in red; area only one image has is tinted."""
    w, h = min(base.width, actual.width), min(base.height, actual.height)
    canvas_size = (max(base.width, actual.width), max(base.height, actual.height))
    canvas = Image.new("RGB", canvas_size, EMPTY_RGB)
    canvas.paste(_faded(actual), (0, 0))
    canvas.paste(_faded(base), (0, 0))
    common = canvas.crop((0, 0, w, h))
    canvas.paste(Image.composite(Image.new("RGB", (w, h), DIFF_RGB), common, marks))
    if canvas_size != (w, h):
        overlay = Image.new("RGBA", canvas_size, EXTRA_RGBA)
        overlay.paste((0, 0, 0, 0), (0, 0, w, h))
        canvas = Image.alpha_composite(canvas.convert("RGBA"), overlay).convert("RGB")
    return canvas


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()


def compare_png(
    baseline: bytes,
    actual: bytes,
    threshold: float = 0.1,
    max_diff_pixels: int = 0,
    max_diff_ratio: float = 0.0,
    include_aa: bool = False,
) -> Comparison:
    """Compare two PNGs; ``same`` means equal size and a tolerated pixel difference.

    ``threshold`` is pixelmatch's per-pixel colour tolerance (0-1). The shot passes
    when ``diff_pixels <= max_diff_pixels`` *or* ``diff_ratio <= max_diff_ratio``,
    so either tolerance can be used; the defaults allow no differing pixel at all.
    When the size changed, ``diff_pixels`` also counts every pixel of the canvas
    that only one image covers, and the ratio is over the larger canvas.
    """
    if baseline == actual:
        size = Image.open(io.BytesIO(baseline)).size
        return Comparison(True, False, size, size, 0, 0.0, None)
    base_img = _opaque(Image.open(io.BytesIO(baseline)))
    act_img = _opaque(Image.open(io.BytesIO(actual)))
    size_changed = base_img.size != act_img.size
    w, h = min(base_img.width, act_img.width), min(base_img.height, act_img.height)
    a, b = base_img.crop((0, 0, w, h)), act_img.crop((0, 0, w, h))
    if a.tobytes() == b.tobytes():
        marks, common_diff, approximate = Image.new("L", (w, h), 0), 0, False
    else:
        marks, common_diff, approximate = _diff_mask(a, b, threshold, include_aa, AA_CHECK_LIMIT)
        if approximate and (max_diff_pixels or max_diff_ratio) and not size_changed:
            # A tolerance is set, so the verdict may hinge on the exact figure.
            marks, common_diff, approximate = _diff_mask(a, b, threshold, include_aa, float("inf"))
    canvas_w = max(base_img.width, act_img.width)
    canvas_h = max(base_img.height, act_img.height)
    total = canvas_w * canvas_h
    diff_pixels = common_diff + (total - w * h)
    ratio = diff_pixels / total if total else 0.0
    same = not size_changed and (diff_pixels <= max_diff_pixels or ratio <= max_diff_ratio)
    diff_png = None
    if diff_pixels:
        diff_png = _png(_diff_image(base_img, act_img, marks))
    return Comparison(
        same, size_changed, base_img.size, act_img.size, diff_pixels, ratio, diff_png, approximate
    )


_NAME_PART = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def baseline_name(brand: str, email: str, scenario: str, viewport: str, scheme: str) -> str:
    """Relative path of a baseline, e.g. ``r-pur/app_download--sans-app--mobile-dark.png``.

    One folder per brand keeps a brand's redesign to one directory in code review.
    Parts are restricted to ``[A-Za-z0-9_.-]`` so names are safe on every OS and
    cannot climb out of the baseline folder.
    """
    for part in (brand, email, scenario, viewport, scheme):
        if not _NAME_PART.fullmatch(part) or ".." in part:
            raise ValueError(f"unsafe baseline name part {part!r}")
    return f"{brand}/{email}--{scenario}--{viewport}-{scheme}.png"


def _same_pixels(path: Path, png: bytes) -> bool:
    """Exact pixel equality; an unreadable baseline counts as different."""
    try:
        old = _opaque(Image.open(path))
    except (OSError, ValueError):
        return False
    new = _opaque(Image.open(io.BytesIO(png)))
    return old.size == new.size and old.tobytes() == new.tobytes()


def update_baselines(results: Iterable[Any] | Mapping[str, bytes], baseline_dir: Path) -> list[str]:
    """Write baselines that are missing or whose pixels changed; return their names.

    ``results`` maps baseline names to PNG bytes, or is an iterable of objects with
    ``key`` (a :func:`baseline_name`) and ``png``, e.g. ``ShotResult``. Pixels are
    compared exactly (not with the test threshold) so an accepted update captures
    what is rendered now, while an identical image with different PNG bytes is
    left alone and does not churn the repository.
    """
    if isinstance(results, Mapping):
        items = list(results.items())
    else:
        items = [(r.key, r.png) for r in results]
    root = Path(baseline_dir).resolve()
    changed: list[str] = []
    for name, png in items:
        path = (root / name).resolve()
        if not path.is_relative_to(root) or path == root:
            raise ValueError(f"baseline name {name!r} escapes {root}")
        if path.is_file() and _same_pixels(path, png):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(png)
        tmp.replace(path)
        changed.append(name)
    return changed
