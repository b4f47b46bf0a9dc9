"""capture_all against real Chromium on small synthetic emails.

All shots of the module are taken in one run (one browser launch) and the tests
assert on the results; determinism is checked within that run and against a
second, separate run with a different worker count.
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from mailkit.visual.browser import find_chromium
from mailkit.visual.capture import CaptureError, Shot, ShotResult, capture_all
from mailkit.visual.compare import compare_png

# Skip only when there is no browser at all; a wrong $MAILKIT_CHROMIUM must fail
# loudly (launch_chromium says what is wrong) rather than skip the suite.
needs_chromium = pytest.mark.skipif(
    find_chromium() is None and not os.environ.get("MAILKIT_CHROMIUM"),
    reason="no Chromium found: apt-get install -y chromium fonts-liberation "
    "fonts-noto-color-emoji, or set MAILKIT_CHROMIUM",
)

FONT = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>
{font_face}
body {{ margin: 0; background: #eef1f4; font: 16px/1.5 Arial, sans-serif; }}
.email {{ width: 600px; max-width: 100%; margin: 0 auto; background: #fff; }}
.hero {{ display: block; width: 100%; height: 120px; }}
.block {{ padding: {pad}px 24px; }}
h1 {{ font-family: {heading}; margin: 0 0 8px; }}
.cta {{ display: inline-block; padding: 12px 24px; border-radius: 6px;
        background: {cta}; color: #fff; text-decoration: none; font-weight: bold; }}
.spin {{ width: 20px; height: 20px; background: #0a0; animation: spin 0.3s linear infinite; }}
@keyframes spin {{ to {{ transform: rotate(360deg) translateX(40px); }} }}
.filler {{ height: {filler}px; background: linear-gradient(#fff, #dde); }}
@media (prefers-color-scheme: dark) {{
  body {{ background: #000; }} .email {{ background: #121212; color: #eee; }}
}}
</style></head><body><div class="email">
<img class="hero" src="hero.png" alt="">
<div class="block"><h1>Your order has shipped 📦</h1>
<p>Ünïcödé, ligatures ffi fl, numbers 1234567890 — and an emoji 🎉.</p>
<div class="spin"></div>
<a class="cta" href="https://example.com/track">Track parcel</a></div>
{extra}
<div class="filler"></div></div></body></html>
"""


