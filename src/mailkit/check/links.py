"""Links: valid https URLs, no placeholders, UTM tags, and the WhatsApp share text.

A broken or placeholder link in a sent email cannot be fixed afterwards, and an
`http://` link shows a warning in some clients and loses the tracking parameters
on redirect. mailto: and tel: are fine. In the Klaviyo export, hrefs may hold
Klaviyo tags (`{% unsubscribe_link %}`, `{{ event.url }}`): Klaviyo resolves them
at send time, so only the literal part around them is checked; in the preview the
same tag means something was left unrendered.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import parse_qs, unquote, unquote_plus, urlsplit

from lxml import etree

from .dom import TEMPLATE_TAG, describe, elements, is_template, link_text, shorten
from .model import CheckInput, Finding

PLACEHOLDER = re.compile(r"(^|\.)(example\.(com|org|net)|localhost|test|invalid|example|local)$")
HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
WHATSAPP_HOSTS = {"wa.me", "api.whatsapp.com", "web.whatsapp.com"}
UNSUBSCRIBE = re.compile(r"unsubscri|d[ée]sabonn|d[ée]sinscri|opt[-_ ]?out", re.I)
PREFERENCES = re.compile(r"pr[ée]f[ée]rences?|manage[-_ ]?(your[-_ ])?subscriptions?", re.I)
KLAVIYO_UNSUBSCRIBE = re.compile(r"\{%\s*unsubscribe(_link)?\b[^%]*%\}")
KLAVIYO_PREFERENCES = re.compile(r"\{%\s*manage_preferences(_link)?\b[^%]*%\}")
WEB_VIEW = re.compile(r"version[-_ ]web|web[-_ ]?view|view (it |this e-?mail )?in (your |a |the )?"
                      r"browser|(voir|lire|afficher) (cet|l[’']|le) ?e-?mail (dans|sur) "
                      r"(le|ton|votre) navigateur", re.I)
KLAVIYO_WEB_VIEW = re.compile(r"\{%\s*web_view(_link)?\b[^%]*%\}")


def is_placeholder_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    if PLACEHOLDER.search(host):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_unspecified


def valid_host(host: str) -> bool:
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    return (len(labels) >= 2 and all(HOST_LABEL.fullmatch(label) for label in labels)
            and not labels[-1].isdigit())


def is_opt_out_link(a: etree._Element) -> bool:
    """Unsubscribe or preference link: exempt from UTM tags (nobody campaigns there)."""
    text = f"{link_text(a)} {a.get('href') or ''}"
    return bool(UNSUBSCRIBE.search(text) or PREFERENCES.search(text)
                or KLAVIYO_UNSUBSCRIBE.search(text) or KLAVIYO_PREFERENCES.search(text))


def is_system_link(a: etree._Element) -> bool:
    """Opt-out, preferences or web-view link: the sending platform's own pages, exempt
    from UTM tags. In the preview they stand in for Klaviyo's tags (`{% web_view_link
    %}`…), which Klaviyo replaces at send time: tagging the stand-in is meaningless."""
    text = f"{link_text(a)} {a.get('href') or ''}"
    return (is_opt_out_link(a) or bool(WEB_VIEW.search(text))
            or bool(KLAVIYO_WEB_VIEW.search(text)))


def url_problem(href: str) -> tuple[str, str] | None:
    """(severity, reason) when `href` is not an acceptable email link, else None."""
    if not href or href == "#":
        return "error", "is a placeholder (empty or `#`)"
    if re.search(r"\s", href):
        return "error", "contains white space (encode it as %20)"
    if href.startswith("#"):
        return None  # an in-page anchor; client support is the support check's business
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        address = unquote(parts.path)
        if not address and not parts.query:
            return "error", "is an empty mailto:"
        domain = address.rpartition("@")[2]
        if address and ("@" not in address or not valid_host(domain)):
            return "error", f"has an invalid e-mail address ({address})"
        if address and is_placeholder_host(domain):
            return "error", f"mails a placeholder domain ({domain})"
        return None
    if scheme == "tel":
        return None if re.search(r"\d{4}", parts.path) else ("error", "is not a phone number")
    if scheme == "http":
        return "error", "uses http: links must be https"
    if scheme != "https":
        if not scheme:
            return "error", "is not an absolute URL (emails have no base URL)"
        return "error", f"uses the {scheme}: scheme (only https, mailto and tel are allowed)"
    host = parts.hostname or ""
    if not host:
        return "error", "has no host"
    if is_placeholder_host(host):
        return "error", f"points to a placeholder host ({host})"
    if not valid_host(host):
        return "error", f"has an invalid host ({host})"
    return None


