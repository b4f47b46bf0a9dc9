"""Images: alt text, an explicit width, and a URL that will resolve where it is read.

Why each rule: most clients block images until asked, so the alt text *is* the
email for many readers (an empty alt is right only for decoration, and must then
be declared so the omission is visibly deliberate); Outlook on Windows ignores CSS
widths and shows images at their natural size, so the `width` attribute is what
keeps a 1200px retina image inside a 600px layout; the Klaviyo export must link
images by absolute https URL, while the preview serves them from disk.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from ..css import parse_declarations
from ..dom import describe, is_decorative, is_template
from ..kept import OnRead, resolved
from ..model import CheckConfig, CheckInput, Finding
from ..units import walk
from ..urls import is_placeholder_host

NAME = "images"  # the family in findings, `run_checks(only=…)` and reports

PIXEL_WIDTH = re.compile(r"\d+(px)?")
def check_images(root: etree._Element, doc: CheckInput) -> list[Finding]:
    return resolved(walk(root, lambda img: _image(img, doc), (NAME, doc.export,
                                                              doc.asset_root is None),
                         tags=("img",), whole=True), doc)


@dataclass(frozen=True)
class _OnDisk(OnRead):
    """A local image file, looked for each time, from the page's folder: a file may be
    added between two builds of serve's warm workers, which keep the units' shares."""

    path: str  # the URL's path, unquoted
    where: str
    src: str

    def resolve(self, doc: CheckInput) -> list[Finding]:
        # normalised, so `../assets/x.png` resolves even when the page's folder is not
        # on disk (checked before the build writes it)
        path = os.path.normpath(os.path.join(doc.asset_root or "", self.path))
        if os.path.isfile(path):  # os.path, not pathlib: once per image of every page
            return []
        return [Finding("error", "images", f"`{self.where}` points to a missing file "
                        f"({Path(path)})", self.where, locate=self.src)]


def _image(img: etree._Element, doc: CheckInput) -> list[Finding | _OnDisk]:
    where = describe(img)
    found = [*_alt(img, where), *_width(img, where), *_src(img, where, doc)]
    src = (img.get("src") or "").strip()  # as the template wrote it: names its line
    return [replace(f, locate=src) if isinstance(f, Finding) else f
            for f in found] if src else found


def _alt(img: etree._Element, where: str) -> list[Finding]:
    alt = img.get("alt")
    if alt is None:
        return [Finding("error", "images", f"`{where}` has no alt attribute: readers with "
                        "images blocked or a screen reader get nothing (or the file name)",
                        where)]
    if not alt.strip() and not is_decorative(img):
        return [Finding("error", "images", f"`{where}` has an empty alt but is not declared "
                        'decorative (role="presentation" or data-decorative): describe it, '
                        "or declare it", where)]
    return []


def _width(img: etree._Element, where: str) -> list[Finding]:
    width = (img.get("width") or "").strip()
    if PIXEL_WIDTH.fullmatch(width):
        return []
    css = {d.prop: d.value for d in parse_declarations(img.get("style", ""))}
    if width:
        return [Finding("error", "images", f'`{where}` has width="{width}": give the '
                        "width in pixels (Outlook on Windows needs a number)", where)]
    if re.fullmatch(r"\d+px", css.get("width", "").strip()):
        return [Finding("warning", "images", f"`{where}` has its width only in CSS: Outlook "
                        'on Windows ignores it; add a width="…" attribute', where)]
    return [Finding("error", "images", f"`{where}` has no explicit width: Outlook on "
                    "Windows shows it at its natural size", where)]


def _src(img: etree._Element, where: str, doc: CheckInput) -> list[Finding | _OnDisk]:
    src = (img.get("src") or "").strip()
    if not src:
        return [Finding("error", "images", f"`{where}` has no src", where)]
    if is_template(src):
        if doc.export:
            return []  # a Klaviyo variable, e.g. an event's product image
        return [Finding("error", "images", f"`{where}` has an unrendered template tag in its "
                        "src", where)]
    if src.lower().startswith("data:"):
        return []  # reported by the support check (image-base64)
    parts = urlsplit(src)
    scheme = parts.scheme.lower()
    if scheme in {"http", "https"} and is_placeholder_host(parts.hostname or ""):
        return [Finding("error", "images", f"`{where}` points to a placeholder host "
                        f"({parts.hostname})", where)]
    if doc.export:
        if scheme != "https" or not parts.hostname:
            return [Finding("error", "images", f"`{where}`: the export needs an absolute "
                            "https URL for every image (Klaviyo cannot reach relative or "
                            "local files)", where)]
        return []
    if scheme == "http":
        return [Finding("warning", "images", f"`{where}` is served over plain http: many "
                        "clients block or proxy insecure images", where)]
    if scheme or src.startswith("//"):
        if scheme == "file":
            return [Finding("error", "images", f"`{where}` points to a local file:// URL",
                            where)]
        return []
    if doc.asset_root is not None:
        return [_OnDisk(unquote(parts.path), where, src)]
    return []


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    return check_images(root, doc)
