"""The Klaviyo export, verified with Django's template engine rather than hoped.

Klaviyo renders templates with Django's template language plus its own tags and filters.
Django is the engine here (mailkit/klaviyo/dialect/engine.py); Klaviyo's additions follow its
documented behaviour (help.klaviyo.com, "Glossary of variable filters" and "Template tags
reference"), with Klaviyo's English locale and UTC. Every exported template must parse,
and rendering it against the fixture of every named and generated edge state (fixtures
follow the trigger's contract, shaped like Klaviyo's Shopify events) must give the
preview's visible text, links and images for that state.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from helpers import DEMO, REPO

from mailkit.commands.export import export_klaviyo
from mailkit.errors import BuildFailed
from mailkit.klaviyo.dialect.engine import PREFERENCES, UNSUBSCRIBE, WEB_VIEW, engine, render_export
from mailkit.pipeline.text import html_to_text
from mailkit.project.load import load_fixture, load_project

ENGINE = engine()  # Django's, with Klaviyo's tags and filters (mailkit/klaviyo/dialect/engine.py)
PROJECT = load_project(REPO)
SCENARIOS = [t.key for t in PROJECT.targets()]
EMAILS = sorted({k.rsplit("/", 1)[0] for k in SCENARIOS})
klaviyo_render = render_export


@pytest.fixture(scope="module")
def exported():
    return {t.key: t for t in export_klaviyo(REPO).templates}


def links(html: str) -> set[str]:
    return {a.get("href") for a in lxml.html.document_fromstring(html).iter("a")}


def images(html: str) -> list[str]:
    """Image file names in order: the preview's are relative, the export's absolute."""
    return [img.get("src").rsplit("/", 1)[-1]
            for img in lxml.html.document_fromstring(html).iter("img")]


def as_klaviyo_links(text: str, brand: str) -> str:
    """The preview points Klaviyo's system links at the brand's site: map them."""
    site = PROJECT.brands[brand].brand.website.rstrip("/")
    for path, url in (("desinscription", UNSUBSCRIBE), ("preferences-email", PREFERENCES),
                      ("version-web", WEB_VIEW)):
        text = text.replace(f"{site}/pages/{path}", url)
    return text


def test_every_brand_and_email_is_exported_once(exported):
    assert sorted(exported) == EMAILS
    assert len(EMAILS) == DEMO.emails


@pytest.mark.parametrize("key", EMAILS)
def test_export_parses_with_django_and_holds_no_jinja(exported, key):
    t = exported[key]
    for part in (t.html, t.text, t.subject, t.preheader):
        ENGINE.from_string(part)  # raises TemplateSyntaxError on anything not Klaviyo's
        assert not re.search(r"\{#|\{%-|-%\}|\{\{-|-\}\}|~~\d+~~|(if|for)data", part), key
    assert "%7B" not in t.html and "%7D" not in t.html and "&#123;" not in t.html
    # tags in attributes come out literally: neither percent-encoded nor entity-escaped
    for href in re.findall(r'href="([^"]*\{[{%][^"]*)"', t.html):
        assert re.fullmatch(r"(?:[^{}%]*(?:\{\{ [^{}]+ \}\}|\{% [a-z_]+(?: '[^']*')? %\}))+"
                            r"[^{}%]*", href), href


@pytest.mark.parametrize("key", SCENARIOS)
def test_round_trip_gives_the_preview_text_and_links(exported, demo_build, key):
    """Rendering the export with the scenario's fixture = the preview of that scenario."""
    result, _ = demo_build
    page = result.pages[key]
    target = page.target
    scenario = target.data_state
    fixture = load_fixture(PROJECT, target.brand, scenario.fixture, scenario.override)
    t = exported[f"{target.brand}/{target.email.id}"]
    html = klaviyo_render(t.html, fixture)
    assert html_to_text(html) == as_klaviyo_links(page.compiled.text, target.brand)
    assert links(html) == {as_klaviyo_links(h, target.brand) for h in links(page.compiled.html)}
    assert images(html) == images(page.compiled.html)
    assert klaviyo_render(t.subject, fixture) == page.rendered.subject
    assert klaviyo_render(t.preheader, fixture) == page.rendered.preheader
    text = klaviyo_render(t.text, fixture)
    assert text == as_klaviyo_links(page.compiled.text, target.brand)


