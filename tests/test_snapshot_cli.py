"""`mailkit snapshot`: one line per failing case, `--update` accepts on purpose and only
what differs, the report lands in build/visual-report/ and the preview's home page links it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from mailkit.cli import main

ONE = ("--brand", "r-pur", "--email", "filtres")  # one email: 4 shots, a few seconds
NAMES = [f"r-pur/filtres--filtres--{v}-{s}.png"
         for v in ("desktop", "mobile") for s in ("light", "dark")]


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), "snapshot", *args])


def test_snapshot_fails_without_baselines_then_update_accepts(chromium: str,
                                                               demo_copy: Path) -> None:
    first = run(demo_copy, *ONE)
    assert first.exit_code == 1, first.output
    for name in NAMES:
        assert f"{name}: no baseline yet (run `mailkit snapshot --update`" in first.output
    assert "4 shots, 4 failing" in first.output
    assert "visual-report/index.html" in first.output
    assert not (demo_copy / "tests").exists()  # never created without --update

    home = (demo_copy / "build/index.html").read_text(encoding="utf-8")
    assert 'href="visual-report/index.html"' in home  # linked from the first run on
    report = (demo_copy / "build/visual-report/index.html").read_text(encoding="utf-8")
    assert "4 failing" in report and "no baseline yet" in report

    update = run(demo_copy, "--update", *ONE)
    assert update.exit_code == 0, update.output
    assert [line for line in update.output.splitlines() if line.startswith("updated ")] == [
        f"updated {name}" for name in NAMES]
    assert all((demo_copy / "tests/visual/baselines" / name).is_file() for name in NAMES)

    brand = demo_copy / "brands/r-pur/brand.yaml"  # the light palette's buttons only
    brand.write_text(brand.read_text(encoding="utf-8").replace(
        'primary: "#111418"', 'primary: "#1F4E8C"'), encoding="utf-8")
    accept = run(demo_copy, "--update", *ONE)
    assert accept.exit_code == 0 and "4 shots, all match" in accept.output, accept.output
    assert [line for line in accept.output.splitlines() if line.startswith("updated ")] == [
        f"updated {name}" for name in NAMES if name.endswith("-light.png")]


def test_snapshot_user_errors_are_one_line(demo_copy: Path) -> None:
    result = run(demo_copy, "--brand", "nope")
    assert result.exit_code == 1
    assert result.output.strip() == "brands/: snapshot: no brand 'nope'"
    result = run(demo_copy, "--email", "nope")
    assert result.exit_code == 1
    assert result.output.strip() == "brands/: snapshot: nothing matches --email nope"
