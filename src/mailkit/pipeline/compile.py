"""Compile stage: MJML → HTML (mjml-python), CSS inlining (premailer), plain text.

mjml-python (the Rust MRML engine) is fast but does not inline the CSS of
`<mj-style inline="inline">`; it emits it as a plain `<style>`. So we lift that CSS
out of the MJML before compiling and hand only it to premailer: left on defaults,
premailer would parse every rule of MJML's head CSS for every email; restricted to the
inline CSS, and working on a tree we parse once, it costs a small fraction of that
(figures in benchmarks/results.md). MJML's own `<style>` blocks are marked
`data-premailer="ignore"` so premailer leaves them be.
"""

from __future__ import annotations

import importlib
import logging
import os
import re
import sys
import types

import mjml
from lxml import etree

from ..model import CompiledEmail
from .mrml_attrs import unquote_attributes
from .text import tree_to_text

INLINE_STYLE = re.compile(
    r"<mj-style\b[^>]*\binline\s*=\s*[\"']inline[\"'][^>]*>(.*?)</mj-style>", re.S | re.I)
DOCTYPE = re.compile(r"^\s*<!doctype[^>]*>", re.I)
#: `mj-preview` as MRML (and the official MJML) writes it: 1 px white text, `display:none`,
#: the oldest trick of spammers to filters (SpamAssassin's HTML_FONT_LOW_CONTRAST).
MJML_PREHEADER = ('<div style="display:none;font-size:1px;color:#ffffff;line-height:1px;'
                  'max-height:0px;max-width:0px;opacity:0;overflow:hidden;">')
#: Hidden by its box, not its text: no colour, size or `display:none` for a filter to
#: read as hidden text. `max-height` and `overflow` hide it wherever CSS is read (inline
#: styles survive clients that drop `<style>`), `mso-hide` in Outlook's Word engine.
PREHEADER = '<div style="max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;">'

# premailer logs a cssutils warning for every vendor property (`-webkit-…`, `mso-…`),
# which MJML emits by design. Quiet cssutils' own logger, nobody else's.
logging.getLogger("CSSUTILS").setLevel(logging.CRITICAL)

# premailer 3.10.0's internals are patched below (pyproject.toml pins that version).
# `make bench` (benchmarks/ab.py) measures each patch against its absence, named here.
_BENCH_WITHOUT = set(os.environ.get("MAILKIT_BENCH_WITHOUT", "").split(","))


def _import_premailer() -> types.ModuleType:
    """Import premailer without paying for what mailkit never uses of it.

    - `requests` is imported by premailer at its top (a visible share of a cold build,
      see benchmarks/results.md), but only
      called to fetch remote stylesheets, which we forbid (`allow_network=False`).
      premailer gets a stand-in that imports the real one on first use.
    - premailer validates every element's existing `style` with cssutils although we
      ask it not to (`disable_validation` reaches the stylesheet, not
      `merge_styles`). Validation only logs; it never changes the output. Its first
      call compiles cssutils' property grammars, a cost paid by every cold build.
    """
    if "requests" not in sys.modules and "lazy-requests" not in _BENCH_WITHOUT:
        stand_in = types.ModuleType("requests", "imported on first use (see compile.py)")
        stand_in.__getattr__ = lambda name: getattr(importlib.import_module("requests"), name)
        sys.modules["requests"] = stand_in
        try:
            import premailer.premailer
        finally:
            del sys.modules["requests"]
    import premailer.merge_style as merge_style
    import premailer.premailer

    pairs = merge_style.csstext_to_pairs
    if not getattr(pairs, "mailkit", False) and "unvalidated-styles" not in _BENCH_WITHOUT:
        def unvalidated(csstext: str, validate: bool = False) -> list[tuple[str, str]]:
            return pairs(csstext, validate=False)

        unvalidated.mailkit = True  # type: ignore[attr-defined]
        unvalidated._lock = pairs._lock  # type: ignore[attr-defined]  # read by `pairs`
        merge_style.csstext_to_pairs = unvalidated
    return premailer.premailer


Premailer = _import_premailer().Premailer


