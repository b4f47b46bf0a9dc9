"""The data contract: fixtures follow their trigger's real shape, templates read only what
real data holds, segment-triggered emails read no event, and the edge states a real
audience produces are generated from it."""

from __future__ import annotations

import pytest
from helpers import EMAIL, FLOWS_YAML, REPO

from mailkit.commands.build import build
from mailkit.commands.export import export_klaviyo
from mailkit.errors import BuildFailed
from mailkit.project.contract import contracts_by_trigger
from mailkit.project.contract.edges import apply_edge
from mailkit.project.load import load_fixture, load_project

ORDER = """\
person: {first_name: Camille, email: camille@exemple.fr}
event:
  $value: 89.0
  extra:
    order_number: 1042
    name: "#1042"
    total_price: "89.00"
    line_items:
      - title: Masque FiiT
        variant_title: Noir
        quantity: 1
        price: "89.00"
        image_url: https://cdn.shopify.com/mask.png
organization: {name: Test, url: "https://www.test.fr/"}
"""


def errors_of(root) -> list[str]:
    with pytest.raises(BuildFailed) as info:
        build(root, write=False)
    return [str(e) for e in info.value.errors]


def test_a_field_real_events_lack_is_an_error_at_its_line_with_the_fix(make_project):
    root = make_project({"brands/test/fixtures/base.yaml": ORDER})
    assert errors_of(root) == [
        "brands/test/fixtures/base.yaml:13: config: event.extra.line_items[0].image_url: "
        "Shopify line items have no image_url; the image is product.images.0.src"]


@pytest.mark.parametrize(("yaml", "says"), [
    ("event: {extra: {order_number: '1042'}}", "event.extra.order_number: is an integer"),
    ("event: {extra: {total_price: '89,00'}}", 'is an amount like "45.00"'),
    ("event: {extra: {processed_at: 2026-08-21T00:30:00+02:00}}", "quote it: Klaviyo holds"),
    ("event: {extra: {line_items: []}}", "line_items: never empty in real Placed Order data"),
    ("event: {value: 3}", "the order value is `$value`"),
    ("event: {extra: {customer: null, fulfillments: [{name: '#1.1', status: success, "
     "tracking_company: null, tracking_number: null, tracking_url: null}]}}", None),
])
def test_types_and_nulls_follow_the_contract(make_project, yaml, says):
    root = make_project({"brands/test/fixtures/base.yaml": "person: {first_name: A}\n" + yaml})
    if says is None:
        build(root, write=False)  # nulls where Shopify sends them are fine
        return
    [error] = errors_of(root)
    assert error.startswith("brands/test/fixtures/base.yaml:2: config: ") and says in error


def test_a_template_reading_a_field_real_data_lacks_fails_at_its_line(make_project):
    body = "{% fordata item in event.extra.line_items %}{{ item.image_url }}{% endfordata %}"
    root = make_project({
        "brands/test/fixtures/base.yaml": ORDER.replace("image_url: https://cdn.shopify.com/"
                                                        "mask.png", "sku: FIIT-N"),
        "emails/hello.mjml.j2": EMAIL.replace("Bonjour {{ person.first_name }}</mj-text>",
                                              body + "</mj-text>")})
    message = ("emails/hello.mjml.j2:7: render: event.extra.line_items[].image_url: Shopify "
               "line items have no image_url; the image is product.images.0.src")
    assert errors_of(root) == [message]
    with pytest.raises(BuildFailed) as info:  # the export, which reads no fixture, too
        export_klaviyo(root)
    assert [str(e) for e in info.value.errors] == [message.replace("line_items[]", "item")
                                                   .replace("event.extra.item", "item")]


def test_a_fixture_lacking_a_field_a_template_reads_is_named_in_the_fixture(make_project):
    """Real Placed Order data always has total_price: a fixture without it, for an email
    that prints it, is named at the fixture's line with the field and the state, before
    the render fails in a partial; an optional field, or one nothing reads, is fine."""
    total = "{{ event.extra.total_price }} {{ event.extra.note }}"
    root = make_project({
        "brands/test/fixtures/base.yaml": ORDER.replace('    total_price: "89.00"\n', "")
        .replace("        image_url: https://cdn.shopify.com/mask.png\n", ""),
        "emails/hello.mjml.j2": EMAIL.replace("Bonjour {{ person.first_name }}</mj-text>",
                                              total + "</mj-text>")})
    [error] = errors_of(root)
    assert error.startswith("brands/test/fixtures/base.yaml:4: data: event.extra.total_price "
                            "is missing, and emails/hello.mjml.j2 (or a partial it includes) "
                            "reads it for test/hello/default: real Placed Order data "
                            "always has it"), error
    (root / "emails/hello.mjml.j2").write_text(EMAIL, encoding="utf-8")  # nothing reads it
    build(root, write=False)


