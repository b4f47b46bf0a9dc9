"""Empty or broken `src` and `href`: a missing image URL or link from the data.

A product without images gives `src=""`, a fulfillment without tracking `href="None"`
or `href=""`: the image shows broken, the button leads nowhere. Every image needs a
source (relative asset paths are fine in the preview; the export's are checked by
images.py), every link an http(s), mailto: or tel: target.
"""

from __future__ import annotations

from lxml import etree

from ..dom import describe
from ..model import CheckConfig, CheckInput, Finding
from ..units import walk

NOT_A_URL = {"", "none", "null", "undefined", "#", "about:blank"}
LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")


NAME = "data-urls"  # the family in findings, `run_checks(only=…)` and reports


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    findings = walk(root, lambda el: _image(el, doc), (NAME, doc.export), tags=("img",),
                    whole=True)
    return findings + walk(root, _link, NAME, tags=("a",), whole=True)


def _image(el: etree._Element, doc: CheckInput) -> list[Finding]:
    src = (el.get("src") or "").strip()
    if src.lower() in NOT_A_URL or src.lower().startswith(("javascript:", "none", "null")):
        return [Finding("error", NAME, f"{describe(el)} has no image URL "
                        f"(src={src!r}): the data had none; show the image only "
                        "when there is one", describe(el))]
    if doc.export and not src.startswith(("https://", "http://", "{")):
        return [Finding("error", NAME, f"{describe(el)}: src {src!r} is not an "
                        "http(s) URL", describe(el))]
    return []


def _link(el: etree._Element) -> list[Finding]:
    href = el.get("href")
    if href is None:
        return []
    value = href.strip()
    if value.lower() in NOT_A_URL or not (value.startswith(LINK_SCHEMES)
                                           or value.startswith("{")):
        return [Finding("error", NAME, f"{describe(el)} leads nowhere "
                        f"(href={href!r}): the data had no URL; show the link only "
                        "when there is one", describe(el))]
    return []
