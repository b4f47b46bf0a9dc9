"""The email without `<style>`, as Gmail's apps show it with a non-Google account
(IMAP, POP) and Gmail's mobile webmail: inline styles only, on a phone.

Compared with the same phone with `<style>` (check/cascade.py: the rules outside
`@media` and the queries a 375 px light screen matches):

- **content that disappears**: shown only because a `<style>` rule overrides an
  inline `display:none` (a mobile-only block), gone without it;
- **content that appears**: hidden only by a `<style>` rule (a dark-mode twin, a
  desktop-only block), shown twice or out of place without it;
- **the layout**: a fixed inline width (or min-width) wider than the 375 px phone
  without a `max-width` that holds it (a `width="600"` table, a 600 px div or image:
  Chromium shrinks table cells, not these), and columns that stay side by side
  (`display:inline-block` with an inline width under 100%);
- **buttons**: a link drawn as a button (a background or border, with padding, on
  the link or on the cell it fills) that loses its background, border or padding
  because they come from a `<style>` rule.
"""

from __future__ import annotations

import re

from lxml import etree

from ..cascade import PHONE, Cascade, inline_map, inline_view, light_view
from ..dom import SKIP_TEXT, describe, hidden_or_in_hidden, locator, own_text, squash
from ..kept import per_page
from ..model import CheckConfig, CheckInput, Finding
from ..units import walk, walk_pruned

NAME = "nostyle"  # the family in findings, `run_checks(only=…)` and reports

READERS = "Gmail's apps with a non-Google account (IMAP, POP) and Gmail's mobile webmail"
PX = re.compile(r"\s*(\d+(?:\.\d+)?)(px)?\s*")
PERCENT = re.compile(r"\s*(\d+(?:\.\d+)?)%\s*")
SIZED_BY_ATTRIBUTE = {"table", "img"}  # a `width` attribute sizes these
CELLS = {"td", "th"}  # a cell's width gives way to the table's (Chromium, auto layout)


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    # the HTML alone decides: a state that compiles to the same HTML has the same findings
    return per_page(NAME, doc.html, lambda: _check(root))


def _check(root: etree._Element) -> list[Finding]:
    # Only an element a <style> rule says something about can switch; its descendants
    # follow it (the outermost one is reported).
    findings = walk(root, lambda el: _switch(el, root), (NAME, "switched"), whole=True)
    findings += walk_pruned(root, _sized, (NAME, "sized"))
    return findings + walk(root, lambda a: _link(a, root), (NAME, "buttons"), tags=("a",),
                           whole=True)


def _switch(el: etree._Element, root: etree._Element) -> list[Finding]:
    styled = light_view(root)
    if styled.rules(el) is None:
        return []
    bare = inline_view(root)
    if styled.hidden(el) == bare.hidden(el):
        return []
    parent = el.getparent()
    if parent is not None and styled.hidden(parent) != bare.hidden(parent):
        return []
    shown = not bare.hidden(el)
    return _switched(el, bare if shown else styled, shown=shown)


def _sized(el: etree._Element) -> tuple[list[Finding], bool]:
    """A fixed width wider than the phone (what is inside it is not looked at), or a
    column that stays beside its neighbours."""
    if el.tag == "body" or (el.get("width") is None and "width" not in (el.get("style") or "")):
        return [], False
    if el.tag in SKIP_TEXT or hidden_or_in_hidden(el):
        return [], False  # hidden inline: hidden without <style> too
    wide = _too_wide(el)
    if wide:
        return [Finding(
            "warning", NAME,
            f"without <style> ({READERS}), `{describe(el)}` is {wide} wide, wider than a "
            f"{PHONE} px phone: the email scrolls sideways. Add an inline max-width "
            "(max-width:100%) or let the width come from the container",
            describe(el), locate=locator(el))], True
    if _side_by_side(el):
        return [Finding(
            "warning", NAME,
            f"without <style> ({READERS}), the column `{describe(el)}` stays side by "
            "side with its neighbours on a phone: give columns an inline width of 100% "
            "and widen them in a min-width media query, as MJML does",
            describe(el), locate=locator(el))], False
    return [], False


def _link(a: etree._Element, root: etree._Element) -> list[Finding]:
    if hidden_or_in_hidden(a):
        return []
    return _button(a, light_view(root), inline_view(root))


