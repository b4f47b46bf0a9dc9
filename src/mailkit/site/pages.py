"""What the preview site shows about each email, computed from a build result.

Kept apart from the HTML templates so the tree of emails, delays and batch rules are
plain data that tests can assert on. The facts panel's size, links and images are not
here: the browser computes them from the email's HTML (`_mailkit/payload.js`), so a
build does not parse every email once more for the site. Its SpamAssassin score is
(`spam_facts`), as the last `mailkit check --spam` kept it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..cache import spam_scores
from ..model import BuildResult, Page, email_key
from ..project.flows_yaml import Batch, Email, Flow
from ..project.load import BrandProject


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


NOT_SCORED = "SpamAssassin: not scored yet: mailkit check --spam"


def spam_facts(result: BuildResult) -> Callable[[Page], str]:
    """Each page's SpamAssassin score, as the last `mailkit check --spam` gave it for this
    very content (cache/spam_scores.py), with the rules that gave points; or how to get
    one. No SpamAssassin runs here: a build stays fast."""
    scores = spam_scores.load(result.project.root)

    def label(page: Page) -> str:
        brand = result.project.brands[page.target.brand].brand
        score = scores.get(spam_scores.content_key(page, brand)) if scores else None
        if not isinstance(score, dict):
            return NOT_SCORED
        try:
            points, content = float(score["points"]), float(score["content"])
            rules = {str(r): float(p) for r, p in dict(score.get("rules") or {}).items()}
        except (KeyError, TypeError, ValueError):  # written by another mailkit
            return NOT_SCORED
        extra = "".join(f" · {rule} {p:.1f}" for rule, p in rules.items() if round(p, 1))
        return f"SpamAssassin: {points:.1f} (content {content:.1f}){extra}"

    return label
