"""Outlook for Windows (2016 to 365): the HTML Word lays out, and what it drops.

Word applies the email's conditional comments (`clients.apply_mso`: the ghost tables
in, `<!--[if !mso]>` content out) and ignores much of CSS; caniemail's data says what
(`clients.unsupported`, and the notes of its partial entries quoted below). On that
HTML, with the inline styles (what MJML writes for Word):

- **a column without a width**: Word ignores `display:inline-block`, `float` and a
  `width` on a `<div>` ("Not supported on `<body>`, `<span>`, `<div>`, `<p>`"), so a
  column's width is its table cell's. Columns side by side in one cell, or a ghost
  cell in a row of several, with no `width` stack or collapse;
- **a background image with no fallback colour**: `background-image` and `url()` in
  `background` are dropped ("Only `background-color` values are supported") unless
  VML draws them, so the text over it sits on whatever is behind;
- **a button that loses its shape**: a link drawn with its own background and padding
  ("padding … only supported on table cells") and no painted, padded cell behind it
  shrinks to its text; a pill or a circle drawn with `border-radius` alone (no VML
  `v:roundrect`) turns into a rectangle.
"""

from __future__ import annotations

import re

from lxml import etree

from ..cascade import Cascade, inline_map
from ..clients import apply_mso, unsupported
from ..contrast import contrast_ratio, hex_color
from ..dom import describe, locator, own_text, parse_html, per_document, squash
from ..kept import per_page
from ..model import CheckConfig, CheckInput, Finding
from ..units import Outside, keeping, pieces, walk

NAME = "outlook"  # the family in findings, `run_checks(only=…)` and reports

WHERE = "in Outlook for Windows (Word's engine, as caniemail's data describes it)"
PX = re.compile(r"(\d+(?:\.\d+)?)px")
IMAGE = re.compile(r"url\(|gradient\(", re.I)
MJML_COLUMN = re.compile(r"\bmj-column-(?:per|px)-")


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    # the HTML alone decides: a state that compiles to the same HTML has the same findings,
    # and Word's view of it (a second parse) is not made again
    return per_page(NAME, doc.html, lambda: _check(root, doc.html))


def _check(root: etree._Element, html: str) -> list[Finding]:
    if "<!--[if" not in html and "mso" not in html:
        word = root  # nothing conditional: Word reads the same HTML
    else:
        word = parse_html(apply_mso(html))
        if word is None:
            return []
    findings = walk(word, lambda a: _link(a, word), (NAME, "buttons"), tags=("a",))
    findings += walk(word, lambda el: _painted_image(el, word), (NAME, "images"))
    return findings + walk(word, lambda div: _column(div, word), (NAME, "columns"),
                           tags=("div",))


@per_document
def word_view(word: etree._Element) -> Cascade:
    """The inline styles as Word reads them (`mso-hide:all` hides)."""
    return Cascade(word, (), mso=True)


def _link(a: etree._Element, word: etree._Element) -> list[Finding]:
    if word_view(word).hidden(a):
        return []
    return _button(a, inline_map(a.get("style") or ""))


def _painted_image(el: etree._Element, word: etree._Element) -> list[Finding]:
    """An element painting an image Word drops (the `background` attribute, or `url()`
    or a gradient in its style), and no fallback colour."""
    if el.tag == "body" or not (el.get("background") is not None or any(
            s in (el.get("style") or "") for s in ("url(", "gradient("))):
        return []
    style = inline_map(el.get("style") or "")
    view = word_view(word)
    if not _image_background(el, style) or view.hidden(el):
        return []
    return _background(el, style, view)


def _column(div: etree._Element, word: etree._Element) -> list[Finding]:
    """At the first column of a cell, that cell's columns if Word gives them no width
    (where the cell's first column is, in document order)."""
    view = word_view(word)
    if not _is_column(div, inline_map(div.get("style") or "")) or view.hidden(div):
        return []
    cell = next(div.iterancestors("td", "th"), None)
    if cell is None:
        return []
    if keeping() and cell in pieces(word):
        raise Outside  # the cell holds more than this unit: its columns are not all here
    found = [d for d in cell.iter("div") if d is div or (
        _is_column(d, inline_map(d.get("style") or "")) and not view.hidden(d)
        and next(d.iterancestors("td", "th"), None) is cell)]
    return _widthless(cell, found) if found[0] is div else []


def _is_column(div: etree._Element, style: dict[str, str]) -> bool:
    return (style.get("display", "").strip() == "inline-block"
            or style.get("float", "").strip() in {"left", "right"}
            or MJML_COLUMN.search(div.get("class") or "") is not None)


def _has_width(cell: etree._Element) -> bool:
    width = (cell.get("width") or inline_map(cell.get("style") or "").get("width") or "")
    return bool(re.fullmatch(r"\s*\d+(?:\.\d+)?(?:px|%)?\s*", width))


def _widthless(cell: etree._Element, columns: list[etree._Element]) -> list[Finding]:
    """Columns whose cell gives them no width, where it matters: several in one cell,
    or a cell among several in its row."""
    row = cell.getparent()
    siblings = [c for c in row if c.tag in {"td", "th"}] if row is not None else [cell]
    if _has_width(cell) or (len(columns) < 2 and len(siblings) < 2):
        return []
    first = columns[0]
    if len(columns) >= 2:
        what = (f"{len(columns)} columns side by side in one cell (`{describe(first)}`…) "
                "have no width Word reads: it ignores display:inline-block, float and a "
                "div's width, so they stack or collapse. Give each a cell with a width in "
                "a ghost table (<!--[if mso]><table><tr><td width=\"…\">)")
    else:
        what = (f"the column `{describe(first)}` sits in a ghost-table cell with no width, "
                f"one of {len(siblings)} in its row: Word sizes it to its content. Give the "
                "cell a width (width=\"…\" or style=\"width:…px\")")
    return [Finding("warning", NAME, f"{WHERE}: {what}", describe(first),
                    locate=locator(first))]


