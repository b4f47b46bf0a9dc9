"""Compile stage: MJML → HTML (mjml-python), CSS inlining (premailer), plain text.

mjml-python (the Rust MRML engine) is fast but does not inline the CSS of
`<mj-style inline="inline">`; it emits it as a plain `<style>`. So we lift that CSS
out of the MJML before compiling and hand only it to premailer: left on defaults,
premailer would parse every rule of MJML's head CSS (~15 ms an email); restricted to
the inline CSS it costs a few ms. MJML's own `<style>` blocks are marked
`data-premailer="ignore"` so premailer leaves them as they are.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import mjml
from premailer import Premailer

from .text import html_to_text

INLINE_STYLE = re.compile(
    r"<mj-style\b[^>]*\binline\s*=\s*[\"']inline[\"'][^>]*>(.*?)</mj-style>", re.S | re.I)
# premailer itself skips styles with a media query other than all/screen
STYLE_TAG = re.compile(r"<style\b(?![^>]*(?:data-premailer|media=))", re.I)
COMMENT = re.compile(r"(<!--.*?-->)", re.S)
DOCTYPE = re.compile(r"^\s*<!doctype[^>]*>", re.I)

# premailer logs a cssutils warning for every vendor property (`-webkit-…`, `mso-…`),
# which MJML emits by design. Quiet cssutils' own logger, nobody else's.
logging.getLogger("CSSUTILS").setLevel(logging.CRITICAL)


class MjmlError(Exception):
    """The MJML did not compile; the caller locates it with the debug file."""


@dataclass(frozen=True)
class CompiledEmail:
    html: str
    text: str


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
        return mjml.mjml2html(source, fonts={}, disable_comments=False)
    except ValueError as exc:
        raise MjmlError(str(exc)) from None


def inline_css(html: str, css: str) -> str:
    """Inline `css` into `html`; leave MJML's own style blocks and the doctype alone."""
    if not css.strip():
        return html
    doctype = DOCTYPE.match(html)
    # Mark only style tags premailer can see: those inside MSO conditional comments
    # are comment text to it, and would keep the mark.
    parts = COMMENT.split(html)
    marked = "".join(part if i % 2 else STYLE_TAG.sub('<style data-premailer="ignore"', part)
                     for i, part in enumerate(parts))
    out = Premailer(
        marked,
        css_text=[css],
        allow_network=False,
        strip_important=False,
        keep_style_tags=False,
        disable_validation=True,
        preserve_handlebar_syntax=True,
        cssutils_logging_level=logging.CRITICAL,
    ).transform(pretty_print=False)
    if doctype and not DOCTYPE.match(out):
        out = doctype.group(0) + out
    return out


def compile_mjml(source: str) -> CompiledEmail:
    """The whole stage for one email: MJML, then inlining, then the text part."""
    body, css = split_inline_css(source)
    html = inline_css(mjml_to_html(body), css)
    return CompiledEmail(html, html_to_text(html))
