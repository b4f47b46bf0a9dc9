"""Values that belong to one customer, not to the brand: a referral code, a coupon.

Written once in brand data they would reach every customer identical (every R-PUR
customer received MERCI-CAMILLE). A brand names where each customer's value comes from
(`schema.PerCustomer`): a profile property, which the preview reads from the fixture's
profile and the export prints as `{{ person|lookup:'…' }}`; or a Klaviyo coupon, which the
export prints as `{% coupon_code 'NAME' %}` (one unique code per person, K8/K9) and the
preview shows as the fixture's `coupons: {NAME: …}`, else as `NAME-PREVIEW`, the text
Klaviyo's own preview shows (K8).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape

from .schema import PerCustomer

if TYPE_CHECKING:
    from ..pipeline.dialect import Dialect


def value_of(source: PerCustomer, ctx: jinja2.runtime.Context, dialect: Dialect | None) -> Any:
    """The customer's value in the preview (from the fixture) or an export (the
    platform's language, pipeline/dialect.py)."""
    if dialect is not None:
        return dialect.per_customer(source)
    if source.profile_property is not None:
        return ctx.environment.getitem(ctx["person"], source.profile_property)
    coupons = ctx.get("coupons") or {}
    return coupons.get(source.coupon, f"{source.coupon}-PREVIEW")


def install(env: jinja2.Environment, sources: dict[str, PerCustomer],
            dialect: Dialect | None) -> None:
    """`per_customer('referral')`: the value; `with_code(url, value)`: a link carrying it."""

    @jinja2.pass_context
    def per_customer(ctx: jinja2.runtime.Context, name: str) -> Any:
        if name not in sources:
            raise jinja2.TemplateRuntimeError(
                f"no per-customer value {name!r} in brand.yaml (known: {', '.join(sources)})")
        return value_of(sources[name], ctx, dialect)

    def with_code(url: str, value: Any, key: str = "code") -> Markup:
        """`url?code=VALUE` (or `&code=`): the value stays a Klaviyo variable in the export."""
        separator = "&" if "?" in url else "?"
        return escape(url) + Markup(separator) + escape(key) + Markup("=") + escape(value)

    env.globals.update(per_customer=per_customer, with_code=with_code)