def _image_background(el: etree._Element, style: dict[str, str]) -> bool:
    """A background Word drops: caniemail's `n` for background-image, `url()` or a
    gradient in the `background` shorthand, or the `background` attribute off <body>."""
    image = style.get("background-image", "")
    if image and image.strip().lower() != "none" and unsupported("background-image", image):
        return True
    if IMAGE.search(style.get("background", "")):
        return True
    return bool(el.get("background")) and el.tag != "body"


def _background(el: etree._Element, style: dict[str, str],
                view: Cascade) -> list[Finding]:
    if any(str(a.tag).startswith("v:") for a in el.iterancestors()):
        return []  # VML draws the image for Word (backgrounds.cm)
    shorthand = [w for w in style.get("background", "").split() if not IMAGE.search(w)]
    fallback = el.get("bgcolor") or style.get("background-color") or next(
        (w for w in shorthand if w.startswith("#") or w.startswith("rgb")), None)
    if fallback:
        return []
    parent = el.getparent()
    behind = view.background(parent) if parent is not None else view.canvas
    text = next((t for t in el.iter(etree.Element) if own_text(t)), None)
    clash = ""
    severity = "warning"
    if text is not None and isinstance(behind, tuple):
        color = view.color(text)
        if color is not None and contrast_ratio(color, behind) < 4.5:
            severity = "error"
            clash = (f"; its text ({hex_color(color)}) then sits on {hex_color(behind)}, "
                     f"{contrast_ratio(color, behind):.2f}:1")
    return [Finding(
        severity, NAME,
        f"{WHERE}: `{describe(el)}` has a background image and no fallback colour: Word "
        f"drops the image{clash}. Add a background-color (and bgcolor) that the text reads "
        "on, or draw the image with VML", describe(el), locate=locator(el))]


def _largest_px(value: str | None) -> float:
    """The largest px length in a value (`14px 28px` → 28)."""
    return max((float(n) for n in PX.findall(value or "")), default=0.0)


def _vertical(value: str | None) -> float:
    """The top plus bottom of a padding shorthand, in px."""
    sizes = [float(n) for n in PX.findall(value or "")] or [0.0]
    top = sizes[0]
    bottom = sizes[2] if len(sizes) > 2 else top
    return top + bottom


def _button(a: etree._Element, style: dict[str, str]) -> list[Finding]:
    if any(str(n.tag).startswith("v:") for n in a.iterancestors()):
        return []  # VML (v:roundrect) draws the button for Word
    painted = _painted(a, style)
    padded = _largest_px(style.get("padding")) > 0 or any(
        _largest_px(style.get(f"padding-{s}")) > 0 for s in ("top", "bottom", "left", "right"))
    if not (painted and padded):
        return []
    cell = next(a.iterancestors("td", "th"), None)
    cell_style = inline_map(cell.get("style") or "") if cell is not None else {}
    label = squash("".join(a.itertext()))[:40]
    findings = []
    if cell is None or not (_painted(cell, cell_style) and (
            _largest_px(cell_style.get("mso-padding-alt")) > 0
            or _largest_px(cell_style.get("padding")) > 0)):
        findings.append(Finding(
            "warning", NAME,
            f"{WHERE}: the button `{describe(a)}` (\"{label}\") loses its shape: Word pads "
            "table cells only, so the link's padding is dropped and the button shrinks to "
            "its text. Paint and pad the cell behind it (bgcolor, mso-padding-alt), as "
            "MJML's mj-button does", describe(a), locate=locator(a)))
    radius = style.get("border-radius") or cell_style.get("border-radius") or ""
    if radius and unsupported("border-radius", radius) and _round(radius, style, cell_style):
        findings.append(Finding(
            "warning", NAME,
            f"{WHERE}: the button `{describe(a)}` (\"{label}\") is a pill or a circle drawn "
            f"with border-radius ({radius}) alone, which Word does not draw: it turns into a "
            "rectangle. Draw it with VML (v:roundrect, as buttons.cm does) or accept square "
            "corners", describe(a), locate=locator(a)))
    return findings


def _painted(el: etree._Element, style: dict[str, str]) -> bool:
    background = style.get("background-color") or style.get("background") or el.get("bgcolor")
    return bool(background) and background.split()[0].lower() not in {"none", "transparent"}


def _round(radius: str, style: dict[str, str], cell_style: dict[str, str]) -> bool:
    """The radius makes the shape: 50% or more, or at least half the button's height
    (its vertical padding and one line of text)."""
    m = re.search(r"(\d+(?:\.\d+)?)%", radius)
    if m:
        return float(m.group(1)) >= 50
    size = _largest_px(style.get("font-size")) or 16.0
    line = style.get("line-height", "").strip()
    height = (_largest_px(line) if "px" in line else size * (
        float(line.rstrip("%")) / (100 if line.endswith("%") else 1)
        if re.fullmatch(r"\d+(?:\.\d+)?%?", line) else 1.2))
    height += max(_vertical(style.get("padding")), _vertical(cell_style.get("mso-padding-alt")))
    return _largest_px(radius) >= height / 2
