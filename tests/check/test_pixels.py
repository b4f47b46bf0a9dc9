"""An image's facts are those of its plain RGBA reading, whatever its mode: the palette
shortcut in `pixels._reduced` must not change a single pixel the checks read."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from PIL import Image

from mailkit.check import pixels

REPO = Path(__file__).resolve().parents[2]
SIZES = [(1, 1), (3, 200), (330, 20), (200, 170)]  # a ring only, then reduced by 1 to 3


def reference(data: bytes) -> pixels.ImageFacts:
    """The facts read the plain way: the whole image as RGBA, reduced by Pillow."""
    image = Image.open(io.BytesIO(data)).convert("RGBA")
    w, h = image.size
    boxes = [(0, 0, w, 1), (0, h - 1, w, h), (0, 1, 1, h - 1), (w - 1, 1, w, h - 1)]
    ring = [c for box in boxes if box[2] > box[0] and box[3] > box[1]
            for c in image.crop(box).getcolors(2 * (w + h)) or ()]
    factor = max(1, -(-max(w, h) // pixels.SAMPLE))
    small = image.reduce(factor) if factor > 1 else image
    colours = small.getcolors(small.width * small.height) or []
    opaque = [(n, p[:3]) for n, p in ring if p[3] >= 250]
    solid = [(n, p[:3]) for n, p in colours if p[3] >= pixels.SOLID]
    rim, total = sum(n for n, _ in ring), small.width * small.height
    return pixels.ImageFacts(
        w, h, sum(n for n, _ in opaque) / max(rim, 1), pixels._shares(opaque, 16),
        1 - sum(n for n, _ in solid) / max(total, 1), pixels._shares(solid, pixels.INK_COLOURS))


def encoded(kind: str, size: tuple[int, int]) -> bytes:
    rnd = random.Random(f"{kind}{size}")
    mode = kind.split()[0]
    base = "P" if mode in ("GIF", "PNG8") else "RGB" if mode == "JPEG" else mode
    bands = 1 if base in ("1", "P") else len(base)
    image = Image.frombytes(base, size, rnd.randbytes(size[0] * size[1] * bands))
    if base == "P":
        image.putpalette(rnd.randbytes(3 * 256))
    options: dict[str, object] = {}
    if kind == "P alpha-per-entry":
        options["transparency"] = rnd.randbytes(200)
    elif kind in ("P one-clear-index", "GIF"):
        options["transparency"] = 5
    elif kind == "P rgba-palette":
        image.putpalette(rnd.randbytes(4 * 256), "RGBA")
    elif kind == "P short-palette":
        image = image.point(lambda v: v % 16)
        image.putpalette(rnd.randbytes(3 * 16))
        options["transparency"] = bytes(range(0, 256, 20))
    elif kind == "P cut-out":  # a shape on a clear field, quantised: a transparent PNG
        image = Image.new("RGBA", size, (0, 0, 0, 0))
        image.paste((200, 40, 40, 255), (0, 0, max(1, size[0] // 2), max(1, size[1] // 2)))
        image = image.quantize(64)
    elif kind == "L clear-grey":
        options["transparency"] = 7
    fmt = {"GIF": "GIF", "JPEG": "JPEG"}.get(mode, "PNG")
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


KINDS = ["1", "L", "L clear-grey", "LA", "RGB", "RGBA", "JPEG", "GIF", "P",
         "P alpha-per-entry", "P one-clear-index", "P rgba-palette", "P short-palette",
         "P cut-out"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_mode_reads_as_plain_rgba(kind: str) -> None:
    for size in SIZES:
        data = encoded(kind, size)
        assert pixels._facts(data) == reference(data), (kind, size)


def test_the_demo_images_read_as_plain_rgba() -> None:
    images = sorted((REPO / "brands").glob("*/assets/**/*.png"))
    assert images
    for path in images:
        data = path.read_bytes()
        assert pixels._facts(data) == reference(data), path
