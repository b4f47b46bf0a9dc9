"""The preview under `mailkit serve` (issue 16): no console error on any page or tab, and
frame, URL and toolbar in agreement after Back and Forward over http as over file://."""

from __future__ import annotations

from helpers import THUMBS_DRAWN, follow, goto
from playwright.sync_api import expect

APP = "r-pur/application/index.html"
PANEL = "[data-scenario-panel]:not([hidden])"
TABS = ["rendered", "compare", "inbox", "html", "text", "mjml", "klaviyo", "checks"]


def visit_everything(page, base: str) -> None:
    page.goto(f"{base}/index.html")
    page.get_by_role("searchbox", name="Search").fill("vase")
    for brand in ("kokawa", "r-pur"):  # the brand homes draw their emails in frames
        page.goto(f"{base}/{brand}/index.html")
        page.wait_for_function(THUMBS_DRAWN)
    for path in (APP, "kokawa/partage-whatsapp/index.html"):
        for tab in TABS:
            page.goto(f"{base}/{path}?tab={tab}&dark=1")
            page.locator("body[data-ready]").wait_for(state="attached")
        page.goto(f"{base}/{path}?view=mobile&tab=compare&with=viewport")
        page.locator("body[data-ready]").wait_for(state="attached")


def console(page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    # a request cut short by the next navigation is aborted, not failed: a missing file is
    page.on("requestfailed", lambda r: messages.append(f"failed: {r.url} {r.failure}")
            if "ERR_ABORTED" not in (r.failure or "") else None)
    return messages


def test_no_console_error_over_file(page, demo_build):
    _, out = demo_build
    messages = console(page)
    visit_everything(page, out.as_uri())
    assert messages == []


def test_no_console_error_under_serve_and_back_forward_agree(server, page):  # noqa: F811
    url, _ = server
    messages = console(page)
    visit_everything(page, url)
    goto(page, f"{url}/{APP}")
    frame = page.frame_locator("[data-scenario-panel]:not([hidden]) [data-tab-panel=rendered] "
                               "iframe")
    surface = frame.locator(".mk-surface").first
    page.locator("[data-dark]").click()
    assert surface.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(21, 25, 30)"
    follow(page, page.locator(".mk-sidebar a", has_text="Parraine un proche"))
    page.go_back()
    page.locator("body[data-ready]").wait_for(state="attached")
    assert "dark=1" in page.url
    assert page.locator("[data-dark]").get_attribute("aria-pressed") == "true"
    assert surface.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(21, 25, 30)"
    page.go_forward()
    page.locator("body[data-ready]").wait_for(state="attached")
    assert "parrainage" in page.url and "dark=1" in page.url
    assert messages == []


def test_a_save_refreshes_the_open_frame_and_the_code_tabs_in_place(server, page):  # noqa: F811
    """No .dark.html to fetch any more: the page reloads the email's sources.js and
    writes the frame (dark made in the browser) and the code tabs from it."""
    url, root = server
    goto(page, f"{url}/{APP}?scenario=sans-app&dark=1")
    frame = page.frame_locator(f"{PANEL} [data-tab-panel=rendered] iframe")
    frame.get_by_text("Télécharge R").wait_for()
    page.get_by_role("tab", name="Text").click()
    text = page.locator(f"{PANEL} [data-tab-panel=text] [data-source=text]")
    expect(text).to_contain_text("Télécharge R")  # filled before the save
    page.get_by_role("tab", name="Rendered").click()
    loads: list[str] = []
    page.on("load", lambda p: loads.append(p.url))
    partial = root / "partials/app_download.mjml.j2"
    good = partial.read_text(encoding="utf-8")
    partial.write_text(good.replace('"Télécharge"', '"Installe"'))
    frame.get_by_text("Installe R").wait_for(timeout=15000)
    surface = frame.locator(".mk-surface").first
    assert surface.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(21, 25, 30)"
    page.get_by_role("tab", name="Text").click()
    expect(text).to_contain_text("Installe R")
    page.get_by_role("tab", name="Checks").click()  # the save's checks follow, in place too
    checks = page.locator(f"{PANEL} [data-tab-panel=checks]")
    expect(checks).to_contain_text("this scenario passes every check", timeout=15000)
    page.get_by_role("tab", name="HTML").click()  # build/ is no longer being swapped
    built = (root / "build/r-pur/application/sans-app.html").read_bytes().decode("utf-8")
    html = page.locator(f"{PANEL} [data-tab-panel=html] [data-source=html]")
    assert "Installe R" in built and html.evaluate("e => e.textContent") == built
    page.get_by_role("tab", name="Text").click()  # an open code tab follows a save too
    partial.write_text(good.replace('"Télécharge"', '"Récupère"'))
    expect(text).to_contain_text("Récupère R", timeout=15000)
    assert loads == []  # all of it in place, no reload
