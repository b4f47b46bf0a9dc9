"""The schema of `brand.yaml` (`flows.yaml`'s is in flows_yaml.py, `checks.yaml`'s in
checks_yaml.py; what they all go through, in validation.py).

The schemas are declarative (pydantic models whose field docs say what each key is
for), so the shape of a brand lives in one place.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, field_validator, model_validator

from ..check.clients import VIEW_IDS
from .validation import Color, Model, Slug, Url


class Palette(Model):
    text: Color
    background: Color  # the canvas around the email
    surface: Color  # the email body
    primary: Color  # buttons, links
    on_primary: Color  # text on buttons
    accent: Color
    muted: Color  # secondary text, footer
    border: Color


class Palettes(Model):
    light: Palette
    dark: Palette  # applied under `prefers-color-scheme: dark`


class Fonts(Model):
    body: str  # a system font stack: nothing is downloaded
    heading: str


class Image(Model):
    file: str  # under brands/<brand>/assets/
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    alt: str


class Sender(Model):
    name: str
    email: str


class Social(Model):
    network: str
    url: Url
    icon: str  # an asset: MJML's default icons live on the internet


class Product(Model):
    id: Slug
    name: str
    description: str = ""
    image: str
    price: float = Field(ge=0)
    offer_price: float | None = None  # a reduced price, e.g. the Placed Order add-on
    url: Url
    lifetime_days: int | None = Field(default=None, gt=0)  # how long one unit lasts (refill)
    # Shopify's variant id: what a cart link (`cart_link`) puts in the cart
    variant_id: int | None = Field(default=None, gt=0)
    # The discount code that gives `offer_price` at checkout: one code for everybody, or
    # a Klaviyo coupon ({coupon: NAME}: a unique code per customer)
    offer_code: str | PerCustomer | None = None


class WhatsApp(Model):
    message: str  # the text a customer sends to a loved one, encoded into the link
    button_label: str


class App(Model):
    name: str
    app_store: Url
    google_play: Url
    profile_property: str  # the Klaviyo profile property that says the app is installed
    url: Url  # the app's page on the brand's site (it opens the app where it is installed)
    pitch: str  # one sentence: what the app does for the customer
    screen: str  # an asset: the app on a phone
    screen_alt: str  # what that picture shows


class PerCustomer(Model):
    """A value that differs per customer, filled in by Klaviyo at send time: a profile
    property (e.g. synced by a referral app) or a Klaviyo coupon (`{% coupon_code %}`)."""

    profile_property: str | None = None
    coupon: str | None = None  # the coupon's name in Klaviyo

    @model_validator(mode="after")
    def _one_kind(self) -> PerCustomer:
        return self.exactly_one("profile_property", "coupon")


class Referral(Model):
    voucher: str  # what the referrer earns, e.g. "15 €"
    friend_offer: str  # what the friend gets
    code: PerCustomer  # each customer's own code: never one code in brand data
    url: Url  # the referral page; the code is added as ?code=…


class Voice(Model):
    """How the brand speaks, one voice for all its emails: `mailkit check` holds the
    copy to the form of address (the locale knows the words of each)."""

    address: Literal["tu", "vous"]
    tone: str  # in a sentence, for whoever writes the next email


SnapshotVariant = Literal["desktop-light", "desktop-dark", "mobile-light", "mobile-dark"]
#: A client view (check/clients.py's VIEWS) at a viewport, e.g. `mobile-partial`.
SnapshotClient = Literal[tuple(f"{viewport}-{view}" for view in VIEW_IDS  # type: ignore[misc]
                               for viewport in ("desktop", "mobile"))]


class Sale(Model):
    """A sale on fixed dates (brand data: an email's dates are then true whenever it is
    read). Datetimes carry their offset, e.g. `2025-12-11T09:00:00+01:00`."""

    name: str
    opens: datetime  # for everybody
    closes: datetime  # its last minute, e.g. 23:59
    early: datetime | None = None  # an earlier opening for some (the VIPs)
    discount: str = ""  # as the copy shows it, e.g. "-20 %"

    @model_validator(mode="after")
    def _in_order(self) -> Sale:
        if any(d.tzinfo is None for d in (self.opens, self.closes, self.early) if d):
            raise ValueError("give each date its offset, e.g. 2025-12-11T09:00:00+01:00")
        if self.closes <= self.opens or (self.early is not None and self.early >= self.opens):
            raise ValueError("early < opens < closes")
        return self


class Snapshots(Model):
    """Which shots `mailkit snapshot` holds this brand's pages to. Each shot is a PNG
    baseline in the repository (~120 KB): a brand with hundreds of pages can keep
    fewer of them, e.g. desktop in light and mobile in dark only."""

    variants: list[SnapshotVariant] = Field(
        default=["desktop-light", "desktop-dark", "mobile-light", "mobile-dark"], min_length=1)
    edge_states: bool = True  # also the edge states that change the layout
    # The client views shot on each email's first scenario, as the preview draws them:
    # by default the two inversions and Gmail without styles, each at the size of the
    # app most of its readers use (Gmail's apps are phones; Outlook for Windows, which
    # inverts fully, is a desktop).
    clients: list[SnapshotClient] = ["mobile-partial", "desktop-full", "mobile-nostyle"]

    @field_validator("variants", "clients")
    @classmethod
    def _once(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("a variant is listed twice")
        return value


class Brand(Model):
    display_name: str
    locale: str = Field(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    website: Url
    public_base_url: Url  # where assets live in production; exports use absolute URLs
    # Where a push puts the images: Klaviyo's image library, or the brand's own host.
    images: Literal["klaviyo", "public_base_url"] = "klaviyo"
    logo: Image
    sender: Sender
    postal_address: str
    palette: Palettes
    fonts: Fonts
    social: list[Social] = []
    currency: str = "€"
    copy_: dict[str, str] = Field(default={}, alias="copy")  # short brand strings
    utm: dict[str, str] = {}  # appended to links to the website when set
    catalogue: list[Product] = []
    whatsapp: WhatsApp | None = None
    app: App | None = None
    referral: Referral | None = None
    voice: Voice | None = None
    snapshots: Snapshots = Snapshots()
    timezone: str = "Europe/Paris"  # dates print in the brand's time zone
    sales: dict[Slug, Sale] = {}  # sales on fixed dates, by id

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone (e.g. Europe/Paris)") from None
        return value

    def product(self, product_id: str) -> Product | None:
        return next((p for p in self.catalogue if p.id == product_id), None)
