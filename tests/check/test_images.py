from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import body, errors, page, problems, run, warnings


def img_run(img: str, **overrides: object) -> list:
    return run("images", html=page(body(logo=img)), **overrides)


@pytest.mark.parametrize("img", [
    '<img src="https://cdn.r-pur.com/logo.png" alt="R-Pur" width="120">',
    '<img src="https://cdn.r-pur.com/line.png" alt="" role="presentation" width="600">',
    '<img src="https://cdn.r-pur.com/line.png" alt="" data-decorative width="600">',
    '<img src="https://cdn.r-pur.com/x.png" alt="x" width="120px">',
])
def test_good_images_pass(img: str) -> None:
    assert problems(img_run(img)) == []


@pytest.mark.parametrize(("img", "words"), [
    ('<img src="../assets/x.png" width="120">', "no alt"),
    ('<img src="https://cdn.r-pur.com/x.png" alt="" width="120">', "not declared decorative"),
    ('<img src="https://cdn.r-pur.com/x.png" alt="x">', "no explicit width"),
    ('<img src="https://cdn.r-pur.com/x.png" alt="x" width="100%">', 'width="100%"'),
    ('<img alt="x" width="120">', "no src"),
    ('<img src="https://example.com/x.png" alt="x" width="120">', "placeholder"),
    ('<img src="{{ item.image }}" alt="x" width="120">', "unrendered"),
])
def test_bad_images_fail(img: str, words: str) -> None:
    found = errors(img_run(img))
    assert len(found) == 1 and words in found[0].message


def test_missing_alt_names_the_element() -> None:
    found = errors(img_run('<img src="../assets/x.png" width="120">'))
    assert '`<img src="../assets/x.png">` has no alt' in found[0].message


def test_css_only_width_is_a_warning() -> None:
    found = img_run('<img src="https://cdn.r-pur.com/x.png" alt="x" style="width:120px">')
    assert errors(found) == [] and "only in CSS" in warnings(found)[0].message


@pytest.mark.parametrize(("src", "ok"), [
    ("https://cdn.r-pur.com/x.png", True),
    ("http://cdn.r-pur.com/x.png", False),
    ("assets/x.png", False),
    ("//cdn.r-pur.com/x.png", False),
    ("{{ event.extra.image }}", True),
])
def test_export_needs_absolute_https(src: str, ok: bool) -> None:
    found = errors(img_run(f'<img src="{src}" alt="x" width="120">', export=True))
    assert (found == []) is ok


def test_preview_resolves_relative_src_against_asset_root(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_bytes(b"png")
    good = img_run('<img src="assets/logo.png" alt="x" width="120">', asset_root=tmp_path)
    assert problems(good) == []
    bad = img_run('<img src="assets/missing.png" alt="x" width="120">', asset_root=tmp_path)
    assert "missing file" in errors(bad)[0].message


def test_preview_http_image_is_a_warning() -> None:
    found = img_run('<img src="http://cdn.r-pur.com/x.png" alt="x" width="120">')
    assert errors(found) == [] and "http" in warnings(found)[0].message


def test_images_in_mso_comments_are_skipped() -> None:
    html = page(body("<!--[if mso]><img src='x.png'><![endif]-->"))
    assert problems(run("images", html=html)) == []


def test_decorative_wrapper_class_declares_an_empty_alt() -> None:
    """MJML drops role= on <mj-image>; its css-class lands on the cell around the img."""
    img = '<img src="https://cdn.r-pur.com/hero.png" alt="" width="600">'
    cell = '<table role="presentation"><tr><td class="{}">{}</td></tr></table>'
    assert problems(img_run(cell.format("mk-hero mk-decorative", img))) == []
    other = cell.format("mk-hero", img)
    assert "not declared decorative" in errors(img_run(other))[0].message


def test_relative_src_resolves_from_a_page_folder_not_on_disk(tmp_path: Path) -> None:
    """The build checks a page before writing it: `../assets/x` from `<email>/` works."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_bytes(b"png")
    page_dir = tmp_path / "not-written-yet"
    good = img_run('<img src="../assets/logo.png" alt="x" width="120">', asset_root=page_dir)
    assert problems(good) == []
    bad = img_run('<img src="logo.png" alt="x" width="120">', asset_root=page_dir)
    assert "missing file" in errors(bad)[0].message
