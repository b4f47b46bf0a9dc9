"""The whole build: every brand × email × scenario, atomic output, and the CLI's errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import EMAIL, REPO

from mailkit.commands.build import build
from mailkit.errors import BuildFailed
from mailkit.project.load import load_project


def test_every_brand_email_and_scenario_builds(demo_build):
    result, out = demo_build
    expected = {t.key for t in load_project(REPO).targets()}
    assert set(result.pages) == expected
    for key in expected:
        assert (out / f"{key}.html").stat().st_size > 0, key
        assert not (out / f"{key}.txt").exists() and not (out / f"{key}.mjml").exists()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {p["key"] for p in manifest["pages"]} == expected


def test_each_email_has_subject_preheader_lang_and_assets(demo_build):
    result, out = demo_build
    for page in result.pages.values():
        assert page.rendered.subject and page.rendered.preheader, page.key
        assert '<html lang="fr"' in page.compiled.html
        assert page.rendered.preheader in page.compiled.html  # hidden preview text
        assert "{{" not in page.compiled.html and "{%" not in page.compiled.html
        for src in __import__("re").findall(r'<img[^>]+src="([^"]+)"', page.compiled.html):
            assert not src.startswith("http"), f"{page.key} loads {src} from the internet"
            assert (out / page.key).parent.joinpath(src).resolve().is_file(), src


def test_app_block_shown_without_the_app_and_absent_with_it(demo_build):
    result, _ = demo_build
    without = result.pages["r-pur/application/sans-app"].compiled
    with_app = result.pages["r-pur/application/avec-app"].compiled
    for part in ("mk-app-block", "app-screen.png", "apps.apple.com", "play.google.com"):
        assert part in without.html
        assert part not in with_app.html
    assert "Télécharge R\u2011PUR Connect" in without.text
    assert "Télécharge R\u2011PUR Connect" not in with_app.text
    assert "Tu as déjà l’application" in with_app.text


def test_order_summary_lists_line_items_and_tracking(demo_build):
    result, _ = demo_build
    text = result.pages["kokawa/partage-whatsapp/plusieurs-articles"].compiled.text
    for line in ("Coussin en lin lavé", "Bougie Figue & Cèdre", "Panier en osier tressé",
                 "78,00\u00a0€", "131,10\u00a0€", "Mondial Relay", "Code AMOUR10", "−14,10\u00a0€",
                 # Shopify sends variant_title: null for the single-variant candle
                 "Bougie Figue & Cèdre\nQuantité\u00a0: 1"):
        assert line in text
    assert "None" not in text
    assert "[https://www.mondialrelay.fr/suivi-de-colis/?numeroExpedition=48211937]" in text


def test_footer_has_address_and_unsubscribe_everywhere(demo_build):
    result, _ = demo_build
    for page in result.pages.values():
        assert "Me désinscrire [" in page.compiled.text, page.key
        assert "Gérer mes préférences [" in page.compiled.text, page.key
        address = load_project(REPO).brands[page.target.brand].brand.postal_address
        assert address in page.compiled.text


def test_failed_build_keeps_the_last_good_output(make_project):
    root = make_project()
    build(root)
    good = (root / "build/test/hello/default.html").read_text(encoding="utf-8")
    (root / "emails/hello.mjml.j2").write_text(EMAIL.replace("first_name", "frist_name"))
    with pytest.raises(BuildFailed):
        build(root)
    assert (root / "build/test/hello/default.html").read_text(encoding="utf-8") == good
    assert not list(root.glob(".build.*")), "no staging folder left behind"


def test_filtered_build_holds_only_what_was_asked(demo_copy):
    build(demo_copy)
    (demo_copy / "build/visual-report").mkdir()
    (demo_copy / "build/visual-report/index.html").write_text("report")
    result = build(demo_copy, brand="kokawa", email="partage-whatsapp")
    named = {f"kokawa/partage-whatsapp/{s}" for s in ("un-article", "plusieurs-articles")}
    assert named <= set(result.pages)  # and the email's generated edge states, nothing else
    assert {k for k, p in result.pages.items() if not p.target.edge} == named
    assert {k.rsplit("/", 1)[0] for k in result.pages} == {"kokawa/partage-whatsapp"}
    assert not (demo_copy / "build/r-pur").exists()
    assert (demo_copy / "build/visual-report/index.html").read_text() == "report"


def test_incremental_rebuild_renders_only_what_a_partial_touches(demo_copy):
    first = build(demo_copy)
    partial = demo_copy / "partials/app_download.mjml.j2"
    partial.write_text(partial.read_text(encoding="utf-8").replace('"Télécharge"', '"Installe"'))
    second = build(demo_copy, previous=first, changed={partial})
    # every state of the app email includes it; the other pages are reused from memory
    assert second.rendered_count == len(load_project(demo_copy).targets("r-pur", "application"))
    assert len(second.pages) == len(first.pages)
    assert "Installe R\u2011PUR Connect" in second.pages["r-pur/application/sans-app"].compiled.text


def test_mjml_error_names_the_kept_debug_file(make_project):
    """What only mjml-python refuses (MJML takes HTML in <mj-raw>; MRML wants XML)
    is named by the rendered file kept for debugging (the rest: test_mjml_validate)."""
    root = make_project({"emails/hello.mjml.j2": EMAIL.replace(
        "</mj-column></mj-section>", "</mj-column></mj-section><mj-raw><p></mj-raw>")})
    with pytest.raises(BuildFailed) as info:
        build(root)
    error = info.value.errors[0]  # one per state: the named one, then the edge states
    assert error.stage == "mjml"
    assert error.path == ".mailkit-debug/test/hello/default.mjml"
    assert "rendered from emails/hello.mjml.j2" in error.message
    assert (root / error.path).is_file()


def run_cli(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mailkit", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_cli_prints_every_error_as_one_line_and_exits_1(make_project):
    root = make_project({
        "emails/hello.mjml.j2": EMAIL.replace("first_name", "frist_name"),
        "brands/test/fixtures/base.yaml": "person: [unclosed\n",
    })
    proc = run_cli("build", cwd=root)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[0].startswith("brands/test/fixtures/base.yaml:2: config:")
    assert lines[-1] == "1 error(s); nothing was written"


def test_cli_summary_line(make_project):
    proc = run_cli("build", cwd=make_project())
    assert proc.returncode == 0, proc.stderr
    # the named scenario and the generated edge state without a first name
    assert proc.stdout.startswith("built 2 pages (1 brands, 1 emails) in ")


def test_entry_point_keeps_click_exit_codes_and_flushes_output(make_project):
    """`mailkit` leaves with os._exit after flushing (see __main__.py): nothing is lost."""
    from importlib.metadata import entry_points

    [script] = [e for e in entry_points(group="console_scripts") if e.name == "mailkit"]
    assert script.value == "mailkit.__main__:run"
    root = make_project()
    version = run_cli("--version", cwd=root)
    assert version.returncode == 0 and "version" in version.stdout
    unknown = run_cli("nope", cwd=root)
    assert unknown.returncode == 2 and "No such command 'nope'" in unknown.stderr
    built = run_cli("build", cwd=root)
    assert built.returncode == 0 and built.stdout.endswith(" ms\n")
    assert (root / "build/test/hello/default.html").is_file()


def test_sources_writes_each_pages_text_and_mjml_beside_its_html(make_project, monkeypatch):
    """`build --sources`: the `.txt` and `.mjml` the preview's Text and MJML tabs show, on
    disk; without it only the `.html`. Switching rewrites build/ from the kept result
    (nothing rendered again); the same flag twice writes nothing."""
    from mailkit.commands import build as command
    from mailkit.site import sources

    root = make_project()
    key = "test/hello/default"
    assert run_cli("build", "--sources", cwd=root).returncode == 0
    data = sources.read(root / "build/test/hello/sources.js")
    i = data["scenarios"].index("default")
    assert (root / f"build/{key}.txt").read_text(encoding="utf-8") == data["text"][i]
    assert (root / f"build/{key}.mjml").read_text(encoding="utf-8") == data["mjml"][i]
    assert "Bonjour" in data["text"][i] and data["mjml"][i].lstrip().startswith("<mjml")
    html = root / f"build/{key}.html"
    built = html.read_bytes()

    def no_render(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(command, "gather", no_render)
    stamp = html.stat().st_mtime_ns
    build(root, sources=True)  # nothing changed: build/ kept as is
    assert html.stat().st_mtime_ns == stamp
    build(root)  # written again from the kept result, without the sources
    assert html.read_bytes() == built and not (root / f"build/{key}.txt").exists()
    assert not list((root / "build").rglob("*.mjml"))
    build(root, sources=True)
    assert (root / f"build/{key}.txt").read_text(encoding="utf-8") == data["text"][i]
