#!/usr/bin/env python3
"""Generate the demo brand images of mailkit (kokawa and R-PUR) with Pillow.

Every picture is drawn from simple shapes (flat, vector-like illustration style),
supersampled then downscaled for smooth edges, and saved as a palette PNG when that
keeps it small. Nothing is fetched: the only inputs are this file and the Liberation
fonts. The output is deterministic: the same bytes on every run (no random state that
is not seeded, no timestamps or text chunks in the PNG files).

Email images are drawn at 2x their CSS display size (retina); the small icons are drawn
at the pixel size given in the brief.

Usage:
    .venv/bin/python demo/make_assets.py            # regenerate everything
    .venv/bin/python demo/make_assets.py logo mask  # only the files whose path contains a word
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = Path("/usr/share/fonts/truetype/liberation")
MAX_BYTES = 38_000  # aim for < 40 KB per file

Point = tuple[float, float]
Color = str | tuple[int, int, int] | tuple[int, int, int, int]


# --------------------------------------------------------------------------- colours


def rgba(c: Color, a: int | None = None) -> tuple[int, int, int, int]:
    """'#rrggbb' or a tuple -> RGBA tuple; ``a`` overrides the alpha."""
    if isinstance(c, str):
        h = c.lstrip("#")
        t = (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), 255)
    else:
        t = (*c[:3], c[3] if len(c) > 3 else 255)  # type: ignore[misc]
    return (t[0], t[1], t[2], t[3] if a is None else a)


def mix(c1: Color, c2: Color, t: float) -> tuple[int, int, int, int]:
    a, b = rgba(c1), rgba(c2)
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore


# --------------------------------------------------------------------------- geometry


def bez(p0: Point, p1: Point, p2: Point, p3: Point, n: int = 24) -> list[Point]:
    """Points of a cubic Bezier curve (n + 1 points, both ends included)."""
    out = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        x = u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0]
        y = u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1]
        out.append((x, y))
    return out


def qbez(p0: Point, p1: Point, p2: Point, n: int = 20) -> list[Point]:
    out = []
    for i in range(n + 1):
        t = i / n
        u = 1 - t
        out.append(
            (
                u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0],
                u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1],
            )
        )
    return out


def rot(pts: Sequence[Point], cx: float, cy: float, deg: float) -> list[Point]:
    a = math.radians(deg)
    ca, sa = math.cos(a), math.sin(a)
    return [
        (cx + (x - cx) * ca - (y - cy) * sa, cy + (x - cx) * sa + (y - cy) * ca) for x, y in pts
    ]


def place(pts: Sequence[Point], cx: float, cy: float, s: float, deg: float = 0) -> list[Point]:
    """Unit-space points -> scaled by s, rotated by deg, moved to (cx, cy)."""
    return rot([(cx + x * s, cy + y * s) for x, y in pts], cx, cy, deg)


def on_circle(cx: float, cy: float, r: float, deg: float) -> Point:
    a = math.radians(deg)
    return (cx + r * math.cos(a), cy + r * math.sin(a))


def heart(cx: float, cy: float, size: float, deg: float = 0) -> list[Point]:
    pts = []
    for i in range(72):
        t = 2 * math.pi * i / 72
        x = 16 * math.sin(t) ** 3
        y = -(13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t))
        pts.append((x / 32, (y + 2) / 32))
    return place(pts, cx, cy, size, deg)


def sparkle(cx: float, cy: float, r: float) -> list[Point]:
    """A four-pointed star (astroid)."""
    pts = []
    for i in range(64):
        t = 2 * math.pi * i / 64
        pts.append((cx + r * math.cos(t) ** 3, cy + r * math.sin(t) ** 3))
    return pts


def leaf(x: float, y: float, length: float, width: float, deg: float, n: int = 16) -> list[Point]:
    """A leaf whose base is (x, y), pointing up when deg == 0 (clockwise degrees)."""
    side = []
    for i in range(n + 1):
        t = i / n
        side.append((width / 2 * math.sin(math.pi * t) ** 0.85 * (1 - 0.25 * t), -length * t))
    pts = side + [(-px, py) for px, py in reversed(side[1:-1])]
    return rot([(x + px, y + py) for px, py in pts], x, y, deg)


def along(pts: Sequence[Point], t: float) -> tuple[Point, float]:
    """Point at fraction t of a polyline and its direction in degrees."""
    lens = [math.dist(a, b) for a, b in zip(pts, pts[1:], strict=False)]
    target = sum(lens) * t
    for (a, b), seg in zip(zip(pts, pts[1:], strict=False), lens, strict=True):
        if target <= seg or seg == lens[-1]:
            f = 0 if seg == 0 else min(1.0, target / seg)
            p = (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f)
            return p, math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))
        target -= seg
    return pts[-1], 0.0


def rounded_rect_path(x0: float, y0: float, x1: float, y1: float, r: float) -> list[Point]:
    pts: list[Point] = []
    corners = [
        (x1 - r, y0 + r, -90),
        (x1 - r, y1 - r, 0),
        (x0 + r, y1 - r, 90),
        (x0 + r, y0 + r, 180),
    ]
    for cx, cy, a0 in corners:
        for i in range(13):
            pts.append(on_circle(cx, cy, r, a0 + 90 * i / 12))
    return pts + [pts[0]]


def mask_outline() -> list[Point]:
    """Front view of a R-PUR style mask in unit space (about -1..1 wide, -0.55..0.64 tall)."""
    right = bez((0, -0.56), (0.34, -0.57), (0.78, -0.38), (0.97, -0.1))
    right += bez((0.97, -0.1), (1.03, 0.16), (0.86, 0.38), (0.6, 0.48))[1:]
    right += bez((0.6, 0.48), (0.4, 0.58), (0.16, 0.64), (0, 0.64))[1:]
    left = [(-x, y) for x, y in reversed(right[:-1])]
    return right + left[:-1]


def filter_outline() -> list[Point]:
    """A filter pad: a softened shield shape in unit space."""
    right = bez((0, -0.5), (0.4, -0.52), (0.85, -0.4), (0.92, -0.08))
    right += bez((0.92, -0.08), (0.98, 0.25), (0.55, 0.52), (0, 0.55))[1:]
    left = [(-x, y) for x, y in reversed(right[:-1])]
    return right + left[:-1]


# --------------------------------------------------------------------------- canvas


class Art:
    """An RGBA canvas addressed in output pixels, drawn ``ss`` times larger."""

    def __init__(self, w: int, h: int, bg: Color | None = None, ss: int = 3) -> None:
        self.w, self.h, self.k = w, h, ss
        self.im = Image.new("RGBA", (w * ss, h * ss), rgba(bg) if bg else (0, 0, 0, 0))

    # -- helpers
    def P(self, pts: Sequence[Point]) -> list[Point]:
        k = self.k
        return [(x * k, y * k) for x, y in pts]

    def B(self, x0: float, y0: float, x1: float, y1: float) -> list[float]:
        k = self.k
        return [x0 * k, y0 * k, x1 * k - 1, y1 * k - 1]

    def _paint(self, color: Color, fn: Callable, erase: bool = False) -> None:
        if erase:
            fn(ImageDraw.Draw(self.im), (0, 0, 0, 0))
            return
        c = rgba(color)
        if c[3] >= 255:
            fn(ImageDraw.Draw(self.im), c)
        else:
            lay = Image.new("RGBA", self.im.size, (0, 0, 0, 0))
            fn(ImageDraw.Draw(lay), c)
            self.im.alpha_composite(lay)

    # -- primitives
    def rect(self, x0, y0, x1, y1, fill=None, r=0.0, outline=None, width=0.0, erase=False):
        box = self.B(x0, y0, x1, y1)
        rad = r * self.k
        if fill is not None or erase:
            self._paint(
                fill or (0, 0, 0, 0),
                lambda d, c: d.rounded_rectangle(box, radius=rad, fill=c),
                erase,
            )
        if outline is not None:
            w = max(1, round(width * self.k))
            self._paint(
                outline, lambda d, c: d.rounded_rectangle(box, radius=rad, outline=c, width=w)
            )

    def ellipse(self, cx, cy, rx, ry=None, fill=None, outline=None, width=0.0, erase=False):
        ry = rx if ry is None else ry
        box = self.B(cx - rx, cy - ry, cx + rx, cy + ry)
        if fill is not None or erase:
            self._paint(fill or (0, 0, 0, 0), lambda d, c: d.ellipse(box, fill=c), erase)
        if outline is not None:
            w = max(1, round(width * self.k))
            self._paint(outline, lambda d, c: d.ellipse(box, outline=c, width=w))

    def ring(self, cx, cy, r, width, color, erase=False):
        """A circle stroke centred on radius r."""
        self.ellipse(cx, cy, r + width / 2, outline=color if not erase else None, width=width)
        if erase:
            box = self.B(
                cx - r - width / 2, cy - r - width / 2, cx + r + width / 2, cy + r + width / 2
            )
            w = round(width * self.k)
            self._paint((0, 0, 0, 0), lambda d, c: d.ellipse(box, outline=c, width=w), True)

    def poly(self, pts, fill=None, outline=None, width=0.0, erase=False):
        p = self.P(pts)
        if fill is not None or erase:
            self._paint(fill or (0, 0, 0, 0), lambda d, c: d.polygon(p, fill=c), erase)
        if outline is not None:
            self.line(list(pts) + [pts[0]], outline, width)

    def line(self, pts, color, width, caps=True, erase=False):
        p = self.P(pts)
        w = max(1, round(width * self.k))
        rr = w / 2

        def fn(d, c):
            d.line(p, fill=c, width=w, joint="curve")
            if caps:
                for x, y in (p[0], p[-1]):
                    d.ellipse([x - rr, y - rr, x + rr, y + rr], fill=c)

        self._paint(color, fn, erase)

    def arc(self, cx, cy, r, a0, a1, color, width, caps=True, erase=False):
        """Stroke centred on radius r from a0 to a1 (degrees, clockwise from 3 o'clock)."""
        rr = r + width / 2
        box = self.B(cx - rr, cy - rr, cx + rr, cy + rr)
        w = max(1, round(width * self.k))
        ends = [on_circle(cx, cy, r, a0), on_circle(cx, cy, r, a1)]
        k = self.k

        def fn(d, c):
            d.arc(box, a0, a1, fill=c, width=w)
            if caps:
                for x, y in ends:
                    d.ellipse(
                        [
                            (x - width / 2) * k,
                            (y - width / 2) * k,
                            (x + width / 2) * k,
                            (y + width / 2) * k,
                        ],
                        fill=c,
                    )

        self._paint(color, fn, erase)

    def dashed(self, pts, color, width, dash, gap, caps=True):
        """A dashed polyline (dash / gap lengths in output pixels)."""
        segs: list[list[Point]] = []
        cur: list[Point] = []
        pos, on = 0.0, True
        left = dash
        for a, b in zip(pts, pts[1:], strict=False):
            seg = math.dist(a, b)
            t = 0.0
            while seg - t > 1e-9:
                step = min(left, seg - t)
                p0 = (a[0] + (b[0] - a[0]) * t / seg, a[1] + (b[1] - a[1]) * t / seg)
                t += step
                p1 = (a[0] + (b[0] - a[0]) * t / seg, a[1] + (b[1] - a[1]) * t / seg)
                if on:
                    if not cur:
                        cur.append(p0)
                    cur.append(p1)
                left -= step
                pos += step
                if left <= 1e-9:
                    if on and cur:
                        segs.append(cur)
                        cur = []
                    on = not on
                    left = dash if on else gap
        if cur:
            segs.append(cur)
        p_all = [self.P(s) for s in segs if len(s) > 1]
        w = max(1, round(width * self.k))
        rr = w / 2

        def fn(d, c):
            for p in p_all:
                d.line(p, fill=c, width=w, joint="curve")
                if caps:
                    for x, y in (p[0], p[-1]):
                        d.ellipse([x - rr, y - rr, x + rr, y + rr], fill=c)

        self._paint(color, fn)

    def glow(self, cx, cy, r, color, max_alpha=70, steps=10, inner=0.0):
        """Soft radial glow as stepped concentric discs (compresses well)."""
        lay = Image.new("RGBA", self.im.size, (0, 0, 0, 0))
        d = ImageDraw.Draw(lay)
        for i in range(steps):
            f = i / steps
            rad = r - (r - inner) * f
            a = round(max_alpha * ((i + 1) / steps) ** 1.6)
            d.ellipse(self.B(cx - rad, cy - rad, cx + rad, cy + rad), fill=rgba(color, a))
        self.im.alpha_composite(lay)

    def font(self, name: str, size: float) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(FONT_DIR / name), round(size * self.k))

    def text(self, x, y, s, font_name, size, color, anchor="ls", tracking=0.0, colors=None):
        """Draw text; ``tracking`` is extra spacing in output px; ``colors`` per character."""
        f = self.font(font_name, size)
        k = self.k
        d = ImageDraw.Draw(self.im)
        if not tracking and not colors:
            d.text((x * k, y * k), s, font=f, fill=rgba(color), anchor=anchor)
            return
        widths = [f.getlength(ch) + tracking * k for ch in s]
        total = sum(widths) - tracking * k
        if anchor[0] == "m":
            cx = x * k - total / 2
        elif anchor[0] == "r":
            cx = x * k - total
        else:
            cx = x * k
        for i, ch in enumerate(s):
            c = rgba(colors[i]) if colors else rgba(color)
            d.text((cx, y * k), ch, font=f, fill=c, anchor="l" + anchor[1])
            cx += widths[i]

    @staticmethod
    def text_width(font_name: str, size: float, s: str, tracking: float = 0.0) -> float:
        f = ImageFont.truetype(str(FONT_DIR / font_name), round(size * 8))
        return (sum(f.getlength(ch) for ch in s) / 8) + tracking * (len(s) - 1)

    # -- layers
    @contextmanager
    def layer(
        self,
        opacity: float = 1.0,
        clip: Sequence[Point] | None = None,
        clip_ellipse: tuple[float, float, float, float] | None = None,
    ) -> Iterator[None]:
        """Draw into a separate layer, optionally clipped to a polygon/ellipse, then merge."""
        saved = self.im
        lay = Image.new("RGBA", saved.size, (0, 0, 0, 0))
        self.im = lay
        try:
            yield
        finally:
            self.im = saved
            alpha = lay.getchannel("A")
            if clip is not None or clip_ellipse is not None:
                m = Image.new("L", saved.size, 0)
                md = ImageDraw.Draw(m)
                if clip is not None:
                    md.polygon(self.P(clip), fill=255)
                if clip_ellipse is not None:
                    cx, cy, rx, ry = clip_ellipse
                    md.ellipse(self.B(cx - rx, cy - ry, cx + rx, cy + ry), fill=255)
                alpha = ImageChops.multiply(alpha, m)
            if opacity < 1:
                alpha = alpha.point(lambda v: round(v * opacity))
            lay.putalpha(alpha)
            saved.alpha_composite(lay)

    def result(self) -> Image.Image:
        return self.im.resize((self.w, self.h), Image.Resampling.LANCZOS)


