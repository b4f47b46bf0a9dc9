"""Klaviyo's official OpenAPI contract as the fake Klaviyo (klaviyo_fake.py) reads it:
an operation's request and success-response validators from its spec file in
``tests/klaviyo/klaviyo-openapi/`` (copied unchanged from ../shared/, MIT; ``$ref``s resolved
through the file's components, OpenAPI 3.0 ``nullable`` and ``writeOnly`` honoured), and
multipart bodies (image uploads) read as the fields a schema validates."""

from __future__ import annotations

import email.parser
import email.policy
import json
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator

SPECS = Path(__file__).resolve().parent / "klaviyo-openapi"  # copied from ../shared/, MIT


class Spec:
    """One operation's request and success-response validators, from its spec file."""

    _cache: dict[str, Spec] = {}

    def __init__(self, name: str) -> None:
        doc = json.loads((SPECS / f"{name}.json").read_text(encoding="utf-8"))
        [(path, ops)] = doc["paths"].items()
        [(method, op)] = ops.items()
        self.path, self.method = path, method.upper()
        self.rate_limit = op.get("x-klaviyo-ratelimit", {})

        def validator(schema: dict, cls: type) -> Any:
            return cls({**schema, "components": doc["components"]})

        body = (op.get("requestBody") or {}).get("content") or {}
        self.content_type = next(iter(body), None)
        self.request = (validator(body[self.content_type]["schema"], OAS30WriteValidator)
                        if self.content_type else None)
        [ok] = [v for k, v in op["responses"].items() if k.startswith("2")]
        self.response = validator(next(iter(ok["content"].values()))["schema"],
                                  OAS30ReadValidator)

    @classmethod
    def get(cls, name: str) -> Spec:
        if name not in cls._cache:
            cls._cache[name] = Spec(name)
        return cls._cache[name]

    @staticmethod
    def problems(validator: Any, doc: Any) -> list[tuple[str, str]]:
        """(JSON pointer, message) per schema error, deepest first."""
        found = []
        for err in sorted(validator.iter_errors(doc), key=lambda e: -len(e.absolute_path)):
            pointer = "/" + "/".join(str(p) for p in err.absolute_path)
            found.append((pointer, err.message[:300]))
        return found


def multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """A multipart/form-data body as {field: str | bytes}; files stay bytes."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        fields[name] = payload if part.get_filename() else payload.decode("utf-8")
        if part.get_filename():
            fields["_filename"] = part.get_filename()
    return fields
