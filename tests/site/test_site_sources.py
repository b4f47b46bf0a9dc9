"""Email pages load their sources on demand (issue 17): the page carries no source text,
one `sources.js` per email holds them, a tab fills when first opened with exactly the
built file, dark is made in the browser (no `.dark.html`), and a payload that does not
load says so. Driven in Chromium from file://, as the other site tests."""

from __future__ import annotations

import shutil

from helpers import choose_state, goto
from playwright.sync_api import expect

from mailkit.commands.build import build
from mailkit.site import sources

APP = "r-pur/application/index.html"
PANEL = "[data-scenario-panel]:not([hidden])"
RAW = PANEL + " [data-tab-panel={tab}] [data-source={source}]"


def raw(page, tab: str, source: str, nth: int = 0) -> str:
    """The exact text a tab holds (what Copy copies), not its highlighted view."""
    return page.locator(RAW.format(tab=tab, source=source)).nth(nth).evaluate(
        "e => e.textContent")


def test_a_tab_fills_on_first_open_with_the_built_file_byte_for_byte(page, site, demo_build):
    result, out = demo_build
    goto(page, site(APP))
    filled = page.locator("[data-source]").evaluate_all(
        "es => es.filter(e => e.textContent !== '').length")
    assert filled == 0  # nothing is filled before a tab is opened
    for scenario in ("sans-app", "avec-app"):
        choose_state(page, scenario)
        built = out / f"r-pur/application/{scenario}"
        page.get_by_role("tab", name="HTML").click()
        expect(page.locator(f"{PANEL} [data-tab-panel=html] pre.is-pretty")).to_be_visible()
        assert raw(page, "html", "html") == built.with_suffix(".html").read_bytes().decode()
        built_page = result.pages[f"r-pur/application/{scenario}"]  # `build --sources` files
        page.get_by_role("tab", name="Text").click()
        assert raw(page, "text", "text") == built_page.compiled.text
        page.get_by_role("tab", name="MJML").click()
        assert raw(page, "mjml", "mjml") == built_page.rendered.mjml
        template = result.pages[f"r-pur/application/{scenario}"].rendered.template
        assert raw(page, "mjml", "template") == template.read_bytes().decode()
        page.get_by_role("tab", name="Rendered").click()
    page.get_by_role("tab", name="Klaviyo").click()
    exported = result.exports["r-pur/application"]
    code = page.locator(f"{PANEL} [data-tab-panel=klaviyo] pre")
    assert code.nth(0).evaluate("e => e.textContent") == exported.html
    assert code.nth(1).evaluate("e => e.textContent") == exported.text


def test_email_pages_carry_no_source_and_no_dark_files(demo_build):
    result, out = demo_build
    assert not list(out.rglob("*.dark.html"))
    for view in {p.target.email_key for p in result.pages.values()}:
        page = (out / view / "index.html").read_text(encoding="utf-8")
        states = [p for p in result.pages.values() if p.target.email_key == view]
        assert "<!doctype html>" not in page.lower().split("<html", 1)[1]  # no email inside
        assert "mj-column" not in page and "{% extends" not in page
        assert len(page.encode()) <= 6_000 + 4_000 * len(states), view  # a few KB a state
        data = sources.read(out / view / "sources.js")
        assert data["scenarios"] == [p.target.scenario for p in states]
        for i, state in enumerate(states):
            built = out / state.key
            assert data["html"][i] == built.with_suffix(".html").read_text(encoding="utf-8")
            assert data["text"][i] == state.compiled.text  # what `build --sources` writes
            assert data["mjml"][i] == state.rendered.mjml
        assert len(data["templates"]) == 1  # the template once, not once per state
        assert data["klaviyo_html"] == result.exports[view].html  # the export once per email


def test_an_email_page_does_not_grow_with_its_html(make_project, tmp_path):
    """40 KB more of email: the HTML and its sources script grow, its page does not."""
    root = make_project()
    build(root)
    short = root / "build/test/hello"
    before = {p.name: p.stat().st_size for p in short.iterdir()}
    email = root / "emails/hello.mjml.j2"
    long_text = "".join(f"<p>Paragraphe {i}, une ligne de texte assez longue.</p>"
                        for i in range(800))
    email.write_text(email.read_text().replace(
        "<mj-text>Bonjour {{ person.first_name }}</mj-text>",
        f"<mj-text>Bonjour {{{{ person.first_name }}}}{long_text}</mj-text>"))
    build(root)
    after = {p.name: p.stat().st_size for p in short.iterdir()}
    assert after["default.html"] - before["default.html"] > 40_000
    assert after["sources.js"] > before["sources.js"]
    assert abs(after["index.html"] - before["index.html"]) < 100  # a size pill at most


def test_dark_is_made_in_the_browser(page, site, demo_build):
    _, out = demo_build
    goto(page, site(APP, "?dark=1"))
    frame = page.frame_locator(f"{PANEL} [data-tab-panel=rendered] iframe")
    surface = frame.locator(".mk-surface").first
    assert surface.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(21, 25, 30)"
    styles = frame.locator("style").evaluate_all("ss => ss.map(s => s.textContent).join('')")
    assert "@media all" in styles and "prefers-color-scheme" not in styles
    assert not (out / "r-pur/application/sans-app.dark.html").exists()
    page.locator("[data-dark]").click()  # back to light: the built HTML as it is
    assert surface.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    html = frame.locator("html").evaluate("e => e.ownerDocument.documentElement.outerHTML")
    assert "prefers-color-scheme" in html


def test_a_missing_payload_says_so_in_every_tab(browser, demo_build, tmp_path):
    _, out = demo_build
    copy = tmp_path / "build"
    shutil.copytree(out, copy)
    (copy / "r-pur/application/sources.js").unlink()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    goto(page, (copy / APP).as_uri())
    message = "This email’s sources did not load: sources.js beside this page is missing"
    expect(page.locator(f"{PANEL} [data-tab-panel=rendered] [data-sources-error]")) \
        .to_contain_text(message)
    expect(page.locator(f"{PANEL} [data-tab-panel=rendered] .mk-frame-box")).to_be_hidden()
    expect(page.locator(f"{PANEL} .mk-facts [data-sources-error]")).to_contain_text(message)
    for tab in ("HTML", "Text", "MJML", "Klaviyo", "Checks"):
        page.get_by_role("tab", name=tab).click()
        alert = page.locator(f"{PANEL} [data-tab-panel]:not([hidden]) [role=alert]")
        expect(alert).to_contain_text(message)
    assert len(errors) == 1 and "ERR_FILE_NOT_FOUND" in errors[0]  # the missing file, only
    context.close()


def test_a_browser_without_decompression_says_so(browser, site):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script("delete window.DecompressionStream")
    goto(page, site(APP, "?tab=html"))
    expect(page.locator(f"{PANEL} [data-tab-panel=html] [data-sources-error]")).to_have_text(
        "This browser cannot unpack this email’s sources: it needs DecompressionStream "
        "(Chromium 80, Firefox 113, Safari 16.4 or later).")
    context.close()
