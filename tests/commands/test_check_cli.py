"""`mailkit check`: exit codes, the table and the JSON, filters, checks.yaml, `--export`
and `--spam`, each on a small project made from dicts (the `make_project` fixture); the
demo's gate is in test_check_demo.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import FLOWS_YAML

from mailkit.cli import main
from mailkit.commands.build import build

BRAND_EXTRA = "utm: {utm_source: klaviyo, utm_medium: email}\n"

EMAIL = """\
<mjml lang="fr">
  <mj-head>
    <mj-title>{subject}</mj-title>
    <mj-preview>Un aperçu qui tient sur la ligne.</mj-preview>
  </mj-head>
  <mj-body>
    <mj-section><mj-column>
      <mj-image src="{{{{ asset('logo.png') }}}}" alt="Test" width="100px" />
      <mj-text>Bonjour, merci pour ta commande n°&nbsp;{{{{ event.extra.order_number }}}}.
        Elle est en route et arrive bientôt chez toi. Nous espérons qu'elle te plaira autant
        qu'à nous, et nous restons là pour la moindre question.</mj-text>
      <mj-text>{extra}</mj-text>
      <mj-text><p>{{{{ brand.postal_address }}}}</p>
        <a href="{{{{ links.preferences_url }}}}">Gérer mes préférences</a> ·
        <a href="{{{{ links.unsubscribe_url }}}}">Se désinscrire</a></mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>