def write_page(root: Path, name: str, **over: object) -> Path:
    values: dict[str, object] = {
        "pad": 16,
        "cta": "#d0342c",
        "filler": 700,
        "extra": "",
        "heading": "'Brand Serif', serif",
        "font_face": "@font-face { font-family: 'Brand Serif'; src: url(brand.ttf); }",
    }
    values.update(over)
    path = root / name
    path.write_text(PAGE.format(**values), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outer = tmp_path_factory.mktemp("visual")
    root = outer / "build"
    root.mkdir()
    Image.new("RGB", (600, 120), (30, 110, 200)).save(root / "hero.png")
    Image.new("RGB", (10, 10), (255, 0, 255)).save(outer / "outside.png")
    if FONT.exists():
        shutil.copy(FONT, root / "brand.ttf")
    frames = [Image.new("RGB", (80, 80), c) for c in ((255, 0, 0), (0, 0, 255), (0, 255, 0))]
    frames[0].save(root / "anim.gif", save_all=True, append_images=frames[1:], duration=30, loop=0)
    write_page(root, "gif.html", extra='<img src="anim.gif" style="display:block">')
    write_page(root, "base.html")
    write_page(root, "color.html", cta="#2c34d0")
    write_page(root, "padding.html", pad=20)
    write_page(root, "taller.html", filler=760)
    write_page(
        root,
        "external.html",
        extra='<img src="https://example.com/x.png" width="10" height="10">'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<img src="../outside.png" width="10" height="10">',
    )
    return root


SHOTS = [
    ("base-1", "base.html", "desktop", "light"),
    ("base-2", "base.html", "desktop", "light"),
    ("base-3", "base.html", "desktop", "light"),
    ("color", "color.html", "desktop", "light"),
    ("padding", "padding.html", "desktop", "light"),
    ("taller", "taller.html", "desktop", "light"),
    ("external", "external.html", "desktop", "light"),
    ("dark", "base.html", "desktop", "dark"),
    ("mobile", "base.html", "mobile", "light"),
    ("mobile-dark", "base.html", "mobile", "dark"),
    *[(f"gif-{i}", "gif.html", "desktop", "light") for i in range(4)],
]


@pytest.fixture(scope="module")
def shots(site: Path) -> dict[str, ShotResult]:
    todo = [Shot(key, site / name, vp, sc) for key, name, vp, sc in SHOTS]  # type: ignore[arg-type]
    results = capture_all(todo, site, workers=2)
    assert [r.key for r in results] == [s.key for s in todo]  # input order kept
    return {r.key: r for r in results}


def size(result: ShotResult) -> tuple[int, int]:
    return Image.open(io.BytesIO(result.png)).size


@needs_chromium
def test_identical_html_gives_identical_pixels(site: Path, shots: dict[str, ShotResult]) -> None:
    pngs = [shots[f"base-{i}"].png for i in (1, 2, 3)]
    # A second browser, one worker, other order: still the same pixels.
    again = capture_all(
        [Shot("x", site / "padding.html"), Shot("base-4", site / "base.html")], site, workers=1
    )
    pngs.append(again[1].png)
    for png in pngs[1:]:
        c = compare_png(pngs[0], png, threshold=0.0, include_aa=True)
        assert c.same and c.diff_pixels == 0
    assert size(shots["base-1"])[0] == 800
    assert size(shots["base-1"])[1] > 900  # full page, taller than the 600 px viewport
    assert shots["base-1"].blocked == []


@needs_chromium
def test_a_sink_gets_each_shot_as_it_is_taken(site: Path) -> None:
    """Streaming (#17): with a sink, no shot is kept by capture_all; the sink sees each
    one once, on one thread apart from the browser's loop, while the next is taken."""
    import threading

    todo = [Shot(f"s{i}", site / name) for i, name in
            enumerate(["base.html", "color.html", "padding.html", "taller.html"])]
    seen: list[tuple[int, str, bool, str]] = []

    def sink(index: int, result: ShotResult) -> None:
        seen.append((index, result.key, result.png[:4] == b"\x89PNG",
                     threading.current_thread().name))

    assert capture_all(todo, site, workers=2, sink=sink) == []
    assert sorted((i, k) for i, k, _, _ in seen) == [(i, s.key) for i, s in enumerate(todo)]
    assert all(png for _, _, png, _ in seen)
    assert len({name for *_, name in seen}) == 1  # one thread: the sink needs no lock
    assert seen[0][3] != threading.current_thread().name


@needs_chromium
def test_colour_change_fails(shots: dict[str, ShotResult]) -> None:
    c = compare_png(shots["base-1"].png, shots["color"].png)
    assert not c.same and not c.size_changed
    assert c.diff_pixels > 1000 and c.diff_png


@needs_chromium
def test_four_px_padding_change_fails(shots: dict[str, ShotResult]) -> None:
    c = compare_png(shots["base-1"].png, shots["padding"].png)
    assert not c.same and c.diff_pixels > 0 and c.diff_png


@needs_chromium
def test_taller_page_is_a_size_change(shots: dict[str, ShotResult]) -> None:
    c = compare_png(shots["base-1"].png, shots["taller"].png)
    assert not c.same and c.size_changed
    assert c.actual_size[1] - c.baseline_size[1] == 60


@needs_chromium
def test_requests_leaving_the_build_root_are_blocked_and_counted(
    shots: dict[str, ShotResult],
) -> None:
    result = shots["external"]
    assert "https://example.com/x.png" in result.blocked
    assert any(url.startswith("https://fonts.googleapis.com/") for url in result.blocked)
    assert any(url.endswith("/outside.png") for url in result.blocked)
    assert not any("hero.png" in url or "brand.ttf" in url for url in result.blocked)
    assert result.seconds < 5  # aborted at once, no network timeout
    assert Image.open(io.BytesIO(result.png)).size[0] == 800


@needs_chromium
def test_dark_scheme_is_emulated(shots: dict[str, ShotResult]) -> None:
    light = Image.open(io.BytesIO(shots["base-1"].png)).convert("RGB")
    dark = Image.open(io.BytesIO(shots["dark"].png)).convert("RGB")
    assert light.getpixel((5, 300)) == (0xEE, 0xF1, 0xF4)  # page background, light
    assert dark.getpixel((5, 300)) == (0, 0, 0)
    assert dark.getpixel((400, 300)) == (0x12, 0x12, 0x12)
    assert not compare_png(shots["base-1"].png, shots["dark"].png).same


@needs_chromium
def test_mobile_viewport(shots: dict[str, ShotResult]) -> None:
    assert size(shots["mobile"])[0] == 375
    assert size(shots["mobile-dark"])[0] == 375
    assert not compare_png(shots["mobile"].png, shots["mobile-dark"].png).same


@needs_chromium
def test_animated_gif_frozen_on_first_frame(shots: dict[str, ShotResult]) -> None:
    """Chromium keeps GIFs playing despite animations="disabled"; capture serves frame 1."""
    pngs = [shots[f"gif-{i}"].png for i in range(4)]
    assert len(set(pngs)) == 1
    img = Image.open(io.BytesIO(pngs[0])).convert("RGB")
    hero_bottom = 120 + 8  # the GIF sits below the text block; find it by colour
    column = [img.getpixel((140, y)) for y in range(hero_bottom, img.height)]
    assert (255, 0, 0) in column and (0, 0, 255) not in column and (0, 255, 0) not in column


def test_mistakes_are_rejected_before_launching(site: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        capture_all([Shot("gone", site / "missing.html")], site)
    outside = tmp_path / "outside.html"
    outside.write_text("<p>x</p>")
    with pytest.raises(ValueError, match="outside the build root"):
        capture_all([Shot("out", outside)], site)
    with pytest.raises(ValueError, match="duplicate"):
        capture_all([Shot("a", site / "base.html"), Shot("a", site / "color.html")], site)
    assert capture_all([], site) == []


@needs_chromium
def test_callable_from_running_event_loop_and_errors_name_the_shot(site: Path) -> None:
    async def main() -> list[ShotResult]:
        return capture_all([Shot("in-loop", site / "color.html", "mobile")], site)

    # A thread of its own: the session `browser` fixture may already hold a sync
    # Playwright (and so a running event loop) on this worker's main thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        (result,) = pool.submit(asyncio.run, main()).result()
    assert result.key == "in-loop" and size(result)[0] == 375

    with pytest.raises(CaptureError, match="slow"):
        capture_all([Shot("slow", site / "base.html")], site, timeout_ms=1)