def test_app_block_is_wrapped_in_the_profile_condition(exported):
    t = exported["r-pur/application"]
    open_tag = "{% if not person|lookup:'Has R-PUR App' %}"
    assert "<mj-raw>" + open_tag + "</mj-raw>" in t.mjml  # around whole sections
    start = t.html.index(open_tag)  # the subject's own {% if first_name %} comes before
    middle, end = t.html.index("{% else %}", start), t.html.index("{% endif %}", start)
    assert start < t.html.index("mk-app-block") < t.html.rindex("mk-app-block") < middle
    assert start < t.html.index("apps.apple.com") < middle  # the whole block, Outlook's too
    assert middle < t.html.index("Tu as déjà l’application") < end
    assert t.html.count("apps.apple.com") == 1 and t.html.count(open_tag) == 1


def test_line_items_loop_is_rendered_once(exported):
    t = exported["kokawa/partage-whatsapp"]
    assert t.html.count("{% for item in event.extra.line_items %}") == 1
    assert t.html.count("{{ item.title }}") == 2  # the image's alt and the cell
    assert t.html.count("Quantité") == 1 and t.text.count("Quantité") == 1
    assert ("{{ item.price|multiply:item.quantity|floatformat:'2g'|find_replace:',|\u202f'"
            "|find_replace:'.|,' }}") in t.html
    assert t.html.count("{% for f in event.extra.fulfillments %}") == 1
    assert '<a href="{{ f.tracking_url }}"' in t.html
    assert "{% if f.tracking_url %}" in t.html  # null for a fulfillment without tracking
    assert "{% if item.variant_title %}" in t.html  # null for a single-variant product


@pytest.mark.parametrize("key", EMAILS)
def test_system_links_and_absolute_assets(exported, key):
    t = exported[key]
    base = PROJECT.brands[t.brand].brand.public_base_url.rstrip("/")
    assert 'href="{% unsubscribe_link %}"' in t.html
    assert 'href="{% manage_preferences_link %}"' in t.html
    assert 'href="{% web_view_link %}"' in t.html
    assert "Me désinscrire [{% unsubscribe_link %}]" in t.text
    for src in re.findall(r'<img[^>]+src="([^"]+)"', t.html):
        assert src.startswith(base + "/") or src == "{{ item.product.images.0.src }}", src
    assert "../assets" not in t.html


def test_variables_use_klaviyo_paths(exported):
    assert exported["kokawa/complements"].subject == (
        "{% autoescape off %}{% if first_name %}{{ first_name|default:'' }}, une{% else %}Une"
        "{% endif %} bougie près de ton vase\u202f?{% endautoescape %}")
    assert "{{ first_name|default:'Bonne nouvelle' }}" in exported["r-pur/colis"].subject
    last = "{{ person|lookup:'Last Product Bought'|default:'' }}"
    assert last in exported["kokawa/complements"].html
    assert "{{ event.extra.order_number }}" in exported["r-pur/offre-accessoire"].html
    refill = exported["r-pur/filtres"].html
    assert "{% with mk_date=event.extra.processed_at|slice:':10' %}" in refill


def test_manifest_names_say_brand_flow_position_and_delay(exported):
    assert exported["r-pur/application"].name == \
        "r-pur · Post-achat · 2 L’application R-PUR (J+3)"
    assert exported["r-pur/offre-accessoire"].delay_label == "+1 h"
    assert exported["r-pur/filtres"].delay_label == "J+80"


@pytest.mark.parametrize(("when", "expected"), [
    ("2026-08-20T18:05:00+02:00", "20 août 2026"),
    ("2026-05-01T10:00:00+02:00", "1er mai 2026"),
    ("2026-12-31T23:30:00Z", "31 décembre 2026"),
    ("2026-08-21T00:30:00+02:00", "21 août 2026"),  # 20 August 22:30 in UTC
])
def test_french_dates_in_klaviyo(exported, when, expected):
    t = exported["r-pur/filtres"]
    [tag] = [tag for tag in t.tags if tag.startswith("{% with mk_date")]
    assert klaviyo_render(tag, {"event": {"extra": {"processed_at": when}}}) == expected


@pytest.mark.parametrize(("amount", "expected"), [
    (89, "89,00"), (39.9, "39,90"), ("24.9", "24,90"), (0.5, "0,50"), ("45.00", "45,00"),
    ("1299.00", "1\u202f299,00"), (1299, "1\u202f299,00"), ("1234567.5", "1\u202f234\u202f567,50"),
])
def test_money_in_klaviyo(exported, amount, expected):
    """Strings (Shopify) or numbers (Klaviyo's $value): the preview's format, thousands
    grouped by a narrow no-break space."""
    from mailkit.pipeline.jinja.filters import money

    tag = ("{{ event.extra.total_price|floatformat:'2g'|find_replace:',|\u202f'"
           "|find_replace:'.|,' }}")
    assert tag in exported["r-pur/colis"].tags
    assert klaviyo_render(tag, {"event": {"extra": {"total_price": amount}}}) == expected
    assert money(float(amount)) == expected + "\u00a0€"


