"""The email page for a newcomer (issue 25): with ten states, at 1 280 × 800, the email's
first pixel is at most 220 px from the top: the states in a picker (a row each only while
its list is open), every other control on one toolbar line. Nothing overlaps at 1 024 ×
768 or 1 920 × 1 080, and every control is reached from the keyboard."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import checked_page, goto
from playwright.sync_api import expect

FRAME = "[data-scenario-panel]:not([hidden]) [data-tab-panel=rendered] iframe"
TOP = 220  # px: the most the email may start below the window's top at 1 280 × 800

# Everything drawn above the email, each a box that must not overlap another.
BOXES = """() => {
  const seen = e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden';
  const sel = ['.mk-crumbs', '.mk-page-head h1', '.mk-picker > button', '.mk-scale',
    '.mk-toolbar-line [role=tab]', '.mk-viewport button', '.mk-width', '[data-dark]',
    '.mk-client label', '[data-client-about]', '[data-facts-toggle]',
    '[data-scenario-panel]:not([hidden]) .mk-inbox'];
  return sel.flatMap(s => [...document.querySelectorAll(s)].filter(seen).map(e => {
    const r = e.getBoundingClientRect();
    return {name: s + ' ' + e.textContent.trim().slice(0, 20), left: r.left, right: r.right,
            top: r.top, bottom: r.bottom};
  }));
}"""


SIZES = [(1280, 800), (1024, 768), (1920, 1080)]


@pytest.fixture(params=SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def sized(request, browser):
    yield from checked_page(browser, *request.param)


@pytest.fixture
def laptop(browser):
    yield from checked_page(browser, 1280, 800)


def frame_top(page) -> float:
    return page.locator(FRAME).evaluate("f => f.getBoundingClientRect().top")


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5 and \
                    min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5:
                found.append((a["name"], b["name"]))
    return found


def test_ten_states_leave_the_email_near_the_top(sized, ten_states):
    _, out, path = ten_states
    page = sized
    size = (page.viewport_size["width"], page.viewport_size["height"])
    goto(page, (out / path).as_uri())
    assert page.locator("button[data-scenario]").count() == 10
    expect(page.locator("[data-states-toggle]")).to_contain_text("1 of 10")
    top = frame_top(page)
    print(f"{size[0]}x{size[1]}: the email starts {top:.0f} px from the top")
    if size == (1280, 800):
        assert top <= TOP
        middles = page.locator(".mk-toolbar-line :is(button, select, input)").evaluate_all(
            "es => es.map(e => { const r = e.getBoundingClientRect(); "
            "return Math.round((r.top + r.bottom) / 2); })")
        assert max(middles) - min(middles) <= 2, middles  # one toolbar line
    boxes = page.evaluate(BOXES)
    assert overlaps(boxes) == []
    width = page.viewport_size["width"]
    assert all(b["right"] <= width and b["bottom"] <= top for b in boxes)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # an open list lies over the page: the email does not move
    page.locator("[data-states-toggle]").click()
    expect(page.locator("#mk-states")).to_be_visible()
    assert frame_top(page) == top


def tab_stops(page, start: str, count: int) -> list[str]:
    """What Tab reaches from `start`, `count` times: each stop's data-* or role, in order."""
    page.locator(start).focus()
    stops = []
    for _ in range(count):
        page.keyboard.press("Tab")
        stops.append(page.evaluate("""() => { const e = document.activeElement;
            const data = Object.keys(e.dataset)[0];
            return data ? data + (e.dataset[data] ? '=' + e.dataset[data] : '')
                        : e.getAttribute('role') || e.tagName.toLowerCase(); }"""))
    return stops


def test_every_control_is_reached_from_the_keyboard(laptop, ten_states):
    _, out, path = ten_states
    page = laptop
    goto(page, (out / path).as_uri())
    stops = tab_stops(page, ".mk-crumbs a", 12)
    assert stops == ["stateStep=-1", "statesToggle", "stateStep=1", "tab=rendered",
                     "view=desktop", "view=mobile", "width", "dark", "client",
                     "clientAbout", "factsToggle", stops[-1]]
    assert stops[-1] not in stops[:-1]  # then on into the email's panel
    # the picker: Enter opens it on the state shown, arrows move, Enter shows a state
    toggle = page.locator("[data-states-toggle]")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    states = page.locator("button[data-scenario]")
    expect(states.first).to_be_focused()
    for _ in range(5):
        page.keyboard.press("ArrowDown")
    sixth = states.nth(5)
    expect(sixth).to_be_focused()
    assert "is-edge" in sixth.get_attribute("class")  # edge states follow, in one list
    name = sixth.get_attribute("data-scenario")
    page.keyboard.press("Enter")
    expect(page.locator("#mk-states")).to_be_hidden()
    expect(toggle).to_be_focused()
    expect(toggle).to_contain_text("6 of 10")
    assert parse_qs(urlsplit(page.url).query)["scenario"] == [name]
    expect(page.locator(FRAME)).to_have_attribute("data-src", f"{name}.html")
    # End and Home, Escape closes where it opened, Tab out of the list closes it
    page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    expect(states.last).to_be_focused()
    page.keyboard.press("Home")
    expect(states.first).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#mk-states")).to_be_hidden()
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
    expect(page.locator("#mk-states")).to_be_hidden()
    # previous and next step through the states, round the list
    goto(page, (out / path).as_uri())
    page.locator("[data-state-step='-1']").press("Enter")
    expect(toggle).to_contain_text("10 of 10")
    last = states.last.get_attribute("data-scenario")
    assert parse_qs(urlsplit(page.url).query)["scenario"] == [last]
    page.keyboard.press("Tab")  # from ‹ past the picker's button to ›
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(toggle).to_contain_text("1 of 10")
    page.keyboard.press("Enter")  # the focus stays on ›: Enter again steps again
    expect(toggle).to_contain_text("2 of 10")
    assert page.evaluate("document.activeElement.dataset.stateStep") == "1"
    expect(page.locator("#mk-states")).to_be_hidden()
    # a click outside closes the list
    toggle.click()
    page.locator("h1").click()
    expect(page.locator("#mk-states")).to_be_hidden()
