"""`mailkit send BRAND/EMAIL[/STATE] --to ADDRESS…`: a test email, as the preview shows it.

Through SMTP (``MAILKIT_SMTP_URL``) the message is built here: ``multipart/alternative``
with the plain text and the HTML, the HTML in ``multipart/related`` with the brand
assets it shows attached inline (``cid:``), since the preview's relative paths mean
nothing in an inbox; the subject (UTF-8, RFC 2047), the preheader (in the HTML, as the
preview), the brand's sender, ``List-Id`` (RFC 2919, one list per flow) and
``List-Unsubscribe`` with one-click ``List-Unsubscribe-Post`` (RFC 8058), as Gmail and
Yahoo require of bulk senders.

``smtp://user:password@host:587`` upgrades with STARTTLS when the server offers it and
refuses to send a password in clear to any host but this machine; ``smtps://…:465`` is
TLS from the start. Certificates are verified (``MAILKIT_SMTP_CAFILE`` adds a CA, for a
test server). The password is never printed.

``--via klaviyo`` asks Klaviyo to send the pushed template instead (Create Template
Preview Send Job, a beta endpoint: at most 5 recipients a request, 1 request/s,
15/min, 100/day). A 429 is waited out as ``Retry-After`` says, and said.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import time
import urllib.parse
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import MailkitError

if TYPE_CHECKING:
    from ..model import BuildResult, Page
    from ..project.load import Project

SMTP_ENV = "MAILKIT_SMTP_URL"
CAFILE_ENV = "MAILKIT_SMTP_CAFILE"
FROM_ENV = "MAILKIT_SMTP_FROM"
PREVIEW_SEND_LIMIT = "1 request/s, 15/min, 100/day, 5 recipients a request"
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def parse_page(spec: str) -> tuple[str, str, str | None]:
    """``brand/email[/state]`` → its parts; a user error otherwise."""
    parts = spec.strip("/").split("/")
    if len(parts) not in (2, 3) or not all(parts):
        raise MailkitError(spec, None, "send", "give BRAND/EMAIL or BRAND/EMAIL/STATE, "
                           "e.g. r-pur/application/sans-app")
    return parts[0], parts[1], parts[2] if len(parts) == 3 else None


def pick_page(built: BuildResult, spec: str, email: str, state: str | None) -> Page:
    """The built page of ``state`` (the email's first state when None)."""
    pages = [p for p in built.pages.values() if p.target.email.id == email] or \
        list(built.pages.values())  # the build's --email also matches a template name
    if state is None:
        return pages[0]
    for page in pages:
        if page.target.scenario == state:
            return page
    states = ", ".join(p.target.scenario for p in pages)
    raise MailkitError(spec, None, "send", f"no state {state!r} (states: {states})")


def compose(project: Project, page: Page, to: list[str],
            environ: Mapping[str, str] = os.environ) -> EmailMessage:
    """The message the preview shows: headers, text, HTML with its images inline.
    ``MAILKIT_SMTP_FROM`` replaces the sender's address (not its name): an SMTP account
    may only send as itself."""
    bp = project.brands[page.target.brand]
    brand = bp.brand
    msg = EmailMessage()
    msg["Subject"] = page.rendered.subject
    msg["From"] = formataddr((brand.sender.name, environ.get(FROM_ENV) or brand.sender.email))
    msg["To"] = ", ".join(to)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=brand.sender.email.rsplit("@", 1)[-1])
    msg["List-Id"] = list_id(brand.display_name, page.target.flow.id, brand.sender.email)
    msg["List-Unsubscribe"] = f"<{brand.website.rstrip('/')}/pages/desinscription>"
    msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["X-Mailkit-Page"] = page.key
    images: dict[str, Path] = {}

    def inline(match: re.Match) -> str:
        name = match.group(2)
        path = bp.dir / "assets" / name
        if not path.is_file():
            return match.group(0)
        cid = f"{re.sub(r'[^A-Za-z0-9.-]', '-', name)}@mailkit"
        images[cid] = path
        return f'{match.group(1)}"cid:{cid}"'

    html = re.sub(r'(src=|background=)"\.\./assets/([^"]+)"', inline, page.compiled.html)
    html = re.sub(r"(url\()['\"]?\.\./assets/([^'\")]+)['\"]?(?=\))",
                  lambda m: inline(m).replace('"', ""), html)
    msg.set_content(page.compiled.text)
    msg.add_alternative(html, subtype="html")
    html_part = msg.get_payload()[1]
    for cid, path in images.items():
        kind = {"jpg": "jpeg", "jpeg": "jpeg", "gif": "gif"}.get(path.suffix[1:].lower(), "png")
        html_part.add_related(path.read_bytes(), maintype="image", subtype=kind,
                              cid=f"<{cid}>", filename=path.name)
    return msg


def list_id(name: str, flow: str, sender: str) -> str:
    """`R-PUR <post-achat.r-pur.com>` (RFC 2919): one list per flow, on the sender's
    domain. Filters read `List-Unsubscribe` without `List-Id` as a half-made list
    (SpamAssassin's `__LIST_PARTIAL`, which several spam rules build on)."""
    label = re.sub(r"[^A-Za-z0-9-]+", "-", flow).strip("-").lower() or "mailkit"
    return f"{name} <{label}.{sender.rsplit('@', 1)[-1]}>"


