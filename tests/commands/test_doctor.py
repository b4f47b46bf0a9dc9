"""`mailkit doctor`: a line per need, what it enables, how to get it; secrets never shown."""

from __future__ import annotations

from click.testing import CliRunner

from mailkit.cli import main

KEY = "pk_0123456789abcdefghijABCDEFGHIJ"
SECRET = "s3cr3t-Passw0rd"


def doctor(root, env: dict[str, str]) -> list[str]:
    result = CliRunner().invoke(main, ["--root", str(root), "doctor"], env=env)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def line(lines: list[str], name: str) -> str:
    [found] = [x for x in lines if x.split()[1] == name]
    return found


def test_secrets_are_checked_for_shape_and_never_printed(tmp_path):
    lines = doctor(tmp_path, {"KLAVIYO_API_KEY": KEY,
                              "MAILKIT_SMTP_URL": f"smtp://me:{SECRET}@smtp.exemple.fr:587"})
    output = "\n".join(lines)
    assert KEY not in output and SECRET not in output and "me:" not in output
    assert line(lines, "KLAVIYO_API_KEY").startswith("ok")
    assert "smtp://smtp.exemple.fr:587" in line(lines, "MAILKIT_SMTP_URL")


def test_what_is_missing_says_what_it_enables_and_how_to_get_it(tmp_path):
    lines = doctor(tmp_path, {"KLAVIYO_API_KEY": "abc123", "MAILKIT_SMTP_URL": "",
                              "MAILKIT_CHROMIUM": str(tmp_path / "no-chromium")})
    key = line(lines, "KLAVIYO_API_KEY")
    assert key.startswith("missing") and "not a private key" in key and "abc123" not in key
    assert "export klaviyo --push" in key
    smtp = line(lines, "MAILKIT_SMTP_URL")
    assert smtp.startswith("missing") and "export MAILKIT_SMTP_URL=smtp://" in smtp
    chromium = line(lines, "Chromium")
    assert chromium.startswith("missing") and "MAILKIT_CHROMIUM" in chromium
    assert [x.split()[1] for x in lines] == ["Python", "Chromium", "Fonts", "npm",
                                              "SpamAssassin", "MAILKIT_SMTP_URL",
                                              "KLAVIYO_API_KEY"]
