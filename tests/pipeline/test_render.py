"""Render stage: strict, escaped, brand-first, and errors located at the template line."""

from __future__ import annotations

import pytest
from helpers import EMAIL

from mailkit.commands.build import build
from mailkit.errors import BuildFailed

WITH_PARTIAL = EMAIL.replace(
    "<mj-text>Bonjour {{ person.first_name }}</mj-text>",
    '{% include "partials/greet.mjml.j2" %}')


def build_errors(root) -> list[str]:
    with pytest.raises(BuildFailed) as info:
        build(root)
    return [str(e) for e in info.value.errors]


def test_undefined_fixture_key_names_the_partial_line(make_project):
    root = make_project({
        "emails/hello.mjml.j2": WITH_PARTIAL,
        "partials/greet.mjml.j2":
            "{# greeting #}\n<mj-text>Bonjour {{ person.frist_name }}</mj-text>\n",
    })
    assert build_errors(root) == [
        "partials/greet.mjml.j2:2: render: 'person' has no attribute 'frist_name'"]


@pytest.mark.parametrize(("expression", "error"), [
    ("{{ event.extra.order_nmuber }}",
     "event.extra.order_nmuber: no such field (did you mean 'order_number'?)"),
    ("{{ person['Loyalty Tier'] }}", "'person' has no attribute 'Loyalty Tier'"),
    ("{{ asset('logo.svg') }}", "no asset 'logo.svg' in brands/test/assets/"),
], ids=["nested-field", "custom-property", "asset"])
def test_what_the_email_reads_wrongly_is_named_at_its_line(make_project, expression, error):
    root = make_project({"emails/hello.mjml.j2": EMAIL.replace(
        "Bonjour {{ person.first_name }}</mj-text>", expression + "</mj-text>")})
    assert build_errors(root) == [f"emails/hello.mjml.j2:7: render: {error}"]


def test_syntax_error_names_file_and_line(make_project):
    root = make_project({"emails/hello.mjml.j2": EMAIL.replace(
        "<mj-text>Bonjour", "<mj-text>{% if person.first_name %}Bonjour")})
    [error] = build_errors(root)
    assert error.startswith("emails/hello.mjml.j2:7: render: {% if %} is never closed: add "
                            "{% endif %} (Jinja noticed at line 7: Unexpected end of template)")


def test_missing_partial_names_the_include_line(make_project):
    root = make_project({"emails/hello.mjml.j2": WITH_PARTIAL})
    assert build_errors(root) == [
        "emails/hello.mjml.j2:7: render: template not found: partials/greet.mjml.j2"]


def test_assets_their_dark_twins_and_cdn_photos_resolve_from_the_brand_folder(make_project):
    line = ("{{ asset('logo.png') }}|{{ asset('icons/cart.png') }}|{{ dark_asset('logo.png') }}"
            "|{{ 'https://cdn.shopify.com/s/files/1/logo.png?v=2' | media }}"
            "|{{ 'https://cdn.shopify.com/s/files/1/other.png' | media }}")
    root = make_project({"emails/hello.mjml.j2": EMAIL.replace(
        "Bonjour {{ person.first_name }}</mj-text>", line + "</mj-text>")})
    (root / "brands/test/assets/icons").mkdir()
    (root / "brands/test/assets/icons/cart.png").write_bytes(b"")

    def shown() -> str:
        pages = build(root, write=False, extras=False).pages.values()
        page = next(p for p in pages if p.target.scenario == "default")
        return page.rendered.mjml.split("<mj-text>")[1].split("</mj-text>")[0]

    assert shown() == ("../assets/logo.png|../assets/icons/cart.png|"
                       "|../assets/logo.png|https://cdn.shopify.com/s/files/1/other.png")
    (root / "brands/test/assets/dark").mkdir()
    (root / "brands/test/assets/dark/logo.png").write_bytes(b"")
    assert shown().split("|")[2] == "../assets/dark/logo.png"  # the next build sees it


def test_fixture_markup_comes_out_as_text(make_project):
    from helpers import FIXTURE_YAML

    evil = FIXTURE_YAML.replace("first_name: Camille", "first_name: '<script>alert(1)</script>'")
    result = build(make_project({"brands/test/fixtures/base.yaml": evil}))
    page = result.pages["test/hello/default"]
    assert "<script>" not in page.compiled.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.compiled.html
    assert "Bonjour <script>alert(1)</script>" in page.compiled.text  # text part is plain text
    assert page.rendered.subject == "Bonjour <script>alert(1)</script>"


def test_brand_override_is_searched_first(make_project):
    root = make_project({
        "emails/hello.mjml.j2": WITH_PARTIAL,
        "partials/greet.mjml.j2": "<mj-text>Partagé</mj-text>\n",
        "brands/test/partials/greet.mjml.j2": "<mj-text>Propre à la marque</mj-text>\n",
    })
    page = build(root).pages["test/hello/default"]
    assert "Propre à la marque" in page.compiled.html
    assert "Partagé" not in page.compiled.html
    assert root.joinpath("brands/test/partials/greet.mjml.j2").resolve() in page.deps


def test_brand_data_keys_win_over_dict_methods(make_project):
    from helpers import BRAND_YAML

    root = make_project({
        "brands/test/brand.yaml": BRAND_YAML + "copy: {signature: L’équipe Test}\n",
        "emails/hello.mjml.j2": EMAIL.replace("Bonjour {{ person.first_name }}</mj-text>",
                                              "{{ brand.copy.signature }}</mj-text>"),
    })
    assert "L’équipe Test" in build(root).pages["test/hello/default"].compiled.text


def test_scenario_override_and_extends_merge_deeply(make_project):
    from helpers import FLOWS_YAML

    flows = FLOWS_YAML.replace("default: {fixture: base}", (
        "default: {fixture: child}\n"
        "          renamed: {fixture: child, override: {person: {first_name: Zoé}}}"))
    root = make_project({
        "brands/test/flows.yaml": flows,
        "brands/test/fixtures/child.yaml": "extends: base\nevent: {extra: {order_number: 2}}\n",
    })
    pages = build(root).pages
    assert pages["test/hello/default"].rendered.subject == "Bonjour Camille"
    assert pages["test/hello/renamed"].rendered.subject == "Bonjour Zoé"


def test_a_fresh_build_parses_each_preview_template_once(demo_copy, monkeypatch):
    """The tree `deps.dependencies` parses for a template's references is the one its
    compile uses: a fresh clone does not parse the preview's templates twice; the
    pages are the same."""
    import jinja2

    from mailkit.pipeline import environment

    monkeypatch.setenv("MAILKIT_JOBS", "1")
    before = {k: p.compiled.html for k, p in build(demo_copy, write=False).pages.items()}
    parses: list[str] = []
    original = jinja2.Environment._parse

    def counted(self, source, name, filename):
        if isinstance(self, environment.Environment) and self.source_map:
            parses.append(name)
        return original(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "_parse", counted)
    import shutil

    from mailkit.cache import bytecode
    from mailkit.pipeline.jinja import deps

    shutil.rmtree(demo_copy / ".mailkit-cache", ignore_errors=True)
    monkeypatch.setattr(bytecode, "_CACHES", {})  # as in a new process: nothing compiled
    monkeypatch.setattr(deps, "REFS", {})
    monkeypatch.setattr(deps, "_refs_loaded", set())
    again = build(demo_copy, write=False)
    assert parses and len(parses) == len(set(parses))
    assert {k: p.compiled.html for k, p in again.pages.items()} == before