SEGMENT_FLOWS = FLOWS_YAML.replace("trigger: {metric: Placed Order}", "trigger: {segment: VIP}")


def test_event_data_in_a_segment_triggered_email_is_an_error(make_project):
    root = make_project({"brands/test/flows.yaml": SEGMENT_FLOWS})
    [fixture_error] = errors_of(root)
    assert fixture_error.startswith("brands/test/fixtures/base.yaml:2: config: event: this "
                                    "email's flow is triggered by a segment")
    root = make_project({"brands/test/flows.yaml": SEGMENT_FLOWS,
                         "brands/test/fixtures/base.yaml": "person: {first_name: A}\n",
                         "emails/hello.mjml.j2": EMAIL.replace(
                             "<mj-text>Bonjour", "<mj-text>{{ event.extra.name }} Bonjour")})
    [error] = errors_of(root)
    assert error.startswith("emails/hello.mjml.j2:7: render: event: this email's flow is "
                            "triggered by a segment, not a metric: Klaviyo renders event data")


def test_a_metric_without_contract_is_an_error_and_a_project_can_add_one(make_project):
    flows = FLOWS_YAML.replace("Placed Order", "Started Checkout")
    root = make_project({"brands/test/flows.yaml": flows})
    [error] = errors_of(root)
    assert error.startswith("brands/test/flows.yaml:4: config: flows.0.trigger.metric: no data "
                            "contract for metric 'Started Checkout' (known: Fulfilled Order, "
                            "Placed Order)")
    root = make_project({"brands/test/flows.yaml": flows, "contracts/checkout.yaml": """\
        trigger: Started Checkout
        extends: segment
        context:
          event:
            type: object
            fields:
              extra: {fields: {order_number: int, checkout_url: url}}
        """})
    assert "test/hello/default" in build(root, write=False).pages


def test_demo_edge_states_come_from_the_contract_and_what_each_email_reads():
    project = load_project(REPO)
    edges = {t.key: t for t in project.targets() if t.edge}
    colis = {k.rsplit("/", 1)[1] for k in edges if k.startswith("r-pur/colis/")}
    assert colis == {"sans-prenom", "sans-variante", "sans-image", "gros-montant", "liste-vide",
                     "suivi-inconnu"}
    refill = {k.rsplit("/", 1)[1] for k in edges if k.startswith("r-pur/filtres/")}
    assert refill == {"sans-prenom", "commande-0h30"}  # it reads the date, not the lines
    assert not any(k.startswith(("r-pur/accessoires/", "r-pur/parrainage/")) for k in edges)
    assert edges["r-pur/colis/sans-variante"].description.startswith("Produit à variante unique")
    named = {t.key for t in project.targets(edges=False)}
    assert not named & set(edges)


@pytest.mark.parametrize(("key", "path", "value"), [
    ("r-pur/colis/sans-variante", ("event", "extra", "line_items", 0, "variant_title"), None),
    ("r-pur/colis/sans-image", ("event", "extra", "line_items", 0, "product", "images"), []),
    ("r-pur/colis/suivi-inconnu", ("event", "extra", "fulfillments", 0, "tracking_url"), None),
    ("r-pur/colis/gros-montant", ("event", "extra", "total_price"), "1294.90"),
    ("r-pur/filtres/commande-0h30", ("event", "extra", "processed_at"),
     "2026-08-20T00:30:00+02:00"),
])
def test_edge_state_data(key, path, value):
    project = load_project(REPO)
    [target] = [t for t in project.targets() if t.key == key]
    data = load_fixture(project, target.brand, target.data_state.fixture,
                        target.data_state.override)
    for step in path:
        data = data[step]
    assert data == value


def test_no_first_name_drops_the_key_as_real_profiles_do():
    project = load_project(REPO)
    [target] = [t for t in project.targets() if t.key == "r-pur/filtres/sans-prenom"]
    data = load_fixture(project, target.brand, target.data_state.fixture,
                        target.data_state.override)
    assert "first_name" not in data["person"] and data["person"]["last_name"] == "Martin"


def test_apply_edge_keeps_money_strings_strings():
    contract = contracts_by_trigger(None)["Placed Order"]
    data = {"event": {"$value": 89.0, "extra": {"total_price": "89.00",
                                                "line_items": [{"price": 89}]}}}
    changed, touched = apply_edge(data, contract, "gros-montant")
    assert changed["event"]["$value"] == 1299.0
    assert changed["event"]["extra"] == {"total_price": "1299.00", "line_items": [{"price": 1299}]}
    assert touched == {"event.$value", "event.extra.total_price", "event.extra.line_items[].price"}
    assert data["event"]["extra"]["total_price"] == "89.00"  # the base is untouched


