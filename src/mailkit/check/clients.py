"""The mail clients that do not show an email as written, emulated: their dark modes'
recolouring, Gmail without `<style>`, Outlook for Windows' Word engine.

Each `ClientView` says what it emulates and how faithfully; the preview site draws the
same views in the browser (site/static/clients.js, a port of the colour maps here,
held to agree with them by a test) and the checks read them (`rules/inversion.py`,
`rules/nostyle.py`, `rules/outlook.py`).

- **Partial inversion** is Blink's algorithmic darkening (Chromium's force dark),
  ported from `third_party/blink/renderer/platform/graphics/dark_mode_*.cc`: a
  background brighter than 205 (W3C AERT brightness) and a text or border darker than
  150 get CIELAB L* → min(110 − L*, 100), hue kept; a grey landing at 19–31 is #121212.
  Dark areas stay dark, light text stays light.
- **Full inversion**: every colour given, background, text or border, light or dark,
  gets L* → 100 − L*, hue kept, so white and black swap, as reported of Gmail for iOS.
- Images are never recoloured by any client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class ClientView:
    id: str
    label: str
    emulates: str  # the clients, as a reader names them
    how: str  # what the view does, and how faithful it is
    cannot_know: str


VIEWS: tuple[ClientView, ...] = (
    ClientView(
        "partial", "Dark, partial inversion", "Gmail for Android, Outlook.com (its own dark "
        "setting), Outlook for iOS, Android and macOS",
        "The email's dark media rules removed, then Chromium's algorithmic darkening: light "
        "backgrounds darkened, dark text lightened, dark areas kept; images untouched. "
        "Exact for Chromium's force dark; Gmail for Android's algorithm is unpublished.",
        "Gmail's own constants; Outlook.com darkens towards #333 and adjusts text to its "
        "background, which this view approximates with Chromium's map."),
    ClientView(
        "full", "Dark, full inversion", "Gmail for iOS, Outlook 2019, 2021 and 365 for "
        "Windows, Windows Mail",
        "The email's dark media rules removed, then every colour inverted in lightness (CIELAB "
        "L* → 100 − L*, hue kept): light turns dark and dark turns light; images untouched.",
        "Neither Gmail for iOS nor Word publishes its algorithm: the constants are a model "
        "of the reported behaviour (white and black swap), not a measurement."),
    ClientView(
        "nostyle", "Gmail, styles removed", "Gmail's apps with a non-Google account (IMAP, "
        "POP), Gmail's mobile webmail",
        "Every <style> and <link> removed: inline styles only, so no media query (no "
        "responsive or dark rule), no class selector, no hover.",
        "Gmail also drops some inline properties for these accounts (flex, calc(), "
        "background-size…); they are kept here."),
    ClientView(
        "outlook", "Outlook for Windows (approximation)", "Outlook 2016, 2019, 2021 and 365 "
        "for Windows (Word's engine)",
        "Conditional comments applied as Word applies them (mso 16, vml), media queries "
        "removed, and every declaration that caniemail's data marks unsupported in Outlook "
        "for Windows dropped (border-radius, background images, opacity…); the partly "
        "supported ones are kept.",
        "An approximation from published support data, not a screenshot of Outlook: Word's "
        "table layout, VML and its own quirks are not rendered."),
)
VIEW_IDS = tuple(v.id for v in VIEWS)

# sRGB (D65) → XYZ, Bradford-adapted to D50, then CIELAB, as Blink's DarkModeSRGBColorSpace
# derives it (dark_mode_lab_color_space.h: its D65 and D50 white points).
_TO_XYZ = ((0.4348794143, 0.382018884188, 0.147313616029),
           (0.222123114626, 0.715954477566, 0.06192239174),
           (0.007011702482, 0.078393282334, 0.73978322336))
_FROM_XYZ = ((3.134231134, -1.618861499, -0.488617658),
             (-0.978788898, 1.915210658, 0.034597307),
             (0.074013814, -0.187607221, 1.352712272))
_D50 = (0.964212, 1.0, 0.825188)
_E, _K = 216 / 24389, 24389 / 27


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _encode(c: float) -> int:
    c = min(max(c, 0.0), 1.0)
    c = 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055
    return int(c * 255 + 0.5)


def to_lab(rgb: RGB) -> tuple[float, float, float]:
    lin = [_linear(c / 255) for c in rgb]
    xyz = [sum(row[i] * lin[i] for i in range(3)) / w for row, w in zip(_TO_XYZ, _D50,
                                                                          strict=True)]
    f = [t ** (1 / 3) if t > _E else (_K * t + 16) / 116 for t in xyz]
    return (min(max(116 * f[1] - 16, 0.0), 100.0), 500 * (f[0] - f[1]), 200 * (f[1] - f[2]))


def from_lab(lab: tuple[float, float, float]) -> RGB:
    lightness, a, b = min(max(lab[0], 0.0), 100.0), lab[1], lab[2]
    fy = (lightness + 16) / 116
    f = (fy + a / 500, fy, fy - b / 200)
    xyz = [(t ** 3 if t ** 3 > _E else (116 * t - 16) / _K) * w for t, w in zip(f, _D50,
                                                                                 strict=True)]
    r, g, b2 = (_encode(sum(row[i] * xyz[i] for i in range(3))) for row in _FROM_XYZ)
    return r, g, b2


def brightness(rgb: RGB) -> int:
    """W3C AERT perceived brightness, 0–255 (Blink's CalculateColorBrightness)."""
    return (rgb[0] * 299 + rgb[1] * 587 + rgb[2] * 114) // 1000


@lru_cache(maxsize=4096)
def partial(rgb: RGB, role: str) -> RGB:
    """`rgb` as Chromium's force dark paints it: `role` is "background", "text" or
    "border" (borders follow text)."""
    darken = brightness(rgb) > 205 if role == "background" else brightness(rgb) < 150
    if not darken:
        return rgb
    lightness, a, b = to_lab(rgb)
    out = from_lab((min(110 - lightness, 100.0), a, b))
    if out[0] == out[1] == out[2] and 18 < out[0] < 32:
        return 18, 18, 18
    return out


@lru_cache(maxsize=4096)
def full(rgb: RGB, role: str) -> RGB:
    """`rgb` with its lightness inverted, whatever its role."""
    lightness, a, b = to_lab(rgb)
    return from_lab((100 - lightness, a, b))


TRANSFORMS = {"partial": partial, "full": full}
#: What an inverting client paints where the email paints nothing (Chromium's dark canvas).
CANVAS: RGB = (18, 18, 18)

# Outlook for Windows: Word's conditional comments.
_REVEALED = re.compile(r"<!--\[if ([^\]]+)\]><!-->(.*?)<!--<!\[endif\]-->", re.S | re.I)
_HIDDEN = re.compile(r"<!--\[if ([^\]]+)\]>(.*?)<!\[endif\]-->", re.S | re.I)
_TOKEN = re.compile(r"\s*(\(|\)|!|\||&|lte|lt|gte|gt|mso|ie|vml|\d+(?:\.\d+)?)", re.I)
WORD = {"mso": 16.0, "vml": 1.0}  # Outlook 2016 and later all say 16; IE is absent


def mso_condition(expr: str, env: dict[str, float] = WORD) -> bool:
    """Evaluate a conditional comment's expression (`mso | IE`, `lte mso 11`, `!mso`)."""
    if env is WORD:
        return _in_word(expr)  # an email repeats a few expressions dozens of times
    return _evaluate(expr, env)


@lru_cache(maxsize=256)
def _in_word(expr: str) -> bool:
    return _evaluate(expr, WORD)


def _evaluate(expr: str, env: dict[str, float]) -> bool:
    tokens = [t.lower() for t in _TOKEN.findall(expr)]
    pos = 0

    def take() -> str:
        nonlocal pos
        pos += 1
        return tokens[pos - 1] if pos <= len(tokens) else ""

    def atom() -> bool:
        token = take()
        if token == "!":
            return not atom()
        if token == "(":
            value = either()
            take()
            return value
        op = ""
        if token in ("lt", "lte", "gt", "gte"):
            op, token = token, take()
        have = env.get(token)
        version = float(take()) if pos < len(tokens) and tokens[pos][0].isdigit() else None
        if have is None:
            return False
        if version is None:
            return True
        return {"lt": have < version, "lte": have <= version, "gt": have > version,
                "gte": have >= version, "": int(have) == int(version)}[op]

    def both() -> bool:
        value = atom()
        while pos < len(tokens) and tokens[pos] == "&":
            take()
            value = atom() and value
        return value

    def either() -> bool:
        value = both()
        while pos < len(tokens) and tokens[pos] == "|":
            take()
            value = both() or value
        return value

    return either()


def apply_mso(html: str, env: dict[str, float] = WORD) -> str:
    """The HTML Word lays out: the blocks whose condition holds uncommented, the others
    (and `<!--[if !mso]><!-->` content) dropped. Word's reading of the last page is
    kept: a compile worker asks for it twice, for the preview's Outlook table
    (word.py) and for the outlook rule."""
    if env is not WORD:
        return _apply_mso(html, env)
    last = _LAST_WORD[0]  # one read: another thread may replace it
    if last is None or last[0] != html:
        last = _LAST_WORD[0] = (html, _apply_mso(html, env))
    return last[1]


_LAST_WORD: list[tuple[str, str] | None] = [None]


def _apply_mso(html: str, env: dict[str, float]) -> str:
    html = _REVEALED.sub(lambda m: m.group(2) if mso_condition(m.group(1), env) else "", html)
    return _HIDDEN.sub(lambda m: m.group(2) if mso_condition(m.group(1), env) else "", html)


def unsupported(prop: str, value: str, client: str = "outlook.windows") -> tuple[str, ...]:
    """The caniemail features of the declaration `prop: value` that `client` does not
    support at all (`n`), by slug; empty when it shows the declaration."""
    return _unsupported(prop.strip().lower(), value.strip().lower(), client)


@lru_cache(maxsize=8192)
def _unsupported(prop: str, value: str, client: str) -> tuple[str, ...]:
    from .caniemail import load_caniemail
    from .css_features import property_slugs, value_slugs

    data = load_caniemail()
    slugs = set(property_slugs(prop, value)) | value_slugs(prop, value)
    found = []
    for slug in sorted(slugs):
        feature = data.features.get(slug)
        support = feature.support(client) if feature is not None else None
        if support is not None and support.value == "n":
            found.append(slug)
    return tuple(found)
