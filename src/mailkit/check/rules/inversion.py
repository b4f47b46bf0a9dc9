"""Dark mode as the clients that recolour the email themselves paint it: Gmail's apps,
Outlook.com and Outlook for Windows ignore the email's dark rules and invert it.

For each of the two inversions of `clients.py` (partial: Chromium's force dark, the
stand-in for Gmail for Android and Outlook.com; full: lightness inverted, as Gmail for
iOS and Outlook for Windows are reported to do), on the email as a phone receives it
in light mode (check/cascade.py, without the dark rules):

- **text** whose colour and background, both mapped, fall below WCAG AA (4.5:1, 3:1
  for large text: 24px, or 18.66px bold) while the email as written passes;
- **images**, which no client recolours, read from their pixels (check/pixels.py):
  an opaque image at least a third of the email wide whose edge blends into its
  background as written and stands out (3:1) from the mapped background, a block
  on the recoloured email (a cream illustration on a dark page); and an image on
  transparency whose ink is visible as written and not on the mapped background (a
  dark logo that vanishes: under 5% of its ink at WCAG's 3:1 for non-text).

The email's `prefers-color-scheme` rules and dark twins never apply in these clients:
the fixes are colours that survive the inversion and images that carry no background
of their own. Images are read from disk (the preview's `asset_root`); a remote image
(the export's) is not fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .. import units
from ..cascade import Cascade, light_view
from ..clients import TRANSFORMS
from ..contrast import contrast_ratio, hex_color, luminance, needed_ratio
from ..dom import SKIP_TEXT, describe, locator, own_text
from ..kept import OnRead, first_of_each, per_page, resolved
from ..model import CheckConfig, CheckInput, Finding
from ..pixels import ImageFacts, facts, local_file
from ..units import walk

NAME = "inversion"  # the family in findings, `run_checks(only=…)` and reports

RGB = tuple[int, int, int]
#: who reads each inversion, as a finding names them
READERS = {"partial": ("Gmail for Android and Outlook.com", "partial inversion"),
           "full": ("Gmail for iOS and Outlook for Windows", "full inversion")}
#: how each inverts, for the designer choosing colours
HOW = {"partial": "the partial inversion lightens a text darker than brightness 150 and "
                  "darkens only a background brighter than 205",
       "full": "the full inversion swaps light and dark, hue kept"}
BLOCK_WIDTH = 200  # px: a third of a 600 px email; narrower images are thumbnails
EDGE_SHARE = 0.6  # of the border that blends in as written and stands out inverted
STANDS_OUT = 3.0  # WCAG's non-text contrast
VANISHED = 0.05  # share of the ink still at 3:1: under it, the image is gone
ON_TRANSPARENCY = 0.2  # share of transparent pixels that makes an image "on transparency"


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    # what the walks find reads the HTML and whether there is an asset root: kept for a
    # state that compiles to the same HTML; the images' files are read afresh (OnRead)
    found = per_page((NAME, doc.asset_root is None), doc.html, lambda: _found(root, doc))
    return [f for findings in first_of_each(resolved(found, doc)) for f in findings]


def _found(root: etree._Element, doc: CheckInput) -> list:
    found = walk(root, lambda el: _run(el, root), NAME)
    return found + walk(root, lambda img: _shown_image(img, root, doc),
                        (NAME, doc.asset_root is None), tags=("img",))


def _run(el: etree._Element, root: etree._Element) -> list[tuple[tuple, tuple[Finding, ...]]]:
    if el.tag in SKIP_TEXT:
        return []
    text = own_text(el)
    if not text:
        return []
    view = light_view(root)
    return [] if view.hidden(el) else _text(el, text, view)


def _shown_image(img: etree._Element, root: etree._Element,
                 doc: CheckInput) -> list[tuple[tuple, tuple[Finding, ...]]]:
    view = light_view(root)
    return [] if view.hidden(img) else _image(img, view, doc)


def _views(found: dict[str, str]) -> str:
    """"in Gmail for iOS and Outlook for Windows (full inversion: …)", for each view."""
    return " and ".join(f"in {READERS[v][0]} ({READERS[v][1]}: {what})"
                        for v, what in found.items())


def _text(el: etree._Element, text: str, view: Cascade) -> list[tuple[tuple, tuple[Finding, ...]]]:
    """The text's finding, with what makes it the same as another's (its colours and
    size once mapped), when an inversion makes it unreadable."""
    fg, bg = view.color(el), view.background(el)
    if fg is None or not isinstance(bg, tuple):
        return []  # unknown, or over an image
    need, large = needed_ratio(el)
    if contrast_ratio(fg, bg) < need:
        return []  # failing as written already: the a11y rule says so
    found: dict[str, str] = {}
    key: list[tuple] = []
    for name, transform in TRANSFORMS.items():
        mfg, mbg = transform(fg, "text"), transform(bg, "background")
        ratio = contrast_ratio(mfg, mbg)
        if ratio < need:
            found[name] = (f"{hex_color(fg)} → {hex_color(mfg)} on {hex_color(bg)} → "
                           f"{hex_color(mbg)}, {ratio:.2f}:1 where AA needs {need:g}:1"
                           f"{' for large text' if large else ''}")
            key.append((name, mfg, mbg, large))
    if not found:
        return []
    where = describe(el)
    return [(tuple(key), (Finding(
        "error", NAME,
        f"text in `{where}` (\"{text[:40]}\") becomes unreadable {_views(found)}. These "
        "clients ignore the dark rules: pick a text colour and a background that stay apart "
        f"once inverted ({'; '.join(HOW[v] for v in found)})", where, locate=locator(el)),))]


PX = re.compile(r"\s*(\d+(?:\.\d+)?)(?:px)?\s*")


def _displayed(width: str | None, image: ImageFacts) -> int:
    """The width the image is shown at: its `width` attribute, else its natural width."""
    m = PX.fullmatch(width or "")
    return int(float(m.group(1))) if m else image.width


def _image(img: etree._Element, view: Cascade,
           doc: CheckInput) -> list[tuple[tuple, tuple[Finding, ...]] | _Pixels]:
    src = (img.get("src") or "").strip()
    parent = img.getparent()
    bg = view.background(parent if parent is not None else img)
    if not isinstance(bg, tuple):
        return []
    key = ("img", src, img.get("width"), bg)  # one finding per image, size and background
    if doc.asset_root is None:
        return [(key, ())]
    return [_Pixels(key, img.get("width"), bg, describe(img), src)]


@dataclass(frozen=True)
class _Pixels(OnRead):
    """An image's file, found from the page's folder and read each time (`facts` reads
    it again only when it changed): it may change between two builds of serve's warm
    workers, which keep the shares."""

    key: tuple
    width: str | None  # its `width` attribute
    bg: RGB
    where: str
    src: str

    def resolve(self, doc: CheckInput) -> list[tuple[tuple, tuple[Finding, ...]]]:
        path = local_file(self.src, doc.asset_root)
        image = facts(path) if path else None
        if image is None:
            return [(self.key, ())]
        return [(self.key, _shown_once(image, self))]


#: each image as shown (its `_Pixels`) → the facts it was judged on and its findings:
#: the same logo on the same background comes back on every page of a brand, and
#: judging its pixels again on each page was about a tenth of this rule's time
_SHOWN: dict[_Pixels, tuple[ImageFacts, tuple[Finding, ...]]] = {}
units.FORGOTTEN.append(_SHOWN)


def _shown_once(image: ImageFacts, img: _Pixels) -> tuple[Finding, ...]:
    """`_shown(image, img)`, kept while `facts()` gives the very same facts for the file:
    `_shown` reads nothing else, and `facts()` gives a new object when the file's
    content changes (serve's warm workers), so a kept answer is never stale."""
    kept = _SHOWN.get(img)
    if kept is not None and kept[0] is image and units.MODE not in {"0", "verify"}:
        return kept[1]
    fresh = _shown(image, img)
    if units.MODE == "verify" and kept is not None and kept[0] is image and kept[1] != fresh:
        raise AssertionError(f"kept findings changed for {img!r}: {kept[1]!r} != {fresh!r}")
    if len(_SHOWN) >= units.MAX_KEPT:
        _SHOWN.clear()
    _SHOWN[img] = (image, fresh)
    return fresh


def _shown(image: ImageFacts, img: _Pixels) -> tuple[Finding, ...]:
    bg, src = img.bg, img.src
    bands: dict[str, str] = {}
    gone: dict[str, str] = {}
    width = _displayed(img.width, image)
    for name, transform in TRANSFORMS.items():
        mbg = transform(bg, "background")
        if width >= BLOCK_WIDTH and image.edge_opaque >= 0.9:
            band = _band(image, bg, mbg)
            if band:
                bands[name] = f"{band} on {hex_color(mbg)}"
        if image.transparent >= ON_TRANSPARENCY and image.visible(bg) >= VANISHED > \
                image.visible(mbg):
            gone[name] = f"{image.visible(mbg):.0%} of its ink reaches 3:1 on {hex_color(mbg)}"
    findings = []
    if bands:
        height = round(width * image.height / image.width)
        findings.append(Finding(
            "warning", NAME,
            f"`{img.where}` blends into {hex_color(bg)} as written and shows as a "
            f"{width}×{height} px block on the recoloured email {_views(bands)}. No "
            "client recolours images, and these ignore the dark rules (and the dark twins): "
            "paint it on a transparent background", img.where, locate=src))
    if gone:
        findings.append(Finding(
            "error", NAME,
            f"`{img.where}` vanishes on the recoloured background {_views(gone)}. Give "
            "it an outline or a background of its own that survives the inversion",
            img.where, locate=src))
    return tuple(findings)


def _band(image: ImageFacts, bg: RGB, mapped: RGB) -> str:
    """How the edge stands out on `mapped` ("a light #f3e8da edge"), if it blended into
    `bg` and at least `EDGE_SHARE` of it stands out now; else ""."""
    def blends(c: RGB) -> bool:
        return contrast_ratio(c, bg) < STANDS_OUT

    def shows(c: RGB) -> bool:
        return blends(c) and contrast_ratio(c, mapped) >= STANDS_OUT

    if image.edge_share(shows) < EDGE_SHARE:
        return ""
    colour = max(image.edge, key=lambda item: item[1] if shows(item[0]) else 0)[0]
    tone = "light" if luminance(colour) > luminance(mapped) else "dark"
    return f"a {tone} {hex_color(colour)} edge"
