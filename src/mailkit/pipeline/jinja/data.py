"""Fixture and brand data as templates see it: mappings and lists that know where they
come from, so a missing field is an error that names it (`'person' has no attribute
'frist_name'`, not `'dict object' has …`), and a list index past the end is missing data,
as in Klaviyo. The contract nodes are only carried here; the environment asks them what a
key the data lacks means (pipeline/environment.py, project/contract/reads.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jinja2

if TYPE_CHECKING:
    from ...project.contract import Node


class Record(dict):
    """A fixture or brand mapping that knows its dotted path, for error messages, and
    (fixture data) the contract node that says which keys real Klaviyo data has."""

    def __init__(self, data: dict[str, Any], where: str, node: Node | None = None) -> None:
        super().__init__({k: wrap(v, f"{where}.{k}", node.child(k) if node else None)
                          for k, v in data.items()})
        self.where = where
        self.node = node


def wrap(value: Any, where: str, node: Node | None = None) -> Any:
    """`value` as templates read it: a mapping becomes a Record, a list a DataList when a
    contract says what its items are (without one, a too-short list stays an error)."""
    if isinstance(value, dict):
        return Record(value, where, node)
    if isinstance(value, list):
        item = node.child(0) if node else None
        items = [wrap(v, f"{where}[]", item) for v in value]
        return DataList(items) if node is not None else items
    return value


class DataList(list):
    """A list of fixture data: an index past its end is missing data, as in Klaviyo
    (`item.product.images.0.src` of a product without images prints nothing)."""


class MailkitUndefined(jinja2.StrictUndefined):
    """Say `'person' has no attribute 'frist_name'`, not `'dict object' has …`."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj = self._undefined_obj
        if isinstance(obj, Record) and isinstance(self._undefined_name, str):
            return f"{obj.where!r} has no attribute {self._undefined_name!r}"
        return super()._undefined_message
