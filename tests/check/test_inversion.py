"""The inverting clients (Gmail's apps, Outlook.com, Outlook for Windows): text that
becomes unreadable once recoloured, images that turn into bands or vanish."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from mailkit.check import pixels

from .helpers import errors, page, problems, run, warnings

SURFACE = "#FFFBF7"


def email(content: str, *, background: str = SURFACE) -> str:
    return page(f'<table role="presentation" width="600"><tr><td style="background-color:'
                f'{background}" bgcolor="{background}">{content}</td></tr></table>')


def inversion(content: str, **overrides: object) -> list:
    return run("inversion", html=email(content), **overrides)


def test_text_that_stays_apart_passes() -> None:
    assert inversion('<p style="color:#2B2523">Ta commande est en route.</p>') == []


def test_dark_text_on_a_mid_tone_becomes_light_on_it_in_the_partial_inversion() -> None:
    """#E8896F is not bright enough for Chromium to darken (brightness 162 < 205), while
    the dark text is lightened: light on salmon. The full inversion darkens both."""
    found = errors(inversion('<p style="background:#E8896F;color:#1A1614">Saumon frais</p>'))
    assert len(found) == 1
    message = found[0].message
    assert "Gmail for Android and Outlook.com (partial inversion: #1a1614 → " in message
    assert "full inversion:" not in message and "Saumon frais" in message
    assert "lightens a text darker than brightness 150" in message
    assert found[0].locate == "Saumon frais"


def test_gold_on_royal_blue_fails_only_in_the_full_inversion() -> None:
    found = errors(inversion('<p style="background:#131EB6;color:#DC9E2F">Soldes</p>'))
    assert len(found) == 1
    assert "Gmail for iOS and Outlook for Windows (full inversion:" in found[0].message
    assert "partial inversion:" not in found[0].message


def test_a_text_failing_in_both_names_both() -> None:
    found = errors(inversion('<p style="background:#777777;color:#000000">Gris</p>'))
    assert len(found) == 1 and "partial inversion:" in found[0].message
    assert "full inversion:" in found[0].message


def test_large_text_needs_three_to_one() -> None:
    # light on salmon is about 2.4:1: fails even for large text
    assert errors(inversion('<p style="background:#E8896F;color:#1A1614;font-size:26px">'
                            "Grand</p>"))
    # sky blue on black: 8:1 as written; Chromium inverts it (brightness 142 < 150) to a
    # darker blue, 4.2:1 on the black it keeps: enough at 24px only
    assert errors(inversion('<p style="background:#000000;color:#22AAEE">Ciel</p>'))
    assert inversion('<p style="background:#000000;color:#22AAEE;font-size:26px">Ciel</p>') == []


def test_text_failing_as_written_is_left_to_the_accessibility_rule() -> None:
    assert inversion('<p style="color:#DDDDDD">Pâle</p>') == []


def test_hidden_text_is_not_judged() -> None:
    assert inversion('<p style="display:none;background:#E8896F;color:#1A1614">x</p>') == []


def png(path: Path, size: tuple[int, int], fill: tuple[int, ...], ink: tuple[int, ...] = (),
        box: tuple[int, int, int, int] | None = None) -> Path:
    """An image of `fill` (RGBA), with a rectangle of `ink` in `box`."""
    image = Image.new("RGBA", size, fill)
    if ink:
        ImageDraw.Draw(image).rectangle(box or (size[0] // 4, size[1] // 4, size[0] * 3 // 4,
                                                size[1] * 3 // 4), fill=ink)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def image_run(tmp_path: Path, name: str, width: int, **email_kw: str) -> list:
    img = f'<img src="assets/{name}" alt="" width="{width}">'
    return run("inversion", html=email(img, **email_kw), asset_root=tmp_path)


def test_a_cream_hero_becomes_a_band_on_the_dark_email(tmp_path: Path) -> None:
    """The kokawa Post-achat case: a 600 px illustration painted on cream, on cream."""
    png(tmp_path / "assets/hero.png", (1200, 600), (250, 246, 240, 255), (181, 84, 60, 255))
    found = warnings(image_run(tmp_path, "hero.png", 600))
    assert len(found) == 1
    message = found[0].message
    assert "600×300 px block" in message and "blends into #fffbf7 as written" in message
    assert "(partial inversion: a light #faf6f0 edge on " in message
    assert "(full inversion: a light #faf6f0 edge on " in message
    assert found[0].locate == "assets/hero.png"


def test_the_same_hero_on_transparency_passes(tmp_path: Path) -> None:
    png(tmp_path / "assets/hero.png", (1200, 600), (0, 0, 0, 0), (181, 84, 60, 255))
    assert image_run(tmp_path, "hero.png", 600) == []


def test_a_product_tile_is_a_block_too(tmp_path: Path) -> None:
    png(tmp_path / "assets/vase.png", (520, 520), (243, 232, 218, 255), (181, 84, 60, 255))
    found = warnings(image_run(tmp_path, "vase.png", 240))
    assert len(found) == 1 and "240×240 px block" in found[0].message


def test_a_translucent_paper_tints_the_page_instead(tmp_path: Path) -> None:
    """kokawa's fix: sand at 30% over the cream surface is the same cream as written."""
    png(tmp_path / "assets/vase.png", (520, 520), (214, 188, 158, 77), (181, 84, 60, 255))
    assert image_run(tmp_path, "vase.png", 240) == []


