"""Per-customer values (a referral code from a profile property or a Klaviyo coupon) and
head fields in Klaviyo's language: the preview shows the state's value, the export the
Klaviyo construct, and both print the same for the same data."""

from __future__ import annotations

import pytest
from helpers import BRAND_YAML, EMAIL, REPO

from mailkit.commands.build import build
from mailkit.commands.export import export_klaviyo
from mailkit.errors import BuildFailed
from mailkit.klaviyo.dialect.engine import render_export
from mailkit.project.load import load_fixture, load_project

REFERRAL = """\
referral:
  voucher: 15 €
  friend_offer: 10 %
  code: {code}
  url: https://www.test.fr/parrainage
"""
BODY = ('Ton code : {{ per_customer("referral") }} '
        '<a href="{{ with_code(brand.referral.url, per_customer("referral")) }}">Parrainer</a>')


def project_with(make_project, code: str, fixture_extra: str = ""):
    return make_project({
        "brands/test/brand.yaml": BRAND_YAML + REFERRAL.format(code=code),
        "brands/test/fixtures/base.yaml": "person: {first_name: Camille, Referral Code: CAM-7K}\n"
                                          "event: {extra: {order_number: 1}}\n" + fixture_extra,
        "emails/hello.mjml.j2": EMAIL.replace("Bonjour {{ person.first_name }}</mj-text>",
                                              BODY + "</mj-text>")})


def same_in_export(root, key: str = "test/hello/default") -> str:
    page = build(root, write=False).pages[key]
    [t] = export_klaviyo(root).templates
    project = load_project(root)
    state = page.target.data_state
    fixture = load_fixture(project, "test", state.fixture, state.override)
    html = render_export(t.html, fixture)
    for text in ("CAM-7K", "PARRAIN-PREVIEW", "PARRAIN-Z9"):
        assert (text in html) == (text in page.compiled.html)
    return t.html


def test_profile_property_code(make_project):
    root = project_with(make_project, "{profile_property: Referral Code}")
    html = build(root, write=False).pages["test/hello/default"].compiled.html
    assert "Ton code : CAM-7K" in html
    assert 'href="https://www.test.fr/parrainage?code=CAM-7K"' in html
    exported = same_in_export(root)
    assert "{{ person|lookup:'Referral Code'|default:'' }}" in exported
    assert "parrainage?code={{ person|lookup:'Referral Code'|default:'' }}" in exported


@pytest.mark.parametrize(("extra", "shown"), [("", "PARRAIN-PREVIEW"),
                                              ("coupons: {PARRAIN: PARRAIN-Z9}\n", "PARRAIN-Z9")])
def test_coupon_code(make_project, extra, shown):
    root = project_with(make_project, "{coupon: PARRAIN}", extra)
    html = build(root, write=False).pages["test/hello/default"].compiled.html
    assert f"Ton code : {shown}" in html  # Klaviyo's own preview shows NAME-PREVIEW (K8)
    exported = same_in_export(root)
    assert "{% coupon_code 'PARRAIN' %}" in exported and "PARRAIN-" not in exported


def test_a_brand_gives_one_source_of_code(make_project):
    root = project_with(make_project, "{profile_property: Referral Code, coupon: PARRAIN}")
    with pytest.raises(BuildFailed) as info:
        build(root, write=False)
    assert "referral.code: give exactly one of 'profile_property' or 'coupon'" in str(info.value)


def test_demo_referral_code_is_each_customers():
    brand = load_project(REPO).brands["r-pur"].brand
    assert brand.referral is not None and brand.referral.code.profile_property == "Referral Code"
    [t] = [t for t in export_klaviyo(REPO, brand="r-pur").templates if t.email.id == "parrainage"]
    assert "MERCI-CAMILLE" not in t.html and "CAMILLE-7K2Q" not in t.html
    assert t.html.count("{{ person|lookup:'Referral Code'|default:'' }}") == 2


@pytest.mark.parametrize("name", ["D'Arcy", "Zoé & Léo", "<b>Ana</b>"])
def test_subject_and_preheader_are_not_html_escaped(make_project, name):
    email = EMAIL.replace("<mj-preview>Un aperçu</mj-preview>",
                          "<mj-preview>Pour {{ person.first_name }}, un aperçu</mj-preview>")
    root = make_project({"emails/hello.mjml.j2": email})
    [t] = export_klaviyo(root).templates
    fixture = {"person": {"first_name": name}}
    assert render_export(t.subject, fixture) == f"Bonjour {name}"
    assert render_export(t.preheader, fixture) == f"Pour {name}, un aperçu"
    assert "&#x27;" not in render_export(t.subject, fixture)
