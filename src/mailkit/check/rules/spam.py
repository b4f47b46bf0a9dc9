"""Spam heuristics: patterns content filters still score, as warnings only.

Modern filters weigh the sender's reputation far more than wording, so none of this
fails the gate; but shouting capitals, strings of "!!!", an email that is mostly
pictures, and a handful of hackneyed phrases still add points in SpamAssassin-style
scoring and, worse, read as spam to people. Each warning names what triggered it.

Hidden text is read as SpamAssassin reads it (`check/hidden.py`): text in the colour of
its background, text too small to read, many elements hidden by inline styles. Each
warning names the element, so the build names the template line that wrote it;
SpamAssassin itself, which `mailkit check --spam` runs, keeps this rule honest.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from .. import hidden
from ..contrast import hex_color
from ..dom import content_image_widths, describe, shorten, visible_text, words
from ..kept import per_page
from ..model import CheckConfig, CheckInput, Finding
from ..units import walk

NAME = "spam"  # the family in findings, `run_checks(only=…)` and reports

#: Phrases filters punish, French and English. Regexes on accent-stripped,
#: lower-cased text; word boundaries keep "free" out of "freedom".
SPAM_PHRASES: dict[str, str] = {
    "100% gratuit": r"100\s*%\s*gratuit",
    "gratuit": r"\bgratuit(e|s|es|ement)?\b",
    "urgent": r"\burgent(e|s|es)?\b",
    "cliquez ici": r"\bcliquez ici\b",
    "vous avez gagné": r"\bvous avez gagne\b",
    "félicitations": r"\bfelicitations\b",
    "argent facile": r"\bargent facile\b",
    "offre limitée": r"\boffre limitee\b",
    "dernière chance": r"\bderniere chance\b",
    "sans risque": r"\bsans risque\b",
    "satisfait ou remboursé": r"\bsatisfait ou rembourse\b",
    "100% free": r"100\s*%\s*free",
    "free": r"\bfree\b",
    "act now": r"\bact now\b",
    "click here": r"\bclick here\b",
    "buy now": r"\bbuy now\b",
    "limited time": r"\blimited time\b",
    "risk-free": r"\brisk[- ]free\b",
    "winner": r"\bwinners?\b",
    "congratulations": r"\bcongratulations\b",
    "no cost": r"\bno cost\b",
    "cash": r"\bcash\b",
}
_PHRASES = {phrase: re.compile(pattern) for phrase, pattern in SPAM_PHRASES.items()}


def _needs(pattern: str) -> str:
    """The text every match of `pattern` holds: the pattern without its word boundaries
    when that is plain text, else "" (held by any text)."""
    plain = pattern.replace(r"\b", "")
    return plain if re.fullmatch(r"[a-z0-9 ]+", plain) else ""


#: text every match of a phrase holds: `in` rules most phrases out of a text far faster
#: than their regex (three texts a page, 22 phrases). Patterns that are not plain text
#: name theirs here; a test checks that each phrase holds its own.
NEEDS = {phrase: _needs(pattern) for phrase, pattern in SPAM_PHRASES.items()} | {
    "100% gratuit": "gratuit", "gratuit": "gratuit", "urgent": "urgent", "100% free": "free",
    "risk-free": "risk", "winner": "winner"}
MIN_WORDS_PER_IMAGE = 25
BIG_IMAGE_PX = 200


class _Marks(dict):
    """A `str.translate` table that drops combining marks, filled as characters come."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def fold(text: str) -> str:
    """Lower-case and strip accents, so "GRATUIT" and "Gratuité" compare as written."""
    return unicodedata.normalize("NFKD", text.lower()).translate(_MARKS)


def check_spam(root: etree._Element, doc: CheckInput) -> list[Finding]:
    body = visible_text(root)
    findings = check_capitals(doc.subject)
    findings += check_exclamations(doc.subject, body)
    findings += check_image_ratio(root, body)
    findings += check_phrases({"subject": doc.subject, "preheader": doc.preheader,
                               "body": body})
    # the hidden text reads the HTML alone: kept for a state that compiles to the same
    return findings + per_page((NAME, "hidden"), doc.html, lambda: check_hidden_text(root))