def check_links(root: etree._Element, doc: CheckInput) -> list[Finding]:
    findings: list[Finding] = []
    anchors = list(elements(root, "a", "area"))
    for a in anchors:
        where = describe(a)
        href = a.get("href")
        if href is None:
            if a.get("name") is None and a.get("id") is None:
                findings.append(Finding("error", "links", f"`{where}` has no href", where))
            continue
        href = href.strip()
        if is_template(href):
            if not doc.export:
                findings.append(Finding("error", "links", f"`{where}` has an unrendered "
                                        "template tag in its href", where))
                continue
            if href.startswith(("{%", "{{")):
                continue  # wholly a Klaviyo tag, resolved at send time
            href = TEMPLATE_TAG.sub("tag", href)
        problem = url_problem(href)
        if problem:
            findings.append(Finding(problem[0], "links", f"link `{where}` {problem[1]}", where))
            continue
        findings += _utm(a, href, where, doc)
    if doc.whatsapp_message is not None:
        findings += _whatsapp(anchors, doc.whatsapp_message)
    return findings


def _site_host(website: str) -> str:
    host = urlsplit(website if "://" in website else f"https://{website}").hostname or ""
    return host.lower().removeprefix("www.")


def _utm(a: etree._Element, href: str, where: str, doc: CheckInput) -> list[Finding]:
    if not doc.utm or not doc.website or is_system_link(a):
        return []
    parts = urlsplit(href)
    if parts.scheme.lower() != "https":
        return []
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host != _site_host(doc.website):
        return []
    query = parse_qs(parts.query, keep_blank_values=True)
    wrong: list[str] = []
    for key, value in doc.utm.items():
        key = key if key.startswith("utm_") else f"utm_{key}"
        got = query.get(key)
        if got is None:
            wrong.append(f"{key} missing")
        elif got[-1] != value:
            wrong.append(f"{key}={got[-1]!r} instead of {value!r}")
    if not wrong:
        return []
    return [Finding("error", "links", f"link `{where}` to the website lacks its UTM tags: "
                    f"{'; '.join(wrong)}", where)]


def _whatsapp(anchors: list[etree._Element], message: str) -> list[Finding]:
    links = []
    for a in anchors:
        parts = urlsplit((a.get("href") or "").strip())
        if (parts.hostname or "").lower() in WHATSAPP_HOSTS:
            links.append((a, parts))
    if not links:
        return [Finding("error", "links", "no WhatsApp link (https://wa.me/?text=…) although "
                        "this email has a WhatsApp message", "wa.me")]
    findings: list[Finding] = []
    for a, parts in links:
        where = describe(a)
        raw = [v for k, _, v in (p.partition("=") for p in parts.query.split("&"))
               if k == "text"]
        if not raw:
            findings.append(Finding("error", "links", f"WhatsApp link `{where}` has no text= "
                                    "parameter", where))
            continue
        decoded = unquote(raw[-1])
        if decoded == message:
            continue
        if unquote_plus(raw[-1]) == message:
            findings.append(Finding("warning", "links", f"WhatsApp link `{where}` encodes "
                                    "spaces as '+': wa.me documents percent-encoding (%20), "
                                    "and not every WhatsApp client turns '+' into a space",
                                    where))
            continue
        findings.append(Finding("error", "links", f"WhatsApp link `{where}` decodes to "
                                f"\"{shorten(decoded, 80)}\" instead of the brand message "
                                f"\"{shorten(message, 80)}\"", where))
    return findings
