"""The newcomer's tour, played on a copy of the repository: a brand of one's own, then
an email, built and checked with --strict, no other brand's words in its pages, a draft
pushed to (the fake) Klaviyo and a test sent; `mailkit new` never overwrites."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from klaviyo_fake import KEY

from mailkit.cli import main

BRAND = ["maison-lune", "--name", "Maison Lune", "--website", "https://www.maison-lune.fr",
         "--primary", "#2F5D8A", "--accent", "#C9A227", "--sender", "bonjour@maison-lune.fr",
         "--address", "Maison Lune SAS · 3 quai de la Lune · 33000 Bordeaux · France"]
TU = [*BRAND, "--voice", "tu"]


def mailkit(root, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["--root", str(root), *args], env=env)


@pytest.mark.parametrize("voice", ["tu", "vous"])
def test_the_tour_a_new_brand_and_a_new_email_pass_strict(demo_copy, voice, fake):
    made = mailkit(demo_copy, "new", "brand", *BRAND, "--voice", voice)
    assert made.exit_code == 0, made.output
    assert "wrote brands/maison-lune/brand.yaml" in made.output
    email = mailkit(demo_copy, "new", "email", "maison-lune", "post-achat", "conseils-bougie")
    assert email.exit_code == 0, email.output
    assert "wrote brands/maison-lune/emails/conseils_bougie.mjml.j2" in email.output
    built = mailkit(demo_copy, "build")
    assert built.exit_code == 0, built.output
    checked = mailkit(demo_copy, "check", "--strict")
    assert checked.exit_code == 0, checked.output
    pages = sorted((demo_copy / "build/maison-lune").glob("*/*.html"))
    assert len(pages) >= 6  # two emails, each with its edge states, and their site pages
    for page in pages:
        text = page.read_text("utf-8").lower()
        assert not any(word in text for word in ("kokawa", "r-pur", "r‑pur", "fiit")), page
    polite = (demo_copy / "build/maison-lune/commande-expediee/un-article.html").read_text()
    assert ("Votre commande est en route" if voice == "vous" else "Ta commande est en route") \
        in polite
    pushed = mailkit(demo_copy, "export", "klaviyo", "--brand", "maison-lune", "--push",
                     env={"KLAVIYO_API_KEY": KEY, "MAILKIT_KLAVIYO_BASE_URL": fake.base})
    assert pushed.exit_code == 0, pushed.output
    assert any("Maison Lune" in t["name"] or "maison-lune" in t["name"]
               for t in fake.templates.values())


def test_new_never_overwrites(demo_copy):
    assert mailkit(demo_copy, "new", "brand", *TU).exit_code == 0
    brand = demo_copy / "brands/maison-lune/brand.yaml"
    before = brand.read_text("utf-8")
    again = mailkit(demo_copy, "new", "brand", *TU)
    assert again.exit_code == 1
    assert again.stderr.strip() == ("brands/maison-lune: new: exists already: nothing written "
                                    "(mailkit new never overwrites)")
    assert brand.read_text("utf-8") == before
    assert mailkit(demo_copy, "new", "email", "maison-lune", "post-achat", "suite").exit_code == 0
    twice = mailkit(demo_copy, "new", "email", "maison-lune", "post-achat", "suite")
    assert twice.exit_code == 1 and "an email 'suite' exists already" in twice.stderr
    lost = mailkit(demo_copy, "new", "email", "maison-lune", "bienvenue", "merci")
    assert lost.exit_code == 1
    assert lost.stderr.startswith("brands/maison-lune/flows.yaml:1: new: no flow 'bienvenue' "
                                  "(known: post-achat)")
