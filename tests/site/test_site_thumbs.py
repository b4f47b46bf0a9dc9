"""The brand homes' thumbnails for a newcomer (issue 25): before any `mailkit snapshot`,
each email is drawn from its own built HTML, small, over file:// and under `serve`; a
picture only (no focus, no click, nothing read aloud); and a brand home of dozens of
emails loads a few documents at a time, only near the view. After a snapshot run, the
thumbnails are its pictures, kept by HTML while the email is unchanged."""

from __future__ import annotations

import copy
import io
import re
import shutil
import time

import lxml.html
import pytest
from helpers import checked_page, goto
from playwright.sync_api import expect

from mailkit.cache import THUMBS_DIR
from mailkit.commands.build import build
from mailkit.site import thumbs

# settled: the observer has placed every box (until then nothing is queued either), and
# nothing is queued or loading
SETTLED = ("() => { const s = mailkitThumbs.stats(); "
           "return s.ready && s.loading === 0 && s.queued === 0; }")
BOX = "[data-thumb]"


@pytest.fixture
def laptop(browser):
    yield from checked_page(browser, 1280, 800)


def settle(page) -> dict:
    page.wait_for_function(SETTLED)
    return page.evaluate("mailkitThumbs.stats()")


def test_each_email_is_drawn_from_its_own_html(laptop, ten_states):
    result, out, _ = ten_states  # a fresh copy of the demo: no snapshot run, no cached shot
    assert not (out / "_mailkit/thumbs").exists()
    page = laptop
    goto(page, (out / "r-pur/index.html").as_uri())
    settle(page)
    boxes = page.locator(BOX)
    for i in range(boxes.count()):
        box = boxes.nth(i)
        box.scroll_into_view_if_needed()
        expect(box).to_have_class(re.compile(r"\bis-drawn\b"))
        src = box.get_attribute("data-thumb")
        key = src.removeprefix("../").removesuffix(".html")
        assert key in result.pages and (out / f"{key}.html").is_file()
        frame = box.locator("iframe")
        assert frame.get_attribute("src") == src
        # a picture: no script, no focus, no click, not read aloud
        assert frame.get_attribute("sandbox") == "allow-same-origin"
        assert frame.get_attribute("inert") == "" and box.get_attribute("aria-hidden") == "true"
        email = page.frame_locator(f"{BOX} >> nth={i} >> iframe")
        title = result.pages[key].compiled.html.split("<title>", 1)[1].split("</title>")[0]
        shown = email.locator("title").evaluate("t => t.textContent")
        assert shown == lxml.html.fromstring(title).text_content()
    # drawn, not a grey box: the miniature has the email's colours, scaled to its box
    first = boxes.first
    first.scroll_into_view_if_needed()
    expect(first).to_have_class(re.compile(r"\bis-drawn\b"))
    shot = first.screenshot()
    from PIL import Image

    with Image.open(io.BytesIO(shot)) as image:
        assert len(image.convert("RGB").getcolors(1 << 16) or []) > 200
    width = first.evaluate("b => b.clientWidth")
    assert first.locator("iframe").evaluate(
        "f => f.getBoundingClientRect().width") == width
    # the link around it opens the state; Tab never goes into a frame
    branch = page.locator("#r-pur-post-achat .mk-branch", has_text="Déjà cliente").first
    branch.locator(BOX).click()
    expect(page.locator("[data-states-toggle]")).to_contain_text("Déjà cliente")
    page.go_back()
    settle(page)
    for _ in range(40):
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") != "IFRAME"


def big_home(out, tmp_path, copies: int = 10):
    """The build `out` with r-pur's home holding its flows `copies` times: 100 thumbnails."""
    big = tmp_path / "build"
    shutil.copytree(out, big)
    home = big / "r-pur/index.html"
    root = lxml.html.parse(str(home)).getroot()
    grid = root.find_class("mk-flows")[0]
    flows = list(grid)
    for n in range(1, copies):
        for flow in flows:
            twin = copy.deepcopy(flow)
            for el in twin.iter():
                for attr in ("id", "aria-labelledby"):
                    if el.get(attr):
                        el.set(attr, f"{el.get(attr)}-{n}")
            grid.append(twin)
    home.write_bytes(lxml.html.tostring(root, doctype="<!doctype html>", encoding="utf-8"))
    return home


