"""`mailkit send`: a real SMTP server (aiosmtpd) started by the test receives the email,
which is parsed back: headers, both parts, the UTF-8 subject, every image it shows.
`--via klaviyo` goes to the fake Klaviyo's preview send (schema-checked, rate-limited)."""

from __future__ import annotations

import email
import email.policy
import re
import ssl
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import free_port
from klaviyo_fake import KEY

from mailkit.cli import main

pytest.importorskip("aiosmtpd")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

PASSWORD = "s3cret-smtp-pass"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.raw: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's name)
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        self.raw.append(envelope.original_content)
        return "250 OK"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)  # False: aiosmtpd answers the 535


@pytest.fixture
def smtp():
    """A plain SMTP server on this machine that takes a login (no TLS: localhost only)."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=_authenticator, auth_require_tls=False)
    controller.start()
    yield inbox, f"smtp://tester:{PASSWORD}@127.0.0.1:{controller.port}"
    controller.stop()


@pytest.fixture
def tls_cert(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def run(root: Path, *args: str, env: dict[str, str]) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), "send", *args], env=env)


def test_send_delivers_what_the_preview_shows(demo_copy, smtp, demo_build):
    inbox, url = smtp
    result = run(demo_copy, "r-pur/application/sans-app", "--to", "a@exemple.fr",
                 "--to", "b@exemple.fr", env={"MAILKIT_SMTP_URL": url})
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    [(rcpts, msg)] = inbox.messages
    page = demo_build[0].pages["r-pur/application/sans-app"]
    assert rcpts == ["a@exemple.fr", "b@exemple.fr"]
    assert msg["Subject"] == page.rendered.subject
    assert msg["From"] == "R-PUR <hello@r-pur.com>"
    assert msg["List-Unsubscribe"] == "<https://www.r-pur.com/pages/desinscription>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg["List-Id"] == "R-PUR <post-achat.r-pur.com>"  # one list per flow (RFC 2919)
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert text.replace("\r\n", "\n").strip() == page.compiled.text.strip()
    assert page.rendered.preheader in html
    srcs = re.findall(r'src="([^"]+)"', html)
    assert srcs and "../assets" not in html
    attached = {f"cid:{part['Content-ID'].strip('<>')}": part.get_content()
                for part in msg.walk() if part.get("Content-ID")}
    for src in srcs:
        assert src in attached, src  # every image the email shows arrives with it
        name = src.removeprefix("cid:").removesuffix("@mailkit")
        assert attached[src] == (demo_copy / "brands/r-pur/assets" / name).read_bytes()


def test_utf8_subject_arrives_encoded_and_whole(demo_copy, smtp, demo_build):
    inbox, url = smtp
    result = run(demo_copy, "r-pur/offre-accessoire", "--to", "a@exemple.fr",
                 env={"MAILKIT_SMTP_URL": url})
    assert result.exit_code == 0, result.output
    subject = demo_build[0].pages["r-pur/offre-accessoire/masque-fiit"].rendered.subject
    assert "\u00a0" in subject and "é" in subject  # no-break spaces, accents
    raw = inbox.raw[0].decode("ascii")  # 7-bit on the wire: RFC 2047 encoded words
    assert re.search(r"^Subject: .*=\?utf-8\?[qb]\?", raw, re.M | re.I)
    assert inbox.messages[0][1]["Subject"] == subject


def test_default_state_and_a_wrong_one(demo_copy, smtp):
    inbox, url = smtp
    result = run(demo_copy, "kokawa/partage-whatsapp", "--to", "a@exemple.fr",
                 env={"MAILKIT_SMTP_URL": url})
    assert result.exit_code == 0, result.output
    assert inbox.messages[0][1]["X-Mailkit-Page"] == "kokawa/partage-whatsapp/un-article"
    wrong = run(demo_copy, "kokawa/partage-whatsapp/nope", "--to", "a@exemple.fr",
                env={"MAILKIT_SMTP_URL": url})
    assert wrong.exit_code == 1
    assert "kokawa/partage-whatsapp/nope: send: no state 'nope' (states: un-article" in \
        wrong.stderr


def test_wrong_password_is_one_line_without_the_password(demo_copy, smtp):
    _, url = smtp
    result = run(demo_copy, "r-pur/colis", "--to", "a@exemple.fr",
                 env={"MAILKIT_SMTP_URL": url.replace(PASSWORD, "wrong-pass")})
    assert result.exit_code == 1
    assert result.stderr.startswith("MAILKIT_SMTP_URL: send: 127.0.0.1:")
    assert "wrong-pass" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("scheme", ["smtp", "smtps"])
def test_starttls_and_tls(demo_copy, tls_cert, scheme):
    cert, key = tls_cert
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = Inbox()
    extra = {"tls_context": context, "require_starttls": True} if scheme == "smtp" else \
        {"ssl_context": context, "auth_require_tls": False}  # aiosmtpd: TLS from the start
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=_authenticator, **extra)
    controller.start()
    try:
        url = f"{scheme}://tester:{PASSWORD}@127.0.0.1:{controller.port}"
        result = run(demo_copy, "r-pur/colis", "--to", "a@exemple.fr",
                     env={"MAILKIT_SMTP_URL": url, "MAILKIT_SMTP_CAFILE": str(cert)})
        assert result.exit_code == 0, result.output
        assert ("STARTTLS, logged in" if scheme == "smtp" else "TLS, logged in") in result.stdout
        assert len(inbox.messages) == 1
        untrusted = run(demo_copy, "r-pur/colis", "--to", "a@exemple.fr",
                        env={"MAILKIT_SMTP_URL": url})  # no CA: the certificate is refused
        assert untrusted.exit_code == 1 and "CERTIFICATE_VERIFY_FAILED" in untrusted.stderr
    finally:
        controller.stop()


def test_via_klaviyo_uses_the_preview_send_and_waits_out_its_limit(demo_copy, fake):
    env = {"KLAVIYO_API_KEY": KEY, "MAILKIT_KLAVIYO_BASE_URL": fake.base}
    push = CliRunner().invoke(main, ["--root", str(demo_copy), "export", "klaviyo", "--push"],
                              env=env)
    assert push.exit_code == 0, push.output
    fake.faults = [("POST", 429, {"Retry-After": "0"})]
    to = [f"p{i}@exemple.fr" for i in range(7)]
    result = run(demo_copy, "r-pur/application/avec-app", *[a for t in to for a in ("--to", t)],
                 "--via", "klaviyo", env=env)
    assert result.exit_code == 0, result.output
    assert "rate limit hit (HTTP 429" in result.stderr and "100/day" in result.stderr
    assert [s["recipients"] for s in fake.sent] == [to[:5], to[5:]]
    [template] = fake.by_name("r-pur · Post-achat · 2 L’application R-PUR (J+3)")
    assert all(fake.templates[s["template"]] is template for s in fake.sent)
    assert fake.sent[0]["context"]["person"]["Has R-PUR App"] is True
    assert KEY not in result.output


def test_via_klaviyo_needs_a_pushed_template(demo_copy, fake):
    env = {"KLAVIYO_API_KEY": KEY, "MAILKIT_KLAVIYO_BASE_URL": fake.base}
    result = run(demo_copy, "r-pur/colis", "--to", "a@exemple.fr", "--via", "klaviyo", env=env)
    assert result.exit_code == 1
    assert "send: not in the Klaviyo account: push it first" in result.stderr


def test_via_klaviyo_without_a_key_says_to_push_first(demo_copy):
    result = run(demo_copy, "r-pur/colis", "--to", "a@exemple.fr", "--via", "klaviyo",
                 env={"KLAVIYO_API_KEY": ""})
    assert result.exit_code == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("KLAVIYO_API_KEY: send: --via klaviyo asks Klaviyo to send")
    assert "push it first (mailkit export klaviyo --push" in line


def test_the_preview_offers_the_command_for_each_state(demo_build):
    result, out = demo_build
    for key in result.pages:
        brand, email_id, _ = key.split("/")
        page = (out / brand / email_id / "index.html").read_text("utf-8")
        assert f"<code>mailkit send {key} --to you@example.com</code>" in page, key


def test_sender_address_override_and_no_clear_password_off_this_machine(demo_copy, smtp,
                                                                        monkeypatch):
    inbox, url = smtp
    result = run(demo_copy, "r-pur/colis", "--to", "a@exemple.fr",
                 env={"MAILKIT_SMTP_URL": url, "MAILKIT_SMTP_FROM": "tests@exemple.fr"})
    assert result.exit_code == 0, result.output
    assert inbox.messages[0][1]["From"] == "R-PUR <tests@exemple.fr>"
    monkeypatch.setattr("mailkit.commands.send._LOOPBACK", set())  # as if the server were remote
    refused = run(demo_copy, "r-pur/colis", "--to", "a@exemple.fr",
                  env={"MAILKIT_SMTP_URL": url})
    assert refused.exit_code == 1 and len(inbox.messages) == 1
    assert "offers no STARTTLS: refusing to send the password in clear" in refused.stderr


def test_a_daily_limit_is_said_not_slept(demo_copy, fake):
    env = {"KLAVIYO_API_KEY": KEY, "MAILKIT_KLAVIYO_BASE_URL": fake.base}
    assert CliRunner().invoke(main, ["--root", str(demo_copy), "export", "klaviyo", "--push"],
                              env=env).exit_code == 0
    fake.faults = [("POST", 429, {"Retry-After": "43200"})]
    result = run(demo_copy, "r-pur/colis", "--to", "a@exemple.fr", "--via", "klaviyo", env=env)
    assert result.exit_code == 1 and fake.sent == []
    assert "rate limit hit (HTTP 429, Retry-After 43200 s): more than 120 s, so not waiting; " \
        "a daily limit is likely reached" in result.stderr
