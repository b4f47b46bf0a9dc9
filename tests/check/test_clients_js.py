"""The preview's client views (site/static/clients.js) see what the checks see
(check/clients.py): the same colour maps, the same reading of Word's conditional
comments and the same unsupported declarations, run in Chromium and held to Python."""

from __future__ import annotations

import random
import re

import pytest
from helpers import REPO

from mailkit.check import clients
from mailkit.site.clients import SCRIPT, outlook_table

ROLES = ("background", "text", "border")


def colours() -> list[tuple[int, int, int]]:
    """804 colours: a 6-step cube, every grey, 300 at random and both brands' palettes."""
    rnd = random.Random(21)
    out = [(r, g, b) for r in range(0, 256, 51) for g in range(0, 256, 51)
           for b in range(0, 256, 51)]
    out += [(v, v, v) for v in range(256)]
    out += [(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)) for _ in range(300)]
    for path in (REPO / "brands").glob("*/brand.yaml"):
        out += [tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))
                for h in re.findall(r'"(#[0-9A-Fa-f]{6})"', path.read_text(encoding="utf-8"))]
    return out


@pytest.fixture(scope="module")
def js(browser):
    """A blank page running clients.js."""
    context = browser.new_context()
    page = context.new_page()
    page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
    yield page
    context.close()


def test_the_colour_maps_agree_with_python_on_every_colour(js) -> None:
    cs = colours()
    assert len(cs) >= 800
    got = js.evaluate("""cs => ['partial', 'full'].map(m => ['background', 'text', 'border']
        .map(r => cs.map(c => mailkitClients[m](c, r))))""", cs)
    off = [(m, role, c, tuple(out), py)
           for mi, m in enumerate(("partial", "full")) for ri, role in enumerate(ROLES)
           for c, out in zip(cs, got[mi][ri], strict=True)
           if tuple(out) != (py := getattr(clients, m)(c, role))]
    assert off == []  # exact: the preview paints the colours the checks judge


@pytest.mark.parametrize("expr", [
    "mso", "!mso", "mso | IE", "IE", "lte mso 11", "gte mso 9", "mso 16", "mso 15",
    "gt mso 15", "lt mso 16", "(mso)&(!IE)", "!(mso | IE)", "vml", "mso & vml", "!vml"])
def test_word_conditions_read_as_in_python(js, expr: str) -> None:
    assert js.evaluate("e => mailkitClients.msoCondition(e)", expr) == clients.mso_condition(expr)


def test_word_sees_the_same_html_in_every_demo_page(js, demo_build) -> None:
    _, out = demo_build
    pages = sorted(p for p in out.glob("*/*/*.html") if p.name != "index.html")
    assert len(pages) >= 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert js.evaluate("h => mailkitClients.applyMso(h)", html) == clients.apply_mso(html), path


def test_the_outlook_view_drops_what_caniemail_marks_unsupported(browser, demo_build) -> None:
    """In the email itself: every declaration the table names is dropped wherever it is
    written inline, none other is, and no border-radius or media query is left."""
    _, out = demo_build
    path = out / "kokawa/partage-whatsapp/un-article.html"
    html = path.read_text(encoding="utf-8")
    table = outlook_table([html])
    assert "border-radius:6px" in table and "max-width:600px" not in table
    context = browser.new_context()
    page = context.new_page()
    page.goto(path.as_uri())
    page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
    done = page.evaluate("""([h, table]) => {
        document.open(); document.write(mailkitClients.prepare(h, 'outlook')); document.close();
        const done = mailkitClients.finish(document, 'outlook', {outlook: table});
        const inline = [...document.querySelectorAll('[style]')].map(e => e.getAttribute('style'));
        const sheets = [...document.querySelectorAll('style')].map(s => s.textContent);
        return {dropped: Object.keys(done.dropped), inline, sheets};
    }""", [html, table])
    context.close()
    written = {key for style in re.findall(r'\sstyle="([^"]*)"', clients.apply_mso(html))
               for key in (f"{p.strip()}:{v.strip()}".lower()
                           for p, _, v in (d.partition(":") for d in style.split(";")) if v)}
    assert set(done["dropped"]) <= set(table)
    assert {k for k in table if k in written} <= set(done["dropped"])
    assert not any("border-radius" in s for s in done["inline"] + done["sheets"])
    assert not any("@media" in s for s in done["sheets"])


def test_word_table_is_the_pages_own_when_kept_by_styles(demo_build) -> None:
    """The table is kept per set of styles (check/word.py): a state that only changes a
    text gets an equal table, a style Word drops appears in its own page's table only,
    and a table a caller changes does not change the next page's."""
    from mailkit.check.word import word_table

    result, _ = demo_build
    html = result.pages["kokawa/partage-whatsapp/un-article"].compiled.html
    first = word_table(html)
    assert "border-radius:6px" in first
    renamed = html.replace("</body>", "<p>Un autre texte</p></body>")
    assert word_table(renamed) == first
    first["border-radius:6px"] = ("changed",)
    assert word_table(html)["border-radius:6px"] != ("changed",)
    boxed = html.replace("</body>", '<p style="box-shadow: 0 0 2px #000">x</p></body>')
    assert "box-shadow:0 0 2px #000" in word_table(boxed)
    assert "box-shadow:0 0 2px #000" not in word_table(html)
