"""What every project file goes through: the base of its schema (`Model`), the text
patterns it names (a colour, a URL, a slug), and `validate`, which turns pydantic's
errors into `file:line` ones and reports unknown keys.

Unknown keys are kept, then reported as warnings with a "did you mean": a typo such as
`pallete:` must not pass silently, but must not block a designer either. pydantic
reports every error with its key path; `YamlDoc` turns the path into a line.
"""

from __future__ import annotations

import difflib
from types import UnionType
from typing import Annotated, Any, Self, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

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