def check_hidden_text(root: etree._Element) -> list[Finding]:
    """Text a filter reads as hidden: the colour of its background, a tiny font, many
    elements hidden by inline styles."""
    findings = hidden.walk_low_contrast(root, _low_contrast)
    findings += walk(root, _tiny, (NAME, "tiny"), whole=True)
    hiding = walk(root, _hiding, (NAME, "hiding"), whole=True)
    if len(hiding) > hidden.MANY_HIDDEN:
        where, locate = hiding[hidden.MANY_HIDDEN]
        findings.append(Finding(
            "warning", "spam", f"{len(hiding)} elements hidden by an inline display:none or "
            f"visibility:hidden: SpamAssassin counts more than {hidden.MANY_HIDDEN} as hidden "
            "text; hide them with a class in <style>, or with max-height:0 and "
            "overflow:hidden", where, locate))
    return findings


def _low_contrast(x: hidden.LowContrast) -> Finding:
    return Finding("warning", "spam", f'text in the colour of its background as '
                   f'SpamAssassin reads it ({hex_color(x.colour)} on '
                   f'{hex_color(x.background)}: it ignores <style>, <body style> and '
                   f'bgcolor): "{shorten(x.text, 50)}" (HTML_FONT_LOW_CONTRAST)',
                   describe(x.element), hidden.located_text(x.element))


def _tiny(el: etree._Element) -> list[Finding]:
    size = hidden.tiny_size(el)
    if size is None:
        return []
    return [Finding("warning", "spam", f"text in a {size:g} px font: filters read it "
                    f'as hidden: "{shorten(hidden.located_text(el), 50)}"',
                    describe(el), hidden.located_text(el))]


def _hiding(el: etree._Element) -> list[tuple[str, str]]:
    return [(describe(el), hidden.located_text(el))] if hidden.hides(el) else []


def check_capitals(subject: str) -> list[Finding]:
    letters = [c for c in subject if c.isalpha()]
    shouted = [w for w in re.findall(r"[^\W\d_]{3,}", subject) if w.isupper()]
    if len(letters) >= 8 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        return [Finding("warning", "spam", f'the subject is in capitals: "{subject}"', subject)]
    if len(shouted) >= 2:
        return [Finding("warning", "spam", f"the subject shouts {len(shouted)} words in "
                        f"capitals ({', '.join(shouted[:4])})", subject)]
    return []


def check_exclamations(subject: str, body: str) -> list[Finding]:
    findings = []
    if subject.count("!") >= 2:
        findings.append(Finding("warning", "spam", f'{subject.count("!")} exclamation marks '
                                f'in the subject: "{subject}"', subject))
    count = body.count("!")
    run = re.search(r"(!\s*){2,}", body)
    if run or count > max(3, len(words(body)) // 50):
        findings.append(Finding("warning", "spam", f"{count} exclamation marks in the body"
                                + (" (including \"!!\")" if run else ""), "!" * min(count, 5)))
    return findings


def check_image_ratio(root: etree._Element, body: str) -> list[Finding]:
    """Mostly-image emails: fewer than 25 words per large image (logos and icons aside)."""
    big = 0
    for width in content_image_widths(root):
        width = width.removesuffix("px")
        if not width.isdigit() or int(width) >= BIG_IMAGE_PX:
            big += 1
    count = len(words(body))
    if big and count < MIN_WORDS_PER_IMAGE * big:
        return [Finding("warning", "spam", f"image-heavy: {big} large image(s) for {count} "
                        f"words of text (filters like at least {MIN_WORDS_PER_IMAGE} words "
                        "per image)", f"{big} images / {count} words")]
    return []


def check_phrases(texts: dict[str, str]) -> list[Finding]:
    hits: dict[str, list[str]] = {}
    for place, text in texts.items():
        folded = fold(text)
        for phrase, pattern in _PHRASES.items():
            if NEEDS[phrase] in folded and pattern.search(folded):
                hits.setdefault(phrase, []).append(place)
    for phrase in list(hits):  # "100% gratuit" already says "gratuit"
        if any(phrase != other and phrase in other for other in hits):
            del hits[phrase]
    return [Finding("warning", "spam", f'"{phrase}" in the {" and ".join(places)}: a phrase '
                    "spam filters score", phrase) for phrase, places in hits.items()]


def check(root: etree._Element, doc: CheckInput, config: CheckConfig) -> list[Finding]:
    return check_spam(root, doc)
