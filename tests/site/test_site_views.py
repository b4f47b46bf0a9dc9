"""What designers expect next (issue 16): compare, inbox, highlighted sources with a copy
button, the sidebar's search (also over 1 000 pages), edge states apart, copied brands
told apart, thumbnails from the snapshot cache."""

from __future__ import annotations

import json
import shutil
import time

import pytest
from helpers import REPO, checked_page, choose_state, follow, goto
from playwright.sync_api import expect

from mailkit.commands.build import build
from mailkit.project.flows_yaml import Scenario
from mailkit.project.load import Project, Target, load_project

APP = "r-pur/application/index.html"
DEMO_TARGETS = load_project(REPO).targets()  # named and generated edge states
PANEL = "[data-scenario-panel]:not([hidden])"


@pytest.fixture
def laptop(browser):
    yield from checked_page(browser, 1280, 800)


def sides(page) -> list[dict]:
    return page.locator(f"{PANEL} [data-compare] iframe").evaluate_all("""fs => fs.map(f => {
        const r = f.getBoundingClientRect(), d = f.contentDocument;
        const s = d.querySelector('.mk-surface');
        return {left: r.left, right: r.right, top: r.top, width: parseFloat(f.style.width),
                height: parseFloat(f.style.height), scale: Number(f.parentNode.dataset.scale),
                surface: s ? getComputedStyle(s).backgroundColor : '',
                app: d.querySelectorAll('.mk-app-block').length, src: f.dataset.src}; })""")


def test_compare_shows_two_states_side_by_side_at_one_scale(laptop, site):
    goto(laptop, site(APP, "?tab=compare"))
    a, b = sides(laptop)
    assert (a["surface"], b["surface"]) == ("rgb(255, 255, 255)", "rgb(21, 25, 30)")  # light | dark
    assert a["scale"] == b["scale"] < 1 and a["right"] <= b["left"]
    assert b["right"] <= laptop.evaluate("innerWidth")  # both wholly visible
    labels = laptop.locator(f"{PANEL} .mk-side-label").all_inner_texts()
    assert labels[0].startswith("A · ") and labels[0].endswith("Desktop 800 px · Light")
    assert labels[1].endswith("Desktop 800 px · Dark")
    # one scroll: the frames are as tall as their emails, so the page scrolls them together
    assert a["height"] == b["height"] and laptop.locator(f"{PANEL} [data-compare] .mk-canvas") \
        .evaluate_all("cs => cs.every(c => c.scrollHeight <= c.clientHeight + 1)")
    laptop.locator(f"{PANEL} [data-compare-with]").select_option("viewport")
    assert [s["width"] for s in sides(laptop)] == [800, 375]
    assert laptop.locator(f"{PANEL} [data-compare-overlay]").is_disabled()
    laptop.locator(f"{PANEL} [data-compare-with]").select_option("scenario:avec-app")
    a, b = sides(laptop)
    assert (a["app"], b["app"]) == (1, 0) and b["src"] == "avec-app.html"
    assert "with=scenario%3Aavec-app" in laptop.url
    laptop.locator(f"{PANEL} [data-compare-overlay]").check()
    a, b = sides(laptop)
    assert (a["left"], a["top"]) == (b["left"], b["top"])  # laid over each other
    blend = laptop.locator(f"{PANEL} .mk-side").nth(1).locator(".mk-frame-box").evaluate(
        "e => getComputedStyle(e).mixBlendMode")
    assert blend == "difference" and "overlay=1" in laptop.url


