"""MJML validation: MJML 5's rules, each finding at the template line that wrote it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from helpers import EMAIL

from mailkit.commands.build import build
from mailkit.errors import BuildFailed
from mailkit.mjml.validate import validate

# an email that includes a partial, which calls a macro from another partial
EMAIL_WITH_PARTIAL = EMAIL.replace(
    "      <mj-text>Bonjour {{ person.first_name }}</mj-text>\n",
    "      <mj-text>Bonjour {{ person.first_name }}</mj-text>\n"
    "    </mj-column></mj-section>\n"
    '    {% include "partials/block.mjml.j2" %}\n'
    "    <mj-section><mj-column>\n")
BLOCK = """\
{% from "partials/cta.mjml.j2" import cta %}
<mj-section>
  <mj-column>
    {{ cta("Voir") }}
  </mj-column>
</mj-section>
"""
CTA = """\
{% macro cta(label) -%}
<mj-button href="https://www.test.fr" {{ extra|default("") }}>{{ label }}</mj-button>
{%- endmacro %}
"""


def run_cli(*args: str, cwd) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mailkit", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def project_with(make_project, cta: str = CTA, block: str = BLOCK, **files: str):
    return make_project({"emails/hello.mjml.j2": EMAIL_WITH_PARTIAL,
                         "partials/block.mjml.j2": block, "partials/cta.mjml.j2": cta, **files})



def test_a_finding_in_a_macro_names_the_partial_line_and_the_chain(make_project):
    root = project_with(make_project, cta=CTA.replace("{{ extra", 'colour="red" {{ extra'))
    result = build(root)
    [warning] = [w for w in result.warnings if w.stage == "mjml"]
    assert str(warning) == (
        "partials/cta.mjml.j2:2: mjml: mj-button: attribute colour is illegal (did you mean "
        "color?) (via emails/hello.mjml.j2:9 → partials/block.mjml.j2:4; test/hello/default)")


@pytest.mark.parametrize(("snippet", "message"), [
    ("<mj-foo>x</mj-foo>", "Element mj-foo doesn't exist or is not registered"),
    ('<mj-text align="middle">x</mj-text>',
     "mj-text: attribute align has invalid value 'middle': it takes one of left, right, "
     "center, justify"),
    ('<mj-text padding="10">x</mj-text>',
     "mj-text: attribute padding has invalid value '10': it takes 1 to 4 value(s) in px, %"),
    ('<mj-text color="#12">x</mj-text>', "mj-text: attribute color has invalid value '#12'"),
    ("<mj-section><mj-column></mj-column></mj-section>",
     "mj-section cannot be used inside mj-column, only inside: mj-body, mj-wrapper"),
])
def test_each_rule_reports_at_the_partial_line(make_project, snippet, message):
    block = BLOCK.replace('    {{ cta("Voir") }}\n', f'    {{{{ cta("Voir") }}}}\n    {snippet}\n')
    result = build(project_with(make_project, block=block))
    found = [str(w) for w in result.warnings if w.stage == "mjml"]
    assert len(found) == 1 and found[0].startswith(f"partials/block.mjml.j2:5: mjml: {message}")
    assert "(via emails/hello.mjml.j2:9; test/hello/default)" in found[0]


def test_a_column_outside_a_section(make_project):
    email = EMAIL.replace("<mj-section><mj-column>", "<mj-column>").replace(
        "</mj-column></mj-section>", "</mj-column>")
    result = build(make_project({"emails/hello.mjml.j2": email}))
    assert [str(w).split(" (")[0] for w in result.warnings] == [
        "emails/hello.mjml.j2:6: mjml: mj-column cannot be used inside mj-body, only inside: "
        "mj-group, mj-section"]


def test_an_unclosed_element_is_an_error_at_its_opening_line(make_project):
    """Not MRML's "unexpected end of stream" pointed at a debug file."""
    block = BLOCK.replace('    {{ cta("Voir") }}\n', '    <mj-text>Sans fin\n')
    root = project_with(make_project, block=block)
    with pytest.raises(BuildFailed) as info:
        build(root)
    assert [str(e) for e in info.value.errors] == [
        "partials/block.mjml.j2:4: mjml: <mj-text> is never closed before </mj-column…> "
        "(via emails/hello.mjml.j2:9; test/hello/default)"]


def test_unclosed_at_the_end_of_the_document(make_project):
    root = make_project({"emails/hello.mjml.j2": EMAIL.replace("</mj-text>", "").split(
        "    </mj-column>")[0]})
    with pytest.raises(BuildFailed) as info:
        build(root)
    assert [str(e).split(" (")[0] for e in info.value.errors] == [
        "emails/hello.mjml.j2:7: mjml: <mj-text> is never closed"]