def smtp_send(url: str, msg: EmailMessage, to: list[str],
              environ: Mapping[str, str] = os.environ) -> str:
    """Send through ``url``; returns how (host, TLS) for the summary line."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailkitError(SMTP_ENV, None, "send", "use smtp://[user:password@]host[:port] "
                           "(STARTTLS) or smtps://… (TLS)")
    host, secure = parts.hostname, parts.scheme == "smtps"
    port = parts.port or (465 if secure else 587)
    user = urllib.parse.unquote(parts.username or "")
    password = urllib.parse.unquote(parts.password or "")
    context = ssl.create_default_context(cafile=environ.get(CAFILE_ENV) or None)
    where = f"{host}:{port}"
    try:
        server = (smtplib.SMTP_SSL(host, port, context=context, timeout=30) if secure
                  else smtplib.SMTP(host, port, timeout=30))
        with server:
            how = "TLS" if secure else "no TLS"
            if not secure:
                server.ehlo()
                if server.has_extn("starttls"):
                    server.starttls(context=context)
                    server.ehlo()
                    how = "STARTTLS"
            if user:
                if how == "no TLS" and host not in _LOOPBACK:
                    raise MailkitError(SMTP_ENV, None, "send", f"{where} offers no STARTTLS: "
                                       "refusing to send the password in clear")
                server.login(user, password)
            refused = server.send_message(msg, to_addrs=to)
    except MailkitError:
        raise
    except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
        text = str(exc).replace(password, "[redacted]") if password else str(exc)
        raise MailkitError(SMTP_ENV, None, "send", f"{where}: {text}") from None
    if refused:
        raise MailkitError(SMTP_ENV, None, "send", f"{where} refused "
                           f"{', '.join(sorted(refused))}")
    return f"{where}, {how}" + (", logged in" if user else "")


def send_page(root: Path, spec: str, to: list[str], *, via: str = "smtp",
              say: Callable[[str], None] = print) -> list[str]:
    """`mailkit send`: build `spec`'s email in memory (with its Klaviyo export, which
    `--via klaviyo` sends by name), pick the page and send it; the lines to print."""
    from .build import build

    brand, email, state = parse_page(spec)
    built = build(root, brand=brand, email=email, write=False, extras=via == "klaviyo")
    return send(built, pick_page(built, spec, email, state), to, via=via, say=say)


def send(built: BuildResult, page: Page, to: list[str], *, via: str = "smtp",
         environ: Mapping[str, str] = os.environ, say: Callable[[str], None] = print,
         sleep: Callable[[float], object] = time.sleep) -> list[str]:
    """Send one built page to ``to``; returns the lines to print."""
    if via == "klaviyo":
        return _via_klaviyo(built, page, to, environ, say, sleep)
    url = environ.get(SMTP_ENV, "").strip()
    if not url:
        raise MailkitError(SMTP_ENV, None, "send", f"set {SMTP_ENV}, e.g. "
                           "smtp://user:password@smtp.example.com:587")
    how = smtp_send(url, compose(built.project, page, to, environ), to, environ)
    return [f"sent {page.key} to {', '.join(to)} ({how}): {page.rendered.subject}"]


def _via_klaviyo(built: BuildResult, page: Page, to: list[str], environ: Mapping[str, str],
                 say: Callable[[str], None], sleep: Callable[[float], object]) -> list[str]:
    from ..klaviyo.dialect.engine import klaviyo_context
    from ..klaviyo.push.client import KlaviyoError, _GaveUp, _Rejected, api_key, base_url, connect
    from ..klaviyo.push.sync import Account
    from ..project.load import load_fixture

    try:
        key = api_key(environ)
    except MailkitError as exc:
        raise MailkitError(exc.path, None, "send", "--via klaviyo asks Klaviyo to send the "
                           "template as your account holds it: push it first (mailkit "
                           f"export klaviyo --push, with {exc.path} set to a private key "
                           "with the templates scope), then send") from None
    exported = built.exports[page.target.email_key]
    if isinstance(exported, MailkitError):
        raise exported
    project = built.project

    def note(line: str) -> None:
        say(line + (f" (Klaviyo's preview send limits: {PREVIEW_SEND_LIMIT})"
                    if "rate limit" in line else ""))

    client = connect(key, base_url(environ), say=note, sleep=sleep)
    state = page.target.data_state
    context = klaviyo_context(load_fixture(project, page.target.brand, state.fixture,
                                           state.override))
    lines = []
    try:
        found = Account(client).by_name("/api/templates/", {"fields[template]": "name"})
        if exported.name not in found:
            raise MailkitError(exported.name, None, "send", "not in the Klaviyo account: "
                               "push it first (mailkit export klaviyo --push)")
        tid = found[exported.name]["id"]
        for i in range(0, len(to), 5):
            if i:
                sleep(1.0)  # the burst limit is one request a second
            batch = to[i:i + 5]
            body = {"data": {"type": "template-preview-send-job",
                             "attributes": {"recipients": batch, "context": context},
                             "relationships": {"template": {"data": {"type": "template",
                                                                     "id": tid}}}}}
            doc = client.send("POST", client.base_url + "/api/template-preview-send-jobs",
                              body, beta=True)
            status = ((doc.get("data") or {}).get("attributes") or {}).get("status", "?")
            lines.append(f"Klaviyo preview send of {exported.name!r} to {', '.join(batch)}: "
                         f"{status}")
    except (_Rejected, _GaveUp, KlaviyoError) as exc:
        raise MailkitError("Klaviyo", None, "send", client.scrub(str(exc))) from None
    return lines
