"""The preview as a designer uses it on a laptop (issue 16), in Chromium at five window
sizes, from file://: the whole email visible, frame / URL / toolbar in agreement after
Back and Forward, the frame exactly the email's height, the view kept across emails."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import checked_page, choose_state, follow, goto
from playwright.sync_api import expect

SIZES = [(1024, 768), (1280, 800), (1366, 768), (1440, 900), (1920, 1080)]
APP = "r-pur/application/index.html"
FRAME = "[data-scenario-panel]:not([hidden]) [data-tab-panel=rendered] iframe"


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def laptop(request, browser):
    yield from checked_page(browser, *request.param)


HEIGHTS: dict[tuple[str, int, bool], int] = {}  # the same at every window size: measured once


def email_height(browser, url: str, width: int, dark: bool = False) -> int:
    """The email opened on its own, `width` wide, in a browser set to dark or light (as a
    client honouring `prefers-color-scheme` shows it): its document's full height."""
    if (url, width, dark) in HEIGHTS:
        return HEIGHTS[url, width, dark]
    context = browser.new_context(viewport={"width": width, "height": 100},
                                  color_scheme="dark" if dark else "light")
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    height = HEIGHTS[url, width, dark] = page.evaluate("document.documentElement.scrollHeight")
    context.close()
    return height


def frame_state(page) -> dict:
    return page.evaluate("""sel => { const f = document.querySelector(sel);
        const r = f.getBoundingClientRect(), box = f.parentNode;
        return {left: r.left, right: r.right, top: r.top, width: r.width, height: r.height,
                cssWidth: parseFloat(f.style.width), cssHeight: parseFloat(f.style.height),
                scale: Number(box.dataset.scale), src: f.dataset.src,
                sidebar: document.querySelector('.mk-sidebar').getBoundingClientRect().right,
                innerWidth: innerWidth, scrollWidth: document.documentElement.scrollWidth}; }""",
                         FRAME)


def test_the_whole_email_is_visible(laptop, site):
    for query in ("", "?view=mobile", "?dark=1", "?scenario=avec-app&facts=0"):
        whole_email_visible(laptop, site(APP, query))


def whole_email_visible(laptop, url: str) -> None:
    goto(laptop, url)
    f = frame_state(laptop)
    assert f["left"] >= f["sidebar"] and f["right"] <= f["innerWidth"]
    assert f["scrollWidth"] <= f["innerWidth"]  # no scrollbar to find far down the page
    laptop.locator(FRAME).scroll_into_view_if_needed()
    f = frame_state(laptop)
    bottom = min(f["top"] + f["height"], laptop.viewport_size["height"])
    hit = laptop.evaluate("([x, y]) => document.elementFromPoint(x, y).tagName",
                          [f["right"] - 2, bottom - 20])
    assert hit == "IFRAME"  # the right edge is the email's, not covered
    note = laptop.locator("[data-scale-note]")
    if f["scale"] < 1:  # a scaled frame says its scale
        assert note.inner_text() == f"Shown at {int(f['scale'] * 100 + 1e-9)} % to fit the window"
        assert abs(f["width"] - f["cssWidth"] * f["scale"]) <= 1
    else:
        assert note.is_hidden()


def test_the_frame_is_exactly_the_emails_height(laptop, site, browser, demo_build):
    _, out = demo_build
    for path, query, file, width in [
        (APP, "", "r-pur/application/sans-app.html", 800),
        (APP, "?view=mobile", "r-pur/application/sans-app.html", 375),
        (APP, "?scenario=avec-app&dark=1", "r-pur/application/avec-app.html", 800),
        (APP, "?view=custom&width=520", "r-pur/application/sans-app.html", 520),
        ("kokawa/vente-privee/index.html", "", "kokawa/vente-privee/vip.html", 800),
    ]:
        goto(laptop, site(path, query))
        f = frame_state(laptop)
        expected = email_height(browser, (out / file).as_uri(), width, "dark=1" in query)
        assert f["cssHeight"] == expected, (path, query)
        assert abs(f["height"] - expected * f["scale"]) <= 1.5  # as drawn
        canvas = laptop.locator("[data-scenario-panel]:not([hidden]) .mk-canvas").bounding_box()
        assert canvas["height"] - f["height"] <= 2 * 16 + 2  # no empty canvas below the email
    # heights follow the email both ways: mobile is taller, back to desktop is shorter again
    goto(laptop, site(APP))
    desktop = frame_state(laptop)["cssHeight"]
    laptop.locator("[data-view=mobile]").click()
    assert frame_state(laptop)["cssHeight"] > desktop
    laptop.locator("[data-view=desktop]").click()
    assert frame_state(laptop)["cssHeight"] == desktop


