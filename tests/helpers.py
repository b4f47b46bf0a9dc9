"""What the tests share: a minimal valid project, the repo root, a build's tree hashed, the
edits an incremental build must survive, the preview opened as a user would, an email
message for SpamAssassin."""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from mailkit.cache import CACHE_DIR

REPO = Path(__file__).resolve().parent.parent

BRAND_YAML = """\
display_name: Test
locale: fr
website: https://www.test.fr
public_base_url: https://cdn.test.fr/emails
logo: {file: logo.png, width: 100, height: 40, alt: Test}
sender: {name: Test, email: hello@test.fr}
postal_address: Test SAS · 1 rue de la Paix · 75002 Paris
palette:
  light: {text: "#111111", background: "#EEEEEE", surface: "#FFFFFF", primary: "#0044AA",
          on_primary: "#FFFFFF", accent: "#AA4400", muted: "#555555", border: "#DDDDDD"}
  dark: {text: "#EEEEEE", background: "#000000", surface: "#111111", primary: "#88AAFF",
         on_primary: "#000000", accent: "#FFAA66", muted: "#AAAAAA", border: "#333333"}
fonts: {body: "Arial, sans-serif", heading: "Georgia, serif"}
"""

FLOWS_YAML = """\
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
          default: {fixture: base}
"""

FIXTURE_YAML = """\
person: {first_name: Camille, email: camille@exemple.fr}
event: {extra: {order_number: 1}}
organization: {name: Test}
"""

EMAIL = """\
<mjml lang="fr">
  <mj-head>
    <mj-title>Bonjour {{ person.first_name }}</mj-title><mj-preview>Un aperçu</mj-preview>
  </mj-head>
  <mj-body>
    <mj-section><mj-column>
      <mj-text>Bonjour {{ person.first_name }}</mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>
"""

# a 1×1 transparent PNG
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


class DemoCounts:
    """How many pages, emails and brands the demo has, read from the loaded project, so
    that adding a brand, an email or a scenario breaks no test that merely counts."""

    def __init__(self, root: Path = REPO) -> None:
        from mailkit.project.load import load_project

        targets = load_project(root).targets()
        self.pages = len(targets)
        self.emails = len({t.email_key for t in targets})
        self.brands = sorted({t.brand for t in targets})
        self.emails_of = {b: len({t.email_key for t in targets if t.brand == b})
                          for b in self.brands}
        self.pages_of = {b: sum(t.brand == b for t in targets) for b in self.brands}


DEMO = DemoCounts()


def checked_page(browser, width: int, height: int):
    """A page at `width` × `height` that fails the test if the site logs any error."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == []  # every test using it also proves the pages log no error


def goto(page, url: str):
    """Open a preview page as a user would and wait until it shows what it is for: an
    email page loads its sources (sources.js) after the page itself, and says so with
    `data-ready` once the email is written into its frame (or the failure is said)."""
    response = page.goto(url)
    if page.locator("script[data-sources]").count():
        page.locator("body[data-ready]").wait_for(state="attached")
    return response


def follow(page, link) -> None:
    """Click `link` (a locator) and wait for the page it opens to be ready, as `goto` does.
    A click only waits for the next page to start loading: its toolbar can already be
    there while its script has not run, so a click on it right away would be lost, and
    `body[data-ready]` would still match the page being left."""
    with page.expect_navigation():
        link.click()
    if page.locator("script[data-sources]").count():
        page.locator("body[data-ready]").wait_for(state="attached")


# A brand home's thumbnails are drawn (site/static/thumbs.js), or there is none to draw: the
# snapshot's cached shots (after `make test`'s snapshot run, the demo's pages all have one).
THUMBS_DRAWN = ("() => !document.querySelector('[data-thumb]') || "
                "(s => s.loaded > 0 && !s.loading && !s.queued)(mailkitThumbs.stats())")


def choose_state(page, scenario: str) -> None:
    """Show `scenario` on an email page as a user does: open the state picker (its list of
    states sits over the page, closed until asked for), then click the state."""
    if page.locator("[data-states-toggle]").get_attribute("aria-expanded") != "true":
        page.locator("[data-states-toggle]").click()
    page.locator(f"button[data-scenario={scenario}]").click()


STAMP = re.compile(rb"built \d{4}-\d\d-\d\d \d\d:\d\d:\d\d")  # the home page's build time


def tree_hash(out: Path) -> dict[str, str]:
    """Every file of build/ by path, its content hashed (the build time blanked)."""
    return {p.relative_to(out).as_posix():
            hashlib.sha256(STAMP.sub(b"", p.read_bytes())).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def clean_build(root: Path) -> dict[str, str]:
    shutil.rmtree(root / "build", ignore_errors=True)
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    from mailkit.commands.build import build

    build(root)
    return tree_hash(root / "build")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_atomically(path: Path, old: str, new: str) -> None:
    """`edit`, saved as editors with a safe write do: into a hidden file beside it, then
    renamed over it. The watcher sees one change, never the emptied file between the
    truncation and the write, which a busy machine can show as a save of its own."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    tmp = path.with_name(f".{path.name}.saving")
    tmp.write_text(text.replace(old, new, 1), encoding="utf-8")
    tmp.replace(path)


CHANGES: dict[str, Callable[[Path], None]] = {
    "template": lambda r: edit(r / "brands/kokawa/emails/vip.mjml.j2", "</mj-column>",
                               "<mj-text>Nouveau paragraphe.</mj-text></mj-column>"),
    "partial": lambda r: edit(r / "partials/footer.mjml.j2", "{{ brand.copy.tagline }}",
                              "{{ brand.copy.tagline }}<br>Une ligne de plus."),
    "fixture": lambda r: edit(r / "brands/kokawa/fixtures/fulfilled_order.yaml",
                              "first_name: Léa", "first_name: Margaux"),
    "brand colour": lambda r: edit(r / "brands/r-pur/brand.yaml", 'accent: "#00795A"',
                                   'accent: "#00704F"'),
    # a warning threshold every demo email passes: each page gets a size warning
    "checks.yaml": lambda r: edit(r / "checks.yaml", "require_utm: true",
                                  "require_utm: true\nsize_warn_kb: 1"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVE_PIDS: dict[str, int] = {}  # the `server` fixture's `mailkit serve`, by its URL


def spam_message(html: str, text: str, subject: str = "Ta commande est en route") -> bytes:
    """A message as a mail client receives it, with `html` and its plain `text` (parts
    that differ would score for that alone), for SpamAssassin."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = "kokawa <bonjour@kokawa.fr>"
    msg["To"] = "customer@example.com"
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="kokawa.fr")
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return bytes(msg)
