"""Visual regression: every brand × email × scenario looks like its committed baseline.

`test_every_email_matches_its_baseline` is the suite itself (one browser run for the
whole matrix). The tests after it prove the suite catches what matters: each edits a
private copy of the project in one way a designer would notice, builds it and shoots
only the affected emails against the same committed baselines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO

from mailkit.commands.build import build
from mailkit.visual.compare import compare_png
from mailkit.visual.matrix import EDGE_SHOTS, entries
from mailkit.visual.suite import BASELINE_DIR, SuiteResult, describe, run_suite

BASELINES = REPO / BASELINE_DIR


def failure_message(result: SuiteResult) -> str:
    """What CI prints: where the report is, which cases differ, how to accept them."""
    lines = [f"{len(result.failures)} of {len(result.cases)} shots differ from "
             f"{BASELINE_DIR}/; open the report: {result.report}"]
    lines += [f"  {describe(case)}" for case in result.failures]
    lines.append("If the change is intended: .venv/bin/mailkit snapshot --update "
                 "[--brand B] [--email E], then commit the baselines it lists.")
    return "\n".join(lines)


def test_every_email_matches_its_baseline(chromium: str, demo_build, tmp_path: Path) -> None:
    result, out = demo_build
    suite = run_suite(out, BASELINES, pages=entries(result), report_dir=tmp_path / "report",
                      prune=True)
    # the named scenarios and the edge states that change the layout (EDGE_SHOTS)
    shot = [p for p in result.pages.values() if not p.target.edge
            or p.target.scenario in EDGE_SHOTS]
    emails = {p.target.email_key for p in shot}  # and three client views of each (issue 21)
    assert len(suite.cases) == 4 * len(shot) + 3 * len(emails)
    assert {c.scheme for c in suite.cases} == {"light", "dark", "partial", "full", "nostyle"}
    assert any(p.target.edge for p in shot)
    if suite.failures:
        pytest.fail(failure_message(suite), pytrace=False)
    assert not suite.stale, f"baselines no email produces any more: {suite.stale}"


def edit(project: Path, rel: str, old: str, new: str) -> None:
    """Replace one exact piece of a file; fail loudly if the template moved on."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{rel} no longer contains {old!r}: update this test"
    path.write_text(text.replace(old, new), encoding="utf-8")


def shoot(project: Path, email: str, variants: list[tuple[str, str]],
          brand: str = "r-pur") -> SuiteResult:
    result = build(project, brand=brand, email=email, out=project / "build")
    return run_suite(project / "build", BASELINES, pages=entries(result),
                     variants=variants)  # type: ignore[arg-type]


def failing(result: SuiteResult) -> set[str]:
    return {case.key for case in result.failures}


def assert_reported(result: SuiteResult, keys: set[str]) -> None:
    """The report exists, shows each failing case with baseline, actual and diff."""
    page = result.report.read_text(encoding="utf-8")
    for case in result.failures:
        assert case.key in page
    for key in keys:
        stem = key.removesuffix(".png").replace("/", "_")
        shots = {p.name for p in (result.report.parent / "_shots").glob(f"*{stem}*")}
        assert {s.rsplit(".", 2)[1] for s in shots} >= {"baseline", "actual", "diff"}, shots


APP = "r-pur/application--{}--{}.png"


def test_untouched_project_passes(chromium: str, demo_copy: Path) -> None:
    result = shoot(demo_copy, "application", [("desktop", "light"), ("mobile", "dark")])
    assert len(result.cases) == 4
    assert not result.failures, [describe(c) for c in result.failures]
    assert not result.stale  # a partial run never calls the other baselines stale
    assert "all shots match" in result.report.read_text(encoding="utf-8")


def test_brand_colour_change_fails(chromium: str, demo_copy: Path) -> None:
    edit(demo_copy, "brands/r-pur/brand.yaml", 'primary: "#111418"', 'primary: "#1F4E8C"')
    result = shoot(demo_copy, "application", [("desktop", "light"), ("desktop", "dark")])
    light = APP.format("avec-app", "desktop-light")  # its "Ouvrir R-PUR Connect" button
    assert light in failing(result)
    assert APP.format("avec-app", "desktop-dark") not in failing(result)  # dark palette kept
    case = next(c for c in result.cases if c.key == light)
    assert case.comparison and not case.comparison.size_changed
    assert_reported(result, {light})


