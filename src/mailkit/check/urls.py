"""What a link is, as several rules need to know it: placeholder and valid hosts, the
platform's own opt-out, preference and web-view links, and whether a URL is acceptable
in an email at all. Plain helpers, no findings: the rules that report live in rules/.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import unquote, urlsplit

from lxml import etree

from .dom import link_text

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


# Shopify's cart permalinks (shopify.dev, "Create cart permalinks"): the cart filled with
# `variant:quantity` items, a discount code, cart attributes, a note carried to the order.
CART_PATH = re.compile(r"/(?:[a-z]{2}(?:-[a-z]{2})?/)?cart/"
                       r"[1-9][0-9]*:[1-9][0-9]*(?:,[1-9][0-9]*:[1-9][0-9]*)*", re.I)
CART_PARAM = re.compile(
    r"discount|note|ref|access_token|storefront|payment|properties|channel"
    r"|attributes\[[^\[\]]+\]|checkout\[email\]"
    r"|checkout\[shipping_address\]\[(?:first_name|last_name|address1|address2|city"
    r"|province|country|zip)\]|utm_(?:source|medium|campaign|content|term|id)")
TEMPLATE_VALUE = re.compile(r"\{[{%].*[}%]\}|~~\d+~~")  # a platform's variable, at send time


def cart_problem(url: str) -> str | None:
    """Why `url` is not a Shopify cart permalink that fills a cart (None: it is one)."""
    from urllib.parse import parse_qsl

    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return "not an https link"
    if not CART_PATH.fullmatch(parts.path):
        return f"its path {parts.path or '/'} is not /cart/VARIANT:QUANTITY"
    try:
        pairs = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=bool(parts.query))
    except ValueError:
        return "its query cannot be read"
    keys = [k for k, _ in pairs]
    for key, value in pairs:
        if not CART_PARAM.fullmatch(key):
            return f"{key!r} is not a cart permalink parameter"
        if not value.strip():
            return f"{key} is empty"
        if key == "discount" and not TEMPLATE_VALUE.search(value) \
                and not all(code.strip() for code in value.split(",")):
            return "a discount code is empty"
    if len(set(keys)) != len(keys):
        return "a parameter is repeated"
    return None
