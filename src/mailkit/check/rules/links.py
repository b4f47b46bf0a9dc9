"""Links: valid https URLs, no placeholders, UTM tags, and the WhatsApp share text.

A broken or placeholder link in a sent email cannot be fixed afterwards, and an
`http://` link shows a warning in some clients and loses the tracking parameters
on redirect. mailto: and tel: are fine. In the Klaviyo export, hrefs may hold
Klaviyo tags (`{% unsubscribe_link %}`, `{{ event.url }}`): Klaviyo resolves them
at send time, so only the literal part around them is checked; in the preview the
same tag means something was left unrendered.
"""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, unquote_plus, urlsplit

from lxml import etree

from ..dom import TEMPLATE_TAG, describe, is_template, shorten
from ..model import CheckConfig, CheckInput, Finding
from ..units import walk
from ..urls import WHATSAPP_HOSTS, is_system_link, url_problem

NAME = "links"  # the family in findings, `run_checks(only=…)` and reports

def check_links(root: etree._Element, doc: CheckInput) -> list[Finding]:
    utm = tuple(sorted(doc.utm.items())) if doc.utm else None
    findings = walk(root, lambda a: _link(a, doc), (NAME, doc.export, utm, doc.website),
                    tags=LINKS, whole=True)
    if doc.whatsapp_message is not None:
        findings += _whatsapp(walk(root, _whatsapp_link, (NAME, "whatsapp"), tags=LINKS,
                                   whole=True), doc.whatsapp_message)
    return findings


LINKS = ("a", "area")


def _link(a: etree._Element, doc: CheckInput) -> list[Finding]:
    where = describe(a)
    href = a.get("href")
    if href is None:
        if a.get("name") is None and a.get("id") is None:
            return [Finding("error", "links", f"`{where}` has no href", where)]
        return []
    href = href.strip()
    if is_template(href):
        if not doc.export:
            return [Finding("error", "links", f"`{where}` has an unrendered "
                            "template tag in its href", where)]
        if href.startswith(("{%", "{{")):
            return []  # wholly a Klaviyo tag, resolved at send time
        href = TEMPLATE_TAG.sub("tag", href)
    problem = url_problem(href)
    if problem:
        return [Finding(problem[0], "links", f"link `{where}` {problem[1]}", where)]
    return _utm(a, href, where, doc)


def _whatsapp_link(a: etree._Element) -> list[tuple[str, str]]:
    """(where, query) of a link to WhatsApp."""
    parts = urlsplit((a.get("href") or "").strip())
    return [(describe(a), parts.query)] if (parts.hostname or "").lower() in WHATSAPP_HOSTS \
        else []


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


def _whatsapp(links: list[tuple[str, str]], message: str) -> list[Finding]:
    if not links:
        return [Finding("error", "links", "no WhatsApp link (https://wa.me/?text=…) although "
                        "this email has a WhatsApp message", "wa.me")]
    findings: list[Finding] = []
    for where, query in links:
        raw = [v for k, _, v in (p.partition("=") for p in query.split("&")) if k == "text"]
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


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    return check_links(root, doc)
