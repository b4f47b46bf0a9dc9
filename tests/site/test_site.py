"""The static preview site, driven in a real Chromium from file://."""

from __future__ import annotations

import lxml.html
from helpers import choose_state, follow, goto
from playwright.sync_api import expect

APP = "r-pur/application/index.html"


def frame(page):
    return page.frame_locator("[data-scenario-panel]:not([hidden]) iframe")


def test_home_lists_every_brand_and_its_flows_and_links_its_home(page, site, demo_build):
    """#17: the home page lists each brand with its counts and flows; each brand has a
    home of its own with the canvases, so no page grows with the whole project."""
    result, _ = demo_build
    goto(page, site("index.html"))
    brands = sorted({p.target.brand for p in result.pages.values()})
    expect(page.locator(".mk-brand-card")).to_have_count(len(brands))
    for slug in brands:
        pages = [p for p in result.pages.values() if p.target.brand == slug]
        emails = {p.target.email.id for p in pages}
        counts = page.locator(f"#{slug} .mk-brand-counts").inner_text()
        assert counts.startswith(f"{len(pages)} pages · {len(emails)} emails · ")
    assert page.locator(".mk-timeline").count() == 0  # the canvases are on the brand pages
    page.locator("#r-pur h2 a").click()
    assert page.url.endswith("/r-pur/index.html")
    expect(page.locator("h1")).to_contain_text("R-PUR")
    assert page.locator(".mk-flow").count() == len(
        {p.target.flow.id for p in result.pages.values() if p.target.brand == "r-pur"})
    assert "Vente privée VIP" not in page.locator(".mk-main").inner_text()  # kokawa's
    expect(page.locator('.mk-sidebar a[aria-current="page"]')).to_have_text("R-PUR")
    page.locator(".mk-flow .mk-step-name").first.click()
    page.locator(".mk-crumbs a").click()  # an email page's crumbs lead to its brand home
    assert page.url.endswith("/r-pur/index.html")


def test_a_brand_home_draws_every_flow_as_a_timeline(page, site):
    goto(page, site("r-pur/index.html"))
    steps = page.locator("#r-pur-post-achat .mk-step .mk-delay").all_inner_texts()
    assert steps == ["J+0", "J+3", "J+14", "J+21"]
    assert page.locator("#r-pur-post-achat .mk-trigger strong").inner_text() == "Fulfilled Order"
    assert "J+80 (90 j − 10 j)" in page.locator("#r-pur-refill").inner_text()
    goto(page, site("kokawa/index.html"))
    batch = page.locator("#kokawa-winback .mk-batch").inner_text()
    assert "50 % of the segment" in batch and "open rate > 10 %" in batch
    assert "spam complaint rate < 0.08 %" in batch


def test_sidebar_navigates_to_an_email_and_highlights_it(page, site):
    goto(page, site("index.html"))
    follow(page, page.locator(".mk-sidebar a", has_text="L’application R-PUR"))
    assert page.url.split("?")[0].endswith(APP)
    current = page.locator('.mk-sidebar a[aria-current="page"]')
    expect(current).to_have_count(1)  # the sidebar is drawn by script from nav-data.js
    assert "L’application R-PUR" in current.inner_text()
    assert page.locator(".mk-subject >> visible=true").inner_text().startswith("Camille, ")


def test_mobile_view_sets_the_frame_to_375_px(page, site):
    goto(page, site(APP))
    page.get_by_role("button", name="Mobile").click()
    box = page.locator("[data-scenario-panel]:not([hidden]) iframe").bounding_box()
    assert round(box["width"]) == 375
    assert "view=mobile" in page.url


def test_scenario_switch_hides_the_app_block(page, site):
    goto(page, site(APP))
    assert frame(page).locator(".mk-app-block").count() == 1
    choose_state(page, "avec-app")
    assert frame(page).locator(".mk-app-block").count() == 0
    assert frame(page).get_by_text("Tu as déjà l’application").count() == 1
    assert "scenario=avec-app" in page.url


def test_dark_mode_shows_the_dark_palette(page, site):
    goto(page, site(APP))
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
    goto(page, site(APP))
    page.get_by_role("tab", name="Text").click()
    text = page.locator("[data-scenario-panel]:not([hidden]) [data-tab-panel=text]")
    assert text.is_visible() and "Me désinscrire [" in text.inner_text()
    page.get_by_role("tab", name="MJML").click()
    mjml = page.locator("[data-scenario-panel]:not([hidden]) [data-tab-panel=mjml]")
    assert '{% extends "partials/layout.mjml.j2" %}' in mjml.inner_text()
    assert "<mj-section" in mjml.inner_text()
    page.get_by_role("tab", name="HTML").click()
    html = page.locator("[data-scenario-panel]:not([hidden]) [data-tab-panel=html] pre.is-pretty")
    assert html.inner_text().lower().startswith("<!doctype html>")


def test_a_shared_url_restores_the_view(page, site):
    goto(page, site(APP) + "?scenario=avec-app&view=mobile&dark=1&tab=text")
    assert page.locator("[data-scenario=avec-app]").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="Mobile").get_attribute("aria-pressed") == "true"
    assert page.get_by_role("button", name="Dark").get_attribute("aria-pressed") == "true"
    panel = page.locator("[data-scenario-panel=avec-app]")
    assert panel.is_visible()
    assert panel.locator("[data-tab-panel=text]").is_visible()
    page.get_by_role("tab", name="Rendered").click()
    assert panel.locator("iframe").get_attribute("data-src") == "avec-app.html"
    assert panel.locator("iframe").get_attribute("data-scheme") == "dark"
    surface = frame(page).locator(".mk-surface").first
    assert surface.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(21, 25, 30)"


