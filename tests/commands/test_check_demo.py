"""`mailkit check` on the demo: the CI gate. Every brand × email × state, preview and
Klaviyo export, passes clean with `--strict`; SpamAssassin gives every message zero
content points; `--export` and `--brand` do no more work than asked and say no more."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner, Result
from helpers import DEMO, REPO

from mailkit.cli import main
from mailkit.commands.build import build


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), "check", *args])


def test_demo_brands_pass_clean_with_strict():
    """The CI gate: every demo brand × email × scenario, warnings included."""
    from mailkit.project.load import load_project

    targets = load_project(REPO).targets()
    edges = [t for t in targets if t.edge]
    assert edges, "the generated edge states are checked too"
    result = run(REPO, "--strict")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith(
        f"check passed: {DEMO.pages} pages of {DEMO.emails} emails ({DEMO.pages} clean), "
        "0 errors, 0 warnings")


def test_demo_klaviyo_export_passes_clean_with_strict():
    result = run(REPO, "--strict", "--export", "--format", "json")
    assert result.exit_code == 0, result.output
    pages = json.loads(result.stdout)["pages"]
    exported = [p for p in pages if p["scenario"] == "klaviyo-export"]
    assert len(exported) == DEMO.emails and all(p["errors"] == p["warnings"] == 0 for p in pages)


def test_check_renders_the_klaviyo_export_only_with_export(demo_copy, monkeypatch):
    """Without `--export` (and no kept build to reuse) `mailkit check` renders the pages
    only: the export was a fifth of the work, for a report nobody asked for."""
    from mailkit.klaviyo import export as klaviyo_export

    prepared: list[str] = []
    real = klaviyo_export.prepare
    monkeypatch.setattr(klaviyo_export, "prepare",
                        lambda project, env, target: prepared.append(target.key) or
                        real(project, env, target))
    args = ["--root", str(demo_copy), "check", "--brand", "kokawa"]
    plain = CliRunner().invoke(main, args)
    assert plain.exit_code == 0, plain.output
    assert prepared == [] and "klaviyo-export" not in plain.output
    assert plain.output.strip().splitlines()[-1].startswith("check passed: ")
    both = CliRunner().invoke(main, [*args, "--export", "--format", "json"])
    assert both.exit_code == 0, both.output
    assert prepared and {r["scenario"] for r in json.loads(both.output)["pages"]} >= {
        "klaviyo-export"}


def test_spam_gives_every_demo_email_zero_content_points(spamassassin):
    """The CI gate of `make test`: SpamAssassin, local rules only, on every page's message
    as `mailkit send` composes it (the demo itself, as the other gates: its last build
    is reused, and the scores are kept in its cache for its preview)."""
    from mailkit.cache import spam_scores

    result = run(REPO, "--spam", "--format", "json")
    assert result.exit_code == 0, result.output
    pages = json.loads(result.stdout)["pages"]
    assert len(pages) == DEMO.pages
    for page in pages:
        scores = [f for f in page["findings"] if f["check"] == "spamassassin"]
        assert scores and not [f for f in scores if f["severity"] != "info"], page["key"]
        assert "(content 0.0, delivery 0.0;" in scores[-1]["message"], page["key"]
    assert re.match(r"SpamAssassin \S+ \(local rules only\): \d+ message\(s\) in ",
                    result.stderr)
    kept = spam_scores.load(REPO)  # for the preview's facts panel, by content
    built = build(REPO, write=False)  # the last build, reused
    for page in built.pages.values():
        key = spam_scores.content_key(page, built.project.brands[page.target.brand].brand)
        assert kept[key]["content"] == 0, page.key


def test_check_brand_after_build_brand_reports_that_brand_only(demo_copy):
    """`build --brand X` keeps every brand's pages for build/; `check --brand X` right
    after, from that kept result, must still speak of X alone."""
    brand = DEMO.brands[0]
    for args in (["build"], ["build", "--brand", brand]):
        built = CliRunner().invoke(main, ["--root", str(demo_copy), *args])
        assert built.exit_code == 0, built.output
    result = run(demo_copy, "--brand", brand)
    summary = result.output.strip().splitlines()[-1]
    assert f"{DEMO.pages_of[brand]} pages of {DEMO.emails_of[brand]} emails" in summary, summary
