"""compare_png on synthetic images: verdicts, sizes, diff image, parity with pixelmatch."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image, ImageDraw, ImageFont
from pixelmatch.contrib.PIL import pixelmatch

from mailkit.visual.compare import compare_png

FONT_PATH = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"


def png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def font(size: int = 15) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(FONT_PATH, size)
    except OSError:
        return ImageFont.load_default(size)


def page(
    w: int = 300,
    h: int = 240,
    bg: tuple[int, int, int] = (255, 255, 255),
    dy: float = 0,
    box: tuple[int, int, int, int] | None = None,
) -> Image.Image:
    img = Image.new("RGB", (w, h), bg)
    draw = ImageDraw.Draw(img)
    for y in range(4, h - 16, 22):
        draw.text((8, y + dy), "Your order has shipped 42", fill=(25, 25, 25), font=font())
    if box:
        draw.rectangle(box, fill=(220, 40, 40))
    return img


def test_identical_bytes_and_identical_pixels() -> None:
    a = page()
    c = compare_png(png(a), png(a))
    assert c.same and c.diff_pixels == 0 and c.diff_png is None and not c.size_changed
    # Same pixels, different encoding: still the same.
    buf = io.BytesIO()
    a.convert("RGBA").save(buf, "PNG", compress_level=1)
    c = compare_png(png(a), buf.getvalue())
    assert c.same and c.diff_pixels == 0


def test_colour_change_fails_with_diff_image() -> None:
    a, b = page(box=(40, 40, 120, 80)), page()
    c = compare_png(png(a), png(b))
    assert not c.same and not c.size_changed
    assert c.diff_pixels >= 80 * 40 - 4 * 80
    assert c.diff_ratio == pytest.approx(c.diff_pixels / (300 * 240))
    diff = Image.open(io.BytesIO(c.diff_png or b"")).convert("RGB")
    assert diff.size == (300, 240)
    assert diff.getpixel((80, 60)) == (255, 0, 0)  # changed: red
    r, g, bl = diff.getpixel((250, 230))  # unchanged background: faded, grey
    assert r == g == bl and r > 200


def test_subtle_colour_below_threshold_passes() -> None:
    c = compare_png(png(page(bg=(255, 255, 255))), png(page(bg=(252, 252, 252))))
    assert c.same and c.diff_pixels == 0


def test_tolerances() -> None:
    a, b = page(), page(box=(280, 10, 289, 19))  # 100 px, clear of text
    assert not compare_png(png(a), png(b)).same
    assert compare_png(png(a), png(b), max_diff_pixels=100).same
    assert not compare_png(png(a), png(b), max_diff_pixels=99).same
    assert compare_png(png(a), png(b), max_diff_ratio=0.002).same


@pytest.mark.parametrize("taller", [True, False])
def test_size_change_fails_even_if_common_part_matches(taller: bool) -> None:
    short, tall = page(h=200), page(h=200)
    tall = Image.new("RGB", (300, 260), (255, 255, 255))
    tall.paste(short, (0, 0))
    base, actual = (short, tall) if taller else (tall, short)
    c = compare_png(png(base), png(actual))
    assert not c.same and c.size_changed
    assert c.baseline_size == base.size and c.actual_size == actual.size
    assert c.diff_pixels == 300 * 60  # the extra strip, common part identical
    diff = Image.open(io.BytesIO(c.diff_png or b"")).convert("RGB")
    assert diff.size == (300, 260)
    r, g, b = diff.getpixel((150, 240))  # extra area: tinted red
    assert r > g + 40 and g == b
    r, g, b = diff.getpixel((290, 190))  # common area: faded grey
    assert r == g == b


def test_matches_pixelmatch_exactly() -> None:
    """The fast path must count exactly what pixelmatch counts on the whole image."""
    rng = random.Random(7)
    base = page()
    noisy = base.copy()
    for _ in range(300):
        xy = (rng.randrange(300), rng.randrange(240))
        noisy.putpixel(xy, tuple(rng.randrange(256) for _ in range(3)))
    cases = [
        (page(dy=1), (0.1, 0.05)),  # 1 px text shift: many glyph edges, bulk path
        (page(dy=0.5), (0.1,)),  # sub-pixel shift: mostly anti-aliasing
        (page(box=(30, 30, 200, 150)), (0.1,)),
        (page(bg=(0, 0, 0)), (0.1,)),
        (noisy, (0.1, 0.0)),
    ]
    for actual, thresholds in cases:
        for threshold in thresholds:
            for include_aa in (False, True):
                expected = pixelmatch(base, actual, threshold=threshold, includeAA=include_aa)
                got = compare_png(png(base), png(actual), threshold, include_aa=include_aa)
                assert got.diff_pixels == expected, (threshold, include_aa)
                assert not got.approximate


def test_translucent_images_are_flattened_on_white() -> None:
    clear = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    white = Image.new("RGBA", (20, 20), (255, 255, 255, 255))
    assert compare_png(png(clear), png(white)).same


def test_huge_changes_give_an_upper_bound_unless_a_tolerance_needs_the_exact_figure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mailkit.visual import compare

    monkeypatch.setattr(compare, "AA_CHECK_LIMIT", 100)
    base, actual = page(), page(dy=1)
    exact = pixelmatch(base, actual)
    rough = compare_png(png(base), png(actual))
    assert rough.approximate and rough.diff_pixels >= exact and not rough.same
    tolerant = compare_png(png(base), png(actual), max_diff_pixels=exact)
    assert not tolerant.approximate and tolerant.diff_pixels == exact and tolerant.same