def test_a_thumbnail_is_not_a_band(tmp_path: Path) -> None:
    png(tmp_path / "assets/vase.png", (128, 128), (243, 232, 218, 255), (181, 84, 60, 255))
    assert image_run(tmp_path, "vase.png", 64) == []


def test_a_light_image_already_framed_on_dark_is_by_design(tmp_path: Path) -> None:
    png(tmp_path / "assets/hero.png", (1200, 600), (250, 246, 240, 255), (181, 84, 60, 255))
    # on a dark section as written, the partial inversion keeps the section dark: it
    # stood out before, it stands out the same
    assert image_run(tmp_path, "hero.png", 600, background="#111418") == []


def test_a_dark_logo_on_transparency_vanishes(tmp_path: Path) -> None:
    png(tmp_path / "assets/logo.png", (320, 96), (0, 0, 0, 0), (17, 20, 24, 255),
        (20, 20, 300, 76))
    found = errors(image_run(tmp_path, "logo.png", 160, background="#FFFFFF"))
    assert len(found) == 1 and "vanishes" in found[0].message
    assert "partial inversion: 0% of its ink reaches 3:1 on #121212" in found[0].message
    assert found[0].locate == "assets/logo.png"


def test_a_logo_with_a_light_glyph_stays(tmp_path: Path) -> None:
    """A dark disc with a white glyph (a social icon): the disc merges, the glyph shows."""
    path = png(tmp_path / "assets/icon.png", (64, 64), (0, 0, 0, 0), (45, 52, 62, 255),
               (0, 0, 63, 63))
    image = Image.open(path)
    ImageDraw.Draw(image).rectangle((24, 12, 40, 52), fill=(255, 255, 255, 255))
    image.save(path)
    assert image_run(tmp_path, "icon.png", 32, background="#FFFFFF") == []


def test_a_terracotta_logo_stays(tmp_path: Path) -> None:
    png(tmp_path / "assets/logo.png", (320, 96), (0, 0, 0, 0), (181, 84, 60, 255),
        (20, 20, 300, 76))
    assert image_run(tmp_path, "logo.png", 160) == []


@pytest.mark.parametrize("src", ["https://cdn.kokawa.fr/hero.png", "assets/missing.png",
                                 "assets/notes.txt"])
def test_an_image_it_cannot_read_is_not_judged(tmp_path: Path, src: str) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets/notes.txt").write_text("not an image")
    html = email(f'<img src="{src}" alt="" width="600">')
    assert problems(run("inversion", html=html, asset_root=tmp_path)) == []


def test_an_image_is_read_once_per_content(tmp_path: Path, monkeypatch) -> None:
    reads: list[int] = []
    real = pixels._facts
    monkeypatch.setattr(pixels, "_facts", lambda data: reads.append(1) or real(data))
    monkeypatch.setattr(pixels, "_READ", {})
    monkeypatch.setattr(pixels, "_SEEN", {})
    one = png(tmp_path / "a.png", (40, 20), (250, 246, 240, 255))
    two = tmp_path / "b.png"
    two.write_bytes(one.read_bytes())
    assert pixels.facts(one) == pixels.facts(two) == pixels.facts(one)
    assert len(reads) == 1


def test_the_same_file_shown_small_then_large_is_judged_at_each_size(tmp_path: Path) -> None:
    png(tmp_path / "assets/vase.png", (520, 520), (243, 232, 218, 255), (181, 84, 60, 255))
    html = email('<img src="assets/vase.png" alt="" width="64">'
                 '<img src="assets/vase.png" alt="" width="240">')
    found = warnings(run("inversion", html=html, asset_root=tmp_path))
    assert len(found) == 1 and "240×240 px block" in found[0].message


def test_the_demo_passes(demo_build) -> None:
    result, _ = demo_build
    found = [f"{p.key}: {f}" for p in result.pages.values() for f in p.findings or ()
             if f.check == "inversion" and f.severity != "info"]
    assert found == []


def test_an_image_changed_between_two_runs_is_judged_afresh(tmp_path: Path,
                                                            monkeypatch) -> None:
    """A kept judgement (inversion._SHOWN) holds only while the file's facts are the
    same: serve's warm workers keep it between builds, and a designer fixes the image."""
    from mailkit.check import units

    monkeypatch.setattr(units, "MODE", "1")  # keep, as a build does (the tests verify)
    hero = png(tmp_path / "assets/hero.png", (1200, 600), (250, 246, 240, 255),
               (181, 84, 60, 255))
    assert len(warnings(image_run(tmp_path, "hero.png", 600))) == 1
    assert len(warnings(image_run(tmp_path, "hero.png", 600))) == 1  # kept
    png(hero, (1200, 600), (0, 0, 0, 0), (181, 84, 60, 255))  # painted on transparency
    os.utime(hero, ns=(1, 1))  # a new mtime, however fast the file was rewritten
    assert image_run(tmp_path, "hero.png", 600) == []