def test_app_block_shown_to_app_users_fails(chromium: str, demo_copy: Path) -> None:
    edit(demo_copy, "brands/r-pur/emails/app_download.mjml.j2", "{% ifdata not has_app %}",
         "{% ifdata has_app or not has_app %}")
    result = shoot(demo_copy, "application", [("mobile", "light")])
    avec, sans = APP.format("avec-app", "mobile-light"), APP.format("sans-app", "mobile-light")
    assert failing(result) == {avec}  # the scenario without the app still matches
    case = result.failures[0]
    assert case.comparison and case.comparison.size_changed
    assert case.comparison.actual_size[1] > case.comparison.baseline_size[1] + 200
    assert sans not in failing(result)
    assert_reported(result, {avec})


def test_partial_padding_change_fails(chromium: str, demo_copy: Path) -> None:
    """Two pixels more around each social icon of the footer, nothing else."""
    edit(demo_copy, "partials/footer.mjml.j2", 'padding="0 6px"', 'padding="0 8px"')
    result = shoot(demo_copy, "filtres", [("desktop", "light"), ("mobile", "dark")])
    assert failing(result) == {f"r-pur/filtres--filtres--{v}.png"
                               for v in ("desktop-light", "mobile-dark")}
    assert all(c.comparison and not c.comparison.size_changed for c in result.failures)
    assert_reported(result, failing(result))


def test_one_word_of_copy_changed_fails(chromium: str, demo_copy: Path) -> None:
    edit(demo_copy, "brands/r-pur/emails/app_download.mjml.j2", "environ 30\u00a0jours",
         "environ 31\u00a0jours")
    result = shoot(demo_copy, "application", [("mobile", "light")])
    assert failing(result) == {APP.format(s, "mobile-light") for s in ("avec-app", "sans-app")}
    assert all(0 < c.comparison.diff_pixels < 500 for c in result.failures if c.comparison)
    assert_reported(result, failing(result))


def test_request_leaving_the_build_fails(chromium: str, demo_copy: Path) -> None:
    edit(demo_copy, "brands/r-pur/emails/app_download.mjml.j2", "{% ifdata not has_app %}",
         '<mj-raw><img src="https://tracker.example.com/open.gif" width="1" height="1" '
         'alt=""></mj-raw>\n{% ifdata not has_app %}')
    result = shoot(demo_copy, "application", [("mobile", "light")])
    assert len(result.failures) == 2
    for case in result.failures:
        assert case.blocked == ["https://tracker.example.com/open.gif"]
        assert "leaving the build blocked" in describe(case)
    assert "tracker.example.com/open.gif" in result.report.read_text(encoding="utf-8")


def test_missing_baseline_fails_and_is_never_created(chromium: str, demo_copy: Path,
                                                  tmp_path: Path) -> None:
    result = build(demo_copy, brand="r-pur", email="filtres", out=demo_copy / "build")
    baselines = tmp_path / "baselines"
    gone = baselines / "r-pur/renamed--scenario--mobile-light.png"  # no shot produces it
    gone.parent.mkdir(parents=True)
    gone.write_bytes(b"")
    suite = run_suite(demo_copy / "build", baselines, pages=entries(result),
                      variants=[("mobile", "light")], prune=True)
    assert [describe(c) for c in suite.failures] == [
        "r-pur/filtres--filtres--mobile-light.png: no baseline yet "
        "(run `mailkit snapshot --update` to accept it)"]
    assert suite.stale == ["r-pur/renamed--scenario--mobile-light.png"] and gone.exists()
    assert [p.name for p in baselines.rglob("*.png")] == [gone.name]  # nothing created
    updated = run_suite(demo_copy / "build", baselines, pages=entries(result),
                        variants=[("mobile", "light")], update=True, prune=True)
    assert updated.updated == ["r-pur/filtres--filtres--mobile-light.png"]
    assert not updated.failures and not gone.exists()
    name = updated.updated[0]
    same = compare_png((BASELINES / name).read_bytes(), (baselines / name).read_bytes(),
                       threshold=0)
    assert same.diff_pixels == 0 and same.same  # what the committed baseline holds