# --------------------------------------------------------------------------- saving

WRITTEN: list[tuple[Path, int]] = []


def _png_bytes(im: Image.Image) -> bytes:
    import io

    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


ONLY: list[str] = []  # optional filters from the command line


def save(im: Image.Image, rel: str, opaque: bool) -> None:
    """Quantise (no dithering: flat art) to the most colours that fit the size budget."""
    if ONLY and not any(w in rel for w in ONLY):
        return
    path = ROOT / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    best: bytes | None = None
    for n in (192, 128, 96, 64, 48, 32):
        if opaque:
            q = im.convert("RGB").quantize(
                colors=n, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
            )
        else:
            q = im.quantize(colors=n, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        data = _png_bytes(q)
        best = data
        if len(data) <= MAX_BYTES:
            break
    assert best is not None
    if not opaque:
        # tiny transparent images: keep full RGBA when it is not bigger than the palette one
        full = _png_bytes(im)
        if len(full) <= len(best) * 1.15 and len(full) <= MAX_BYTES:
            best = full
    path.write_bytes(best)
    WRITTEN.append((path, len(best)))


# =========================================================================== kokawa

K_TERRA = "#B5543C"
K_TERRA_D = "#8E3F2C"
K_TERRA_L = "#D98B6E"
K_SAND = "#E8D5BF"
K_SAND_D = "#D6BC9E"
K_SAND_L = "#F3E8DA"
K_OFFW = "#FAF6F0"
K_SAGE = "#8F9C7E"
K_SAGE_D = "#6E7B5F"
K_SAGE_L = "#B4BEA5"
K_GOLD = "#C9A15A"
K_GOLD_L = "#E6CC92"
K_BROWN = "#6B4A3A"
K_BLUSH = "#E9BFAA"
K_CREAM = "#FFFDF9"
K_RATTAN = "#C9A26B"
K_RATTAN_D = "#A98350"
K_PLUM = "#6E3F55"

KDIR = "brands/kokawa/assets"

# kokawa's paper (the sand panel, the lighter disc, the sand rays and floor) is
# translucent sand, not opaque cream: over the email's cream surface it shows the same
# colours, and in a client that darkens the email itself (Gmail's apps, Outlook.com,
# Outlook for Windows: they never recolour images) it tints the dark surface instead of
# glaring as a cream block (`mailkit check`'s inversion rule).
K_PANEL = rgba(K_SAND_D, 77)  # over #FFFBF7: K_SAND_L
K_DISC = rgba(K_SAND_D, 20)  # over #FFFBF7: K_OFFW
K_RAY = rgba(K_SAND_D, 145)  # over #FFFBF7: K_SAND
K_FLOOR = rgba(K_SAND_D, 98)  # over K_PANEL: K_SAND


def k_paper(w: int, h: int, ss: int = 3) -> Art:
    """A transparent canvas with kokawa's sand panel on it."""
    a = Art(w, h, ss=ss)
    a.rect(0, 0, w, h, fill=K_PANEL)
    return a


def k_disc(a: Art, cx: float, cy: float, r: float) -> None:
    """The lighter disc: the panel cut out, a fainter sand put in its place."""
    a.ellipse(cx, cy, r, erase=True)
    a.ellipse(cx, cy, r, fill=K_DISC)


def k_logo() -> None:
    a = Art(320, 96, ss=4)
    name, track = "LiberationSerif-Regular.ttf", 3.0
    size = 80.0
    while Art.text_width(name, size, "kokawa", track) > 292:
        size -= 1
    a.text(160, 70, "kokawa", name, size, K_TERRA, anchor="ms", tracking=track)
    save(a.result(), f"{KDIR}/logo.png", opaque=False)


def k_hero_colis() -> None:
    a = Art(1200, 600, ss=2)  # on the email's own surface: no paper of its own
    # backdrop: sun disc with short rays ("faire rayonner")
    a.ellipse(610, 300, 230, fill=K_PANEL)
    for i in range(20):
        ang = -90 + i * 18
        a.line([on_circle(610, 300, 256, ang), on_circle(610, 300, 282, ang)], K_RAY, 7)
    for x, y, r, c in [
        (210, 140, 9, K_SAND),
        (980, 470, 12, K_SAND),
        (1010, 150, 6, K_BLUSH),
        (170, 430, 6, K_BLUSH),
        (1090, 330, 7, K_SAND_D),
        (300, 520, 5, K_SAND_D),
    ]:
        a.ellipse(x, y, r, fill=c)
    for x, y, r in [(250, 250, 13), (960, 240, 10), (1060, 420, 9)]:
        a.poly(sparkle(x, y, r), fill=K_GOLD)
    # ground shadow
    a.ellipse(640, 505, 250, 20, fill=rgba(K_SAND_D, 150))
    # eucalyptus sprig on the left
    stem = bez((395, 505), (360, 430), (360, 330), (330, 240), 30)
    a.line(stem, K_SAGE_D, 5)
    for i, t in enumerate([0.18, 0.3, 0.42, 0.54, 0.66, 0.78, 0.9]):
        (px, py), ang = along(stem, t)
        side = 1 if i % 2 else -1
        a.poly(
            leaf(px, py, 46 - i * 3, 34 - i * 2, ang + 90 + side * 55),
            fill=K_SAGE if i % 3 else K_SAGE_L,
        )
    a.ellipse(330, 240, 8, fill=K_SAGE)
    # parcel (pseudo 3D): front face, right side, top
    x0, x1, yt, yb = 455, 695, 300, 500
    dx, dy = 120, -70
    kraft, kraft_side, kraft_top = "#D9A47A", "#C48A60", "#E7BD96"
    a.rect(x0, yt, x1, yb, fill=kraft)
    a.poly([(x1, yt), (x1 + dx, yt + dy), (x1 + dx, yb + dy), (x1, yb)], fill=kraft_side)
    a.poly([(x0, yt), (x0 + dx, yt + dy), (x1 + dx, yt + dy), (x1, yt)], fill=kraft_top)
    # ribbon: front vertical band, top band (depth), side band
    mx, bw = (x0 + x1) / 2, 15
    a.rect(mx - bw, yt, mx + bw, yb, fill=K_TERRA)
    a.poly(
        [(mx - bw, yt), (mx + bw, yt), (mx + bw + dx, yt + dy), (mx - bw + dx, yt + dy)],
        fill=K_TERRA,
    )
    t0, t1 = 0.43, 0.57
    a.poly(
        [
            (x0 + dx * t0, yt + dy * t0),
            (x1 + dx * t0, yt + dy * t0),
            (x1 + dx * t1, yt + dy * t1),
            (x0 + dx * t1, yt + dy * t1),
        ],
        fill=K_TERRA,
    )
    a.poly(
        [
            (x1 + dx * t0, yt + dy * t0),
            (x1 + dx * t1, yt + dy * t1),
            (x1 + dx * t1, yb + dy * t1),
            (x1 + dx * t0, yb + dy * t0),
        ],
        fill=K_TERRA_D,
    )
    # bow on top
    bx, by = mx + dx / 2, yt + dy / 2
    a.poly(leaf(bx, by, 70, 46, -62), fill=K_TERRA_D)
    a.poly(leaf(bx, by, 70, 46, 62), fill=K_TERRA_D)
    a.poly(leaf(bx, by, 58, 34, -62), fill=K_TERRA)
    a.poly(leaf(bx, by, 58, 34, 62), fill=K_TERRA)
    a.line([(bx, by), (bx - 30, by + 34)], K_TERRA, 10)
    a.line([(bx, by), (bx + 22, by + 40)], K_TERRA, 10)
    a.ellipse(bx, by, 13, fill=K_TERRA_D)
    # label with a heart on the front face
    a.rect(482, 395, 552, 470, fill=K_CREAM, r=8)
    a.poly(heart(517, 432, 42), fill=K_TERRA)
    # hearts floating up
    a.poly(heart(860, 200, 62, 12), fill=K_TERRA)
    a.poly(heart(930, 120, 40, -10), fill=K_TERRA_L)
    a.poly(heart(820, 95, 26, 8), fill=K_BLUSH)
    a.dashed(bez((760, 250), (790, 230), (800, 220), (830, 215), 12), K_SAND_D, 4, 8, 9)
    save(a.result(), f"{KDIR}/hero-colis.png", opaque=False)


def k_whatsapp() -> None:
    a = Art(48, 48, ss=10)
    white = "#FFFFFF"
    a.ellipse(24.5, 23, 19, fill=white)
    a.poly([(11, 32), (6, 44), (19, 39.5)], fill=white)
    # phone handset cut out of the bubble
    a.arc(28.5, 19.5, 10, 90, 180, None, 4.6, caps=False, erase=True)
    a.line([(18.5, 20.5), (18.5, 13.5)], None, 6.4, erase=True)
    a.line([(27.5, 29.5), (34.5, 29.5)], None, 6.4, erase=True)
    save(a.result(), f"{KDIR}/whatsapp.png", opaque=False)


def k_product_base(a: Art) -> None:
    k_disc(a, 260, 250, 196)


def k_vase() -> None:
    a = k_paper(520, 520)
    k_product_base(a)
    a.ellipse(260, 446, 118, 15, fill=rgba(K_SAND_D, 170))
    # dried pampas stems
    for (tx, ty), plume in [((190, 50), K_SAND), ((262, 26), "#EADBC6"), ((336, 62), K_SAND_D)]:
        stem = qbez((260, 150), ((260 + tx) / 2, 110), (tx, ty), 16)
        a.line(stem, K_BROWN, 3)
        (px, py), ang = along(stem, 0.55)
        a.poly(leaf(px, py, 90, 34, ang + 90), fill=plume)
        for t in (0.6, 0.72, 0.84):
            (qx, qy), qa = along(stem, t)
            a.poly(leaf(qx, qy, 34, 12, qa + 90 - 38), fill=plume)
            a.poly(leaf(qx, qy, 34, 12, qa + 90 + 38), fill=plume)
    # vase body from a profile
    right = bez((42, 140), (28, 178), (124, 214), (112, 330), 30)
    right += bez((112, 330), (104, 405), (82, 444), (62, 446), 20)[1:]
    body = [(260 + x, y) for x, y in right] + [(260 - x, y) for x, y in reversed(right)]
    a.poly(body, fill=K_TERRA)
    with a.layer(clip=body):
        a.poly(
            [(260 + x * 0.1 + 14, y) for x, y in right] + [(420, 446), (420, 140)],
            fill=rgba(K_TERRA_D, 90),
        )
        a.poly(leaf(195, 405, 200, 34, 8), fill=rgba(K_TERRA_L, 150))
        for yy in (268, 290):
            a.ellipse(260, yy, 130, 16, outline=rgba(K_SAND, 200), width=4)
    a.ellipse(260, 140, 43, 9, fill=K_TERRA_L)
    a.ellipse(260, 141, 35, 6, fill=K_TERRA_D)
    save(a.result(), f"{KDIR}/vase-terracotta.png", opaque=False)


def k_cushion() -> None:
    a = k_paper(520, 520)
    k_product_base(a)
    a.ellipse(262, 420, 170, 16, fill=rgba(K_SAND_D, 170))
    cx, cy = 260, 262
    c = [(cx - 160, cy - 140), (cx + 158, cy - 146), (cx + 162, cy + 140), (cx - 156, cy + 144)]
    inset = [(cx, cy - 118), (cx + 136, cy), (cx, cy + 120), (cx - 134, cy)]
    shape: list[Point] = []
    for i in range(4):
        shape += qbez(c[i], inset[i], c[(i + 1) % 4], 24)[:-1]
    linen, linen_d, linen_l = "#D8C6AC", "#BFA98B", "#E6D8C3"
    a.poly(shape, fill=linen)
    with a.layer(clip=shape):
        a.ellipse(cx - 20, cy - 25, 120, 95, fill=rgba(linen_l, 200))
        a.ellipse(cx + 150, cy + 150, 190, 170, fill=rgba(linen_d, 70))
        # terracotta woven stripes
        for off in (-72, -58):
            a.line(
                qbez((cx + off, cy - 150), (cx + off + 12, cy), (cx + off, cy + 150)),
                K_TERRA if off == -72 else K_TERRA_L,
                7,
                caps=False,
            )
    a.line(shape + [shape[0]], linen_d, 4)
    # corner pinches
    for (px, py), (ix, iy) in zip(
        c,
        [(cx - 110, cy - 95), (cx + 108, cy - 100), (cx + 112, cy + 96), (cx - 106, cy + 100)],
        strict=True,
    ):
        a.line(qbez((px, py), ((px + ix) / 2 + 6, (py + iy) / 2 - 6), (ix, iy), 10), linen_d, 3)
    # tassels
    for px, py in c:
        a.poly(
            leaf(
                px,
                py,
                26,
                14,
                180 + (35 if px < cx else -35) * (1 if py > cy else -1) + (0 if py > cy else 180),
            ),
            fill=K_TERRA,
        )
    save(a.result(), f"{KDIR}/coussin-lin.png", opaque=False)


def k_candle() -> None:
    a = k_paper(520, 520)
    k_product_base(a)
    a.ellipse(275, 444, 150, 14, fill=rgba(K_SAND_D, 170))
    a.glow(255, 180, 80, K_GOLD_L, max_alpha=150, steps=8, inner=10)
    # jar
    jx0, jx1, jt, jb = 170, 340, 240, 440
    jar, jar_d = K_PLUM, "#5A3246"
    a.ellipse(255, jb, 85, 14, fill=jar_d)
    a.rect(jx0, jt, jx1, jb, fill=jar)
    a.rect(300, jt, jx1, jb, fill=jar_d)
    a.ellipse(255, jb, 85, 14, fill=None)
    with a.layer(clip=[(jx0, jt), (jx1, jt), (jx1, jb + 14), (jx0, jb + 14)]):
        a.ellipse(255, jb, 85, 14, fill=jar_d)
    a.rect(188, 250, 200, 425, fill=rgba("#FFFFFF", 45), r=6)
    # label
    a.rect(200, 305, 310, 395, fill="#F6EEE2", r=6)
    fig = [
        (
            255 + 28 * math.sin(t / 40 * 2 * math.pi),
            362
            - 16 * math.cos(t / 40 * 2 * math.pi)
            - (14 * max(0.0, math.cos(t / 40 * 2 * math.pi)) ** 4),
        )
        for t in range(40)
    ]
    a.poly(fig, fill=K_PLUM)
    a.poly(leaf(256, 340, 26, 18, 35), fill=K_SAGE)
    # wax top + wick + flame
    a.ellipse(255, jt, 85, 16, fill="#E9D9C5")
    a.ellipse(255, jt + 3, 76, 12, fill="#F4E9DA")
    a.line([(255, jt), (256, 214)], K_BROWN, 3)
    flame = leaf(255, 218, 52, 26, 0)
    a.poly(flame, fill="#E9A54F")
    a.poly(leaf(255, 216, 30, 13, 0), fill="#F8DFA0")
    # a fig beside the jar
    fx, fy = 395, 410
    fig2 = [
        (
            fx + 36 * math.sin(t / 48 * 2 * math.pi),
            fy
            - 26 * math.cos(t / 48 * 2 * math.pi)
            - 26 * max(0.0, math.cos(t / 48 * 2 * math.pi)) ** 3,
        )
        for t in range(48)
    ]
    a.poly(fig2, fill="#7E4A63")
    a.poly(leaf(fx - 10, fy + 10, 40, 16, -30), fill=rgba("#FFFFFF", 40))
    a.line([(fx, fy - 50), (fx + 4, fy - 62)], K_BROWN, 5)
    a.poly(leaf(fx + 4, fy - 58, 48, 30, 55), fill=K_SAGE)
    save(a.result(), f"{KDIR}/bougie-figue.png", opaque=False)


def k_plaid() -> None:
    a = k_paper(520, 520)
    k_product_base(a)
    a.ellipse(262, 430, 190, 16, fill=rgba(K_SAND_D, 170))
    oat, oat_d, oat_dd = "#EFE3D0", "#DCCBB1", "#C8B494"

    def fold(x0, y0, x1, y1, col, col_d, grid_col, step):
        shape = rounded_rect_path(x0, y0, x1, y1, (y1 - y0) / 2.3)
        a.poly(shape, fill=col)
        with a.layer(clip=shape):
            for gx in range(int(x0) - 40, int(x1) + 40, step):
                a.line([(gx, y0), (gx + 10, y1)], grid_col, 3, caps=False)
            for gy in range(int(y0) + step // 2, int(y1), step):
                a.line([(x0, gy), (x1, gy)], grid_col, 3, caps=False)
            a.rect(x0, y1 - (y1 - y0) * 0.3, x1, y1 + 2, fill=rgba(col_d, 120))
        return shape

    # fringe on the right of the big plaid
    for i in range(9):
        yy = 330 + i * 9.5
        a.line([(428, yy), (448, yy + 5)], oat_dd, 3)
    fold(80, 320, 432, 420, oat, oat_d, rgba(oat_dd, 110), 20)
    fold(96, 250, 420, 330, "#F4EADC", oat_d, rgba(oat_dd, 110), 20)
    # a smaller terracotta waffle throw on top
    for i in range(7):
        yy = 196 + i * 8.5
        a.line([(396, yy), (414, yy + 4)], K_TERRA_D, 3)
    fold(132, 186, 400, 256, K_TERRA, K_TERRA_D, rgba(K_TERRA_D, 140), 18)
    # a sprig of dried flowers as accent
    a.line(qbez((150, 186), (180, 140), (240, 118), 12), K_BROWN, 3)
    for (px, py), r in [((240, 118), 9), ((214, 128), 7), ((190, 142), 6)]:
        a.ellipse(px, py, r, fill=K_GOLD_L)
    save(a.result(), f"{KDIR}/plaid-gaufre.png", opaque=False)


def k_mirror() -> None:
    a = k_paper(520, 520)
    k_product_base(a)
    cx, cy = 260, 258
    a.ellipse(cx + 10, cy + 14, 215, fill=rgba(K_SAND_D, 110))
    a.line([(cx, cy - 150), (cx, 10)], K_BROWN, 3)
    # sun rays in rattan
    for i in range(24):
        ang = i * 15
        (bx, by) = on_circle(cx, cy, 120, ang)
        col = K_RATTAN if i % 2 == 0 else "#D7B682"
        a.poly(leaf(bx, by, 98 if i % 2 == 0 else 80, 26, ang + 90), fill=col)
        a.line(
            [(bx, by), on_circle(cx, cy, 120 + (86 if i % 2 == 0 else 68), ang)],
            rgba(K_RATTAN_D, 200),
            2,
        )
    a.ellipse(cx, cy, 134, fill="#B98F58")
    for i in range(48):
        ang = i * 7.5
        a.line([on_circle(cx, cy, 114, ang), on_circle(cx, cy, 132, ang + 5)], K_RATTAN_D, 4)
    a.ellipse(cx, cy, 110, fill="#E4E7E2")
    with a.layer(clip_ellipse=(cx, cy, 110, 110)):
        a.poly(
            [(cx - 140, cy + 10), (cx + 10, cy - 140), (cx + 60, cy - 140), (cx - 140, cy + 60)],
            fill=rgba("#FFFFFF", 170),
        )
        a.poly(
            [(cx - 60, cy + 140), (cx + 140, cy - 60), (cx + 140, cy - 35), (cx - 35, cy + 140)],
            fill=rgba("#FFFFFF", 120),
        )
    save(a.result(), f"{KDIR}/miroir-rotin.png", opaque=False)


def k_basket() -> None:
    a = k_paper(520, 520)
    k_product_base(a)
    a.ellipse(262, 446, 140, 15, fill=rgba(K_SAND_D, 170))
    cx, top, bot = 260, 238, 440
    # interior + plant leaves rising from the basket
    a.ellipse(cx, top, 150, 28, fill="#8C6239")
    for ang, ln, wd, col in [
        (-40, 150, 60, K_SAGE_D),
        (35, 160, 58, K_SAGE_D),
        (-12, 200, 66, K_SAGE),
        (14, 175, 60, K_SAGE_L),
        (-62, 120, 50, K_SAGE),
        (60, 125, 48, K_SAGE),
    ]:
        bx = cx + ang * 0.8
        lf = leaf(bx, top + 10, ln, wd, ang)
        a.poly(lf, fill=col)
        (tx, ty) = rot([(bx, top + 10 - ln * 0.9)], bx, top + 10, ang)[0]
        a.line([(bx, top + 10), (tx, ty)], rgba(K_SAGE_D, 160), 2)
    # rope handles
    for side in (-1, 1):
        hx = cx + side * 150
        a.ellipse(hx + side * 10, top + 30, 20, 14, outline="#9E7443", width=7)
    body = bez((cx - 152, top), (cx - 140, top + 120), (cx - 122, bot), (cx - 100, bot), 20)
    body += bez((cx + 100, bot), (cx + 122, bot), (cx + 140, top + 120), (cx + 152, top), 20)
    body += [
        (cx + 152 * math.cos(math.pi * j / 30), top + 28 * math.sin(math.pi * j / 30))
        for j in range(31)
    ]
    a.poly(body, fill="#B98F58")
    with a.layer(clip=body):
        row_h = 22
        for r_i, yy in enumerate(range(top - 10, bot + 20, row_h)):
            off = 0 if r_i % 2 == 0 else 20
            for xx in range(cx - 200 + off, cx + 200, 40):
                a.rect(
                    xx + 3,
                    yy + 3,
                    xx + 37,
                    yy + row_h - 3,
                    fill=K_RATTAN if r_i % 2 else "#D4AE77",
                    r=9,
                )
        a.poly(
            [(cx + 40, top - 30), (cx + 220, top - 30), (cx + 220, bot + 30), (cx + 60, bot + 30)],
            fill=rgba("#7A5530", 60),
        )
    # rim
    rim = [on_circle(0, 0, 1, d) for d in range(0, 181, 4)]
    a.line([(cx + 151 * x, top + 28 * y) for x, y in rim], "#9E7443", 13)
    a.line([(cx + 151 * x, top + 28 * y) for x, y in rim], "#C9A26B", 5)
    save(a.result(), f"{KDIR}/panier-osier.png", opaque=False)


def k_hero_vip() -> None:
    a = Art(1200, 600, "#3A2923", ss=2)
    dark, arch, arch2 = "#2F211C", "#4A352D", "#5A3A2E"
    # faint pattern of gold dots
    for i in range(0, 1200, 40):
        for j in range(20, 600, 40):
            if (i // 40 + j // 40) % 2 == 0:
                a.ellipse(i + 20, j, 1.6, fill=rgba(K_GOLD, 60))

    def arch_shape(cx, w, top, bottom=600):
        r = w / 2
        pts = [on_circle(cx, top + r, r, 180 + i * 6) for i in range(31)]
        return pts + [(cx + r, bottom), (cx - r, bottom)]

    a.poly(arch_shape(330, 220, 210), fill=arch2)
    a.poly(arch_shape(870, 220, 210), fill=arch2)
    a.poly(arch_shape(330, 220, 210), outline=rgba(K_GOLD, 150), width=2)
    a.poly(arch_shape(870, 220, 210), outline=rgba(K_GOLD, 150), width=2)
    a.poly(arch_shape(600, 340, 90), fill=arch)
    a.poly(arch_shape(600, 300, 120), outline=K_GOLD, width=3)
    # golden sun
    a.glow(600, 320, 200, K_GOLD, max_alpha=80, steps=10, inner=100)
    for i in range(36):
        ang = i * 10
        ln = 40 if i % 2 else 26
        a.line(
            [on_circle(600, 320, 112, ang), on_circle(600, 320, 112 + ln, ang)],
            rgba(K_GOLD_L, 200),
            3,
        )
    a.ellipse(600, 320, 95, fill=K_GOLD)
    a.ellipse(600, 320, 78, outline=K_GOLD_L, width=3)
    a.ellipse(600, 320, 60, fill="#D8B36C")
    # ribbon sweep and ground line
    a.rect(0, 520, 1200, 600, fill=dark)
    a.line([(0, 520), (1200, 520)], rgba(K_GOLD, 180), 2)
    a.line(
        bez((-20, 470), (300, 600), (900, 380), (1220, 470), 60), rgba(K_GOLD_L, 110), 3, caps=False
    )
    a.line(
        bez((-20, 490), (300, 620), (900, 400), (1220, 490), 60), rgba(K_GOLD, 90), 2, caps=False
    )
    # sparkles
    for x, y, r in [
        (160, 140, 16),
        (1040, 120, 20),
        (980, 400, 10),
        (230, 420, 11),
        (440, 90, 9),
        (770, 80, 12),
        (1120, 300, 8),
        (80, 300, 9),
    ]:
        a.poly(sparkle(x, y, r), fill=K_GOLD_L)
    save(a.result(), f"{KDIR}/hero-vip.png", opaque=True)


def k_hero_winback() -> None:
    a = k_paper(1200, 600, ss=2)
    # geometric backdrop
    k_disc(a, 610, 290, 200)
    r = 120
    arch = [on_circle(330, 140 + r, r, 180 + i * 6) for i in range(31)] + [(450, 600), (210, 600)]
    a.poly(arch, fill=K_TERRA_L)
    a.ellipse(930, 200, 90, fill=K_SAGE_L)
    a.rect(860, 300, 1080, 540, fill=K_FLOOR, r=0)
    for i in range(5):
        a.line([(80, 120 + i * 16), (160, 120 + i * 16)], K_SAND_D, 4)
    for i in range(6):
        for j in range(4):
            a.ellipse(1100 + j * 18, 90 + i * 18, 3, fill=K_SAND_D)
    a.rect(0, 540, 1200, 600, erase=True)  # the floor, over the foot of the arch
    a.rect(0, 540, 1200, 600, fill=K_RAY)
    # plant in a pot in front of the arch
    pot_top, pot_bot = 430, 545
    for ang, ln, wd, col in [
        (-48, 190, 70, K_SAGE_D),
        (46, 200, 70, K_SAGE_D),
        (-22, 250, 80, K_SAGE),
        (20, 235, 78, K_SAGE),
        (0, 280, 84, K_SAGE_L),
        (-70, 140, 56, K_SAGE),
        (70, 150, 56, K_SAGE),
    ]:
        lf = leaf(330, pot_top + 5, ln, wd, ang)
        a.poly(lf, fill=col)
        tip = rot([(330, pot_top + 5 - ln * 0.85)], 330, pot_top + 5, ang)[0]
        a.line([(330, pot_top + 5), tip], rgba(K_SAGE_D, 170), 3)
    a.poly([(262, pot_top), (398, pot_top), (380, pot_bot), (280, pot_bot)], fill=K_TERRA)
    a.rect(254, pot_top - 8, 406, pot_top + 18, fill=K_TERRA_D, r=5)
    # vase with a branch on the disc
    a.line(bez((610, 330), (600, 220), (640, 170), (690, 110), 24), K_BROWN, 4)
    for t in (0.45, 0.6, 0.75, 0.9):
        pts = bez((610, 330), (600, 220), (640, 170), (690, 110), 24)
        (px, py), ang = along(pts, t)
        a.poly(leaf(px, py, 46, 22, ang + 90 - 50), fill=K_SAGE)
        a.poly(leaf(px, py, 40, 20, ang + 90 + 50), fill=K_SAGE_D)
    right = (
        bez((30, 330), (20, 350), (96, 380), (90, 450), 24)
        + bez((90, 450), (86, 510), (60, 540), (50, 540), 12)[1:]
    )
    vase = [(610 + x, y) for x, y in right] + [(610 - x, y) for x, y in reversed(right)]
    a.poly(vase, fill=K_CREAM)
    with a.layer(clip=vase):
        a.rect(610, 300, 720, 560, fill=rgba(K_SAND_D, 90))
        for yy in (430, 450, 470):
            a.line([(500, yy), (720, yy)], K_TERRA_L, 5, caps=False)
    a.ellipse(610, 330, 30, 6, fill=K_SAND_D)
    # stacked sculpture on the right
    a.ellipse(965, 480, 70, fill=K_TERRA)
    a.poly([on_circle(965, 410, 60, 180 + i * 6) for i in range(31)], fill=K_SAGE_D)
    a.rect(930, 300, 1000, 350, fill=K_GOLD_L, r=35)
    # "new" sparkles
    for x, y, rr in [
        (520, 110, 18),
        (760, 150, 12),
        (190, 220, 11),
        (1110, 430, 14),
        (460, 480, 9),
    ]:
        a.poly(sparkle(x, y, rr), fill=K_GOLD)
    save(a.result(), f"{KDIR}/hero-winback.png", opaque=False)


# -- social icons (glyphs in a 64 px grid)


def g_instagram(a: Art, col: Color) -> None:
    a.rect(17, 17, 47, 47, outline=col, width=4.2, r=9)
    a.ring(32, 32, 7.2, 4.2, col)
    a.ellipse(40.6, 23.4, 2.4, fill=col)


def g_facebook(a: Art, col: Color) -> None:
    a.rect(27.5, 27, 33.5, 50, fill=col)
    a.arc(39.5, 27, 9, 180, 270, col, 6, caps=False)
    a.rect(39.5, 15, 43.5, 21, fill=col)
    a.rect(22.5, 30.5, 41.5, 36, fill=col)


def g_pinterest(a: Art, col: Color) -> None:
    a.arc(33.5, 28, 10.5, 150, 505, col, 5.4, caps=True)
    a.line([(30.8, 26), (25.5, 50)], col, 5.4)


def g_twitter(a: Art, col: Color) -> None:
    a.poly([(19, 18), (27.5, 18), (45, 46), (36.5, 46)], fill=col)
    a.line([(21, 45.5), (43, 18.5)], col, 3.4, caps=False)


def g_youtube(a: Art, col: Color, bg: Color) -> None:
    a.rect(15, 20, 49, 44, fill=col, r=9)
    a.poly([(28.5, 25.5), (28.5, 38.5), (39.5, 32)], fill=bg)


def social(rel: str, bg: Color, glyph: Callable[[Art], None]) -> None:
    a = Art(64, 64, ss=8)
    a.ellipse(32, 32, 32, fill=bg)
    glyph(a)
    save(a.result(), rel, opaque=False)


def kokawa() -> None:
    k_logo()
    k_hero_colis()
    k_whatsapp()
    k_vase()
    k_cushion()
    k_candle()
    k_plaid()
    k_mirror()
    k_basket()
    k_hero_vip()
    k_hero_winback()
    w = "#FFFFFF"
    social(f"{KDIR}/social-instagram.png", K_TERRA, lambda a: g_instagram(a, w))
    social(f"{KDIR}/social-facebook.png", K_TERRA, lambda a: g_facebook(a, w))
    social(f"{KDIR}/social-pinterest.png", K_TERRA, lambda a: g_pinterest(a, w))


# =========================================================================== R-PUR

R_BG = "#111418"
R_G1 = "#181D22"
R_G2 = "#222830"
R_G3 = "#2E353F"
R_G4 = "#424B57"
R_G5 = "#6B7684"
R_LG = "#C9D1D9"
R_GREEN = "#3DDC84"
R_CYAN = "#00E0B8"
R_CORAL = "#FF6B5A"
R_VIOLET = "#8A7BFF"
R_WHITE = "#F4F6F8"

RDIR = "brands/r-pur/assets"


def draw_mask(
    a: Art,
    cx: float,
    cy: float,
    s: float,
    deg: float = 0,
    body: Color = "#DDE3E9",
    shade: Color = "#B9C2CC",
    seam: Color = "#9AA5B1",
    accent: Color = R_GREEN,
    strap: Color | None = R_G5,
    valves: bool = False,
) -> None:
    def T(pts: Sequence[Point]) -> list[Point]:
        return place(pts, cx, cy, s, deg)

    if strap:  # ear loops
        for sx in (-1, 1):
            loop = bez((sx * 0.9, -0.22), (sx * 1.45, -0.3), (sx * 1.5, 0.42), (sx * 0.7, 0.42), 30)
            a.line(T(loop), strap, s * 0.05)
    outline = T(mask_outline())
    a.poly(outline, fill=body)
    with a.layer(clip=outline):
        half = [(0, -0.7), (1.2, -0.7), (1.2, 0.8), (0, 0.8)]
        a.poly(T(half), fill=rgba(shade, 200))
        a.poly(
            T([(x * 0.86, y * 0.86 + 0.1) for x, y in mask_outline()]),
            outline=rgba(seam, 150),
            width=max(1.0, s * 0.012),
        )
        a.line(T(qbez((0, -0.56), (0.03, 0.05), (0, 0.66), 16)), seam, max(1.5, s * 0.02))
    # nose clip
    a.line(T(qbez((-0.22, -0.45), (0, -0.53), (0.22, -0.45), 12)), accent, s * 0.035)
    if valves:  # low side valves with a slotted grille
        for sx in (-1, 1):
            (vx, vy) = T([(sx * 0.56, 0.24)])[0]
            a.ellipse(vx, vy, s * 0.15, fill=seam)
            a.ellipse(vx, vy, s * 0.12, fill=accent)
            for dy in (-0.05, 0, 0.05):
                a.line(
                    T([(sx * 0.56 - 0.06, 0.24 + dy), (sx * 0.56 + 0.06, 0.24 + dy)]),
                    rgba("#000000", 120),
                    s * 0.022,
                )
    else:
        (tx, ty) = T([(0.62, 0.3)])[0]
        a.ellipse(tx, ty, s * 0.06, fill=accent)


def dot_grid(a: Art, color: Color, step: int = 40, r: float = 1.6) -> None:
    for i in range(step // 2, a.w, step):
        for j in range(step // 2, a.h, step):
            a.ellipse(i, j, r, fill=color)


def r_logo() -> None:
    # White type on a graphite badge: readable on the light body and in dark mode.
    a = Art(280, 80, ss=4)
    a.rect(0, 0, 280, 80, fill=R_BG, r=18)
    name, track, s = "LiberationSans-Bold.ttf", 2.0, 50.0
    while Art.text_width(name, s, "R-PUR", track) > 220:
        s -= 1
    a.text(
        140,
        58,
        "R-PUR",
        name,
        s,
        "#FFFFFF",
        anchor="ms",
        tracking=track,
        colors=["#FFFFFF", R_GREEN, "#FFFFFF", "#FFFFFF", "#FFFFFF"],
    )
    save(a.result(), f"{RDIR}/logo.png", opaque=False)


def r_hero_colis() -> None:
    a = Art(1200, 600, R_BG, ss=2)
    dot_grid(a, R_G2)
    a.glow(600, 300, 300, R_GREEN, max_alpha=55, steps=10, inner=60)
    # circuit traces
    for pts in (
        [(0, 150), (180, 150), (230, 200), (330, 200)],
        [(1200, 430), (1010, 430), (960, 380), (880, 380)],
        [(0, 470), (140, 470), (190, 420), (260, 420)],
        [(1200, 140), (1060, 140), (1010, 190)],
    ):
        a.line(pts, rgba(R_CYAN, 90), 3)
        a.ellipse(*pts[-1], 7, fill=R_BG, outline=rgba(R_CYAN, 160), width=3)
    # isometric open box
    N, E, S, W = (600, 250), (800, 345), (600, 440), (400, 345)
    H = 150

    def dn(p):
        return (p[0], p[1] + H)

    # back flaps
    a.poly(
        [W, N, (N[0] - 40, N[1] - 110), (W[0] - 40, W[1] - 110)],
        fill=R_G3,
        outline=rgba(R_GREEN, 200),
        width=3,
    )
    a.poly(
        [N, E, (E[0] + 40, E[1] - 110), (N[0] + 40, N[1] - 110)],
        fill=R_G4,
        outline=rgba(R_GREEN, 200),
        width=3,
    )
    a.poly([N, E, S, W], fill="#0B0E11")
    # mask rising out of the box
    for i, yy in enumerate((300, 325, 350)):
        a.line([(560 - i * 10, yy + 60), (560 - i * 10, yy + 85)], rgba(R_GREEN, 160), 4)
        a.line([(640 + i * 10, yy + 60), (640 + i * 10, yy + 85)], rgba(R_GREEN, 160), 4)
    draw_mask(a, 600, 230, 150, -6, valves=True)
    # front faces (drawn after the mask so it sits inside)
    a.poly([W, S, dn(S), dn(W)], fill=R_G3)
    a.poly([S, E, dn(E), dn(S)], fill=R_G2)
    for p, q in (
        (W, S),
        (S, E),
        (W, dn(W)),
        (S, dn(S)),
        (E, dn(E)),
        (dn(W), dn(S)),
        (dn(S), dn(E)),
    ):
        a.line([p, q], R_GREEN, 3)
    # front flaps folded out
    a.poly(
        [W, S, (S[0] - 70, S[1] + 55), (W[0] - 70, W[1] + 55)], fill=R_G4, outline=R_GREEN, width=3
    )
    a.poly(
        [S, E, (E[0] + 70, E[1] + 55), (S[0] + 70, S[1] + 55)], fill=R_G3, outline=R_GREEN, width=3
    )
    # label on the box side
    a.poly([(660, 480), (740, 442), (740, 480), (660, 518)], fill=rgba(R_CYAN, 200))
    # check badge
    a.ellipse(880, 170, 40, fill=R_GREEN)
    a.line([(862, 171), (876, 186), (900, 158)], R_BG, 9)
    for x, y, r in [(300, 100, 12), (960, 280, 9), (250, 300, 8), (720, 110, 10)]:
        a.poly(sparkle(x, y, r), fill=R_CYAN)
    save(a.result(), f"{RDIR}/hero-colis.png", opaque=True)


def r_product_base(a: Art) -> None:
    a.ellipse(260, 250, 196, fill=R_G2)
    a.ellipse(260, 250, 196, outline=rgba(R_CYAN, 60), width=2)


def r_mask_fiit() -> None:
    a = Art(520, 520, R_G1)
    r_product_base(a)
    a.glow(260, 250, 180, R_GREEN, max_alpha=40, steps=8, inner=40)
    a.ellipse(260, 420, 150, 16, fill=rgba("#000000", 90))
    draw_mask(a, 260, 248, 150, 0, valves=False, strap=R_G5)
    save(a.result(), f"{RDIR}/mask-fiit.png", opaque=True)


def r_app_screen() -> None:
    save(app_screen(), f"{RDIR}/app-screen.png", opaque=False)


def app_screen() -> Image.Image:
    """R-PUR Connect on a phone: the filter's wear gauge, two stat cards, the week's air."""
    a = Art(480, 960, ss=3)
    a.rect(6, 6, 474, 954, fill="#07090B", r=70)
    a.rect(6, 6, 474, 954, outline=R_G4, width=4, r=70)
    a.rect(22, 22, 458, 938, fill="#12161B", r=56)
    a.rect(190, 42, 290, 72, fill="#000000", r=15)
    # status bar
    a.rect(60, 50, 112, 64, fill=R_LG, r=7)
    a.rect(372, 50, 412, 66, outline=R_LG, width=2.5, r=5)
    a.rect(376, 54, 400, 62, fill=R_LG, r=2)
    for i, hgt in enumerate((6, 9, 12, 15)):
        a.rect(336 + i * 7, 66 - hgt, 340 + i * 7, 66, fill=R_LG, r=1.5)
    # header: avatar + title placeholder bars
    a.ellipse(78, 130, 20, fill=R_G3)
    draw_mask(
        a, 78, 131, 16, 0, body=R_GREEN, shade=R_CYAN, seam=R_G3, accent="#FFFFFF", strap=None
    )
    a.rect(110, 116, 270, 130, fill="#FFFFFF", r=7)
    a.rect(110, 138, 210, 146, fill=R_G5, r=4)
    a.ellipse(410, 130, 20, fill=R_G2)
    a.ellipse(410, 130, 7, outline=R_LG, width=2.5)
    # filter-wear gauge at 72 %
    gx, gy, gr = 240, 380, 140
    a.glow(gx, gy, 190, R_GREEN, max_alpha=40, steps=8, inner=130)
    a.arc(gx, gy, gr, 0, 360, R_G3, 26, caps=False)
    for i in range(40):
        ang = -90 + i * 9
        a.line(
            [
                on_circle(gx, gy, gr + 24, ang),
                on_circle(gx, gy, gr + 30 + (4 if i % 5 == 0 else 0), ang),
            ],
            R_G4 if i % 5 else R_G5,
            2.5,
        )
    start, sweep, steps = -90.0, 0.72 * 360, 72
    for i in range(steps):
        c = mix(R_GREEN, R_CYAN, i / (steps - 1))
        a0 = start + sweep * i / steps
        a1 = start + sweep * (i + 1) / steps + (0.6 if i < steps - 1 else 0)
        a.arc(gx, gy, gr, a0, a1, c, 26, caps=False)
    a.ellipse(*on_circle(gx, gy, gr, start), 13, fill=R_GREEN)
    a.ellipse(*on_circle(gx, gy, gr, start + sweep), 13, fill=R_CYAN)
    a.ellipse(*on_circle(gx, gy, gr, start + sweep), 6, fill="#FFFFFF")
    a.ellipse(gx, gy, 104, fill=R_G1)
    a.text(gx + 4, gy + 18, "72%", "LiberationSans-Bold.ttf", 58, "#FFFFFF", anchor="ms")
    a.rect(gx - 44, gy + 40, gx + 44, gy + 50, fill=R_G5, r=5)
    # two stat cards
    for x0, icon in ((48, "filter"), (248, "calendar")):
        a.rect(x0, 570, x0 + 184, 700, fill=R_G2, r=22)
        if icon == "filter":
            a.poly(place(filter_outline(), x0 + 44, 612, 24), fill=R_GREEN)
            for dx in (-8, 0, 8):
                a.ellipse(x0 + 44 + dx, 612, 2.5, fill=R_G2)
        else:
            a.rect(x0 + 26, 596, x0 + 62, 630, fill=R_CYAN, r=6)
            a.rect(x0 + 26, 596, x0 + 62, 606, fill="#0FA98E", r=6)
            a.rect(x0 + 34, 614, x0 + 44, 624, fill=R_G2, r=2)
        a.rect(x0 + 24, 650, x0 + 120, 664, fill="#FFFFFF", r=7)
        a.rect(x0 + 24, 674, x0 + 90, 682, fill=R_G5, r=4)
    # weekly air quality bars
    a.rect(48, 720, 432, 840, fill=R_G2, r=22)
    for i, (hgt, col) in enumerate(
        zip(
            (40, 62, 30, 74, 52, 84, 46),
            (R_GREEN, R_GREEN, R_CYAN, "#FFC94D", R_GREEN, R_CORAL, R_CYAN),
            strict=True,
        )
    ):
        x = 84 + i * 50
        a.rect(x, 820 - hgt, x + 22, 820, fill=col, r=8)
    # bottom navigation
    for i in range(4):
        x = 96 + i * 96
        a.rect(x - 14, 872, x + 14, 892, fill=R_GREEN if i == 0 else R_G4, r=7)
    a.rect(180, 916, 300, 922, fill="#FFFFFF", r=3)
    return a.result()


def r_hero_app() -> None:
    """J+3's own hero: the mask speaking to the phone, whose gauge reads the filter."""
    a = Art(1200, 600, R_BG, ss=2)
    dot_grid(a, R_G2)
    a.glow(430, 310, 260, R_GREEN, max_alpha=50, steps=10, inner=50)
    a.ellipse(420, 470, 170, 18, fill=rgba("#000000", 110))
    draw_mask(a, 420, 300, 170, -6, valves=True)
    for i, r in enumerate((44, 78, 112)):  # the link between mask and phone
        a.arc(640, 300, r, -38, 38, rgba(R_CYAN, 210 - i * 55), 7)
    for x, y, r in [(240, 120, 11), (1080, 480, 9), (200, 470, 8), (610, 120, 10)]:
        a.poly(sparkle(x, y, r), fill=R_CYAN)
    hero = a.result().convert("RGBA")
    phone = app_screen().resize((250, 500), Image.Resampling.LANCZOS)
    hero.alpha_composite(phone, (800, 50))
    save(hero, f"{RDIR}/hero-app.png", opaque=True)


def badge(rel: str, line1: str, line2: str, glyph: Callable[[Art], None]) -> None:
    a = Art(320, 96, ss=4)
    a.rect(1, 1, 319, 95, fill="#000000", r=16)
    a.rect(1, 1, 319, 95, outline="#A6A6A6", width=2, r=16)
    glyph(a)
    x, right = 92, 304
    s2 = 38.0
    while Art.text_width("LiberationSans-Regular.ttf", s2, line2) > right - x:
        s2 -= 0.5
    s1 = min(18.0, s2 * 0.55)
    a.text(x, 40, line1, "LiberationSans-Regular.ttf", s1, "#FFFFFF", anchor="ls")
    a.text(x - 1, 76, line2, "LiberationSans-Regular.ttf", s2, "#FFFFFF", anchor="ls")
    save(a.result(), rel, opaque=False)


def glyph_app_store(a: Art) -> None:
    a.rect(22, 20, 78, 76, fill="#1C8CF2", r=13)
    w = "#FFFFFF"
    a.line([(44, 34), (58, 61)], w, 5)
    a.line([(55, 34), (39, 62)], w, 5)
    a.line([(33, 54), (66, 54)], w, 5)
    a.line([(61, 58), (65, 63)], w, 5)


def glyph_google_play(a: Art) -> None:
    tl, bl, r = (26, 20), (26, 76), (72, 48)
    c = (45, 48)
    a.poly([tl, c, bl], fill="#00C3FF")
    a.poly([tl, r, c], fill="#00E676")
    a.poly([bl, c, r], fill="#FF3D57")
    a.poly([(58, 38.5), r, (58, 57.5), (53, 48)], fill="#FFC400")


def r_accessory_base() -> Art:
    a = Art(520, 520, R_G1)
    r_product_base(a)
    return a


def r_case() -> None:
    a = r_accessory_base()
    a.ellipse(262, 392, 170, 18, fill=rgba("#000000", 110))
    x0, y0, x1, y1, rr = 100, 170, 420, 350, 90
    a.ellipse(x0 - 28, 224, 44, 30, outline=R_GREEN, width=9)
    a.rect(x0, y0 + 26, x1, y1 + 26, fill="#1E242B", r=rr)
    a.rect(x0, y0, x1, y1, fill=R_G4, r=rr)
    a.rect(x0 + 8, y0 + 8, x1 - 8, y1 - 8, fill="#48525F", r=rr - 8)
    a.ellipse(230, 230, 130, 60, fill=rgba("#FFFFFF", 14))
    a.rect(x0, y0 + 86, x1, y0 + 100, fill=rgba("#000000", 40))
    zipper_y = y0 + 93
    a.line([(x0 + 4, zipper_y), (x1 - 4, zipper_y)], "#1A1F25", 8, caps=False)
    a.dashed([(x0 + 10, zipper_y), (x1 - 10, zipper_y)], R_G5, 4, 5, 4, caps=False)
    # zipper pull
    a.rect(x1 - 78, zipper_y - 10, x1 - 44, zipper_y + 10, fill=R_LG, r=6)
    a.rect(x1 - 66, zipper_y + 6, x1 - 52, zipper_y + 56, fill=R_GREEN, r=7)
    a.ellipse(x1 - 59, zipper_y + 46, 3.5, fill="#1A1F25")
    # wrist loop
    a.rect(x0 - 8, 192, x0 + 12, 226, fill=R_G3, r=6)
    # embossed mark
    a.rect(230, 300, 290, 306, fill=rgba(R_CYAN, 200), r=3)
    save(a.result(), f"{RDIR}/etui-transport.png", opaque=True)


def r_straps() -> None:
    a = r_accessory_base()
    cols = [R_GREEN, R_CYAN, R_CORAL, R_VIOLET, R_WHITE]
    for i, col in enumerate(cols):
        y = 150 + i * 52
        pts = [
            (x, y + 20 * math.sin((x + i * 40) / 60) - (x - 260) * 0.12) for x in range(96, 425, 6)
        ]
        shadow = [(x + 3, yy + 8) for x, yy in pts]
        a.line(shadow, rgba("#000000", 90), 34)
        a.line(pts, col, 32)
        a.dashed(pts, rgba("#000000", 55), 2.5, 7, 6, caps=False)
        # clip at the left end
        (cx, cy) = pts[0]
        a.rect(cx - 20, cy - 22, cx + 6, cy + 22, fill=R_G4, r=7)
        a.rect(cx - 14, cy - 12, cx, cy + 12, fill=R_G2, r=4)
    save(a.result(), f"{RDIR}/sangles-couleur.png", opaque=True)


def draw_filter(a: Art, cx: float, cy: float, s: float, deg: float, edge: Color = R_GREEN) -> None:
    out = place(filter_outline(), cx, cy, s, deg)
    shadow = place(filter_outline(), cx + 6, cy + 10, s, deg)
    a.poly(shadow, fill=rgba("#000000", 90))
    a.poly(out, fill=R_WHITE)
    inner = place([(x * 0.84, y * 0.82) for x, y in filter_outline()], cx, cy, s, deg)
    a.poly(inner, fill="#E2E7EC")
    with a.layer(clip=inner):
        step = s * 0.11
        rows = int(2 * s / step) + 2
        for j in range(-rows, rows):
            for i in range(-rows, rows):
                px = i * step + (step / 2 if j % 2 else 0)
                py = j * step * 0.87
                (qx, qy) = rot([(cx + px, cy + py)], cx, cy, deg)[0]
                a.ellipse(qx, qy, s * 0.026, fill="#B4BDC7")
    a.poly(out, outline=edge, width=max(2.0, s * 0.025))


def r_filters() -> None:
    a = r_accessory_base()
    a.ellipse(262, 400, 170, 16, fill=rgba("#000000", 100))
    draw_filter(a, 200, 290, 120, -16)
    draw_filter(a, 320, 290, 120, 16, R_CYAN)
    draw_filter(a, 260, 225, 125, 0)
    save(a.result(), f"{RDIR}/filtres-x3.png", opaque=True)


def r_valves() -> None:
    a = r_accessory_base()
    a.rect(92, 150, 440, 380, fill="#0C0F12", r=36)
    a.rect(82, 140, 430, 370, fill=R_G3, r=36)
    a.rect(82, 140, 430, 370, outline=R_G4, width=3, r=36)
    cols = [
        (R_GREEN, "#2BB56C"),
        (R_CYAN, "#00B394"),
        (R_WHITE, "#C3CBD4"),
        (R_CORAL, "#D9503F"),
        (R_VIOLET, "#6C5DE0"),
        (R_BG, R_GREEN),
    ]
    for n, (c, cd) in enumerate(cols):
        cx = 150 + (n % 3) * 106
        cy = 205 + (n // 3) * 100
        a.ellipse(cx, cy, 42, fill="#1A1F25")
        a.ellipse(cx - 1, cy - 3, 38, fill=c)
        a.ellipse(cx - 1, cy - 3, 28, fill=cd if c != R_BG else R_G2)
        a.ellipse(cx - 1, cy - 3, 28, outline=rgba("#000000", 50), width=2)
        for k_ in range(3):
            ang = -90 + k_ * 120
            a.line(
                [on_circle(cx - 1, cy - 3, 8, ang), on_circle(cx - 1, cy - 3, 20, ang)],
                rgba("#000000", 110) if c != R_BG else R_GREEN,
                4,
            )
        a.ellipse(cx - 1, cy - 3, 5, fill=rgba("#000000", 110) if c != R_BG else R_GREEN)
    save(a.result(), f"{RDIR}/valve-kit.png", opaque=True)


def person(a: Art, cx: float, cy: float, col: Color, accent: Color, deg: float) -> None:
    a.glow(cx, cy, 170, accent, max_alpha=45, steps=8, inner=60)
    # shoulders
    sh = [on_circle(cx, cy + 200, 130, 180 + i * 6) for i in range(31)]
    a.poly(sh + [(cx + 130, 600), (cx - 130, 600)], fill=R_G3)
    a.rect(cx - 24, cy + 40, cx + 24, cy + 90, fill=R_G4)
    a.ellipse(cx, cy, 78, 88, fill=R_G4)
    # hair
    with a.layer(clip_ellipse=(cx, cy, 78, 88)):
        a.poly(
            bez((cx - 90, cy - 18), (cx - 40, cy - 50), (cx + 40, cy - 30), (cx + 90, cy - 50), 24)
            + [(cx + 90, cy - 100), (cx - 90, cy - 100)],
            fill="#1B2026",
        )
    a.ellipse(cx - 26, cy - 2, 6.5, 7.5, fill="#0B0E11")
    a.ellipse(cx + 26, cy - 2, 6.5, 7.5, fill="#0B0E11")
    draw_mask(
        a,
        cx,
        cy + 46,
        64,
        deg,
        body=col,
        shade=mix(col, "#000000", 0.25),
        seam=mix(col, "#000000", 0.4),
        accent="#FFFFFF",
        strap="#1B2026",
        valves=True,
    )


def r_hero_referral() -> None:
    a = Art(1200, 600, R_BG, ss=2)
    dot_grid(a, R_G2)
    person(a, 300, 300, R_GREEN, R_GREEN, -4)
    person(a, 900, 300, R_CYAN, R_CYAN, 4)
    arc_pts = bez((390, 200), (470, 70), (730, 70), (810, 200), 50)
    a.dashed(arc_pts, R_LG, 4, 12, 12)
    for t in (0.18, 0.82):
        (px, py), _ = along(arc_pts, t)
        a.ellipse(px, py, 8, fill=R_GREEN if t < 0.5 else R_CYAN)
    # share node in the middle
    a.glow(600, 280, 130, R_GREEN, max_alpha=50, steps=8, inner=60)
    a.ellipse(600, 280, 64, fill=R_GREEN)
    nodes = [(578, 280), (624, 254), (624, 306)]
    a.line([nodes[1], nodes[0], nodes[2]], R_BG, 7)
    for x, y in nodes:
        a.ellipse(x, y, 12, fill=R_BG)
    # small gifts / hearts
    a.poly(heart(600, 440, 44), fill=R_CORAL)
    for x, y, r in [(470, 400, 9), (730, 420, 11), (600, 90, 10), (120, 120, 8), (1080, 110, 10)]:
        a.poly(sparkle(x, y, r), fill=R_CYAN)
    save(a.result(), f"{RDIR}/hero-referral.png", opaque=True)


def r_hero_refill() -> None:
    a = Art(1200, 600, R_BG, ss=2)
    dot_grid(a, R_G2)
    a.glow(380, 310, 240, R_GREEN, max_alpha=45, steps=8, inner=60)
    # refresh arrows around the filters
    a.arc(380, 305, 200, 200, 330, R_GREEN, 8)
    a.arc(380, 305, 200, 20, 150, R_CYAN, 8)
    for ang, col, sgn in ((330, R_GREEN, 1), (150, R_CYAN, 1)):
        (px, py) = on_circle(380, 305, 200, ang)
        tang = ang + 90 * sgn
        tip = on_circle(px, py, 26, tang)
        b1 = on_circle(px, py, 18, ang)
        b2 = on_circle(px, py, 18, ang + 180)
        a.poly([tip, b1, b2], fill=col)
    draw_filter(a, 330, 345, 110, -14)
    draw_filter(a, 440, 345, 110, 14, R_CYAN)
    draw_filter(a, 385, 280, 115, 0)
    # calendar
    x0, y0, x1, y1 = 700, 150, 1000, 450
    a.rect(x0 + 8, y0 + 12, x1 + 8, y1 + 12, fill="#0A0C0F", r=26)
    a.rect(x0, y0, x1, y1, fill=R_G2, r=26)
    with a.layer(clip=rounded_rect_path(x0, y0, x1, y1, 26)):
        a.rect(x0, y0, x1, y0 + 64, fill=R_GREEN)
    for rx in (x0 + 70, x1 - 70):
        a.rect(rx - 9, y0 - 22, rx + 9, y0 + 22, fill=R_LG, r=9)
    for r_ in range(4):
        for c_ in range(5):
            cx0 = x0 + 26 + c_ * 52
            cy0 = y0 + 88 + r_ * 54
            hl = (r_, c_) == (2, 3)
            a.rect(cx0, cy0, cx0 + 40, cy0 + 40, fill=R_CYAN if hl else R_G3, r=9)
            if hl:
                a.line([(cx0 + 10, cy0 + 21), (cx0 + 18, cy0 + 29), (cx0 + 31, cy0 + 12)], R_BG, 5)
    # clock
    cx, cy = 1000, 430
    a.ellipse(cx + 6, cy + 8, 84, fill="#0A0C0F")
    a.ellipse(cx, cy, 84, fill=R_GREEN)
    a.ellipse(cx, cy, 72, fill=R_WHITE)
    for i in range(12):
        a.line(
            [on_circle(cx, cy, 58, i * 30), on_circle(cx, cy, 64, i * 30)],
            R_G4,
            4 if i % 3 == 0 else 2,
        )
    a.line([(cx, cy), on_circle(cx, cy, 40, -130)], R_BG, 7)
    a.line([(cx, cy), on_circle(cx, cy, 54, -30)], R_BG, 5)
    a.ellipse(cx, cy, 8, fill=R_CYAN)
    for x, y, r in [(620, 100, 10), (1110, 200, 9), (150, 520, 8), (600, 520, 11)]:
        a.poly(sparkle(x, y, r), fill=R_CYAN)
    save(a.result(), f"{RDIR}/hero-refill.png", opaque=True)


def r_hero_winback() -> None:
    a = Art(1200, 600, R_BG, ss=2)
    dot_grid(a, R_G2)
    # spotlight beam and stage
    a.poly([(540, -10), (660, -10), (860, 600), (340, 600)], fill=rgba(R_CYAN, 22))
    a.poly([(570, -10), (630, -10), (760, 600), (440, 600)], fill=rgba(R_CYAN, 18))
    a.ellipse(600, 500, 250, 44, fill=R_G2)
    a.ellipse(600, 500, 250, 44, outline=rgba(R_GREEN, 180), width=3)
    a.ellipse(600, 500, 180, 30, outline=rgba(R_CYAN, 120), width=2)
    # orbit rings
    a.ellipse(600, 290, 360, 120, outline=rgba(R_GREEN, 70), width=2)
    a.ellipse(600, 290, 300, 170, outline=rgba(R_CYAN, 50), width=2)
    a.ellipse(955, 262, 9, fill=R_GREEN)
    a.ellipse(330, 410, 7, fill=R_CYAN)
    a.glow(600, 290, 230, R_GREEN, max_alpha=60, steps=10, inner=60)
    draw_mask(
        a,
        600,
        290,
        190,
        0,
        body="#2A3139",
        shade="#1E242B",
        seam=R_G5,
        accent=R_GREEN,
        strap=R_G4,
        valves=True,
    )
    # highlight streak on the new mask
    with a.layer(clip=place(mask_outline(), 600, 290, 190)):
        a.poly([(470, 200), (500, 200), (560, 420), (530, 420)], fill=rgba("#FFFFFF", 30))
    for x, y, r, c in [
        (820, 140, 26, R_GREEN),
        (870, 200, 12, R_CYAN),
        (380, 150, 18, R_CYAN),
        (300, 250, 10, R_GREEN),
        (1040, 420, 14, R_WHITE),
        (170, 430, 12, R_WHITE),
        (740, 80, 9, R_WHITE),
    ]:
        a.poly(sparkle(x, y, r), fill=c)
    # "new" burst
    for i in range(12):
        ang = i * 30
        a.line(
            [on_circle(1040, 140, 40, ang), on_circle(1040, 140, 56 if i % 2 else 48, ang)],
            R_GREEN,
            4,
        )
    a.ellipse(1040, 140, 26, fill=R_GREEN)
    a.poly(sparkle(1040, 140, 16), fill=R_BG)
    save(a.result(), f"{RDIR}/hero-winback.png", opaque=True)


def rpur() -> None:
    r_logo()
    r_hero_colis()
    r_mask_fiit()
    r_app_screen()
    r_hero_app()
    badge(f"{RDIR}/badge-app-store.png", "Télécharger dans", "l'App Store", glyph_app_store)
    badge(f"{RDIR}/badge-google-play.png", "DISPONIBLE SUR", "Google Play", glyph_google_play)
    r_case()
    r_straps()
    r_filters()
    r_valves()
    r_hero_referral()
    r_hero_refill()
    r_hero_winback()
    w, g = "#FFFFFF", R_G3
    social(f"{RDIR}/social-instagram.png", g, lambda a: g_instagram(a, w))
    social(f"{RDIR}/social-facebook.png", g, lambda a: g_facebook(a, w))
    social(f"{RDIR}/social-twitter.png", g, lambda a: g_twitter(a, w))
    social(f"{RDIR}/social-youtube.png", g, lambda a: g_youtube(a, w, g))


def main(argv: list[str]) -> int:
    ONLY[:] = argv
    kokawa()
    rpur()
    total = 0
    for path, size in WRITTEN:
        total += size
        print(f"{size:>7}  {path.relative_to(ROOT)}")
    print(f"{total:>7}  total ({len(WRITTEN)} files)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
