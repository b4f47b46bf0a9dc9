from __future__ import annotations

import pytest

from mailkit.check.contrast import contrast_ratio, parse_color

from .helpers import DARK, PALETTE, body, errors, page, problems, run, warnings


def test_baseline_is_accessible() -> None:
    assert problems(run("a11y")) == []


@pytest.mark.parametrize(("lang", "severity"), [
    ("fr", None), ("FR", None), ("fr-FR", "warning"), ("en", "error"), ("", "error"),
])
def test_html_lang(lang: str, severity: str | None) -> None:
    html = page(body(), lang=lang).replace(' lang=""', "")
    found = [f for f in run("a11y", html=html) if "lang" in f.message]
    assert [f.severity for f in found] == ([severity] if severity else [])


@pytest.mark.parametrize(("table", "ok"), [
    ('<table role="presentation"><tr><td>a</td></tr></table>', True),
    ('<table role="none"><tr><td>a</td></tr></table>', True),
    ("<table><tr><th>Produit</th><th>Prix</th></tr><tr><td>a</td><td>1</td></tr></table>",
     True),
    ("<table><tr><td>a</td></tr></table>", False),
])
def test_layout_tables_need_role_presentation(table: str, ok: bool) -> None:
    found = [f for f in errors(run("a11y", table)) if "role=" in f.message]
    assert (found == []) is ok


@pytest.mark.parametrize(("headings", "problem"), [
    ("<h2>a</h2><h3>b</h3><h2>c</h2><h3>d</h3>", None),
    ("<h3>b</h3>", "jumps from h1 to h3"),
    ("<h2>a</h2><h4>b</h4>", "jumps from h2 to h4"),
    ("<h1>Encore</h1>", "2 <h1>"),
    ("<h2></h2>", "empty <h2>"),
])
def test_heading_order(headings: str, problem: str | None) -> None:
    found = [f for f in problems(run("a11y", headings)) if "h" in f.where[:3]]
    if problem is None:
        assert found == []
    else:
        assert len(found) == 1 and problem in found[0].message


def test_text_only_in_images_warns() -> None:
    html = page('<table role="presentation"><tr><td><img src="https://cdn.r-pur.com/promo.png"'
                ' alt="Promo -20 %" width="600"><p>Voir</p></td></tr></table>')
    assert "words of HTML text" in warnings(run("a11y", html=html))[0].message


@pytest.mark.parametrize(("value", "rgb"), [
    ("#fff", (255, 255, 255)), ("#0B5394", (11, 83, 148)), ("white", (255, 255, 255)),
    ("rgb(0, 0, 0)", (0, 0, 0)), ("#000000ff", (0, 0, 0)),
    ("rgba(0,0,0,0.5)", None), ("transparent", None), ("nope", None),
])
def test_parse_color(value: str, rgb: tuple[int, int, int] | None) -> None:
    assert parse_color(value) == rgb


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert round(contrast_ratio((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast_ratio((0x76, 0x76, 0x76), (255, 255, 255)), 2) == 4.54


@pytest.mark.parametrize(("which", "change", "severity"), [
    ("palette", {"text": "#999999"}, "error"),  # 2.85:1 body text
    ("dark_palette", {"text": "#555555"}, "error"),  # on #121212
    ("palette", {"button_text": "#3d85c6"}, "error"),  # 2:1 on #0b5394, below even 3:1
    ("palette", {"primary": "#3d85c6"}, "warning"),  # white label at 3.9:1: large text only
    ("palette", {"primary": "#dddddd", "button_text": "#000000"}, "warning"),  # links 1.4:1
    ("palette", {"text": "not-a-colour"}, "error"),
])
def test_palette_contrast(which: str, change: dict[str, str], severity: str) -> None:
    palettes = {"palette": PALETTE, "dark_palette": DARK}
    palettes[which] = {**palettes[which], **change}
    found = [f for f in problems(run("a11y", **palettes)) if "palette" in f.message]
    assert found and {f.severity for f in found} == {severity}
    if severity == "error":
        assert which.replace("_palette", "").replace("palette", "light") in found[0].message


def test_surface_and_on_primary_keys_are_understood() -> None:
    palette = {"text": "#1a1a1a", "background": "#000000", "surface": "#ffffff",
               "primary": "#0b5394", "on_primary": "#ffffff", "accent": "#e69138",
               "muted": "#bbbbbb"}
    found = [f for f in problems(run("a11y", palette=palette)) if "palette" in f.message]
    assert len(found) == 1 and "muted" in found[0].message  # #bbb on the white surface


def test_missing_dark_palette_warns() -> None:
    assert "no dark palette" in warnings(run("a11y", dark_palette={}))[0].message


def test_inline_colours_are_checked_against_their_background() -> None:
    bad = '<p style="color:#aaaaaa">Petit texte gris sur fond blanc.</p>'
    good = '<p style="color:#555555">Texte gris foncé.</p>'
    large = '<p style="color:#888888;font-size:28px">Grand titre</p>'  # 3.5:1, large
    wrap = '<div style="background-color:#ffffff">{}</div>'
    assert "contrast" in errors(run("a11y", wrap.format(bad)))[0].message
    assert problems(run("a11y", wrap.format(good + large))) == []


def test_hidden_text_is_not_contrast_checked() -> None:
    hidden = ('<div style="background:#ffffff"><div style="display:none;color:#ffffff">'
              "caché</div></div>")
    assert problems(run("a11y", hidden)) == []