EXPORT_EMAIL = """\
<mjml><mj-head><mj-title>{title}</mj-title><mj-preview>p</mj-preview></mj-head><mj-body>
<mj-section><mj-column><mj-text>{body}</mj-text></mj-column></mj-section>
<mj-section><mj-column><mj-text>
<a href="{{{{ links.unsubscribe_url }}}}">Se désinscrire</a></mj-text></mj-column></mj-section>
</mj-body></mjml>
"""


def _export_errors(make_project, body: str, title: str = "Bonjour") -> list[str]:
    root = make_project({"emails/hello.mjml.j2": EXPORT_EMAIL.format(title=title, body=body)})
    with pytest.raises(BuildFailed) as info:
        export_klaviyo(root)
    return [str(e) for e in info.value.errors]


@pytest.mark.parametrize(("body", "says"), [
    ("{% if person.first_name %}x{% endif %}", "test it with {% ifdata"),
    ("{{ person.first_name or 'toi' }}", "test it with {% ifdata"),
    ("{% for i in event.extra.line_items %}x{% endfor %}", "loop over it with {% fordata"),
    ("{{ event.extra.total_shipping }}", "Shopify orders have no total_shipping"),
    ("{{ person.first_name|title }}", "the filter 'title' has no Klaviyo equivalent"),
    ("{{ ('Bonjour ' ~ person.first_name)|truncate(5) }}", "would change the Klaviyo variables"),
])
def test_klaviyo_data_misused_fails_at_the_line(make_project, body, says):
    [error] = _export_errors(make_project, body)
    assert error.startswith("emails/hello.mjml.j2:2: render: "), error
    assert says in error


def test_jinja_left_in_the_output_is_an_error(make_project):
    [error] = _export_errors(make_project, "ok\n{% raw %}{{ leak }}{% endraw %}")
    assert error == (".mailkit-debug/klaviyo/test/hello.mjml:3: export: Jinja syntax left in "
                     "the rendered email (rendered from emails/hello.mjml.j2): '{{ leak }}</mj-te"
                     "xt></mj-column></mj-sec'")


def test_ifdata_refuses_a_test_that_needs_parentheses(make_project):
    body = "{% ifdata not (person.a and person.b) %}x{% endifdata %}"
    [error] = _export_errors(make_project, body)
    assert error.startswith("emails/hello.mjml.j2:2: render: Klaviyo's {% if %} has no paren")


def test_ifdata_translates_tests_and_lookups(make_project):
    body = ("{% ifdata person['Orders Count'] > 2 and not person.vip or event['$value'] == 'x' %}"
            "A{% endifdata %}{{ person[\"Client's code\"] }}")
    root = make_project({"emails/hello.mjml.j2": EXPORT_EMAIL.format(title="t", body=body)})
    [t] = export_klaviyo(root).templates
    assert ("{% if person|lookup:'Orders Count' > 2 and not person.vip or "
            "event|lookup:'$value' == 'x' %}A{% endif %}") in t.html
    assert "{{ person|lookup:'Client\\'s code'|default:'' }}" in t.html
    assert klaviyo_render(t.html, {"person": {"Client's code": "Z-9"}}).count("Z-9") == 1


def test_preview_of_ifdata_and_fordata_equals_if_and_for(make_project):
    from mailkit.commands.build import build

    data = ("{{% {i} person.first_name %}}Bonjour {{{{ person.first_name }}}}{{% else %}}"
            "Bonjour{{% end{i} %}}{{% {f} n in [1, 2] %}}{{{{ n }}}}{{% end{f} %}}")
    pages = []
    for words in ({"i": "if", "f": "for"}, {"i": "ifdata", "f": "fordata"}):
        body = data.format(**words)
        root = make_project({"emails/hello.mjml.j2": EXPORT_EMAIL.format(title="t", body=body)})
        pages.append(build(root, write=False).pages["test/hello/default"].compiled.html)
    assert pages[0] == pages[1] and "Bonjour Camille12" in pages[0]


def test_export_does_not_depend_on_fixture_values(make_project):
    root = make_project({"emails/hello.mjml.j2": EXPORT_EMAIL.format(
        title="Bonjour {{ person.first_name }}", body="{{ event.extra.order_number }}")})
    (Path(root) / "brands/test/fixtures/base.yaml").write_text(
        "person: {first_name: Zoé}\nevent: {extra: {order_number: 4242}}\n", "utf-8")
    [t] = export_klaviyo(root).templates
    assert t.subject == "{% autoescape off %}Bonjour {{ first_name|default:'' }}{% endautoescape %}"
    assert "{{ event.extra.order_number }}" in t.html
    assert "Zoé" not in t.html + t.subject and "4242" not in t.html
