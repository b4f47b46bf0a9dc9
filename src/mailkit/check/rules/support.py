"""Email client support: the features an email uses, against caniemail's tables.

For each feature used and each targeted client, the latest version caniemail tested
decides: "n" (not supported) is an error, "a" (partial) a warning, "y" and unknown
say nothing. One finding per feature and severity lists every client concerned,
so a flexbox layout is one error naming the three Outlooks, not three errors.
"""

from __future__ import annotations

import difflib

from lxml import etree

from ..caniemail import CanIEmail, Feature, Support, load_caniemail
from ..dom import shorten
from ..features import detect_features
from ..kept import per_page, remember
from ..model import CheckConfig, CheckInput, Finding

NAME = "support"  # the family in findings, `run_checks(only=…)` and reports

#: Features every stock MJML email uses, accepted by default (findings become one
#: `info` line). Why accept them: MJML's output is a deliberate, tested compromise.
#: Its `@media (min-width:480px)` rules, `.mj-column-per-*` classes and `!important`
#: only *upgrade* the layout where supported; Outlook on Windows, which drops
#: `max-width`, `border-radius`, `opacity` or the HTML5 doctype, gets the fixed-width
#: tables of the MSO conditional comments instead. The hidden preheader relies on
#: `display:none`, `max-height:0`, `opacity:0` and `overflow:hidden` all at once so
#: that whichever a client keeps hides it. `target="_blank"` (buttons, image links)
#: and `cursor:auto` (buttons) are ignored harmlessly where unsupported, and the
#: base reset (`margin`, `padding`, `border`, `outline`, `word-spacing`, …) is
#: partial only in the Word engine, which has its own tables. Flagging these in
#: every email would bury the findings a designer can act on. Component-specific
#: CSS (navbar hamburger, carousel, accordion) is not boilerplate: see
#: `MJML_INTERACTIVE`.
MJML_BOILERPLATE: frozenset[str] = frozenset({
    # layout and its responsive upgrade
    "css-at-media", "css-important", "css-max-width", "css-width", "css-height",
    "css-display", "css-float", "css-direction", "css-vertical-align", "css-text-align",
    "css-table-layout", "css-border-collapse", "css-border-spacing",
    "css-selector-class", "css-selector-id", "css-selector-type",
    "css-selector-descendant", "css-selector-grouping",
    # the reset and the default text and button styles
    "css-margin", "css-padding", "css-border", "css-border-radius", "css-outline",
    "css-background", "css-font-size", "css-font-weight", "css-line-height",
    "css-text-decoration", "css-text-transform", "css-word-break", "css-word-spacing",
    "css-cursor", "css-unit-px", "css-unit-percent",
    # the hidden preheader
    "css-display-none", "css-max-height", "css-opacity", "css-overflow",
    # markup
    "html-doctype", "html-comments", "html-style", "html-body", "html-div", "html-p",
    "html-table", "html-img", "html-align", "html-valign", "html-width", "html-height",
    "html-cellpadding", "html-cellspacing", "html-dir", "html-lang", "html-role",
    "html-aria-label", "html-target",
})

#: Features `mj-navbar` (hamburger), `mj-carousel` and `mj-accordion` bring with their
#: checkbox/radio hacks. They degrade to a static version, but only a team that chose
#: these components should accept them: `CheckConfig(accepted=[*MJML_INTERACTIVE])`.
MJML_INTERACTIVE: frozenset[str] = frozenset({
    "css-pseudo-class-checked", "css-pseudo-class-hover", "css-pseudo-class-first-child",
    "css-pseudo-class-not", "css-selector-attribute", "css-selector-chaining",
    "css-selector-child", "css-selector-adjacent-sibling", "css-selector-general-sibling",
    "css-visibility", "css-transition", "html-input-checkbox", "html-input-radio",
    "css-selector-universal",
})


#: (data, clients) → {slug: (missing, partial)}: the same few dozen features come up in
#: every email of a build, and reading caniemail's entries for each client was a third
#: of this check. Reset when the data object changes (a refresh, another file).
_gaps: tuple[CanIEmail | None, dict[tuple, tuple[list[Support], list[Support]]]] = (None, {})


