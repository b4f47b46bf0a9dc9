"""Hidden text as SpamAssassin reads it: what `rules/spam.py` warns about, at its element.

SpamAssassin (4.0, `Mail::SpamAssassin::HTML`) follows text colours through a stack of
elements, not through CSS:
- it starts with black text on a white background and reads only `<body text>`,
  `<font color>` and the inline `style` of `table`, `tr`, `td`, `th`, `div`, `span`,
  `p` and `a` (`color`, `background-color`, `background`): `<style>` sheets, the
  `style` of `<body>` and, through a slip in its code, every `bgcolor` attribute are
  ignored, so a page background set on `<body>` counts as white;
- text whose colour is within a distance of 12 of its background (weighted by the
  brightness of each channel) is low contrast: `HTML_FONT_LOW_CONTRAST`, whatever hides
  it otherwise.
Its raw-HTML rules also count inline `display:none` and `visibility:hidden` (more than
five is "many", `__STY_INVIS_MANY`) and tiny font sizes (`__FONT_INVIS`,
`__HTML_FONT_TINY_01`). A colour SpamAssassin knows by a name that `contrast.NAMED`
lacks is not followed here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from lxml import etree

from .contrast import parse_color
from .dom import SKIP_TEXT, squash
from .sections import layout
from .units import memo

T = TypeVar("T")

WHITE, BLACK = (255, 255, 255), (0, 0, 0)
LOW_CONTRAST = 12.0  # HTML.pm: "the text is very difficult to read if the distance is under 12"
MANY_HIDDEN = 5  # __STY_INVIS_MANY: more than this
TINY_PX = 4.0  # __HTML_FONT_TINY_01: font-size 0 to 4 px
STYLED = frozenset({"table", "tr", "td", "th", "div", "span", "p", "a"})
_COLOUR = re.compile(r"^\s*(background-)?color:\s*(.+?)\s*$", re.I)
_BACKGROUND = re.compile(r"^\s*background:\s*(.+?)\s*$")  # lower case only, as in HTML.pm
_IMPORTANT = re.compile(r"\s*!\s*important$")
_HIDING = re.compile(r"(?<!-)visibility\s*:\s*hidden|display\s*:\s*none", re.I)
_FONT_SIZE = re.compile(r"(?:^|;)\s*font-size\s*:\s*(\d*\.?\d+)\s*(px|pt)?\s*(?:!important\s*)?"
                        r"(?:;|$)", re.I)
_BLANK = re.compile(r"[ \t\n\r\f\v\xa0]+")

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class LowContrast:
    element: etree._Element  # the element whose text it is
    text: str
    colour: Colour
    background: Colour


def distance(a: Colour, b: Colour) -> float:
    """SpamAssassin's distance between two colours, weighted by brightness (0 to 191)."""
    return ((0.2126 * (a[0] - b[0])) ** 2 + (0.7152 * (a[1] - b[1])) ** 2
            + (0.0722 * (a[2] - b[2])) ** 2) ** 0.5


def _colours(el: etree._Element, fg: Colour, bg: Colour) -> tuple[Colour, Colour]:
    """The text and background colours inside `el`, as HTML.pm's `text_style` sets them."""
    if el.tag == "body":
        return parse_color(el.get("text") or "") or fg, bg
    if el.tag == "font":
        return parse_color(el.get("color") or "") or fg, bg
    if el.tag not in STYLED or not el.get("style"):
        return fg, bg
    new_fg: Colour | str = fg
    new_bg: Colour | str = bg
    for part in el.get("style", "").split(";"):
        if m := _COLOUR.match(part):
            value = _IMPORTANT.sub("", m.group(2).lower())
            if value == "inherit":
                continue
            colour = "transparent" if value == "transparent" else parse_color(value)
            if colour is not None:
                if m.group(1):
                    new_bg = colour
                else:
                    new_fg = colour
        elif m := _BACKGROUND.match(part):
            layers = m.group(1).lower().split(",")  # the bottom layer holds the colour
            found = (parse_color(token) for token in layers[-1].split())
            new_bg = next((c for c in found if c is not None), new_bg)
    final_bg = bg if new_bg == "transparent" else new_bg
    final_fg = final_bg if new_fg == "transparent" else new_fg
    return final_fg, final_bg  # type: ignore[return-value]


def _walk(el: etree._Element, fg: Colour, bg: Colour, out: list,
          kept: tuple[etree._Element, Callable[[LowContrast], T]] | None = None) -> None:
    """Each element below `el` whose text SpamAssassin reads as its background, with
    the colours it inherits. With `kept` (the document's root and what to make of each
    one), each unit's share is kept (check/units.py) and `out` gets `found(x)`."""
    if kept is not None:
        root, found = kept
        unit = layout(root).units.get(el)
        if unit is not None:
            def share() -> tuple[T, ...]:
                inside: list[LowContrast] = []
                _walk(el, fg, bg, inside)
                return tuple(found(x) for x in inside)

            out += memo(("low contrast", found, fg, bg), root, unit, share)
            return
    if el.tag in SKIP_TEXT:
        return
    fg, bg = _colours(el, fg, bg)
    texts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            _walk(child, fg, bg, out, kept)
        texts.append(child.tail or "")  # a comment's or a child's tail is el's text
    mine: list[LowContrast] = []
    _judge(el, texts, fg, bg, mine)
    out += mine if kept is None else [kept[1](x) for x in mine]


def _judge(el: etree._Element, texts: list[str], fg: Colour, bg: Colour,
           out: list[T]) -> None:
    text = squash(" ".join(texts))
    if _BLANK.sub("", text) and (fg == bg or distance(fg, bg) < LOW_CONTRAST):
        out.append(LowContrast(el, text, fg, bg))  # type: ignore[arg-type]


def walk_low_contrast(root: etree._Element, found: Callable[[LowContrast], T]) -> list[T]:
    """`found(x)` for every element holding text SpamAssassin reads as the colour of its
    background (its HTML_FONT_LOW_CONTRAST), each unit's share kept (check/units.py) with
    the colours it inherits: `found` must read only the element and what is in it."""
    out: list[T] = []
    body = root.find("body")
    _walk(body if body is not None else root, BLACK, WHITE, out, (root, found))
    return out


def hides(el: etree._Element) -> bool:
    """Hidden by its own inline `display:none` or `visibility:hidden`."""
    return _HIDING.search(el.get("style") or "") is not None


def tiny_size(el: etree._Element) -> float | None:
    """The font size of `el`'s own text when it is 4 px (or pt) or less, else None."""
    m = _FONT_SIZE.search(el.get("style") or "")
    if not m or (m.group(2) is None and float(m.group(1)) != 0):
        return None
    size = float(m.group(1))
    own = (el.text or "") + "".join(c.tail or "" for c in el)
    return size if size <= TINY_PX and _BLANK.sub("", own) else None


def located_text(el: etree._Element) -> str:
    """What to look for in the template: the first line of the element's own words as
    written (no-break spaces kept), else the src of an image inside it."""
    for chunk in [el.text or "", *(c.tail or "" for c in el)]:
        for line in chunk.splitlines():
            if _BLANK.sub("", line):
                return line.strip(" \t")[:60]
    img = next(el.iter("img"), None)
    return img.get("src", "") if img is not None else ""
