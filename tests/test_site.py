"""The static preview site, driven in a real Chromium from file://."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from mailkit.site.pages import dark_variant, facts

APP = "r-pur/application/index.html"


def frame(page):
    return page.frame_locator("[data-scenario-panel]:not([hidden]) iframe")


def test_home_lists_every_flow_as_a_timeline(page, site):
    page.goto(site("index.html"))
    steps = page.locator("#r-pur-post-achat .mk-step .mk-delay").all_inner_texts()
    assert steps == ["J+0", "J+3", "J+14", "J+21"]
    assert page.locator("#r-pur-post-achat .mk-trigger strong").inner_text() == "Fulfilled Order"
    assert "J+80 (90 j − 10 j)" in page.locator("#r-pur-refill").inner_text()
    batch = page.locator("#kokawa-winback .mk-batch").inner_text()
    assert "50 % of the segment" in batch and "open rate > 10 %" in batch
    assert "spam complaint rate < 0.08 %" in batch


def test_sidebar_navigates_to_an_email_and_highlights_it(page, site):
    page.goto(site("index.html"))
    page.locator(".mk-sidebar a", has_text="L’application R-PUR").click()
    assert page.url.split("?")[0].endswith(APP)
    current = page.locator('.mk-sidebar a[aria-current="page"]')
    expect(current).to_have_count(1)  # the sidebar is drawn by script from nav-data.js
    assert "L’application R-PUR" in current.inner_text()
    assert page.locator(".mk-subject >> visible=true").inner_text().startswith("Camille, ")


def test_mobile_view_sets_the_frame_to_375_px(page, site):
    page.goto(site(APP))
    page.get_by_role("button", name="Mobile").click()
    box = page.locator("[data-scenario-panel]:not([hidden]) iframe").bounding_box()
    assert round(box["width"]) == 375
    assert "view=mobile" in page.url


def test_scenario_switch_hides_the_app_block(page, site):
    page.goto(site(APP))
    assert frame(page).locator(".mk-app-block").count() == 1
    page.locator("[data-scenario=avec-app]").click()
    assert frame(page).locator(".mk-app-block").count() == 0
    assert frame(page).get_by_text("Tu as déjà l’application").count() == 1
    assert "scenario=avec-app" in page.url


def test_dark_mode_shows_the_dark_palette(page, site):
    page.goto(site(APP))
    light = frame(page).locator(".mk-surface").first.evaluate(
        "e => getComputedStyle(e).backgroundColor")
    page.get_by_role("button", name="Dark").click()
    frame(page).locator(".mk-surface").first.wait_for()
    dark = frame(page).locator(".mk-surface").first.evaluate(
        "e => getComputedStyle(e).backgroundColor")
    assert light == "rgb(255, 255, 255)"
    assert dark == "rgb(21, 25, 30)"  # r-pur's dark surface, #15191E
    assert "dark=1" in page.url


def test_text_and_source_tabs(page, site):
    page.goto(site(APP))
    page.get_by_role("tab", name="Text").click()
    text = page.locator("[data-scenario-panel]:not([hidden]) [data-tab-panel=text]")
    assert text.is_visible() and "Se désinscrire [" in text.inner_text()
    page.get_by_role("tab", name="MJML").click()
    mjml = page.locator("[data-scenario-panel]:not([hidden]) [data-tab-panel=mjml]")
    assert '{% extends "partials/layout.mjml.j2" %}' in mjml.inner_text()
    assert "<mj-section" in mjml.inner_text()
    page.get_by_role("tab", name="HTML").click()
    html = page.locator("[data-scenario-panel]:not([hidden]) [data-tab-panel=html] pre.is-pretty")
    assert html.inner_text().lower().startswith("<!doctype html>")


def test_a_shared_url_restores_the_view(page, site):
    page.goto(site(APP) + "?scenario=avec-app&view=mobile&dark=1&tab=text")
    assert page.locator("[data-scenario=avec-app]").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="Mobile").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="Dark").get_attribute("aria-pressed") == "true"
    panel = page.locator("[data-scenario-panel=avec-app]")
    assert panel.is_visible()
    assert panel.locator("[data-tab-panel=text]").is_visible()
    page.get_by_role("tab", name="Rendered").click()
    assert panel.locator("iframe").get_attribute("data-src") == "avec-app.dark.html"
    surface = frame(page).locator(".mk-surface").first
    assert surface.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(21, 25, 30)"


def test_facts_show_size_links_decoded_whatsapp_and_images(page, site, demo_build):
    page.goto(site("kokawa/partage-whatsapp/index.html"))
    facts_box = page.locator("[data-scenario-panel]:not([hidden]) .mk-facts")
    assert re.search(r"\d+\.\d KB of 102 KB", facts_box.inner_text())
    decoded = facts_box.locator(".mk-decoded").inner_text()
    assert decoded.startswith("Juste un petit message pour te dire")
    assert "alt «" in facts_box.locator(".mk-images").inner_text()


def test_site_pages_load_nothing_from_the_internet(page, site):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
        ("file://", "data:", "about:")) else None)
    for path in ("index.html", APP, "kokawa/vente-privee/index.html"):
        page.goto(site(path))
        page.wait_for_load_state("load")
    assert outside == []


def test_no_reload_script_in_build_output(demo_build):
    _, out = demo_build
    for path in out.rglob("*.html"):
        assert "livereload" not in path.read_text(encoding="utf-8"), path


def test_dark_variant_and_facts_units():
    html = ('<style>@media (prefers-color-scheme: dark) { a { color: red } }</style>'
            '<a href="https://wa.me/?text=Bonjour%20%C3%A0%20toi">Envoyer</a>'
            '<img src="x.png" width="10"><img src="y.png" alt="">')
    assert "@media all {" in dark_variant(html)
    f = facts(html)
    assert [(link.label, link.decoded) for link in f.links] == [("Envoyer", "Bonjour à toi")]
    assert [(i.src, i.alt) for i in f.images] == [("x.png", None), ("y.png", "")]


def test_klaviyo_tab_shows_the_export_with_tags_highlighted(page, site):
    page.goto(site(APP) + "?tab=klaviyo")
    panel = page.locator("[data-scenario-panel]:not([hidden]) [data-tab-panel=klaviyo]")
    assert panel.is_visible()
    marks = panel.locator("mark.kl-tag").all_inner_texts()
    assert "{% if not person|lookup:'Has R-PUR App' %}" in marks
    assert "{% unsubscribe_link %}" in marks
    assert "r-pur · Post-achat · 2 L’application R-PUR (J+3)" in panel.inner_text()
    assert "{{ first_name|default:'' }}" in panel.locator("p").nth(1).inner_text()