def gaps(data: CanIEmail, feature: Feature, clients: tuple[str, ...]) -> tuple[
        list[Support], list[Support]]:
    """(not supported, partially supported) among `clients`, for one feature, memoised."""
    global _gaps
    owner, memo = _gaps
    if owner is not data:
        memo = {}
        _gaps = (data, memo)
    key = (feature.slug, clients)
    found = memo.get(key)
    if found is None:
        results = [s for s in (feature.support(c) for c in clients) if s is not None]
        found = memo[key] = ([s for s in results if s.value == "n"],
                             [s for s in results if s.value == "a"])
    return found


def _judged(used: dict[str, str], config: CheckConfig, data: CanIEmail) -> list[Finding]:
    """The findings for the features `used` ({slug: where}): the emails of a brand use
    the same ones, so they are kept by them (`check`)."""
    findings: list[Finding] = []
    clients, unmatched = data.match_clients(config.clients)
    client_key = tuple(clients)
    for pattern in unmatched:
        findings.append(Finding("warning", "support",
                                f"client {pattern!r} matches no caniemail client "
                                f"(ids look like 'gmail.ios', 'outlook.*')", pattern))
    for slug in config.accepted:
        if slug not in data.features:
            close = difflib.get_close_matches(slug, list(data.features), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            findings.append(Finding("warning", "support",
                                    f"accepted feature {slug!r} is not a caniemail slug{hint}",
                                    slug))
    accepted = set(config.accepted)
    boilerplate = MJML_BOILERPLATE if config.accept_mjml_boilerplate else frozenset()
    quiet: list[str] = []
    for slug, where in used.items():
        feature = data.features.get(slug)
        if feature is None:
            continue
        missing, partial = gaps(data, feature, client_key)
        if not missing and not partial:
            continue
        if slug in accepted:
            findings.append(_accepted(feature, missing, partial, where, data))
        elif slug in boilerplate:
            quiet.append(slug)
        else:
            if missing:
                findings.append(_finding("error", feature, missing, where, data))
            if partial:
                findings.append(_finding("warning", feature, partial, where, data))
    if quiet:
        findings.append(Finding(
            "info", "support",
            f"{len(quiet)} MJML boilerplate features have gaps in some targeted clients "
            f"and are accepted by default: {', '.join(sorted(quiet))}", "MJML boilerplate"))
    return findings


def _clients(results: list[Support], data: CanIEmail) -> str:
    return ", ".join(f"{data.client_name(s.client)} {s.version}" for s in results)


def _notes(results: list[Support]) -> str:
    notes: list[str] = []
    for s in results:
        for note in s.notes:
            text = shorten(note, 120)
            if text not in notes:
                notes.append(text)
    if not notes:
        return ""
    text = " / ".join(n.rstrip(".") for n in notes[:2])
    return f" Notes: {text}" + ("" if text.endswith("…") else ".")


def _finding(severity: str, feature: Feature, results: list[Support], where: str,
             data: CanIEmail) -> Finding:
    how = "is not supported" if severity == "error" else "is only partially supported"
    message = (f"{feature.title} ({feature.slug}, used in `{where}`) {how} in "
               f"{_clients(results, data)}.{_notes(results)} See {feature.url}")
    return Finding("error" if severity == "error" else "warning", "support", message, where)


def _accepted(feature: Feature, missing: list[Support], partial: list[Support], where: str,
              data: CanIEmail) -> Finding:
    gaps = []
    if missing:
        gaps.append(f"not supported in {_clients(missing, data)}")
    if partial:
        gaps.append(f"partial in {_clients(partial, data)}")
    return Finding("info", "support",
                   f"{feature.title} ({feature.slug}, used in `{where}`) is accepted by "
                   f"configuration: {'; '.join(gaps)}", where)


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    data = load_caniemail(config.caniemail_path)
    # the features used read the HTML alone: kept for a state that compiles to the same
    used = dict(per_page((NAME, "used"), doc.html, lambda: detect_features(root).items()))
    return list(remember(
        (NAME, id(data), tuple(used.items()), tuple(config.clients), tuple(config.accepted),
         config.accept_mjml_boilerplate), lambda: tuple(_judged(used, config, data))))