def _switched(el: etree._Element, view: Cascade, *, shown: bool) -> list[Finding]:
    """`el` shown (or hidden) without <style> only: a finding if, where it shows
    (`view`), it shows something: text or an image (a twin's image may have no height)."""
    visible = [n for n in el.iter(etree.Element) if not view.hidden(n)]
    text = squash(" ".join(own_text(n) for n in visible if n.tag not in SKIP_TEXT))
    if not text and not any(n.tag == "img" for n in visible):
        return []  # an empty spacer, or nothing drawn: nothing to see either way
    what = f"`{describe(el)}`" + (f" (\"{text[:40]}\")" if text else "")
    if shown:
        return [Finding(
            "warning", NAME,
            f"without <style> ({READERS}), {what} appears: only a <style> rule hides it "
            "(a dark-mode twin or a desktop-only block shows twice or out of place). Hide "
            "it inline as well (display:none, and mso-hide:all for Outlook)",
            describe(el), locate=locator(el))]
    return [Finding(
        "error", NAME,
        f"without <style> ({READERS}), {what} disappears: it is hidden inline and only a "
        "<style> rule shows it. Show it inline and hide it where it should not be instead",
        describe(el), locate=locator(el))]


def _px(value: str | None) -> float | None:
    m = PX.fullmatch(value or "")
    return float(m.group(1)) if m else None


def _too_wide(el: etree._Element) -> str:
    """"600px" when `el`'s own fixed width (or min-width) passes the phone's and no
    inline max-width holds it; else ""."""
    if el.tag in CELLS:
        return ""
    style = _inline(el)
    width = _px(style.get("width")) if "width" in style else (
        _px(el.get("width")) if el.tag in SIZED_BY_ATTRIBUTE else None)
    least = max(width or 0, _px(style.get("min-width")) or 0)
    if least <= PHONE:
        return ""
    cap = style.get("max-width", "")
    if (_px(cap) or least) <= PHONE or (PERCENT.fullmatch(cap) and not style.get("min-width")):
        return ""
    return f"{least:g}px"


def _side_by_side(el: etree._Element) -> bool:
    """A column (`display:inline-block`, or floated) with an inline width under 100% and
    a sibling column: without the media query that stacks them, they stay in a row."""
    if el.tag != "div":
        return False
    style = _inline(el)
    if not _is_column(style):
        return False
    m = PERCENT.fullmatch(style.get("width", ""))
    if not m or float(m.group(1)) >= 100:
        return False
    parent = el.getparent()
    return parent is not None and any(
        c is not el and c.tag == "div" and _is_column(_inline(c)) for c in parent)


def _is_column(style: dict[str, str]) -> bool:
    return style.get("display", "").strip() == "inline-block" or style.get(
        "float", "").strip() in {"left", "right"}


def _inline(el: etree._Element) -> dict[str, str]:
    return inline_map(el.get("style") or "")


def _button(a: etree._Element, styled: Cascade, bare: Cascade) -> list[Finding]:
    """A link drawn as a button whose background, border or padding only `<style>` gives."""
    drawn = _drawn(a, styled)
    if not ({"background", "border"} & drawn and "padding" in drawn):
        return []
    lost = sorted(drawn - _drawn(a, bare))
    if not lost:
        return []
    label = squash("".join(a.itertext()))[:40]
    return [Finding(
        "warning", NAME,
        f"without <style> ({READERS}), the button `{describe(a)}` (\"{label}\") loses its "
        f"{' and '.join(lost)}: a <style> rule draws them. Inline them on the link and its "
        "cell, as MJML's mj-button does", describe(a), locate=locator(a))]


def _drawn(a: etree._Element, view: Cascade) -> set[str]:
    """What draws `a` as a button in `view`: "background", "border", "padding", on the
    link or on the table cell it fills alone."""
    cell = a.getparent()
    boxes = [a] + ([cell] if cell is not None and cell.tag in {"td", "th"} and len(cell) == 1
                   and not (cell.text or "").strip() else [])
    found: set[str] = set()
    for box in boxes:
        own = view.own_background(box)
        around = box.getparent()
        if isinstance(own, tuple) and (around is None or own != view.background(around)):
            found.add("background")
        if any(_drawn_border(view.value(box, side)) for side in (
                "border", "border-top", "border-bottom", "border-left", "border-right")):
            found.add("border")
        if any(float(n) > 0 for side in ("padding", "padding-top", "padding-bottom",
                                         "padding-left", "padding-right")
               for n in re.findall(r"(\d+(?:\.\d+)?)px", view.value(box, side) or "")):
            found.add("padding")
    return found


LINE_STYLES = {"solid", "dashed", "dotted", "double", "groove", "ridge", "inset", "outset"}


def _drawn_border(value: str | None) -> bool:
    """A border shorthand that draws a line: a line style, and no zero width."""
    words = (value or "").lower().split()
    if not LINE_STYLES & set(words):
        return False
    widths = [_px(w) for w in words if PX.fullmatch(w)]
    return not widths or any(w and w > 0 for w in widths)
