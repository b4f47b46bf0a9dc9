"""The schema of `flows.yaml`: each flow's trigger, its emails in order with their
delay, the template and the named data states (scenarios)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .validation import Model, Slug


class Where(Model):
    """A trigger filter Klaviyo's API can express: one event property, one test."""

    property: str  # an event property, e.g. "Items" (Shopify: the product names)
    contains: str | None = None  # a list property holds this value
    equals: str | None = None  # a string property is this value

    @model_validator(mode="after")
    def _one_test(self) -> Where:
        return self.exactly_one("contains", "equals")


class Trigger(Model):
    metric: str | None = None  # a Klaviyo metric, e.g. "Fulfilled Order"
    segment: str | None = None  # or a segment the flow is based on
    filters: list[str] = []  # plain-language conditions, shown in the preview
    where: list[Where] = []  # the filters as Klaviyo's trigger filter (metric triggers)

    @model_validator(mode="after")
    def _one_kind(self) -> Trigger:
        return self.exactly_one("metric", "segment")

    @property
    def label(self) -> str:
        return f"Metric · {self.metric}" if self.metric else f"Segment · {self.segment}"


class Delay(Model):
    days: int | None = Field(default=None, ge=0)
    hours: int = Field(default=0, ge=0)
    product: str | None = None  # compute days from this catalogue product's lifetime…
    lead_days: int = Field(default=0, ge=0)  # …minus this lead time

    @model_validator(mode="after")
    def _one_kind(self) -> Delay:
        return self.exactly_one("days", "product",
                                "give either 'days' or 'product' (with 'lead_days')")


class Threshold(Model):
    metric: Literal["open_rate", "unsubscribe_rate", "spam_complaint_rate", "click_rate"]
    op: Literal[">", "<", ">=", "<="]
    value: float = Field(ge=0, le=1)


class Batch(Model):
    share: float = Field(gt=0, le=1)  # the part of the segment each send reaches
    while_: list[Threshold] = Field(alias="while")  # keep sending only while all hold


class Scenario(Model):
    fixture: str  # a file in brands/<brand>/fixtures/, without .yaml
    description: str = ""
    override: dict[str, Any] = {}  # deep-merged over the fixture


class Email(Model):
    id: Slug
    name: str
    template: Slug  # emails/<template>.mjml.j2
    delay: Delay
    scenarios: dict[Slug, Scenario]


class Flow(Model):
    id: Slug
    name: str
    description: str = ""
    trigger: Trigger
    batch: Batch | None = None
    emails: list[Email] = Field(min_length=1)


class Flows(Model):
    flows: list[Flow] = Field(min_length=1)
