"""Config validation: every problem at once, each at its file, line and key path."""

from __future__ import annotations

import pytest
from helpers import BRAND_YAML, FLOWS_YAML, REPO

from mailkit.commands.build import build
from mailkit.errors import BuildFailed
from mailkit.project.load import load_project


def errors_of(root) -> list[str]:
    with pytest.raises(BuildFailed) as info:
        load_project(root)
    return [str(e) for e in info.value.errors]


def test_valid_project_loads_with_no_warning(make_project):
    project = load_project(make_project())
    assert list(project.brands) == ["test"]
    assert project.warnings == []


def test_unknown_key_warns_with_line_and_builds_anyway(make_project):
    root = make_project({"brands/test/brand.yaml": BRAND_YAML + "pallete: {}\n"})
    result = build(root)
    assert [str(w) for w in result.warnings] == [
        "brands/test/brand.yaml:14: config: pallete: unknown key (ignored); did you mean "
        "'palette'?"]


def test_a_misnamed_key_is_named_beside_the_missing_one_it_explains(make_project):
    """A newcomer's guesses (`name`, `address`) get a "did you mean" even while required
    keys are missing, which is when they matter."""
    brand = (BRAND_YAML.replace("display_name: Test", "name: Test")
             .replace("postal_address:", "address:"))
    errors = errors_of(make_project({"brands/test/brand.yaml": brand}))
    assert "brands/test/brand.yaml:1: config: display_name: required key is missing" in errors
    assert "brands/test/brand.yaml:1: config: name: unknown key (ignored); did you mean " \
           "'display_name'?" in errors
    assert any(e.endswith("config: address: unknown key (ignored); did you mean "
                          "'postal_address'?") for e in errors), errors


def test_every_error_reported_at_once_with_line_and_key_path(make_project):
    broken = (BRAND_YAML.replace('primary: "#0044AA"', 'primary: "blue"')
              .replace("locale: fr\n", "")
              .replace("width: 100", "width: wide"))
    errors = errors_of(make_project({"brands/test/brand.yaml": broken}))
    assert "brands/test/brand.yaml:1: config: locale: required key is missing" in errors
    assert any(e.startswith("brands/test/brand.yaml:4: config: logo.width:") for e in errors)
    assert ("brands/test/brand.yaml:8: config: palette.light.primary: 'blue' is not a colour "
            "like #A3472F") in errors
    assert len(errors) == 3


def test_yaml_syntax_error_names_the_line(make_project):
    errors = errors_of(make_project({"brands/test/flows.yaml": "flows:\n  - id: [oops\n"}))
    assert len(errors) == 1
    assert errors[0].startswith("brands/test/flows.yaml:3: config:")


def test_flow_cross_checks_are_located(make_project):
    flows = (FLOWS_YAML.replace("template: hello", "template: nope")
             .replace("fixture: base", "fixture: missing"))
    errors = errors_of(make_project({"brands/test/flows.yaml": flows}))
    assert errors == [
        "brands/test/flows.yaml:8: config: flows.0.emails.0.template: no template "
        "emails/nope.mjml.j2 (looked in brands/test/ and the project)",
        "brands/test/flows.yaml:11: config: flows.0.emails.0.scenarios.default.fixture: "
        "no fixture brands/test/fixtures/missing.yaml",
    ]


def test_two_emails_with_one_id_are_refused(make_project):
    email = FLOWS_YAML[FLOWS_YAML.index("      - id: hello"):]
    errors = errors_of(make_project({"brands/test/flows.yaml": FLOWS_YAML + email}))
    assert errors == ["brands/test/flows.yaml:12: config: flows.0.emails.1.id: email id 'hello' "
                      "is used twice: both would write the same output"]


def test_two_flows_with_one_name_are_refused(make_project):
    flow = (FLOWS_YAML[FLOWS_YAML.index("  - id: welcome"):]
            .replace("id: welcome", "id: again").replace("id: hello", "id: hello-again"))
    errors = errors_of(make_project({"brands/test/flows.yaml": FLOWS_YAML + flow}))
    assert errors == ["brands/test/flows.yaml:13: config: flows.1.name: flow name 'Bienvenue' "
                      "is used twice: Klaviyo's flows and templates are found by name"]


def test_trigger_needs_exactly_one_kind(make_project):
    flows = FLOWS_YAML.replace("{metric: Placed Order}", "{metric: A, segment: B}")
    assert errors_of(make_project({"brands/test/flows.yaml": flows})) == [
        "brands/test/flows.yaml:4: config: flows.0.trigger: "
        "give exactly one of 'metric' or 'segment'"]


@pytest.mark.parametrize(("before", "after", "line", "where", "message"), [
    ("{metric: Placed Order}", "{metric: Placed Order, where: [{property: Items}]}", 4,
     "flows.0.trigger.where.0", "give exactly one of 'contains' or 'equals'"),
    ("{days: 0}", "{days: 0, product: vase}", 9, "flows.0.emails.0.delay",
     "give either 'days' or 'product' (with 'lead_days')"),
])
def test_each_pair_of_alternatives_takes_exactly_one(make_project, before, after, line, where,
                                                     message):
    flows = FLOWS_YAML.replace(before, after)
    assert errors_of(make_project({"brands/test/flows.yaml": flows})) == [
        f"brands/test/flows.yaml:{line}: config: {where}: {message}"]


def test_refill_delay_is_computed_from_the_product_lifetime():
    project = load_project(REPO)
    refill = next(t for t in project.targets("r-pur") if t.email.id == "filtres")
    product = project.brands["r-pur"].brand.product("filtres-fiit")
    assert refill.email.delay.days is None  # not written by hand
    assert product.lifetime_days == 90
    assert project.brands["r-pur"].delay_days(refill.email) == 80


def test_winback_flow_records_the_batch_rule():
    flow = next(f for f in load_project(REPO).brands["kokawa"].flows if f.id == "winback")
    assert flow.batch is not None and flow.batch.share == 0.5
    rules = {(t.metric, t.op, t.value) for t in flow.batch.while_}
    assert rules == {("open_rate", ">", 0.10), ("unsubscribe_rate", "<", 0.03),
                     ("spam_complaint_rate", "<", 0.0008)}