"""
ORDER_LINK = '<a href="{{ \'https://www.test.fr/commande\'|track }}">Voir ma commande</a>'


# No person data: these emails get no generated edge states, one page each.
def email(subject: str = "Ta commande est en route", extra: str = ORDER_LINK) -> str:
    return EMAIL.format(subject=subject, extra=extra)


def flows(*ids: str) -> str:
    """FLOWS_YAML with one email per id, each rendered from the template of that name."""
    head, _, _ = FLOWS_YAML.partition("      - id: hello")
    return head + "".join(
        f"      - id: {i}\n        name: {i}\n        template: {i}\n        delay: {{days: 0}}\n"
        f"        scenarios:\n          default: {{fixture: base}}\n" for i in ids)


@pytest.fixture
def project(make_project):
    """Three emails: `hello` passes, `broken` has an error, `loud` only a spam warning."""
    from helpers import BRAND_YAML

    def make(files: dict[str, str] | None = None) -> Path:
        return make_project({
            "brands/test/brand.yaml": BRAND_YAML + BRAND_EXTRA,
            "brands/test/flows.yaml": flows("hello", "broken", "loud"),
            "emails/hello.mjml.j2": email(),
            "emails/broken.mjml.j2": email(extra='<a href="http://www.test.fr/promo">Promo</a>'),
            "emails/loud.mjml.j2": email(subject="Livraison gratuite pour toi"),
            **(files or {}),
        })

    return make


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), "check", *args])


def test_clean_email_passes_with_only_the_summary(project):
    """A clean page gets no line of its own (#17): only the findings and a summary."""
    result = run(project(), "--email", "hello")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines == [lines[-1]] and "test/hello" not in result.stdout
    assert lines[-1].startswith("check passed: 1 page of 1 email (1 clean), 0 errors, "
                                "0 warnings")


def test_an_error_exits_1_and_names_the_element(project):
    result = run(project())
    assert result.exit_code == 1
    out = result.stdout
    assert "test/broken/default  (" in out and "1 error, 0 warnings" in out
    row = next(line for line in out.splitlines() if line.startswith("  error"))
    assert row.split()[:2] == ["error", "links"]
    assert '<a href="http://www.test.fr/promo">' in row and "must be https" in row
    assert out.splitlines()[-1].startswith(
        "check FAILED: 3 pages of 3 emails (1 clean), 1 error, 1 warning")


def test_a_warning_passes_unless_strict(project):
    root = project()
    loose = run(root, "--email", "loud")
    assert loose.exit_code == 0, loose.output
    assert '  warning  spam      gratuit' in loose.stdout
    strict = run(root, "--email", "loud", "--strict")
    assert strict.exit_code == 1
    assert "check FAILED" in strict.stdout and "(--strict: warnings fail too)" in strict.stdout


def test_json_has_every_finding_and_the_verdict(project):
    result = run(project(), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["passed"] is False and data["totals"]["error"] == 1
    assert data["caniemail"]["version"] and data["caniemail"]["last_update_date"]
    pages = {p["key"]: p for p in data["pages"]}
    assert list(pages) == ["test/hello/default", "test/broken/default", "test/loud/default"]
    broken = pages["test/broken/default"]
    assert (broken["brand"], broken["email"], broken["scenario"]) == ("test", "broken", "default")
    assert broken["errors"] == 1 and broken["html_bytes"] > 1000
    first = broken["findings"][0]
    assert first == {"severity": "error", "check": "links", "message": first["message"],
                     "where": '<a href="http://www.test.fr/promo">', "line": first["line"]}
    assert any(f["severity"] == "info" and f["check"] == "size" for f in broken["findings"])


def test_json_strict_verdict(project):
    data = json.loads(run(project(), "--email", "loud", "--format", "json", "--strict").stdout)
    assert data["passed"] is False and data["strict"] is True and data["totals"]["error"] == 0


def test_brand_and_email_filters(project):
    root = project()
    one = run(root, "--brand", "test", "--email", "broken", "--format", "json")
    assert [p["key"] for p in json.loads(one.stdout)["pages"]] == ["test/broken/default"]
    unknown = run(root, "--brand", "nope")
    assert unknown.exit_code == 1 and "no brand 'nope' (brands: test)" in unknown.stderr
    nothing = run(root, "--email", "nope")
    assert nothing.exit_code == 1 and "nothing matches --email 'nope'" in nothing.stderr


def test_template_errors_are_reported_like_the_build(project):
    root = project({"emails/hello.mjml.j2": email(extra="{{ person.frist_name }}")})
    result = run(root)
    assert result.exit_code == 1 and result.stdout == ""
    assert "emails/hello.mjml.j2:" in result.stderr and "frist_name" in result.stderr


NOWRAP = '<span style="white-space:nowrap">12,00\u00a0€</span>'


def test_accepting_a_feature_turns_its_gaps_into_info(project):
    root = project({"emails/hello.mjml.j2": email(extra=NOWRAP)})
    refused = run(root, "--email", "hello")
    assert refused.exit_code == 1
    assert "white-space (css-white-space" in refused.stdout
    assert "Outlook (Windows)" in refused.stdout
    (root / "checks.yaml").write_text("accept:\n  css-white-space: prices stay on one line "
                                      "anyway (no-break spaces)\n", encoding="utf-8")
    accepted = run(root, "--email", "hello", "--strict", "--format", "json")
    assert accepted.exit_code == 0, accepted.output
    infos = [f["message"] for f in json.loads(accepted.stdout)["pages"][0]["findings"]
             if f["severity"] == "info"]
    assert any("css-white-space" in m and "accepted by configuration" in m for m in infos)


def test_clients_narrow_the_support_check(project):
    root = project({"emails/hello.mjml.j2": email(extra=NOWRAP),
                    "checks.yaml": "clients: [apple-mail]\n"})
    assert run(root, "--email", "hello", "--strict").exit_code == 0


def test_utm_can_be_made_optional(project):
    root = project({"emails/hello.mjml.j2": email(
        extra='<a href="https://www.test.fr/commande">Voir ma commande</a>')})
    result = run(root, "--email", "hello")
    assert result.exit_code == 1 and "lacks its UTM tags" in result.stdout
    (root / "checks.yaml").write_text("require_utm: false\n", encoding="utf-8")
    assert run(root, "--email", "hello").exit_code == 0


BAD_CHECKS = """\
clients:
  - gmail
  - outlok.windows
accept:
  css-flexbox: we use it on purpose
  css-white-space: ""
"""


def test_bad_checks_yaml_is_a_config_error_at_its_line(project):
    root = project({"checks.yaml": BAD_CHECKS})
    result = run(root)
    assert result.exit_code == 1 and result.stdout == ""
    errors = result.stderr.splitlines()
    assert "checks.yaml:6: config: accept.css-white-space: say why this gap is deliberate" \
        in errors[0]
    assert errors[-1] == "1 error(s); nothing was written"
    (root / "checks.yaml").write_text(BAD_CHECKS.replace('""', "ok"), encoding="utf-8")
    errors = run(root).stderr.splitlines()
    assert errors[0].startswith("checks.yaml:3: config: clients.1: 'outlok.windows' matches no "
                                "caniemail client")
    assert "did you mean 'outlook.windows'?" in errors[0]
    assert errors[1].startswith("checks.yaml:5: config: accept.css-flexbox: 'css-flexbox' is "
                                "not a caniemail feature (did you mean")
    built = CliRunner().invoke(main, ["--root", str(root), "build"])
    assert built.exit_code == 1 and "checks.yaml:5: config: accept.css-flexbox" in built.stderr


def test_unknown_key_in_checks_yaml_is_a_warning(project):
    result = run(project({"checks.yaml": "acept: {}\n"}), "--email", "hello")
    assert result.exit_code == 0
    assert ("checks.yaml:1: config: acept: unknown key (ignored); did you mean 'accept'? "
            "(warning)") in result.stderr


def test_findings_are_computed_once_and_reused_with_the_page(project, tmp_path):
    root = project()
    first = build(root, out=tmp_path / "out")
    assert all(p.findings for p in first.pages.values())
    touched = {root / "emails/broken.mjml.j2"}
    again = build(root, out=tmp_path / "out", previous=first, changed=touched)
    assert again.pages["test/hello/default"] is first.pages["test/hello/default"]
    assert again.pages["test/broken/default"] is not first.pages["test/broken/default"]


def test_refresh_caniemail_calls_the_library(project, monkeypatch):
    from mailkit.check import caniemail

    calls = []
    monkeypatch.setattr(caniemail, "refresh_caniemail",
                        lambda dest: calls.append(dest) or "caniemail 9.9.9: 1 feature")
    result = run(project(), "--refresh-caniemail")
    assert result.exit_code == 0 and result.stdout == "caniemail 9.9.9: 1 feature\n"
    assert calls == [caniemail.DATA_FILE]

    def offline(dest: Path) -> str:
        raise RuntimeError("npm is not installed: it is needed to refresh caniemail")

    monkeypatch.setattr(caniemail, "refresh_caniemail", offline)
    failed = run(project(), "--refresh-caniemail")
    assert failed.exit_code == 1 and "caniemail: npm is not installed" in failed.stderr


def test_export_mode_checks_the_klaviyo_template_too(project):
    result = run(project(), "--export", "--email", "broken", "--format", "json")
    assert result.exit_code == 1, result.output
    pages = {p["key"]: p for p in json.loads(result.stdout)["pages"]}
    assert list(pages) == ["test/broken/default", "test/broken/klaviyo-export",
                           "test/broken/klaviyo-export:default"]  # rendered with the state's data
    exported = pages["test/broken/klaviyo-export"]
    assert exported["errors"] == 1 and "must be https" in exported["findings"][0]["message"]
    clean = run(project(), "--export", "--email", "hello", "--strict")
    assert clean.exit_code == 0, clean.output
    counts = re.search(r"(\d+) pages of 1 email \((\d+) clean\)", clean.stdout)
    assert counts and int(counts[1]) == int(counts[2]) >= 2  # its pages and its export


def test_spam_content_points_fail_the_check_at_their_rule(project, spamassassin):
    hidden = ORDER_LINK + '<div style="color:#ffffff">Un texte blanc sur un fond blanc.</div>'
    result = run(project({"emails/hello.mjml.j2": email(extra=hidden)}), "--spam",
                 "--email", "hello")
    assert result.exit_code == 1, result.output
    errors = [line.split() for line in result.stdout.splitlines()
              if line.startswith("  error")]
    assert [row[:3] for row in errors] == [["error", "spamassassin", "HTML_FONT_LOW_CONTRAST"]]
    assert result.stdout.startswith("SpamAssassin ") and "highest content points 0.7" in \
        result.stdout


def test_spam_without_spamassassin_is_one_clear_line(project):
    result = CliRunner().invoke(main, ["--root", str(project()), "check", "--spam"],
                                env={"MAILKIT_SPAMD": "/opt/nowhere/spamd"})
    assert result.exit_code == 1
    assert result.stderr == ("spamassassin: spam: MAILKIT_SPAMD=/opt/nowhere/spamd: no such "
                             "program\n")
