"""Contrast in dark mode, text by text, as a client honouring `prefers-color-scheme` shows it.

The palette check (`contrast.check_palettes`) proves the dark palette is readable in
principle; it cannot see a `<span style="color:#6E625B">` that no dark rule reaches,
which stays light-mode grey on the dark surface. This check computes, for every text
a reader sees, the colour and the background a dark-mode client actually paints:

- the `<style>` rules a phone applies in dark mode, the ones inside
  `@media (prefers-color-scheme: dark)` included, matched with real CSS selectors and
  their specificity (check/cascade.py, shared with the inversion and no-style checks);
- the cascade: inline `!important`, then the rules' `!important`, then the inline
  style (what premailer inlined for light mode), then the rules' normal declarations,
  then inheritance (colour) or the first painted ancestor (background; the `bgcolor`
  attribute last, as browsers do);
- the canvas: with `color-scheme: light dark` declared, a client paints unstyled text
  white on #121212, like Chromium; without it, black on white.

Every text is held to WCAG AA: 4.5:1, 3:1 for large text (24px, or 18.66px bold).
A text over a background image is skipped (its pixels are unknown).
"""

from __future__ import annotations

import re

from lxml import etree

from ..cascade import BACKGROUNDS, Cascade, applying
from ..contrast import below_aa, hex_color, luminance, parse_color
from ..dom import SKIP_TEXT, describe, own_text, per_document, squash
from ..kept import first_of_each, per_page
from ..model import CheckConfig, CheckInput, Finding
from ..units import per_context, walk, walk_pruned

DARK_MEDIA = re.compile(r"@media[^{;]*prefers-color-scheme\s*:\s*dark[^{;]*\{", re.I)
SCHEME = re.compile(r"(?<![-\w])color-scheme\s*:[^;}]*\bdark\b", re.I)
RGB = tuple[int, int, int]
CANVAS = {True: ((255, 255, 255), (18, 18, 18)), False: ((0, 0, 0), (255, 255, 255))}
LINK = {True: (158, 158, 255), False: (0, 0, 238)}  # Chromium's -webkit-link
LIGHT_BLOCK = 0.6  # relative luminance of a background that glares in dark mode

NAME = "dark"  # the family in findings, `run_checks(only=…)` and reports


class DarkView(Cascade):
    """The email as a dark-mode client computes it: colours, backgrounds, display."""

    def __init__(self, root: etree._Element) -> None:
        self.scheme_dark = _scheme_dark(root)
        text, canvas = CANVAS[self.scheme_dark]
        super().__init__(root, applying(root, dark=True), text=text, canvas=canvas,
                         link=LINK[self.scheme_dark])


dark_view = per_document(DarkView)  # built on the first element a unit's work asks about


@per_context
def has_dark_mode(root: etree._Element) -> bool:
    return any(DARK_MEDIA.search(s.text or "") for s in root.iter("style"))


@per_context
def _scheme_dark(root: etree._Element) -> bool:
    """`color-scheme: dark` declared: in a `<style>`, or by a `<meta>`."""
    return any(SCHEME.search(s.text or "") for s in root.iter("style")) or any(
        "dark" in (m.get("content") or "") for m in root.iter("meta")
        if (m.get("name") or "").lower() == "color-scheme")


def check_dark(root: etree._Element) -> list[Finding]:
    """Each text below AA in dark mode, once a pair of colours and size."""
    if not has_dark_mode(root):
        return []  # no dark mode: the client's own inversion is out of our hands
    return first_of_each(walk(root, lambda el: _text(el, root), NAME))


def _text(el: etree._Element, root: etree._Element) -> list[tuple[tuple, Finding]]:
    if el.tag in SKIP_TEXT:
        return []
    text = own_text(el)
    if not text:
        return []
    view = dark_view(root)
    if view.hidden(el):
        return []
    fg, bg = view.color(el), view.background(el)
    if fg is None or bg is None or isinstance(bg, str):
        return []
    return below_aa(el, fg, bg, "dark",
                    f"dark mode: text {hex_color(fg)} on {hex_color(bg)} in `{describe(el)}` "
                    f"(\"{text[:40]}\")",
                    ": give it a colour in the prefers-color-scheme: dark rules")


def check_light_blocks(root: etree._Element) -> list[Finding]:
    """Boxes painted light in dark mode on a dark background: a cream button or panel
    that no dark rule reaches glares on the dark page even when its text is readable.
    A box is named once: what is inside it is not looked at."""
    if not has_dark_mode(root):
        return []
    return first_of_each(walk_pruned(root, lambda el: _block(el, root), (NAME, "blocks")))


def _block(el: etree._Element, root: etree._Element) -> tuple[list[tuple[tuple, Finding]], bool]:
    view = dark_view(root)
    if not el.get("bgcolor") and not view.said(el) & BACKGROUNDS:
        return [], False
    own = view.value(el, "background-color", "background") or el.get("bgcolor")
    if not own or "url(" in own or view.hidden(el):
        return [], False
    rgb = parse_color(own.split()[0])
    if rgb is None or luminance(rgb) < LIGHT_BLOCK:
        return [], False
    parent = el.getparent()
    around = view.background(parent) if parent is not None else CANVAS[view.scheme_dark][1]
    if not isinstance(around, tuple) or luminance(around) >= LIGHT_BLOCK:
        return [], False  # light on light: no dark mode here, nothing glares
    shown = describe(el)
    label = squash("".join(el.itertext()))[:40]
    return [((shown, label), Finding(
        "warning", "dark",
        f"dark mode: `{shown}` (\"{label}\") keeps the light background {hex_color(rgb)}: "
        "give it a background in the prefers-color-scheme: dark rules", shown))], True


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    # the HTML alone decides: a state that compiles to the same HTML has the same findings
    return per_page(NAME, doc.html, lambda: _check(root))


def _check(root: etree._Element) -> list[Finding]:
    if not has_dark_mode(root):
        return []
    return check_dark(root) + check_light_blocks(root)