def built_facts(html: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Every link (label, address) and image (address, alt) of an email, read by lxml:
    what the facts panel, computed in the browser, must list."""
    doc = lxml.html.document_fromstring(html)
    links = []
    for a in doc.iter("a"):
        label = " ".join(a.text_content().split()) or " ".join(
            i.get("alt") or "" for i in a.iter("img")).strip()
        links.append((label or "(no label)", a.get("href") or ""))
    images = [(i.get("src") or "", i.get("alt")) for i in doc.iter("img")]
    return links, images


def test_facts_show_size_links_decoded_whatsapp_and_images(page, site, demo_build):
    _, out = demo_build
    goto(page, site("kokawa/partage-whatsapp/index.html"))
    facts_box = page.locator("[data-scenario-panel]:not([hidden]) .mk-facts")
    scenario = page.locator("[data-scenario-panel]:not([hidden])").get_attribute(
        "data-scenario-panel")
    raw = (out / f"kokawa/partage-whatsapp/{scenario}.html").read_bytes()
    assert f"{len(raw) / 1024:.1f} KB of 102 KB" in facts_box.inner_text()
    decoded = facts_box.locator(".mk-decoded").inner_text()
    assert decoded.startswith("Juste un petit message pour te dire")
    assert "alt «" in facts_box.locator(".mk-images").inner_text()
    links, images = built_facts(raw.decode("utf-8"))
    shown = facts_box.locator(".mk-links li").evaluate_all(
        "ls => ls.map(l => [l.querySelector('span').textContent, "
        "l.querySelector('code').textContent])")
    assert [tuple(x) for x in shown] == links and len(links) >= 5
    assert facts_box.locator("h2", has_text="Links").locator("small").inner_text() == \
        str(len(links))
    shown = facts_box.locator(".mk-images li code").all_inner_texts()
    assert shown == [src for src, _ in images]


def test_site_pages_load_nothing_from_the_internet(page, site):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(
        ("file://", "data:", "about:")) else None)
    for path in ("index.html", APP, "kokawa/vente-privee/index.html"):
        goto(page, site(path))
        page.wait_for_load_state("load")
    assert outside == []


def test_no_reload_script_in_build_output(demo_build):
    _, out = demo_build
    for path in out.rglob("*.html"):
        assert "livereload" not in path.read_text(encoding="utf-8"), path


def test_facts_list_every_link_and_image_of_every_email(page, site, demo_build):
    """The browser's reading of each built email (DOMParser) agrees with lxml's."""
    result, out = demo_build
    for key in sorted({p.target.email_key for p in result.pages.values()}):
        goto(page, site(f"{key}/index.html"))
        scenario = page.locator("[data-scenario-panel]:not([hidden])").get_attribute(
            "data-scenario-panel")
        links, images = built_facts((out / key / f"{scenario}.html").read_text("utf-8"))
        box = page.locator("[data-scenario-panel]:not([hidden]) .mk-facts")
        shown = box.locator(".mk-links li").evaluate_all(
            "ls => ls.map(l => [l.querySelector('span').textContent, "
            "l.querySelector('code').textContent])")
        assert [tuple(x) for x in shown] == links, key
        alts = box.locator(".mk-images li").evaluate_all(
            "ls => ls.map(l => [l.querySelector('code').textContent, "
            "l.querySelector('.mk-img-facts').textContent])")
        for (src, alt), (shown_src, said) in zip(images, alts, strict=True):
            assert shown_src == src, key
            assert ("no alt" in said) if alt is None else (
                f"«\xa0{alt}\xa0»" in said if alt else 'decorative (alt="")' in said), key


def test_facts_units_in_the_browser(page, site):
    """The facts are read in the browser: labels from text or an image's alt, WhatsApp
    messages decoded (`+` and `%20` alike), an absent alt told from an empty one."""
    goto(page, site(APP))
    html = ('<a href="https://wa.me/?text=Bonjour%20%C3%A0+toi">Envoyer</a>'
            '<a href="https://example.com/x?text=no"><img src="l.png" alt="Logo"></a>'
            '<img src="x.png" width="10"><img src="y.png" alt="">')
    f = page.evaluate("html => mailkitPayload.facts(html)", html)
    assert [(link["label"], link["decoded"]) for link in f["links"]] == [
        ("Envoyer", "Bonjour à toi"), ("Logo", "")]
    assert [(i["src"], i["alt"], i["width"]) for i in f["images"]] == [
        ("l.png", "Logo", ""), ("x.png", None, "10"), ("y.png", "", "")]
    assert f["bytes"] == len(html.encode("utf-8"))


def test_klaviyo_tab_shows_the_export_with_tags_highlighted(page, site):
    goto(page, site(APP) + "?tab=klaviyo")
    panel = page.locator("[data-scenario-panel]:not([hidden]) [data-tab-panel=klaviyo]")
    assert panel.is_visible()
    marks = panel.locator("mark.kl-tag").all_inner_texts()
    assert "{% if not person|lookup:'Has R-PUR App' %}" in marks
    assert "{% unsubscribe_link %}" in marks
    assert "r-pur · Post-achat · 2 L’application R-PUR (J+3)" in panel.inner_text()
    assert "{{ first_name|default:'' }}" in panel.locator("p").nth(1).inner_text()