def test_every_edge_leaves_the_fixture_as_it_was():
    """apply_edge copies only where it changes: every edge of every demo email, tried on
    the fixture it starts from, leaves that fixture equal to a deep copy taken before."""
    import copy

    project = load_project(REPO)
    tried = 0
    for target in project.targets():
        contract = project.contract(target.flow)
        if target.edge or contract is None:
            continue
        data = load_fixture(project, target.brand, target.data_state.fixture,
                            target.data_state.override)
        before = copy.deepcopy(data)
        for slug in contract.edges:
            changed, touched = apply_edge(data, contract, slug)
            tried += bool(touched)
            assert data == before, (target.key, slug)
    assert tried > 20


def test_edge_states_read_well_in_preview_and_export(demo_build):
    """What each edge state is about, shown the way a customer reads it."""
    result, _ = demo_build
    text = {k: p.compiled.text for k, p in result.pages.items()}
    assert "Quantité\u00a0: 1" in text["r-pur/colis/sans-variante"]
    assert "None" not in text["r-pur/colis/sans-variante"]
    assert "1\u202f299,00\u00a0€" in text["r-pur/colis/gros-montant"]
    assert "Colis expédié, sans numéro de suivi" in text["r-pur/colis/suivi-inconnu"]
    assert "Suivre mon colis" not in text["r-pur/colis/suivi-inconnu"]
    summary = result.pages["r-pur/colis/sans-image"].compiled.html.split("Ta commande")[-1]
    assert "<img" not in summary.split("Total")[0]
    assert result.pages["r-pur/application/sans-prenom"].rendered.subject == \
        "Suis l’usure de ton filtre"
    assert "commandé le 20 août 2026" in text["r-pur/filtres/commande-0h30"]


@pytest.mark.parametrize(("old", "new", "state", "says"), [
    ("{% ifdata item.variant_title %}{{ item.variant_title }} · {% endifdata %}",
     "{{ item.variant_title }} · ", "sans-variante", "shows 'None'"),
    ("{% ifdata f.tracking_url %}", "{% ifdata true %}", "suivi-inconnu", 'href="None"'),
    ("{% ifdata item.product.images %}", "{% ifdata true %}", "sans-image",
     "has no image URL"),
])
def test_check_catches_an_unguarded_field_in_preview_and_export(demo_copy, old, new, state,
                                                                says):
    from click.testing import CliRunner

    from mailkit.cli import main

    partial = demo_copy / "partials/order_summary.mjml.j2"
    source = partial.read_text(encoding="utf-8")
    assert old in source
    partial.write_text(source.replace(old, new), encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(demo_copy), "check", "--brand", "r-pur",
                                       "--email", "colis", "--export"])
    assert result.exit_code == 1
    failing = [line for line in result.stdout.splitlines() if "error" in line and "data" in line]
    assert failing and any(says in line for line in failing), result.stdout
    heads = [line.split()[0] for line in result.stdout.splitlines() if "error" in line
             and not line.startswith((" ", "check"))]
    assert heads == [f"r-pur/colis/{state}", f"r-pur/colis/klaviyo-export:{state}"]


@pytest.mark.parametrize(("email", "old", "new", "state", "says"), [
    ("brands/kokawa/emails/cross_sell.mjml.j2",
     "{% ifdata person.first_name %}{{ person.first_name }}, une{% else %}Une{% endifdata %}",
     "{{ person.first_name }}, une", "sans-prenom", "the subject starts with ','"),
    ("brands/kokawa/emails/whatsapp_share.mjml.j2", "<mj-text>Elle a quitté",
     "<mj-text>{{ person.first_name }}, elle a quitté", "un-article",
     "'Léa' is printed on two consecutive lines"),
])
def test_check_catches_copy_that_reads_badly_for_a_state(demo_copy, email, old, new, state,
                                                         says):
    from click.testing import CliRunner

    from mailkit.cli import main

    path = demo_copy / email
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new), encoding="utf-8")
    brand_email = "kokawa/" + ("complements" if "cross" in email else "partage-whatsapp")
    result = CliRunner().invoke(main, ["--root", str(demo_copy), "check", "--brand", "kokawa",
                                       "--email", brand_email.split("/")[1], "--export"])
    assert result.exit_code == 1
    out = result.stdout.splitlines()
    heads = [line.split()[0] for line in out if "error" in line
             and not line.startswith((" ", "check"))]
    assert f"{brand_email}/{state}" in heads and f"{brand_email}/klaviyo-export:{state}" in heads
    assert any(says in line for line in out), result.stdout


def test_a_field_of_another_metric_is_an_error(make_project):
    """A Placed Order email cannot read what only Fulfilled Order carries."""
    root = make_project({"emails/hello.mjml.j2": EMAIL.replace(
        "<mj-text>Bonjour", "<mj-text>{{ event.HasPartialFulfillments }} Bonjour")})
    [error] = errors_of(root)
    assert error.startswith("emails/hello.mjml.j2:7: render: event.HasPartialFulfillments: "
                            "no such field")
