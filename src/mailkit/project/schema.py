"""The schema of `brand.yaml`, and the validation every project file goes through
(`flows.yaml`'s schema is in flows_yaml.py, `checks.yaml`'s in checks_yaml.py).

The schemas are declarative (pydantic models whose field docs say what each key is
for), so the shape of a brand lives in one place. pydantic reports every error with
its key path; `YamlDoc` turns the path into a line. Unknown keys are kept, then
reported as warnings with a "did you mean": a typo such as `pallete:` must not pass
silently, but must not block a designer either.
"""

from __future__ import annotations

import difflib
from datetime import datetime
from types import UnionType
from typing import Annotated, Any, Literal, Self, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from ..check.clients import VIEW_IDS
from ..errors import MailkitError
from ..yamlfile import KeyPath, YamlDoc

COLOR, URL, SLUG = r"^#[0-9A-Fa-f]{6}$", r"^(https://|mailto:|tel:)\S+$", r"^[a-z0-9][a-z0-9_-]*$"
PATTERN_NAMES = {COLOR: "a colour like #A3472F", URL: "an https://, mailto: or tel: URL",
                 SLUG: "an id of lowercase letters, digits, - and _"}
Color = Annotated[str, StringConstraints(pattern=COLOR)]
Url = Annotated[str, StringConstraints(pattern=URL)]
Slug = Annotated[str, StringConstraints(pattern=SLUG)]


class Model(BaseModel):
    """Base: extra keys are allowed here, and reported as warnings by `unknown_in`."""

    model_config = ConfigDict(extra="allow", frozen=True)

    def exactly_one(self, first: str, second: str, message: str = "") -> Self:
        """`self`, unless both or neither of two optional fields are given (for an
        `after` validator): each such pair is two ways to say one thing (a metric or a
        segment, a profile property or a coupon), and the code reads one of them only."""
        if (getattr(self, first) is None) == (getattr(self, second) is None):
            raise ValueError(message or f"give exactly one of {first!r} or {second!r}")
        return self


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


Located = list[MailkitError]


def validate(doc: YamlDoc, model: type[Model]) -> tuple[Any, Located, Located]:
    """Validate a document; return (instance or None, errors, warnings), all located."""
    data = doc.data if doc.data is not None else {}
    unknown = [doc.error(path, f"unknown key (ignored){hint}")
               for path, hint in unknown_in(data, model, ())]
    try:
        instance = model.model_validate(data)
    except ValidationError as exc:
        errors = [doc.error(_keypath(e["loc"]), _message(e)) for e in exc.errors()]
        return None, errors + unknown, []  # a misnamed key often explains a missing one
    return instance, [], unknown


def unknown_in(data: Any, model: Any, path: KeyPath) -> list[tuple[KeyPath, str]]:
    """(key path, "; did you mean 'x'?") for every key of `data` that `model` (a Model,
    or a list, dict or union of them) does not know; read from the YAML itself, so it
    works when validation fails too."""
    found: list[tuple[KeyPath, str]] = []
    for kind in _models(model):
        if not isinstance(data, dict):
            continue
        fields = {info.alias or name: info.annotation for name, info in kind.model_fields.items()}
        for key, value in data.items():
            if key in fields:
                found += unknown_in(value, fields[key], (*path, key))
            else:
                found.append(((*path, key), _did_you_mean(str(key), list(fields))))
        return found
    origin = get_origin(model)
    if origin is list and isinstance(data, list):
        for index, item in enumerate(data):
            found += unknown_in(item, get_args(model)[0], (*path, index))
    elif origin is dict and isinstance(data, dict):
        for key, item in data.items():
            found += unknown_in(item, get_args(model)[1], (*path, key))
    return found


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The Model classes an annotation names directly (`X`, `X | None`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if get_origin(annotation) in (Union, UnionType):
        return [a for a in get_args(annotation)
                if isinstance(a, type) and issubclass(a, BaseModel)][:1]
    return []


def _did_you_mean(key: str, known: list[str]) -> str:
    near = difflib.get_close_matches(key, known, n=1, cutoff=0.6) or sorted(
        k for k in known if len(key) >= 4 and (key in k or k in key))[:1]
    return f"; did you mean {near[0]!r}?" if near else ""


def _keypath(loc: tuple[Any, ...]) -> KeyPath:
    """Drop the markers pydantic adds for validators and unions from an error path."""
    markers = ("function-", "union[", "list[", "dict[", "tagged-union[")
    return tuple(p for p in loc if isinstance(p, int) or not str(p).startswith(markers))


def _message(error: dict[str, Any]) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        return "required key is missing"
    if error["type"] == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        expected = PATTERN_NAMES.get(pattern, f"text matching {pattern}")
        return f"{error.get('input')!r} is not {expected}"
    return message
