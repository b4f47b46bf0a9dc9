"""Issue 15's rules on the demo itself: `mailkit check --strict` passes the demo, and
fails it once one email is mutated the way a real mistake would: an inline dark
colour no dark rule reaches, a plain space before `?`, a leaked `\\u{a0}`, a *vous*
in a *tu* brand. Each mutation fails with its own rule, naming the page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailkit.cli import main

NBSP, NNBSP = "\u00a0", "\u202f"


def check(root: Path, *args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["--root", str(root), "check", "--strict",
                                       "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)


def findings(data: dict, rule: str) -> list[tuple[str, str]]:
    return [(f"{p['brand']}/{p['email']}", f["message"]) for p in data["pages"]
            for f in p["findings"] if f["check"] == rule and f["severity"] != "info"]


def mutate(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new), "utf-8")


def test_demo_passes_every_new_rule(demo_copy: Path) -> None:
    code, data = check(demo_copy)
    assert code == 0, data["totals"]
    for rule in ("escapes", "dark", "typography", "voice"):
        assert findings(data, rule) == []


@pytest.mark.parametrize(("file", "old", "new", "rule", "page", "said"), [
    # an inline colour that is right in light mode and that no dark rule reaches
    ("partials/referral.mjml.j2", 'mj-class="muted">{{ by_voice(',
     'mj-class="muted"><span style="color:#56606A">Parrainage</span> {{ by_voice(',
     "dark", "r-pur/parrainage", "#56606a on #15191e"),
    # a plain space before `?`
    ("brands/kokawa/emails/cross_sell.mjml.j2", f"a trouvé sa place{NNBSP}?", "a trouvé sa place ?",
     "typography", "kokawa/complements", "narrow no-break space before"),
    # the escape MRML used to write, typed into the copy
    ("brands/r-pur/emails/referral.mjml.j2", "Ton proche, lui", "Ton\\u{a0}proche, lui",
     "escapes", "r-pur/parrainage", "\\u{a0}"),
    # an entity escaped twice
    ("partials/footer.mjml.j2", "Gérer mes préférences", "Gérer&amp;nbsp;mes préférences",
     "escapes", "kokawa/partage-whatsapp", "&nbsp;"),
    # the brand says tu
    ("brands/r-pur/emails/refill.mjml.j2", "Commande ton prochain lot",
     "Commandez votre prochain lot",
     "voice", "r-pur/filtres", "speaks with vous"),
    # a number left to break from its unit
    ("brands/r-pur/emails/parcel_contents.mjml.j2", f"pour 30{NBSP}jours", "pour 30 jours",
     "typography", "r-pur/colis", "number and its unit"),
])
def test_a_mutated_email_fails_its_rule(demo_copy: Path, file: str, old: str, new: str,
                                        rule: str, page: str, said: str) -> None:
    mutate(demo_copy / file, old, new)
    code, data = check(demo_copy)
    assert code == 1
    found = findings(data, rule)
    assert any(p == page and said in message for p, message in found), found


def test_a_broken_brand_name_fails(demo_copy: Path) -> None:
    mutate(demo_copy / "brands/r-pur/brand.yaml", "signature: L’équipe R\u2011PUR",
           "signature: L’équipe R-PUR")
    code, data = check(demo_copy, "--brand", "r-pur")
    assert code == 1
    assert any("\"R-PUR\" can break at its hyphen" in m for _, m in findings(data, "typography"))


def test_fix_rewrites_the_copy_and_shows_the_diff(demo_copy: Path) -> None:
    template = demo_copy / "brands/kokawa/emails/cross_sell.mjml.j2"
    mutate(template, f"a trouvé sa place{NNBSP}?", "a trouvé sa place ?")
    mutate(template, "Deux idées pour ton coin préféré", "Deux idées: pour ton coin préféré")
    result = CliRunner().invoke(main, ["--root", str(demo_copy), "check", "--fix", "--strict"])
    assert result.exit_code == 0, result.output
    assert "--- a/brands/kokawa/emails/cross_sell.mjml.j2" in result.stdout
    assert "+" in result.stdout and "place⟨nnbsp⟩?" in result.stdout
    assert "idées⟨nbsp⟩: pour" in result.stdout
    text = template.read_text("utf-8")
    assert f"a trouvé sa place{NNBSP}?" in text and f"idées{NBSP}: pour" in text
    again = CliRunner().invoke(main, ["--root", str(demo_copy), "check", "--fix"])
    assert "the copy needs no fix" in again.output


def test_fix_follows_each_folders_locale(tmp_path: Path) -> None:
    """Shared templates are fixed only when their brands agree on a locale; a brand's own
    templates take its locale; a locale without rules is left alone, and said so."""
    from mailkit.commands.fix import fix_project

    for brand, locale in (("fr1", "fr"), ("en1", "en")):
        (tmp_path / "brands" / brand / "emails").mkdir(parents=True)
        (tmp_path / "brands" / brand / "brand.yaml").write_text(f"locale: {locale}\n", "utf-8")
        (tmp_path / "brands" / brand / "emails" / "a.mjml.j2").write_text(
            "<mj-text>Bien arrivé ?</mj-text>", "utf-8")
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "shared.mjml.j2").write_text("<mj-text>Prêt ?</mj-text>", "utf-8")
    fixes, notes = fix_project(tmp_path)
    fixed = [f.path.relative_to(tmp_path).as_posix() for f in fixes]
    assert fixed == ["brands/fr1/emails/a.mjml.j2"]
    french = (tmp_path / "brands/fr1/emails/a.mjml.j2").read_text("utf-8")
    english = (tmp_path / "brands/en1/emails/a.mjml.j2").read_text("utf-8")
    assert f"Bien arrivé{NNBSP}?" in french and english.endswith("arrivé ?</mj-text>")
    assert any("shared by brands in en, fr" in n for n in notes)
    assert any("no typography rules for 'en'" in n for n in notes)


def test_copy_written_in_brand_yaml_is_named_and_fixed_there(demo_copy: Path) -> None:
    """The WhatsApp message is brand data: its fault points at brand.yaml's line and key,
    and `check --fix` rewrites brand.yaml, not a template."""
    brand = demo_copy / "brands/kokawa/brand.yaml"
    mutate(brand, "une personne formidable, et te souhaiter",
           "une personne formidable : je te souhaite")
    line = next(i for i, text in enumerate(brand.read_text("utf-8").splitlines(), 1)
                if "formidable :" in text)
    result = CliRunner().invoke(main, ["--root", str(demo_copy), "check", "--brand", "kokawa",
                                       "--format", "json"])
    assert result.exit_code == 1
    [fault] = {(f["line"], f["message"].split("(fr; ")[1])
               for page in json.loads(result.stdout)["pages"] for f in page["findings"]
               if f["check"] == "typography"}
    assert fault == (f"brands/kokawa/brand.yaml:{line}", "written in whatsapp.message of "
                     "brand.yaml: `mailkit check --fix` rewrites it)")
    fixed = CliRunner().invoke(main, ["--root", str(demo_copy), "check", "--fix", "--strict"])
    assert fixed.exit_code == 0, fixed.output
    assert "--- a/brands/kokawa/brand.yaml" in fixed.stdout
    assert f"formidable{NBSP}: je te" in brand.read_text("utf-8")
