"""WCAG 2.x contrast: the brand palettes, and the colours written inline in the HTML.

The palettes are checked first because a bad pair there breaks every email of the
brand, in light and in dark mode (the dark palette is only ever seen through
`prefers-color-scheme`, so the HTML alone cannot reveal it). The inline pass then
catches one-off colours (a grey footer, a coloured banner) where the HTML states
both the text colour and, on an ancestor, the background it sits on.

Thresholds are WCAG AA: 4.5:1 for body text, 3:1 for large text (24px, or 18.66px
bold) such as a heading or a large button label.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from .css import declarations
from .dom import describe, hidden_or_in_hidden, own_text
from .kept import first_of_each, remember
from .model import CheckInput, Finding
from .units import walk

BODY, LARGE = 4.5, 3.0
NAMED = {
    "white": "#ffffff", "black": "#000000", "red": "#ff0000", "green": "#008000",
    "blue": "#0000ff", "gray": "#808080", "grey": "#808080", "silver": "#c0c0c0",
    "maroon": "#800000", "navy": "#000080", "purple": "#800080", "teal": "#008080",
    "olive": "#808000", "orange": "#ffa500", "yellow": "#ffff00", "lime": "#00ff00",
    "aqua": "#00ffff", "fuchsia": "#ff00ff",
}
RGB = re.compile(r"rgba?\(\s*(\d+)\s*,?\s*(\d+)\s*,?\s*(\d+)\s*(?:[,/]\s*([\d.]+%?))?\s*\)")
HEX = re.compile(r"#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})\b")


def parse_color(value: str) -> tuple[int, int, int] | None:
    """An opaque sRGB colour, or None (unknown, transparent or translucent)."""
    v = value.strip().lower()
    v = NAMED.get(v, v)
    m = HEX.fullmatch(v)
    if m:
        h = m.group(1)
        if len(h) in (3, 4):
            h = "".join(c * 2 for c in h)
        if len(h) == 8 and h[6:] != "ff":
            return None
        return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
    m = RGB.fullmatch(v)
    if m:
        alpha = m.group(4)
        if alpha and alpha not in {"1", "1.0", "100%"}:
            return None
        r, g, b = (min(255, int(x)) for x in m.group(1, 2, 3))
        return r, g, b
    return None


def hex_color(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


@lru_cache(maxsize=8192)
def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def check_palettes(doc: CheckInput) -> list[Finding]:
    return list(remember(("palettes", tuple(doc.palette.items()),
                          tuple(doc.dark_palette.items())), lambda: tuple(_palettes(doc))))


def _palettes(doc: CheckInput) -> list[Finding]:
    findings = _palette(doc.palette, "light")
    if doc.dark_palette:
        findings += _palette(doc.dark_palette, "dark")
    else:
        findings.append(Finding("warning", "a11y", "no dark palette given: dark-mode contrast "
                                "is not checked", "dark palette"))
    return findings


def _palette(palette: dict[str, str], name: str) -> list[Finding]:
    """Pairs: text (and muted) on the email body, button label on primary, primary links."""
    findings: list[Finding] = []
    colors: dict[str, tuple[int, int, int]] = {}
    for key, value in palette.items():
        rgb = parse_color(value)
        if rgb is None:
            findings.append(Finding("error", "a11y", f"{name} palette: {key} = {value!r} is not "
                                    "an opaque colour", f"{key}: {value}"))
        else:
            colors[key] = rgb
    for key in ("text", "background", "primary"):
        if key not in palette:
            findings.append(Finding("error", "a11y", f"{name} palette has no {key!r} colour",
                                    f"{name} palette"))
    page = "surface" if "surface" in colors else "background"
    label = "button_text" if "button_text" in palette else "on_primary"
    default_label = label not in palette
    if default_label:
        colors.setdefault(label, (255, 255, 255))  # MJML's default mj-button colour
    pairs = [("text", page, BODY, "error"), ("muted", page, BODY, "error"),
             (label, "primary", LARGE, "error"), (label, "primary", BODY, "warning"),
             ("primary", page, LARGE, "warning")]
    failed: set[tuple[str, str]] = set()
    for fg, bg, need, severity in pairs:
        if fg not in colors or bg not in colors or (fg, bg) in failed:
            continue
        ratio = contrast_ratio(colors[fg], colors[bg])
        if ratio >= need:
            continue
        failed.add((fg, bg))
        shown_fg = f"{fg} {hex_color(colors[fg])}"
        if fg == label and default_label:
            shown_fg += " (assumed: no button_text in the palette)"
        use = {"text": "body text", "muted": "secondary text", label: "button labels",
               "primary": "links and headings in the primary colour"}[fg]
        extra = " (enough only for large text: 24px, or 18.66px bold)" if need == BODY and \
            ratio >= LARGE else ""
        findings.append(Finding(
            severity, "a11y",
            f"{name} palette: {shown_fg} on {bg} {palette.get(bg, '')} has contrast "
            f"{ratio:.2f}:1, below the {need:g}:1 WCAG AA needs for {use}{extra}",
            f"{fg}/{bg}"))
    return findings


def _style(el: etree._Element) -> dict[str, str]:
    """The inline style as a mapping (shared and cached: read it, never change it)."""
    return _style_map(el.get("style", ""))


@lru_cache(maxsize=8192)
def _style_map(text: str) -> dict[str, str]:
    return {d.prop: d.value for d in declarations(text)}


def _background(el: etree._Element) -> tuple[int, int, int] | None | str:
    """The first background colour up the tree; "image" when an image may sit behind."""
    node: etree._Element | None = el
    while node is not None:
        style = _style(node)
        if "background-image" in style or "url(" in style.get("background", "") \
                or node.get("background"):
            return "image"
        for value in (style.get("background-color"), style.get("background"),
                      node.get("bgcolor")):
            if value:
                rgb = parse_color(value.split()[0]) if value.split() else None
                if rgb is not None:
                    return rgb
        node = node.getparent()
    return None


def _is_large(el: etree._Element) -> bool:
    node: etree._Element | None = el
    size = weight = None
    while node is not None and (size is None or weight is None):
        style = _style(node)
        if size is None and "font-size" in style:
            m = re.fullmatch(r"([\d.]+)px", style["font-size"].strip())
            size = float(m.group(1)) if m else None
        if weight is None and "font-weight" in style:
            weight = style["font-weight"].strip()
        if size is None and node.tag in {"h1", "h2"}:
            size = 24.0
        node = node.getparent()
    bold = weight in {"bold", "bolder", "600", "700", "800", "900"}
    return size is not None and (size >= 24 or (bold and size >= 18.66))


Rgb = tuple[int, int, int]


def below_aa(el: etree._Element, fg: tuple[int, int, int], bg: tuple[int, int, int],
             rule: str, what: str, advice: str = "",
             ) -> list[tuple[tuple, Finding]]:
    """An error of `rule` when `el`'s text, `fg` on `bg`, is below WCAG AA's ratio for
    its size, keyed by the pair of colours and the size (so a rule reports each once);
    `what` names the text, `advice` ends the message. The a11y, dark and inversion rules
    say it alike."""
    need, large = needed_ratio(el)
    ratio = contrast_ratio(fg, bg)
    if ratio >= need:
        return []
    return [((fg, bg, large), Finding(
        "error", rule,
        f"{what} has contrast {ratio:.2f}:1, below WCAG AA's {need:g}:1 for "
        f"{'large' if large else 'body'} text{advice}", describe(el)))]


def needed_ratio(el: etree._Element) -> tuple[float, bool]:
    """The contrast WCAG AA asks of `el`'s text, and whether it is large text."""
    large = _is_large(el)
    return (LARGE if large else BODY), large


def check_inline_colors(root: etree._Element) -> list[Finding]:
    """Text with an inline `color` over a known inline background (one finding a pair)."""
    return first_of_each(walk(root, _inline_colors, "inline colours", whole=True))


def _inline_colors(el: etree._Element) -> list[tuple[tuple, Finding]]:
    color = _style(el).get("color")
    if not color:  # most elements: skip before gathering their text
        return []
    text = own_text(el)
    if not text or hidden_or_in_hidden(el):
        return []
    fg = parse_color(color)
    bg = _background(el)
    if fg is None or bg is None or isinstance(bg, str):
        return []
    return below_aa(el, fg, bg, "a11y",
                    f"text {color} on background {hex_color(bg)} in `{describe(el)}` "
                    f"(\"{text[:40]}\")")