def test_cli_warns_in_build_fails_with_strict_and_in_check(make_project):
    root = project_with(make_project, cta=CTA.replace("{{ extra", 'colour="red" {{ extra'))
    line = "partials/cta.mjml.j2:2: mjml: mj-button: attribute colour is illegal"
    built = run_cli("build", cwd=root)
    assert built.returncode == 0 and line in built.stderr and "(warning)" in built.stderr
    strict = run_cli("build", "--strict", cwd=root)
    assert strict.returncode == 1 and line in strict.stderr
    checked = run_cli("check", "--format", "json", cwd=root)
    assert checked.returncode == 1, checked.stderr
    report = json.loads(checked.stdout)
    found = [f for page in report["pages"] if page["scenario"] == "default"  # not the
             for f in page["findings"] if f["check"] == "mjml"]  # generated sans-prenom
    assert [f["severity"] for f in found] == ["error"]
    assert found[0]["message"].startswith(line.replace(" mjml:", ""))
    assert "Traceback" not in built.stderr + strict.stderr + checked.stderr


def test_checks_yaml_accepts_a_finding_for_a_brand_with_a_reason(make_project):
    cta = CTA.replace("{{ extra", 'role="none" {{ extra')
    accept = ("accept_mjml:\n  illegal-attribute:mj-button:role:\n"
              "    reason: MRML copies it through, and screen readers need it\n"
              "    brands: [test]\n")
    root = project_with(make_project, cta=cta, **{"checks.yaml": accept})
    assert not [w for w in build(root).warnings if w.stage == "mjml"]
    checked = run_cli("check", "--strict", "--format", "json", cwd=root)
    assert "Traceback" not in checked.stderr
    found = [f for p in json.loads(checked.stdout)["pages"] if p["scenario"] == "default"
             for f in p["findings"] if f["check"] == "mjml"]
    assert [f["severity"] for f in found] == ["info"]
    other = accept.replace("[test]", "[autre]")
    (root / "checks.yaml").write_text(other, encoding="utf-8")
    with pytest.raises(BuildFailed) as info:  # a brand that does not exist accepts nothing
        build(root)
    assert [str(e) for e in info.value.errors] == [
        "checks.yaml:4: config: accept_mjml.illegal-attribute:mj-button:role.brands.0: "
        "no brand 'autre' in brands/"]
    (root / "brands/autre").mkdir()
    (root / "brands/autre/brand.yaml").write_text(
        (root / "brands/test/brand.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for rel in ("flows.yaml", "fixtures/base.yaml"):
        (root / "brands/autre" / rel).parent.mkdir(exist_ok=True)
        shutil.copy(root / "brands/test" / rel, root / "brands/autre" / rel)
    shutil.copytree(root / "brands/test/assets", root / "brands/autre/assets")
    assert [w for w in build(root).warnings if w.stage == "mjml"]  # not this brand's


def test_a_misspelt_acceptance_is_a_config_error_at_its_line(make_project):
    root = make_project({"checks.yaml": "accept_mjml:\n  illegal-attribute:mj-buton:role: why\n"
                                        "  unknown-element:mj-text: why\n"})
    with pytest.raises(BuildFailed) as info:
        build(root)
    assert [str(e) for e in info.value.errors] == [
        "checks.yaml:2: config: accept_mjml.illegal-attribute:mj-buton:role: 'mj-buton' is "
        "not an MJML 5.4.1 element",
        "checks.yaml:3: config: accept_mjml.unknown-element:mj-text: 'mj-text' is an MJML "
        "element: nothing to accept"]


def test_an_element_repeated_under_other_parents_is_judged_where_it_is():
    """What an element breaks is kept per tag, attributes and parent's tag: the same
    `<mj-column>` as a default, under the body and under a section breaks different
    rules, in any order, and again in a second document."""
    doc = ('<mjml>\n<mj-head>\n<mj-attributes>\n<mj-column padding="bogus" />\n'
           '</mj-attributes>\n</mj-head>\n<mj-body>\n<mj-column padding="bogus">\n'
           '</mj-column>\n<mj-section>\n<mj-column padding="bogus">\n</mj-column>\n'
           '</mj-section>\n</mj-body>\n</mjml>\n')
    expected = [(4, "invalid-value:mj-column:padding"), (8, "illegal-child:mj-body:mj-column"),
                (8, "invalid-value:mj-column:padding"), (11, "invalid-value:mj-column:padding")]
    for _ in range(2):
        assert [(f.line, f.code) for f in validate(doc)] == expected


def test_the_serve_overlay_shows_warnings_when_nothing_failed(make_project):
    from mailkit.serve.server import overlay

    root = project_with(make_project, cta=CTA.replace("{{ extra", 'colour="red" {{ extra'))
    warnings = build(root).warnings
    box = overlay([], warnings)
    assert "data-mailkit-warning" in box and "data-mailkit-error" not in box
    assert "partials/cta.mjml.j2:2: mjml: mj-button: attribute colour is illegal" in box
    assert overlay([], []) == ""
    assert "data-mailkit-error" in overlay(warnings[:1], warnings)  # errors come first
