"""Shots that need not be taken again, and the split of a run across machines.

A shot is a pure function of what it loads (the page's compiled HTML and the brand's
assets in build/), the variant (viewport, scheme) and mailkit's code; its verdict also
depends on the baseline. A run records, for each shot that matched its baseline, a
hash of all of that (`.mailkit-cache/shots.json`); the next run skips a shot whose hash
is unchanged, and counts it as matching. At 400 pages a full run took 226 s, nearly
all of it in Chromium, for a change that touched one email.

`--shard i/n` takes every n-th page (all four variants of a page stay together), so a
team that outgrows one machine runs the suite on several.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
from pathlib import Path

from ..cache import CACHE_DIR
from ..cache.steps import CODE
from ..errors import MailkitError
from .compare import Comparison

SHOTS_FILE = CACHE_DIR / "shots.json"


def shot_hash(build_dir: Path, page_key: str, variant: str, baseline: Path,
              assets: dict[str, bytes]) -> str | None:
    """What a shot shows and is held to; None when there is no baseline (always shoot).
    `assets`: each brand's assets digest, filled in by the first shot of the brand."""
    try:
        base = baseline.read_bytes()
        html = (build_dir / f"{page_key}.html").read_bytes()
    except OSError:
        return None
    brand = page_key.split("/")[0]
    if brand not in assets:
        assets[brand] = _assets(build_dir / brand / "assets")
    digest = hashlib.sha256(f"{CODE}|{variant}".encode())
    for part in (html, base, assets[brand]):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def _assets(folder: Path) -> bytes:
    """The brand's asset files by name and content (the site rewrites them at each build,
    so their times change)."""
    digest = hashlib.sha256()
    with contextlib.suppress(OSError):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def load(path: Path | None) -> dict[str, str]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(path: Path | None, record: dict[str, str]) -> None:
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(record, sort_keys=True, indent=0), encoding="utf-8")
        os.replace(tmp, path)


def unchanged_match(baseline: Path) -> Comparison:
    """The verdict of a skipped shot: it matches (its size read from the PNG header)."""
    size = (0, 0)
    with contextlib.suppress(OSError, struct.error), open(baseline, "rb") as file:
        head = file.read(24)
        size = struct.unpack(">II", head[16:24])
    return Comparison(True, False, size, size, 0, 0.0, None)


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """`--shard i/n` (1 ≤ i ≤ n) → (i, n); a user error with the reason otherwise."""
    if not text:
        return None
    try:
        index, count = (int(x) for x in text.split("/"))
        problem = "" if 1 <= index <= count else "i must be between 1 and n"
    except ValueError:
        problem = "give i/n, e.g. 1/4"
    if problem:
        raise MailkitError("snapshot", None, "snapshot", f"--shard {text!r}: {problem}")
    return index, count


def in_shard(position: int, shard: tuple[int, int] | None) -> bool:
    """Whether the page at `position` (in the plan's stable order) is this shard's."""
    return shard is None or position % shard[1] == shard[0] - 1
