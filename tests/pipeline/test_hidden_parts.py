"""What an email hides, its preheader and its dark-mode twins, stays hidden in Chromium
without the hidden text filters score: the preheader as a box of no height, the twins
by a class in `<style>` (inline, only a `max-height:0` on the image)."""

from __future__ import annotations

import re

from mailkit.pipeline.compile import PREHEADER

POST_ACHAT = "kokawa/partage-whatsapp/un-article"
NOUVEAUTES = "kokawa/nouveautes/inactif"
TWINS = """() => [...document.querySelectorAll('.mk-dark-img')].map(
    cell => cell.getBoundingClientRect().height)"""


def test_the_email_renders_as_if_it_had_no_preheader(browser, demo_build):
    result, out = demo_build
    html = result.pages[POST_ACHAT].compiled.html
    bare, found = re.subn(re.escape(PREHEADER) + r".*?</div>", "", html, count=1)
    assert found == 1
    page = browser.new_page(viewport={"width": 800, "height": 600})
    page.goto((out / f"{POST_ACHAT}.html").as_uri())  # its images, from the build
    shown = page.screenshot(full_page=True)
    page.set_content(bare)  # the same address: the same images
    assert page.screenshot(full_page=True) == shown
    page.close()


def test_dark_twins_show_in_dark_mode_only_and_take_no_room_without_styles(browser,
                                                                          demo_build):
    result, out = demo_build
    html = result.pages[NOUVEAUTES].compiled.html
    assert not re.search(r'style="[^"]*display:\s*none', html)  # no inline display:none
    page = browser.new_page(viewport={"width": 800, "height": 600})
    page.emulate_media(color_scheme="light")
    page.goto((out / f"{NOUVEAUTES}.html").as_uri())
    twins = page.evaluate(TWINS)
    assert len(twins) == 6 and set(twins) == {0}
    page.emulate_media(color_scheme="dark")
    assert all(height >= 48 for height in page.evaluate(TWINS))  # the logo is 48 px high
    page.emulate_media(color_scheme="light")  # a client that drops <style>, as Gmail's IMAP
    page.evaluate("() => document.querySelectorAll('style').forEach(s => s.remove())")
    assert set(page.evaluate(TWINS)) == {0}
    page.close()