def test_inbox_shows_the_email_as_gmail_truncates_it(laptop, site, demo_build, demo_copy):
    """The demo's subjects fit Gmail's line; a longer one is cut where the view shows the
    ellipsis and where `mailkit check` says it is (check/inbox.py: the same measure)."""
    from mailkit.check.inbox import shown as check_shown

    result, _ = demo_build
    goto(laptop, site(APP, "?tab=inbox"))
    phone = laptop.locator(f"{PANEL} .mk-phone")
    assert phone.bounding_box()["width"] == 375
    subject = result.pages["r-pur/application/sans-app"].rendered.subject
    assert phone.locator(".mk-row").first.locator(".mk-row-subject").text_content() == subject
    fact = laptop.locator(f"{PANEL} [data-inbox-fact=subject]")
    assert fact.inner_text() == f"{len(subject)} characters: shown whole"
    assert phone.locator(".mk-row").count() == 4  # among the brand's other emails
    template = demo_copy / "brands/r-pur/emails/app_download.mjml.j2"
    text = template.read_text(encoding="utf-8")
    template.write_text(text.replace("suis{% else %}Suis{% endifdata %} l’usure de ton filtre",
                                     "ton{% else %}Ton{% endifdata %} filtre a maintenant un "
                                     "tableau de bord"), encoding="utf-8")
    long = build(demo_copy).pages["r-pur/application/sans-app"].rendered.subject
    goto(laptop, (demo_copy / "build" / APP).as_uri() + "?tab=inbox")
    first = laptop.locator(f"{PANEL} .mk-phone .mk-row").first
    truncated = first.locator(".mk-row-subject").evaluate(
        "e => [e.scrollWidth > e.clientWidth, getComputedStyle(e).textOverflow]")
    assert truncated == [True, "ellipsis"]
    shown = int(fact.get_attribute("data-shown"))
    assert shown == check_shown(long, bold=True) == 42
    assert fact.inner_text() == (f"{len(long)} characters: Gmail shows the first {shown}, "
                                 "then “…”")