def test_dozens_of_emails_load_a_few_documents_at_a_time(laptop, ten_states, tmp_path):
    _, out, _ = ten_states
    home = big_home(out, tmp_path)
    page = laptop
    documents: list[str] = []
    page.on("request", lambda r: documents.append(r.url)
            if r.resource_type == "document" and r.frame != page.main_frame else None)
    start = time.perf_counter()
    page.goto(home.as_uri())
    stats = settle(page)
    took = time.perf_counter() - start
    boxes = page.locator(BOX).count()
    print(f"{boxes} thumbnails, {home.stat().st_size // 1024} KB: {len(documents)} "
          f"documents on opening, {stats['mostAtOnce']} at once, all drawn in "
          f"{took * 1000:.0f} ms")
    assert boxes >= 70
    assert stats["mostAtOnce"] <= 3
    assert len(documents) == stats["loaded"] <= 16  # those near the view only
    in_view = page.locator(BOX).evaluate_all(
        "bs => bs.filter(b => b.getBoundingClientRect().top < innerHeight).length")
    assert stats["frames"] >= in_view  # every box in view is drawn
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function(f"() => mailkitThumbs.stats().loaded > {stats['loaded']}")
    low = settle(page)
    assert low["frames"] <= 16  # the frames scrolled away are dropped
    expect(page.locator(BOX).first.locator("iframe")).to_have_count(0)
    shown = page.locator(BOX).evaluate_all("""bs => bs.filter(b => {
        const r = b.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })
        .map(b => b.classList.contains('is-drawn'))""")
    assert shown and all(shown)  # every box in view at the bottom is drawn
    print(f"scrolled to the bottom: {low['frames']} frames alive, {len(documents)} "
          "documents loaded in all")


def test_thumbnails_under_serve_follow_a_save(server, page):
    url, root = server
    failed: list[str] = []
    page.on("console", lambda m: failed.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: failed.append(r.url)
            if "ERR_ABORTED" not in (r.failure or "") else None)
    goto(page, f"{url}/r-pur/index.html")
    settle(page)
    colis = page.frame_locator(f"#r-pur-post-achat {BOX} >> nth=0 >> iframe")
    expect(colis.get_by_text("Ton colis est parti")).to_be_visible()
    loads: list[str] = []
    page.on("load", lambda p: loads.append(p.url))
    template = root / "brands/r-pur/emails/parcel_contents.mjml.j2"
    text = template.read_text(encoding="utf-8")
    assert "Ton colis est parti" in text
    template.write_text(text.replace("Ton colis est parti", "Ton colis a quitté l’atelier"),
                        encoding="utf-8")
    expect(colis.get_by_text("Ton colis a quitté l’atelier")).to_be_visible(timeout=15000)
    assert loads == [] and failed == []  # patched in place, the emails drawn again


def test_thumbnails_come_from_the_snapshot_cache_while_the_email_is_unchanged(
        make_project, laptop):
    import io

    from PIL import Image

    root = make_project()
    result = build(root)
    page = result.pages["test/hello/default"]
    shot = io.BytesIO()
    Image.new("RGB", (800, 1400), (200, 30, 30)).save(shot, "PNG")
    assert thumbs.save(root, page.compiled.html.encode("utf-8"), shot.getvalue())
    build(root)
    goto(laptop, (root / "build/test/index.html").as_uri())
    img = laptop.locator(".mk-step img.mk-thumb")
    src = img.get_attribute("src")
    assert src.startswith("../_mailkit/thumbs/") and img.evaluate("i => i.naturalWidth") == 240
    with Image.open(root / "build/test" / src) as thumb:
        assert thumb.size == (240, 300)
    (root / "emails/hello.mjml.j2").write_text(
        (root / "emails/hello.mjml.j2").read_text().replace("Bonjour {{", "Salut {{"))
    build(root)  # the email changed: its old thumbnail is not shown, the email itself is
    goto(laptop, (root / "build/test/index.html").as_uri())
    assert laptop.locator(".mk-step img.mk-thumb").count() == 0
    assert laptop.locator(".mk-step .mk-thumb.is-live").count() == 1
    drawn = laptop.frame_locator(".mk-step .mk-thumb.is-live iframe")
    expect(drawn.get_by_text("Salut Camille")).to_be_attached()


def test_the_snapshot_run_caches_thumbnails(make_project):
    from mailkit.visual.suite import run_suite

    root = make_project()
    result = build(root)
    suite = run_suite(root / "build", root / "baselines", variants=[("desktop", "light")],
                      thumbs_root=root)
    digest = thumbs.digest(result.pages["test/hello/default"].compiled.html)
    assert suite.thumbs_added == 1 and (root / THUMBS_DIR / f"{digest}.jpg").is_file()
    again = run_suite(root / "build", root / "baselines", variants=[("desktop", "light")],
                      thumbs_root=root)
    assert again.thumbs_added == 0  # cached: the next run adds nothing
