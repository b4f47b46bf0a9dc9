"""write_report, baseline_name and update_baselines (no browser needed)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from mailkit.visual.capture import ShotResult
from mailkit.visual.compare import baseline_name, compare_png, update_baselines
from mailkit.visual.report import Case, write_report


def png(color: tuple[int, int, int], size: tuple[int, int] = (40, 30), level: int = 6) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG", compress_level=level)
    return buf.getvalue()


def case(key: str, baseline: Path | None, actual: bytes, blocked: list[str] | None = None) -> Case:
    comparison = compare_png(baseline.read_bytes(), actual) if baseline else None
    brand, rest = key.split("/")
    email, scenario, vpsc = rest.removesuffix(".png").split("--")
    viewport, scheme = vpsc.split("-")
    return Case(
        key, brand, email, scenario, viewport, scheme, comparison, baseline, blocked or [], actual
    )


def test_baseline_name() -> None:
    name = baseline_name("r-pur", "app_download", "sans-app", "mobile", "dark")
    assert name == "r-pur/app_download--sans-app--mobile-dark.png"
    for bad in ("../x", "a/b", "", ".hidden", "a b"):
        with pytest.raises(ValueError):
            baseline_name(bad, "e", "s", "desktop", "light")


def test_report_shows_failing_cases_side_by_side(tmp_path: Path) -> None:
    base_dir = tmp_path / "baselines"
    red, blue = png((200, 0, 0)), png((0, 0, 200))
    names = [
        baseline_name("acme", "welcome", "default", "desktop", "light"),
        baseline_name("acme", "welcome", "default", "mobile", "dark"),
        baseline_name("acme", "receipt", "no-items", "desktop", "light"),
    ]
    for name in names[:2]:
        (base_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (base_dir / name).write_bytes(red)
    cases = [
        case(names[0], base_dir / names[0], blue),  # colour change
        case(names[1], base_dir / names[1], red, ["https://fonts.example/x.woff2?a=1&b=<2>"]),
        case(names[2], None, red),  # no baseline yet
        *[
            case(f"acme/ok{i}--default--desktop-light.png", base_dir / names[1], red)
            for i in range(5)
        ],
    ]
    out = tmp_path / "report"
    (out / "_shots").mkdir(parents=True)
    (out / "_shots" / "stale.png").write_bytes(red)
    (out / "keep.txt").write_text("not ours")

    page = write_report(cases, out)
    text = page.read_text(encoding="utf-8")
    assert page == out / "index.html"
    assert "3 failing" in text and "5 passing" in text
    assert "1,200 px differ (100.00%)" in text
    assert "no baseline yet" in text and "1 blocked request(s)" in text
    assert "no pixel change" in text  # blocked-only failure
    assert "https://fonts.example/x.woff2?a=1&amp;b=&lt;2&gt;" in text  # escaped
    assert "acme/ok3--default--desktop-light.png" in text
    # Three images for the changed case, all beside the page, all relative links.
    first = sorted(p.name for p in (out / "_shots").glob("001-*"))
    assert [n.rsplit(".", 2)[1] for n in first] == ["actual", "baseline", "diff"]
    for src in re.findall(r'src="([^"]+)"', text):
        assert not re.match(r"[a-z]+:", src) and (out / src).is_file()
    assert not (out / "_shots" / "stale.png").exists() and (out / "keep.txt").exists()
    assert "<script" not in text and "<link" not in text and "@import" not in text
    assert Image.open(out / "_shots" / first[2]).getpixel((5, 5))[:3] == (255, 0, 0)


def test_report_all_passing_shows_thumbnails_linked_to_the_preview(tmp_path: Path) -> None:
    base = tmp_path / "b.png"
    base.write_bytes(png((1, 2, 3), size=(800, 1200)))
    mobile = tmp_path / "m.png"
    mobile.write_bytes(png((1, 2, 3), size=(375, 900)))
    cases = [case("x/e--s--desktop-light.png", base, png((1, 2, 3), size=(800, 1200))),
             case("x/e--s--mobile-dark.png", mobile, png((1, 2, 3), size=(375, 900))),
             case("x/e--s--mobile-partial.png", mobile, png((1, 2, 3), size=(375, 900)))]
    page = write_report(cases, tmp_path / "r", preview="..")
    text = page.read_text()
    assert "all shots match" in text and "<details open>" in text
    links = re.findall(r'<a href="([^"]+)" title="([^"]+)"><img src="([^"]+)"', text)
    assert [(href, key) for href, key, _ in links] == [
        ("../x/e/index.html?scenario=s", "x/e--s--desktop-light.png"),
        ("../x/e/index.html?scenario=s&amp;view=mobile&amp;dark=1", "x/e--s--mobile-dark.png"),
        ("../x/e/index.html?scenario=s&amp;view=mobile&amp;client=partial",  # a client view
         "x/e--s--mobile-partial.png")]
    sizes = []
    for _, _, src in links:
        with Image.open(tmp_path / "r" / src) as thumb:
            sizes.append(thumb.size)
    assert sizes == [(200, 250), (120, 250), (120, 250)]  # the top of each shot, scaled down
    assert not list((tmp_path / "r" / "_shots").glob("*.png"))  # no full-size copies


def test_update_baselines_rewrites_only_what_changed(tmp_path: Path) -> None:
    names = [baseline_name("b", f"e{i}", "s", "desktop", "light") for i in range(3)]
    assert update_baselines({n: png((9, 9, 9)) for n in names[:2]}, tmp_path) == names[:2]
    stamps = {n: (tmp_path / n).stat().st_mtime_ns for n in names[:2]}
    results = [
        ShotResult(names[0], png((9, 9, 9), level=1)),  # same pixels, other bytes
        ShotResult(names[1], png((9, 9, 10))),  # one shade off
        ShotResult(names[2], png((1, 1, 1))),  # missing
    ]
    assert update_baselines(results, tmp_path) == names[1:]
    assert (tmp_path / names[0]).stat().st_mtime_ns == stamps[names[0]]
    assert (tmp_path / names[1]).read_bytes() == results[1].png
    assert (tmp_path / names[2]).read_bytes() == results[2].png
    assert update_baselines(results, tmp_path) == []
    assert not list(tmp_path.rglob("*.tmp"))
    with pytest.raises(ValueError):
        update_baselines({"../evil.png": png((0, 0, 0))}, tmp_path / "sub")
