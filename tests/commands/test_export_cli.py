"""`mailkit export klaviyo`: files and manifest, kept by `mailkit build`, and `--push`
against the fake Klaviyo (tests/klaviyo_fake.py; flows and images: test_klaviyo_sync)."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import DEMO
from klaviyo_fake import KEY, FakeKlaviyo

from mailkit.cli import main
from mailkit.klaviyo.dialect.lang import KLAVIYO_TAG
from mailkit.site import sources


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), *args], env=env or {})


def push_env(server: FakeKlaviyo, key: str = KEY) -> dict[str, str]:
    return {"KLAVIYO_API_KEY": key, "MAILKIT_KLAVIYO_BASE_URL": server.base}


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_export_writes_html_text_and_manifest(demo_copy):
    assert run(demo_copy, "build").exit_code == 0  # the preview, to hold its Klaviyo tab to
    result = run(demo_copy, "export", "klaviyo")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        f"exported {DEMO.emails} Klaviyo templates ({len(DEMO.brands)} brands) to build/klaviyo")
    out = demo_copy / "build/klaviyo"
    data = manifest(out)
    assert data["brands"] == DEMO.brands and len(data["templates"]) == DEMO.emails
    entry = next(t for t in data["templates"] if t["key"] == "r-pur/application")
    assert entry["name"] == "r-pur · Post-achat · 2 L’application R-PUR (J+3)"
    assert entry["subject"] == ("{% autoescape off %}{% if first_name %}{{ first_name|default:'' }}"
                                ", suis{% else %}Suis{% endif %} l’usure de ton filtre"
                                "{% endautoescape %}")
    assert entry["preview_pages"] == ["r-pur/application/sans-app", "r-pur/application/avec-app",
                                      "r-pur/application/sans-prenom"]
    assert (entry["flow"], entry["trigger"], entry["delay"]["days"]) == (
        "post-achat", "Metric · Fulfilled Order", 3)
    assert "{% if not person|lookup:'Has R-PUR App' %}" in entry["klaviyo_tags"]
    for t in data["templates"]:
        html = (out / t["html"]).read_text(encoding="utf-8")
        assert 'href="{% unsubscribe_link %}"' in html and t["preheader"] in html
        assert "{% unsubscribe_link %}" in (out / t["text"]).read_text(encoding="utf-8")
        assert (out / t["html"]).with_suffix(".mjml").is_file()
        brand, email = t["key"].split("/")  # the preview's Klaviyo tab shows these bytes
        assert sources.read(demo_copy / "build" / brand / email / sources.FILE)[
            "klaviyo_html"] == html
        assert set(KLAVIYO_TAG.findall(html)) <= {
            m for tag in t["klaviyo_tags"] for m in KLAVIYO_TAG.findall(tag)}


def test_build_keeps_the_export_and_writes_the_preview_as_before(demo_copy, tmp_path):
    before = tmp_path / "before"
    assert run(demo_copy, "build", "--sources").exit_code == 0
    (demo_copy / "build").rename(before)
    assert run(demo_copy, "export", "klaviyo").exit_code == 0
    exported = manifest(demo_copy / "build/klaviyo")
    result = run(demo_copy, "build", "--sources")
    assert result.exit_code == 0, result.output
    assert manifest(demo_copy / "build/klaviyo") == exported
    # every email page, as before (the site's own index pages show the build time)
    keys = [page["key"] for page in manifest(before)["pages"]]
    files = [f"{k}{suffix}" for k in keys for suffix in (".html", ".txt", ".mjml")]
    assert len(keys) == DEMO.pages
    assert all(filecmp.cmp(before / f, demo_copy / "build" / f, shallow=False) for f in files)


def test_one_brand_keeps_the_other_brands(demo_copy):
    assert run(demo_copy, "export", "klaviyo").exit_code == 0
    kept = (demo_copy / "build/klaviyo/kokawa/vente-privee.html").read_text(encoding="utf-8")
    result = run(demo_copy, "export", "klaviyo", "--brand", "r-pur")
    assert result.exit_code == 0
    assert f"{DEMO.emails_of['r-pur']} Klaviyo templates (1 brand)" in result.output
    data = manifest(demo_copy / "build/klaviyo")
    assert [t["brand"] for t in data["templates"]] == (
        ["kokawa"] * DEMO.emails_of["kokawa"] + ["r-pur"] * DEMO.emails_of["r-pur"])
    assert (demo_copy / "build/klaviyo/kokawa/vente-privee.html").read_text("utf-8") == kept


def test_out_option(demo_copy, tmp_path):
    result = run(demo_copy, "export", "klaviyo", "--brand", "kokawa", "--out",
                 str(tmp_path / "k"))
    assert result.exit_code == 0, result.output
    assert len(manifest(tmp_path / "k")["templates"]) == DEMO.emails_of["kokawa"]
    assert not (demo_copy / "build").exists()


def test_push_stores_what_the_export_wrote_then_writes_nothing(demo_copy, fake):
    first = run(demo_copy, "export", "klaviyo", "--push", env=push_env(fake))
    assert first.exit_code == 0, first.output
    data = manifest(demo_copy / "build/klaviyo")
    names = [t["name"] for t in data["templates"]]
    assert first.stdout.count("\ncreate        template") == len(names) == DEMO.emails
    for t in data["templates"]:  # the files written hold the library's image URLs too
        [stored] = fake.by_name(t["name"])
        assert stored["html"] == (demo_copy / "build/klaviyo" / t["html"]).read_text("utf-8")
        assert stored["text"] == (demo_copy / "build/klaviyo" / t["text"]).read_text("utf-8")
        assert stored["editor_type"] == "CODE"
    second = run(demo_copy, "export", "klaviyo", "--push", env=push_env(fake))
    assert second.exit_code == 0, second.output
    assert second.stdout.count("unchanged     template") == DEMO.emails
    assert "0 create, 0 update" in second.stdout
    assert sorted(a["name"] for a in fake.templates.values() if "(flow copy)" not in a["name"]
                  ) == sorted(names)
    assert KEY not in first.output + second.output


def test_push_dry_run_changes_nothing(demo_copy, fake):
    result = run(demo_copy, "export", "klaviyo", "--push", "--dry-run", env=push_env(fake))
    assert result.exit_code == 0, result.output
    assert result.stdout.count("would create  template") == DEMO.emails
    assert fake.writes() == [] and fake.templates == {}


def test_push_failure_reports_and_exits_1(demo_copy, fake):
    name = "kokawa · VIP · 1 Vente privée VIP (J+0)"
    fake.reject[name] = "html contains an unclosed Django tag"
    result = run(demo_copy, "export", "klaviyo", "--push", env=push_env(fake))
    assert result.exit_code == 1
    assert (f"failed        template    {name} — HTTP 400: html contains an unclosed Django tag"
            in result.stdout)
    assert ("failed        flow        kokawa · VIP — not created: its template "
            f"{name!r} was not pushed") in result.stdout
    assert len([t for t in fake.templates.values() if "(flow copy)" not in t["name"]]) == \
        DEMO.emails - 1


def test_refused_key_never_shows_the_key(demo_copy, fake):
    fake.key = "pk_the_right_one"
    result = run(demo_copy, "export", "klaviyo", "--push", env=push_env(fake))
    assert result.exit_code == 1
    assert "Klaviyo: push: Klaviyo refused the API key (401)" in result.stderr
    assert KEY not in result.output


@pytest.mark.parametrize(("args", "env", "says"), [
    (["--push"], {"KLAVIYO_API_KEY": ""}, "KLAVIYO_API_KEY: push: set KLAVIYO_API_KEY"),
    (["--dry-run"], {}, "--dry-run: export: goes with --push"),
])
def test_push_mistakes_fail_before_exporting(demo_copy, args, env, says):
    result = run(demo_copy, "export", "klaviyo", *args, env=env)
    assert result.exit_code == 1 and says in result.stderr
    assert not (demo_copy / "build").exists()
