"""What the preview site shows about each email, computed from a build result.

Kept apart from the HTML templates so the facts (links, images, size, delays) are
plain data that tests can assert on and other views (checks, exports) can reuse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import lxml.html

from ..check.urls import WHATSAPP_HOSTS
from ..config import Batch, Email, Flow
from ..model import BuildResult, Page, email_key
from ..project import BrandProject

GMAIL_CLIP_BYTES = 102 * 1024
DARK_QUERY = re.compile(r"@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)", re.I)


@dataclass
class Link:
    label: str
    href: str
    decoded: str = ""  # the WhatsApp message, readable


@dataclass
class Image:
    src: str
    alt: str | None
    width: str


@dataclass
class Facts:
    html_bytes: int
    links: list[Link]
    images: list[Image]

    @property
    def clip_ratio(self) -> float:
        return self.html_bytes / GMAIL_CLIP_BYTES


@dataclass
class EmailView:
    """One email with all its scenarios, as the email page shows it."""

    brand: str
    flow: Flow
    email: Email
    delay: str
    pages: list[Page] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"{email_key(self.brand, self.email.id)}/index.html"


def delay_label(bp: BrandProject, email: Email) -> str:
    """`J+3`, `J+0 · +1 h`, or `J+80 (90 j − 10 j)` when computed from a lifetime."""
    days = bp.delay_days(email)
    label = f"J+{days}"
    if email.delay.hours:
        label += f" · +{email.delay.hours} h"
    if email.delay.product:
        product = bp.brand.product(email.delay.product)
        assert product is not None
        label += f" ({product.lifetime_days} j − {email.delay.lead_days} j)"
    return label


def batch_label(batch: Batch) -> str:
    names = {"open_rate": "open rate", "unsubscribe_rate": "unsubscribe rate",
             "spam_complaint_rate": "spam complaint rate", "click_rate": "click rate"}
    rules = ", ".join(f"{names[t.metric]} {t.op} {t.value * 100:g} %" for t in batch.while_)
    return f"Batch send: {batch.share * 100:g} % of the segment, only while {rules}"


def email_views(result: BuildResult) -> dict[str, list[tuple[Flow, list[EmailView]]]]:
    """brand → [(flow, [email view…])…] in flows.yaml order, with the built pages."""
    tree: dict[str, list[tuple[Flow, list[EmailView]]]] = {}
    by_email: dict[tuple[str, str], EmailView] = {}
    for page in result.pages.values():
        t = page.target
        view = by_email.get((t.brand, t.email.id))
        if view is None:
            bp = result.project.brands[t.brand]
            view = EmailView(t.brand, t.flow, t.email, delay_label(bp, t.email))
            by_email[(t.brand, t.email.id)] = view
            flows = tree.setdefault(t.brand, [])
            if not flows or flows[-1][0].id != t.flow.id:
                flows.append((t.flow, []))
            flows[-1][1].append(view)
        view.pages.append(page)
    return tree


def facts(html: str) -> Facts:
    """Size, links and images of a compiled email."""
    doc = lxml.html.document_fromstring(html)
    links = []
    for a in doc.iter("a"):
        href = a.get("href") or ""
        label = " ".join(a.text_content().split()) or " ".join(
            i.get("alt") or "" for i in a.iter("img")).strip()
        links.append(Link(label, href, whatsapp_text(href)))
    images = [Image(i.get("src") or "", i.get("alt"), i.get("width") or "")
              for i in doc.iter("img")]
    return Facts(len(html.encode("utf-8")), links, images)


def whatsapp_text(href: str) -> str:
    parts = urlsplit(href)
    if (parts.hostname or "").lower() not in WHATSAPP_HOSTS:
        return ""
    return parse_qs(parts.query).get("text", [""])[0]


def dark_variant(html: str) -> str:
    """The email as a client honouring `prefers-color-scheme: dark` shows it.

    An iframe follows the browser's colour scheme, not its parent's, and a static
    page cannot emulate media features; so the dark rules are made unconditional.
    """
    return DARK_QUERY.sub("@media all", html)
