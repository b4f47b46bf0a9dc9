"""The client views beside Desktop / Mobile / Dark (issue 21): each shows the email as a
mail app that does not show it as written shows it, over file:// and under `mailkit
serve`, at 1 280 × 800 and wide, kept in the address and across a save, usable from the
keyboard, and any two side by side in Compare."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import checked_page, follow, goto
from playwright.sync_api import expect

from mailkit.check import clients

POST = "kokawa/partage-whatsapp/index.html"  # kokawa's Post-achat email
PANEL = "[data-scenario-panel]:not([hidden])"
FRAME = f"{PANEL} [data-tab-panel=rendered] iframe"
SURFACE = (0xFF, 0xFB, 0xF7)  # kokawa's light surface
VIEWS = ["", *clients.VIEW_IDS]


def rgb(c: tuple[int, int, int]) -> str:
    return f"rgb({c[0]}, {c[1]}, {c[2]})"


#: What each view must show in the email's own document.
EXPECT = {
    "": {"surface": rgb(SURFACE), "canvas": "rgb(243, 236, 228)"},
    "partial": {"surface": rgb(clients.partial(SURFACE, "background")), "dark_rules": 0},
    "full": {"surface": rgb(clients.full(SURFACE, "background")), "dark_rules": 0},
    "nostyle": {"styles": 0, "links": 0},
    "outlook": {"radius": 0, "mso_left": 0, "media": 0},
}

INSPECT = """f => {
  const d = f.contentDocument, s = d.querySelector('.mk-surface');
  const sheets = [...d.querySelectorAll('style')].map(e => e.textContent);
  const inline = [...d.querySelectorAll('[style]')].map(e => e.getAttribute('style'));
  const comments = [], walk = d.createTreeWalker(d, NodeFilter.SHOW_COMMENT);
  while (walk.nextNode()) comments.push(walk.currentNode.data);
  return {client: f.dataset.clientView, surface: s ? getComputedStyle(s).backgroundColor : '',
          canvas: getComputedStyle(d.body).backgroundColor,
          dark_rules: sheets.filter(t => /prefers-color-scheme/.test(t)).length,
          styles: sheets.length, links: d.querySelectorAll('link').length,
          radius: inline.concat(sheets).filter(t => /border-radius/.test(t)).length,
          media: sheets.filter(t => /@media/.test(t)).length,
          mso_left: comments.filter(c => /\\[if mso/.test(c)).length,
          ghosts: d.querySelectorAll('table[role=presentation][width="600"]').length,
          images: [...d.images].filter(i => i.getAttribute('style') !== null &&
                                       /filter/.test(i.getAttribute('style'))).length};
}"""


def shows(page, view: str, frame: str = FRAME) -> dict:
    found = page.locator(frame).evaluate(INSPECT)
    assert found["client"] == view
    for key, value in EXPECT[view].items():
        assert found[key] == value, (view, key, found)
    assert found["images"] == 0  # images are never recoloured
    if view == "outlook":  # Word lays out MJML's ghost tables
        assert found["ghosts"] > 0
    return found


def failures(page) -> list[str]:
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(f"{r.url} {r.failure}")
            if "ERR_ABORTED" not in (r.failure or "") else None)
    return failed


SIZES = [(1280, 800), (1920, 1080)]


@pytest.fixture(params=SIZES, ids=["1280x800", "1920x1080"])
def sized(request, browser):
    yield from checked_page(browser, *request.param)


@pytest.fixture
def laptop(browser):
    yield from checked_page(browser, 1280, 800)


def test_each_view_over_file_in_one_line_kept_in_the_address(sized, site):
    laptop = sized
    failed = failures(laptop)
    goto(laptop, site(POST))
    top = laptop.locator(FRAME).evaluate("f => f.getBoundingClientRect().top")
    for view in VIEWS:
        goto(laptop, site(POST, f"?client={view}"))
        shows(laptop, view)
        assert laptop.locator("[data-client]").input_value() == view
        assert parse_qs(urlsplit(laptop.url).query).get("client", [""]) == [view]
        # no new row: the email starts where it does as written, the toolbar in two lines
        assert laptop.locator(FRAME).evaluate("f => f.getBoundingClientRect().top") == top
        middles = laptop.locator(".mk-toolbar-line button, .mk-toolbar-line select") \
            .evaluate_all("es => es.map(e => { const r = e.getBoundingClientRect(); "
                          "return Math.round((r.top + r.bottom) / 2); })")
        assert max(middles) - min(middles) <= 2, middles
    assert failed == []


def test_a_view_is_kept_from_email_to_email_and_an_unknown_one_is_said(laptop, site):
    goto(laptop, site(POST, "?client=full&view=mobile"))
    follow(laptop, laptop.locator(".mk-sidebar a", has_text="Ce qui va avec ton vase"))
    assert laptop.locator("[data-client]").input_value() == "full"
    assert laptop.locator(FRAME).get_attribute("data-client-view") == "full"
    goto(laptop, site(POST, "?client=sepia&dark=1"))
    expect(laptop.locator("[data-width-msg]")).to_have_text(
        "Unknown client view “sepia” in the address: showing the email as written.")
    query = parse_qs(urlsplit(laptop.url).query)
    assert "client" not in query and query["dark"] == ["1"]
    assert laptop.locator(FRAME).get_attribute("data-scheme") == "dark"


def test_compare_puts_any_two_views_side_by_side(laptop, site):
    page = laptop
    goto(page, site(POST, "?tab=compare"))
    page.locator("[data-client]").select_option("partial")
    sides = f"{PANEL} [data-compare] iframe"
    select = page.locator(f"{PANEL} [data-compare-with]")
    assert select.input_value() == "client:"  # beside a client view: the email as written
    assert select.locator('option[value="client:partial"]').is_disabled()
    assert select.locator('option[value="scheme"]').is_disabled()
    shows(page, "partial", f"{sides} >> nth=0")
    shows(page, "", f"{sides} >> nth=1")
    select.select_option("client:nostyle")
    shows(page, "nostyle", f"{sides} >> nth=1")
    labels = page.locator(f"{PANEL} .mk-side-label").all_inner_texts()
    assert labels[0].endswith("Desktop 800 px · Dark, partial inversion")
    assert labels[1].endswith("Desktop 800 px · Gmail, styles removed")
    query = parse_qs(urlsplit(page.url).query)
    assert query["client"] == ["partial"] and query["with"] == ["client:nostyle"]
    page.locator("[data-view=mobile]").click()  # the current viewport, on both sides
    widths = page.locator(sides).evaluate_all("fs => fs.map(f => parseFloat(f.style.width))")
    assert widths == [375, 375]
    page.locator(f"{PANEL} [data-compare-overlay]").check()
    assert page.locator(f"{PANEL} .mk-side").nth(1).locator(".mk-frame-box").evaluate(
        "e => getComputedStyle(e).mixBlendMode") == "difference"
    page.locator("[data-client]").select_option("nostyle")  # A takes B's view: B is as written
    assert select.input_value() == "client:"
    shows(page, "nostyle", f"{sides} >> nth=0")
    shows(page, "", f"{sides} >> nth=1")
    page.locator("[data-client]").select_option("")
    assert select.input_value() == "scheme"


def test_the_views_from_the_keyboard(laptop, site):
    goto(laptop, site(POST))
    laptop.locator("[data-dark]").focus()  # the client view comes after Desktop, Mobile, Dark
    laptop.keyboard.press("Tab")
    assert laptop.evaluate("document.activeElement.matches('[data-client]')")
    laptop.keyboard.press("ArrowDown")
    expect(laptop.locator(FRAME)).to_have_attribute("data-client-view", "partial")
    assert "client=partial" in laptop.url
    laptop.keyboard.press("Tab")
    about = laptop.get_by_role("button", name="About this client view")
    assert laptop.evaluate("document.activeElement.matches('[data-client-about]')")
    laptop.keyboard.press("Enter")
    panel = laptop.get_by_role("region", name="About this client view")
    expect(panel).to_be_visible()
    partial = next(v for v in clients.VIEWS if v.id == "partial")
    expect(panel).to_contain_text(partial.emulates)
    expect(panel).to_contain_text(partial.cannot_know)
    assert laptop.locator("[data-client]").get_attribute("aria-describedby") == \
        "mk-client-emulates"
    expect(laptop.locator("#mk-client-emulates")).to_have_text(partial.emulates)
    laptop.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert about.get_attribute("aria-expanded") == "false"
    assert laptop.evaluate("document.activeElement.matches('[data-client-about]')")


def test_each_view_under_serve_and_a_save_keeps_it(server, page):  # noqa: F811
    url, root = server
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    failed = failures(page)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        for view in VIEWS:
            goto(page, f"{url}/{POST}?client={view}")
            shows(page, view)
    goto(page, f"{url}/{POST}?client=partial&tab=compare&with=client:outlook")
    shows(page, "outlook", f"{PANEL} [data-compare] iframe >> nth=1")
    goto(page, f"{url}/{POST}?client=partial")
    loads: list[str] = []
    page.on("load", lambda p: loads.append(p.url))
    template = root / "brands/kokawa/emails/whatsapp_share.mjml.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("Elle a quitté notre atelier", "Elle vient de quitter "
                                     "notre atelier"), encoding="utf-8")
    frame = page.frame_locator(FRAME)
    frame.get_by_text("Elle vient de quitter notre atelier").wait_for(timeout=15000)
    shows(page, "partial")  # the save redrew the view it showed
    assert page.locator("[data-client]").input_value() == "partial"
    assert loads == [] and messages == [] and failed == []