class MjmlError(Exception):
    """The MJML did not compile; the caller locates it with the debug file."""


def split_inline_css(source: str) -> tuple[str, str]:
    """Remove `<mj-style inline="inline">` blocks; return (mjml, their css)."""
    css: list[str] = []

    def take(match: re.Match[str]) -> str:
        css.append(match.group(1))
        return ""

    return INLINE_STYLE.sub(take, source), "\n".join(css)


def mjml_to_html(source: str) -> str:
    """Compile with no web fonts: nothing in an email may load from the internet."""
    try:
        html = mjml.mjml2html(source, fonts={}, disable_comments=False)
    except ValueError as exc:
        raise MjmlError(str(exc)) from None
    html = unquote_attributes(html)  # MRML debug-quotes attributes: see mrml_attrs
    return html.replace(MJML_PREHEADER, PREHEADER, 1)


# plain lxml elements (lxml.html's per-element class lookup is not needed here), fed
# UTF-8 bytes, which lxml parses faster than a str
PARSER = etree.HTMLParser(encoding="utf-8")


def parse(html: str) -> etree._Element:
    return etree.fromstring(html.encode("utf-8"), PARSER)


class _Premailer(Premailer):
    """premailer with its rule parsing memoized.

    A brand's inline CSS is the same for every email, yet premailer re-parses and
    re-serializes it with cssutils on each call. The result depends only on the CSS
    text, its position and two options; premailer reads it and never changes it.
    """

    _rules: dict[tuple, tuple] = {}

    def _parse_style_rules(self, css_body: str, ruleset_index: int) -> tuple:
        if "rule-memo" in _BENCH_WITHOUT:
            return super()._parse_style_rules(css_body, ruleset_index)
        key = (css_body, ruleset_index, self.strip_important, self.disable_validation)
        if key not in self._rules:
            self._rules[key] = super()._parse_style_rules(css_body, ruleset_index)
        rules, leftover = self._rules[key]
        return list(rules), list(leftover)


def serialize(original: str, root: etree._Element) -> str:
    """lxml writes the elements; the doctype is kept as MJML wrote it."""
    doctype = DOCTYPE.match(original)
    body = etree.tostring(root, method="html", encoding="unicode")
    return (doctype.group(0) if doctype else "") + body


def _inline_tree(root: etree._Element, css: str) -> etree._Element:
    """premailer on an lxml tree we parsed once (the text part reuses it).

    MJML's style elements are marked `data-premailer="ignore"` (those inside MSO
    conditional comments are comment text, unseen). `align_floating_images` is off:
    it re-parses the style of every `<img>` with cssutils, two thirds of premailer's
    time, to help floated images that MJML never produces. premailer copies a styled
    element's `width` and `height` into its attributes, over MJML's: an image's
    `width="160"`, which Outlook reads, would become its CSS `100%`.
    """
    if not css.strip():
        return root
    for style in root.iter("style"):
        if "media" not in style.attrib:
            style.set("data-premailer", "ignore")
    inlined = _Premailer(
        css_text=[css],
        allow_network=False,
        strip_important=False,
        keep_style_tags=False,
        disable_validation=True,
        align_floating_images=False,
        disable_basic_attributes=["width", "height"],
        cssutils_logging_level=logging.CRITICAL,
    ).transform(root)
    return inlined.getroot() if hasattr(inlined, "getroot") else inlined  # tree in, tree out


def compile_mjml(source: str) -> CompiledEmail:
    """The whole stage for one email: MJML, then inlining, then the text part."""
    return compile_parsed(source)[0]


def compile_parsed(source: str) -> tuple[CompiledEmail, etree._Element]:
    """`compile_mjml`, with the tree it serialised: the checks read that tree instead of
    parsing the HTML again (the same elements, attributes, text and doctype; the text
    part only reads it).

    The HTML is parsed once: premailer works on the tree, the text is read from it,
    and it is serialized once.
    """
    body, css = split_inline_css(source)
    html = mjml_to_html(body)
    root = _inline_tree(parse(html), css)
    return CompiledEmail(serialize(html, root), tree_to_text(root)), root
