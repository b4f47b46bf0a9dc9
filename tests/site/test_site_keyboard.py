"""The preview's input, keyboard and labels (issue 16): what a designer types or tabs
through must answer, and what the page says must read right."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from helpers import follow, goto
from playwright.sync_api import expect

APP = "r-pur/application/index.html"
FRAME = "[data-scenario-panel]:not([hidden]) [data-tab-panel=rendered] iframe"


def frame_width(page) -> float:
    return page.locator(FRAME).evaluate("f => parseFloat(f.style.width)")


def test_an_out_of_range_width_says_so_and_keeps_the_frame(page, site):
    goto(page, site(APP))
    width = page.locator("[data-width]")
    message = page.locator("[data-width-msg]")
    width.fill("5000")
    width.press("Enter")
    expect(message).to_have_text(re.compile(r"“5000” px is out of range: .* 240 to 1600 px"))
    assert width.get_attribute("aria-invalid") == "true"
    assert frame_width(page) == 800 and "width=" not in page.url
    width.fill("520")
    width.press("Enter")
    expect(message).to_have_text("")
    assert width.get_attribute("aria-invalid") == "false"
    assert frame_width(page) == 520
    assert parse_qs(urlsplit(page.url).query)["width"] == ["520"]
    goto(page, site(APP, "?view=custom&width=99999"))  # from the address too
    expect(message).to_contain_text("“99999” px is out of range")
    assert page.locator("[data-view=desktop]").get_attribute("aria-pressed") == "true"


def test_an_unknown_view_falls_back_to_desktop_and_says_so(page, site):
    goto(page, site(APP, "?view=tablet&dark=1"))
    assert page.locator("[data-view=desktop]").get_attribute("aria-pressed") == "true"
    expect(page.locator("[data-width-msg]")).to_have_text(
        "Unknown view “tablet” in the address: showing desktop.")
    query = parse_qs(urlsplit(page.url).query)
    assert "view" not in query and query["dark"] == ["1"]  # the address now says what is shown
    assert frame_width(page) == 800


def contrast(a: str, b: str) -> float:
    def lum(rgb: str) -> float:
        values = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
        lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_the_focus_ring_shows_on_selected_dark_buttons(page, site):
    goto(page, site(APP, "?dark=1"))
    page.keyboard.press("Tab")  # keyboard use: focus rings are for keyboard users
    for selector in ("[data-view=desktop]", "[data-dark]", "[data-tab=rendered]",
                     "[data-scenario=sans-app]"):
        button = page.locator(selector)
        if selector.startswith("[data-scenario"):  # in the state picker's list, opened
            page.locator("[data-states-toggle]").press("Enter")
            expect(button).to_be_focused()
        assert button.get_attribute("aria-pressed") == "true" or \
            button.get_attribute("aria-selected") == "true"
        button.focus()
        ring = button.evaluate("""b => { const s = getComputedStyle(b);
            return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor,
                    parseFloat(s.outlineOffset), s.backgroundColor,
                    getComputedStyle(b.closest('.mk-states') ||
                                     document.querySelector('.mk-toolbar')).backgroundColor]; }""")
        style, width, color, offset, fill, around = ring
        assert style == "solid" and width >= 2 and offset >= 2, (selector, ring)
        # the ring is drawn outside the dark button, on the toolbar's (or the list's) background
        assert contrast(color, around) >= 3, (selector, ring)


def test_skip_link_and_arrow_keys_on_the_tabs(page, site):
    goto(page, site(APP))
    page.keyboard.press("Tab")
    skip = page.locator(".mk-skip")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["x"] >= 0 and skip.inner_text() == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "mk-main"
    tabs = page.get_by_role("tab")
    names = [t.strip() for t in tabs.all_inner_texts()]
    page.get_by_role("tab", name="Rendered").focus()
    assert page.locator("[role=tab][tabindex='0']").count() == 1  # one stop in the Tab order
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Compare")).to_be_focused()
    assert page.get_by_role("tab", name="Compare").get_attribute("aria-selected") == "true"
    assert "tab=compare" in page.url
    page.keyboard.press("End")
    last = page.locator("[role=tab]").last
    expect(last).to_be_focused()
    assert last.get_attribute("aria-selected") == "true" and len(names) >= 6
    page.keyboard.press("ArrowRight")  # wraps around
    expect(page.get_by_role("tab", name="Rendered")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(last).to_be_focused()
    page.keyboard.press("Home")
    expect(page.get_by_role("tab", name="Rendered")).to_have_attribute("aria-selected", "true")


def test_every_page_has_a_favicon(page, site, demo_build):
    _, out = demo_build
    for path in ("index.html", APP):
        goto(page, site(path))
        href = page.locator("link[rel=icon]").evaluate("l => l.href")
        assert href.startswith("file://") and href.endswith("_mailkit/favicon.svg")
    assert (out / "_mailkit/favicon.svg").read_text().startswith("<svg")


def test_labels_read_right(page, site, demo_build):
    result, _ = demo_build
    goto(page, site(APP))
    images = page.locator("[data-scenario-panel]:not([hidden]) .mk-images li").first
    assert re.search(r"\d+ px · alt «\xa0R-PUR\xa0»", images.inner_text())
    # scenario buttons say what the flow says about each state, not its slug
    for name in ("sans-app", "avec-app"):
        description = result.pages[f"r-pur/application/{name}"].target.description
        assert description and page.locator(f"[data-scenario={name}]").text_content() == \
            description
        assert page.locator(f"[data-scenario={name}]").get_attribute("title") == name


def test_the_home_canvas_draws_each_flow_in_one_column_with_joined_nodes(page, site):
    page.set_viewport_size({"width": 1280, "height": 800})
    goto(page, site("kokawa/index.html"))
    assert page.locator(".mk-flow").count()
    check_columns(page)
    goto(page, site("r-pur/index.html"))
    check_columns(page)


def check_columns(page) -> None:
    for flow in page.locator(".mk-flow").all():
        nodes = flow.locator(".mk-timeline > .mk-node").evaluate_all(
            "ns => ns.map(n => { const r = n.getBoundingClientRect(); "
            "return [r.left + r.width / 2, r.top, r.bottom]; })")
        centers = {round(x) for x, _, _ in nodes}
        assert len(centers) == 1, flow.get_attribute("id")  # no step wraps to a new row
        for (_, _, bottom), (_, top, _) in zip(nodes, nodes[1:], strict=False):
            assert 20 <= top - bottom <= 24  # each connector joins two nodes, none dangles


def test_a_brand_home_branch_opens_its_state(page, site):
    page.set_viewport_size({"width": 1280, "height": 800})
    goto(page, site("r-pur/index.html"))
    waits = page.locator("#r-pur-post-achat .mk-wait").all_inner_texts()
    assert [w.split(" ", 1)[1] for w in waits] == ["Wait 3 days", "Wait 11 days", "Wait 7 days"]
    app = page.locator("#r-pur-post-achat .mk-step").nth(1)
    assert app.locator(".mk-kind").text_content() == "Conditional content · 2 branches"
    branches = app.locator(".mk-branch")
    assert branches.count() == 2
    assert branches.nth(1).locator("code").inner_text() == "person.Has R-PUR App = true"
    branches.nth(1).click()
    expect(page.locator("[data-scenario=avec-app]")).to_have_attribute("aria-pressed", "true")


def test_the_facts_panel_folds_away_and_stays_folded(browser, site):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    goto(page, site(APP))
    facts = page.locator(f"{FRAME.split(' [data-tab-panel')[0]} .mk-facts")
    frame_box = page.locator(FRAME).bounding_box()
    facts_box = facts.bounding_box()
    assert facts_box["x"] >= frame_box["x"] + frame_box["width"]  # beside the email: room
    page.locator("[data-facts-toggle]").click()
    expect(facts).to_be_hidden()
    assert "facts=0" in page.url
    follow(page, page.locator(".mk-sidebar a", has_text="Parraine un proche"))
    expect(page.locator("[data-facts-toggle]")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("[data-scenario-panel]:not([hidden]) .mk-facts")).to_be_hidden()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator("[data-facts-toggle]").click()  # no room beside: the facts go below
    facts = page.locator("[data-scenario-panel]:not([hidden]) .mk-facts")
    email = page.locator(FRAME).bounding_box()
    assert facts.bounding_box()["y"] >= email["y"] + email["height"]
    context.close()
