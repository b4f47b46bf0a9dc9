"""The brand assets an export references, for Klaviyo's image library.

An export points images at ``<public_base_url>/<file>``. A brand whose ``images`` is
``klaviyo`` (the default) has each such file uploaded once per *content hash*: the
library name carries the hash (``mailkit r-pur/logo.png 3f2a…``), so a second push finds
it, a changed file gets a new upload, and a renamed file with the same bytes does not.
The HTML then points at the library's URL. A brand with ``images: public_base_url``
keeps its own host and uploads nothing.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ...model import KlaviyoTemplate

if TYPE_CHECKING:
    from ..export import KlaviyoExport

HASH_CHARS = 16


@dataclass(frozen=True)
class Asset:
    brand: str
    file: str  # under brands/<brand>/assets/
    path: Path
    url: str  # as the export writes it: <public_base_url>/<file>
    digest: str  # sha256, first HASH_CHARS hex digits

    @property
    def name(self) -> str:
        """Its name in Klaviyo's library: found again by the hash at its end."""
        return f"mailkit {self.brand}/{self.file} {self.digest}"


def assets(export: KlaviyoExport) -> list[Asset]:
    """Every brand asset the exported templates reference, for brands that host their
    images in Klaviyo; one per content hash and brand, in the order first seen."""
    found: dict[tuple[str, str], Asset] = {}
    for t in export.templates:
        bp = export.project.brands[t.brand]
        if bp.brand.images != "klaviyo":
            continue
        base = bp.brand.public_base_url.rstrip("/") + "/"
        for file in re.findall(re.escape(base) + r"([^\"'()\s?#]+)", t.html):
            path = bp.dir / "assets" / file
            if not path.is_file():
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_CHARS]
            found.setdefault((t.brand, digest), Asset(t.brand, file, path, base + file, digest))
    return list(found.values())


def rewrite(t: KlaviyoTemplate, urls: dict[str, str]) -> KlaviyoTemplate:
    """The template with each asset URL (``<public_base_url>/<file>``) replaced by its
    library URL; a URL missing from ``urls`` is left alone."""
    html = t.html
    for old in sorted(urls, key=len, reverse=True):  # logo-dark.png before logo.png
        html = re.sub(re.escape(old) + r"(?=[\"'()\s?#])", urls[old], html)
    return t if html == t.html else replace(t, html=html)


def multipart(asset: Asset) -> tuple[bytes, str]:
    """The Upload Image From File body (``multipart/form-data``: file, name, hidden)."""
    boundary = "mailkit-" + asset.digest
    kind = {"jpg": "jpeg", "jpeg": "jpeg", "gif": "gif"}.get(asset.file.rsplit(".", 1)[-1],
                                                              "png")
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{asset.path.name}\"\r\nContent-Type: image/{kind}\r\n\r\n").encode()
    fields = b"".join(
        f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}".encode()
        for k, v in (("name", asset.name), ("hidden", "false")))
    body = head + asset.path.read_bytes() + fields + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"