def test_html_and_mjml_tabs_are_pretty_highlighted_and_copyable(browser, site, demo_build):
    result, out = demo_build
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    goto(page, site(APP, "?tab=html"))
    pretty = page.locator(f"{PANEL} [data-tab-panel=html] pre.is-pretty")
    text = pretty.inner_text()
    raw = (out / "r-pur/application/sans-app.html").read_text(encoding="utf-8")
    assert text.count("\n") > raw.count("\n") * 2 and "\n  <head>" in text  # indented
    assert pretty.locator(".t-tag").count() > 100 and pretty.locator(".t-attr").count() > 50
    assert page.locator(f"{PANEL} [data-tab-panel=html] pre[data-code]").is_hidden()
    page.locator(f"{PANEL} [data-tab-panel=html] [data-copy]").click()
    expect(page.locator(f"{PANEL} [data-tab-panel=html] [data-copy]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == raw  # the exact HTML, not pretty
    page.get_by_role("tab", name="MJML").click()
    template = page.locator(f"{PANEL} [data-tab-panel=mjml] pre.is-pretty").first
    source = result.pages["r-pur/application/sans-app"].rendered.template.read_text("utf-8")
    assert template.inner_text().strip() == source.strip()  # a template is shown as written
    assert template.locator(".t-tpl").count() >= 3
    context.close()


def test_search_filters_the_sidebar(laptop, site):
    goto(laptop, site("index.html"))
    search = laptop.get_by_role("searchbox", name="Search")
    search.fill("mondial")  # a state's description: "Trois articles, livraison Mondial Relay"
    visible = laptop.locator(".mk-nav-tree li:visible a")
    assert visible.all_inner_texts() == ["J+0 Un message pour un proche"]
    search.fill("prenom")  # accents do not matter: the generated state "Profil sans prénom"
    assert len(visible.all_inner_texts()) == len({t.email_key for t in DEMO_TARGETS
                                                  if t.scenario == "sans-prenom"})
    search.fill("R-PUR parrain")
    assert visible.all_inner_texts() == ["J+21 Parraine un proche"]
    assert laptop.locator("[data-search-count]").inner_text().startswith("1 of ")
    search.fill("usure de ton filtre")  # a subject
    assert visible.all_inner_texts() == ["J+3 L’application R-PUR"]
    search.press("Enter")
    expect(laptop.locator("h1")).to_have_text("L’application R-PUR")


def test_search_stays_usable_with_1000_pages(laptop, demo_build, tmp_path):
    _, out = demo_build
    big = tmp_path / "build"
    shutil.copytree(out, big)
    brands = [{"slug": f"b{b}", "label": f"Marque {b}", "flows": [{
        "id": f"f{f}", "name": f"Flow {f}", "trigger": "Placed Order", "emails": [{
            "url": "r-pur/application/index.html", "name": f"Email {b}-{f}-{e}",
            "delay": f"J+{e}", "subject": f"Sujet numéro {b * 1000 + f * 100 + e}",
            "states": ["default"]} for e in range(25)]} for f in range(10)]} for b in range(4)]
    (big / "_mailkit/nav-data.js").write_text(
        "window.MAILKIT_NAV = " + json.dumps({"brands": brands, "report": "", "pages": 1000}) + ";")
    goto(laptop, (big / "index.html").as_uri())
    assert laptop.locator(".mk-nav-tree li").count() == 1000
    render = laptop.evaluate("() => { const t = performance.now(); mailkitSidebar.render(); "
                             "return performance.now() - t; }")
    search = laptop.get_by_role("searchbox", name="Search")
    start = time.perf_counter()
    search.fill("numéro 2317")
    expect(laptop.locator("[data-search-count]")).to_have_text("1 of 1000 emails")
    typed = time.perf_counter() - start
    took = laptop.evaluate("() => { const t = performance.now(); "
                           "document.querySelector('[data-search]').value = 'email 2-3-'; "
                           "mailkitSidebar.filter(); return performance.now() - t; }")
    assert laptop.locator("[data-search-count]").inner_text() == "25 of 1000 emails"
    print(f"render {render:.1f} ms, filter {took:.1f} ms, typed to result {typed * 1000:.0f} ms")
    assert render < 500 and took < 100  # well under a keystroke on this 2-core machine


def test_the_sidebar_folds_brands_when_there_are_many(laptop, demo_build, tmp_path):
    """#17: with more than three brands only the brand in view is open; a brand opened by
    hand stays open from page to page, and a search shows hits in folded brands."""
    _, out = demo_build
    big = tmp_path / "build"
    shutil.copytree(out, big)
    nav = json.loads((out / "_mailkit/nav-data.js").read_text(encoding="utf-8")
                     .removeprefix("window.MAILKIT_NAV = ").rstrip().rstrip(";"))
    copies = [dict(b, slug=f"{b['slug']}-{i}", label=f"{b['label']} {i}")
              for i in range(2) for b in nav["brands"]]
    nav["brands"] = nav["brands"] + copies  # 6 brands, the demo's two first
    (big / "_mailkit/nav-data.js").write_text(
        "window.MAILKIT_NAV = " + json.dumps(nav, ensure_ascii=False) + ";", encoding="utf-8")
    goto(laptop, (big / "r-pur/application/index.html").as_uri())
    toggles = laptop.locator(".mk-nav-toggle")
    expect(toggles).to_have_count(6)
    expanded = toggles.evaluate_all("ts => ts.map(t => t.getAttribute('aria-expanded'))")
    assert expanded == ["false", "true", "false", "false", "false", "false"]  # r-pur: in view
    expect(laptop.locator(".mk-sidebar a", has_text="Un message pour un proche").first) \
        .to_be_hidden()
    toggles.first.click()  # open kokawa
    expect(laptop.locator(".mk-sidebar a", has_text="Un message pour un proche").first) \
        .to_be_visible()
    follow(laptop, laptop.locator(".mk-sidebar a", has_text="Parraine un proche").first)
    expect(laptop.locator(".mk-nav-toggle").first).to_have_attribute("aria-expanded", "true")
    toggles.first.click()  # closed again, and a search still finds what it holds
    laptop.get_by_role("searchbox", name="Search").fill("mondial")
    expect(laptop.locator(".mk-nav-tree li:visible a")).to_have_count(3)  # kokawa and copies


def test_email_pages_do_not_carry_the_whole_sidebar(demo_build):
    result, out = demo_build
    page = (out / "kokawa/vente-privee/index.html").read_text(encoding="utf-8")
    others = [p.target.email.name for p in result.pages.values() if p.target.brand == "r-pur"]
    assert others and not any(name in page for name in others)
    nav = (out / "_mailkit/nav-data.js").read_text(encoding="utf-8")
    assert all(name in nav for name in others)


def edge_targets(monkeypatch):
    """Give every email one generated edge state, as the data contract's states will."""
    original = Project.targets

    def targets(self, brand=None, email=None):
        found = original(self, brand, email)
        return found + [Target(t.brand, t.flow, t.email, "sans-prenom", Scenario(
            fixture="base", description="Profil sans prénom",
            override={"person": {"first_name": ""}})) for t in found]

    monkeypatch.setattr(Project, "targets", targets)


def test_edge_states_are_grouped_apart(make_project, monkeypatch, laptop):
    edge_targets(monkeypatch)
    root = make_project()
    result = build(root)
    edge = result.pages["test/hello/sans-prenom"]
    assert edge.target.edge
    goto(laptop, (root / "build/test/hello/index.html").as_uri())
    laptop.locator("[data-states-toggle]").click()  # the picker lists the states
    named = laptop.get_by_role("group", name="Scenario")
    edges = laptop.get_by_role("group", name="Edge states")
    assert named.locator("button").all_inner_texts() == ["Default"]
    assert edges.locator("button").first.text_content().startswith("Profil sans prénom")
    edges.locator("button").first.click()
    assert laptop.locator(f"{PANEL}").get_attribute("data-scenario-panel") == "sans-prenom"
    problems = [f for f in edge.findings or () if f.severity != "info"]
    assert laptop.locator(f"{PANEL} .mk-edge-findings li").count() == len(problems)
    home = goto(laptop, (root / "build/test/index.html").as_uri())
    assert home is not None
    assert laptop.locator(".mk-step .mk-count").first.inner_text() == "+ 1 edge state"


def test_a_copied_brand_is_told_apart_and_warned_about(make_project, laptop):
    root = make_project()
    shutil.copytree(root / "brands/test", root / "brands/copie")
    result = build(root)
    warnings = [str(w) for w in result.warnings]
    assert warnings == [
        "brands/copie/brand.yaml:1: config: display name 'Test' is also brands/test's: the "
        "preview adds the folder names, \"Test (copie)\"; give it its own",
        "brands/test/brand.yaml:1: config: display name 'Test' is also brands/copie's: the "
        "preview adds the folder names, \"Test (test)\"; give it its own"]
    goto(laptop, (root / "build/index.html").as_uri())
    assert laptop.locator(".mk-nav-brand h2").all_inner_texts() == ["TEST (COPIE)", "TEST (TEST)"]
    assert laptop.locator(".mk-brand h2 a").all_inner_texts() == ["Test (copie)", "Test (test)"]


TWO_EMAILS = """\
flows:
  - id: welcome
    name: Bienvenue
    trigger: {metric: Placed Order}
    emails:
      - id: hello
        name: Bonjour
        template: hello
        delay: {days: 0}
        scenarios:
          a: {fixture: base, description: Premier état}
          b: {fixture: base, description: Second état}
      - id: again
        name: Encore
        template: hello
        delay: {days: 2}
        scenarios:
          a: {fixture: base}
          b: {fixture: base}
      - id: last
        name: Dernier
        template: hello
        delay: {days: 4}
        scenarios:
          c: {fixture: base}
"""


def test_the_scenario_is_kept_where_the_next_email_has_one_of_that_name(make_project, laptop):
    root = make_project({"brands/test/flows.yaml": TWO_EMAILS})
    build(root)
    goto(laptop, (root / "build/test/hello/index.html").as_uri())
    choose_state(laptop, "b")
    laptop.locator("[data-view=mobile]").click()
    follow(laptop, laptop.locator(".mk-sidebar a", has_text="Encore"))
    expect(laptop.locator("[data-scenario=b]")).to_have_attribute("aria-pressed", "true")
    follow(laptop, laptop.locator(".mk-sidebar a", has_text="Dernier"))  # no "b" here: its first
    expect(laptop.locator("[data-scenario=c]")).to_have_attribute("aria-pressed", "true")
    assert laptop.locator("[data-view=mobile]").get_attribute("aria-pressed") == "true"