def agreement(page) -> dict:
    """What the URL, the toolbar and the frame each say about the view: must be one."""
    page.locator("body[data-ready]").wait_for(state="attached")
    query = parse_qs(urlsplit(page.url).query)
    first = page.locator("[data-scenario]").first.get_attribute("data-scenario")
    url = {"scenario": query.get("scenario", [first])[0], "view": query.get("view", ["desktop"])[0],
           "dark": query.get("dark") == ["1"]}
    toolbar = {
        "scenario": page.locator('[data-scenario][aria-pressed="true"]').get_attribute(
            "data-scenario"),
        "view": page.locator('[data-view][aria-pressed="true"]').get_attribute("data-view"),
        "dark": page.locator("[data-dark]").get_attribute("aria-pressed") == "true"}
    f = frame_state(page)
    surface = page.frame_locator(FRAME).locator(".mk-surface").first.evaluate(
        "e => getComputedStyle(e).backgroundColor")
    red, green, blue = (int(c) for c in surface[4:-1].split(","))
    shown = {"scenario": f["src"].split(".")[0], "view": {800: "desktop", 375: "mobile"}[
        int(f["cssWidth"])], "dark": red + green + blue < 3 * 80}  # the brand's dark surface
    assert url == toolbar == shown, (url, toolbar, shown)
    return url


def test_back_and_forward_keep_frame_url_and_toolbar_in_agreement(laptop, site):
    goto(laptop, site("index.html"))
    follow(laptop, laptop.locator(".mk-sidebar a", has_text="L’application R-PUR"))
    entries = laptop.evaluate("history.length")
    laptop.locator("[data-dark]").click()
    laptop.locator("[data-view=mobile]").click()
    choose_state(laptop, "avec-app")
    assert agreement(laptop) == {"scenario": "avec-app", "view": "mobile", "dark": True}
    assert laptop.evaluate("history.length") == entries  # toggles and frames add no entry
    follow(laptop, laptop.locator(".mk-sidebar a", has_text="Personnalise ton FiiT"))
    laptop.locator("[data-dark]").click()
    assert agreement(laptop)["dark"] is False
    laptop.go_back()
    assert laptop.url.split("?")[0].endswith(APP)
    assert agreement(laptop) == {"scenario": "avec-app", "view": "mobile", "dark": True}
    laptop.go_forward()
    assert "accessoires" in laptop.url
    assert agreement(laptop) == {"scenario": "masque-fiit", "view": "mobile", "dark": False}
    laptop.go_back()
    laptop.go_back()
    assert laptop.url.split("?")[0].endswith("/index.html") and laptop.locator("h1").inner_text() \
        == "Flows"


def test_the_view_persists_across_the_sidebar(laptop, site):
    goto(laptop, site(APP))
    laptop.locator("[data-view=mobile]").click()
    laptop.locator("[data-dark]").click()
    laptop.get_by_role("tab", name="Text").click()
    for name in ("Parraine un proche", "Un message pour un proche", "Ce que contient ton colis"):
        follow(laptop, laptop.locator(".mk-sidebar a", has_text=name))
        assert laptop.locator(".mk-sidebar [aria-current=page]").inner_text().endswith(name)
        expect(laptop.locator('[data-view="mobile"]')).to_have_attribute("aria-pressed", "true")
        expect(laptop.locator("[data-dark]")).to_have_attribute("aria-pressed", "true")
        expect(laptop.get_by_role("tab", name="Text")).to_have_attribute("aria-selected", "true")
        assert laptop.locator("[data-scenario-panel]:not([hidden]) [data-tab-panel=text]") \
            .is_visible()
        query = parse_qs(urlsplit(laptop.url).query)
        assert query["view"] == ["mobile"] and query["dark"] == ["1"] and query["tab"] == ["text"]
    laptop.get_by_role("tab", name="Rendered").click()
    assert agreement(laptop) == {"scenario": "masque-fiit", "view": "mobile", "dark": True}
    # through the home page too (its links carry the last view)
    laptop.locator(".mk-home").click()
    laptop.locator("#kokawa h2 a").click()
    laptop.locator(".mk-step-name", has_text="Vente privée VIP").click()
    assert agreement(laptop)["view"] == "mobile"


def test_the_toolbar_is_one_line(laptop, site):
    goto(laptop, site("kokawa/partage-whatsapp/index.html"))  # three scenarios
    width = laptop.viewport_size["width"]
    for row in (".mk-toolbar-line", "[role=tablist]"):  # tabs, viewport, dark, client, facts
        middles = laptop.locator(f"{row} :is(button, select, input)").evaluate_all(
            "es => es.map(e => { const r = e.getBoundingClientRect(); "
            "return Math.round((r.top + r.bottom) / 2); })")
        if width >= 1280 or row == "[role=tablist]":
            assert max(middles) - min(middles) <= 2, (row, middles)
