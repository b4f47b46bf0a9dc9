"""Jinja's compiled templates, kept between builds and processes in `.mailkit-cache/`.

Each build still gets fresh environments (nothing leaks from one build's globals into
the next), but an unchanged template is not compiled again. The render stage (preview
and export modes) and the preview site share this cache: their records go to the
packs of one folder (packs.py), not one file per template, since a first build
compiles ~190 templates and creating a file each was most of the cost of keeping them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import jinja2

from . import CACHE_DIR
from .packs import Packs

JINJA_DIR = CACHE_DIR / "jinja"
_PACKS: dict[Path, Packs] = {}  # one per folder and process: one pack open at a time


class BytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory and in the packs of `directory`, each under
    its mode, Jinja's key (the template's name, here with the extensions) and the
    source's checksum: an edited template is a new record, never a stale hit.

    Each build still gets a fresh environment (nothing leaks from one build's
    globals into the next), but an unchanged template is not compiled again: in
    `serve`, compiling was a third of a rebuild, and in a cold `mailkit build` the
    biggest single cost.
    """

    def __init__(self, directory: Path, mode: str = "") -> None:
        self.mode = mode
        self.packs = _PACKS.setdefault(directory, Packs(directory))
        self.memory: dict[str, tuple[str, Any]] = {}

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        """Key on the environment's extensions too: compiled code names an extension by
        its import path, so code cached before mailkit moved one must not be reused."""
        salt = ",".join(sorted(environment.extensions))
        return super().get_bucket(environment, f"{salt}|{name}", filename, source)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        entry = self.memory.get(bucket.key)
        if entry is not None and entry[0] == bucket.checksum:
            bucket.code = entry[1]
            return
        data = self.packs.get(self._record(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)  # checks Jinja's magic and the checksum

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.memory[bucket.key] = (bucket.checksum, bucket.code)
        self.packs.put(self._record(bucket), bucket.bytecode_to_string())  # read-only: memory

    def _record(self, bucket: jinja2.bccache.Bucket) -> bytes:
        return hashlib.sha256(f"{self.mode}\0{bucket.key}\0{bucket.checksum}".encode()).digest()


_CACHES: dict[tuple[Path, str], BytecodeCache] = {}


def bytecode_cache(root: Path, mode: str) -> BytecodeCache:
    """One cache per project folder and mode, shared by every build of this process.

    The export mode compiles `{% ifdata %}`/`{% fordata %}` to other code than the
    preview does (calls resolved at render time, nothing tied to one environment), so
    each mode has records of its own.
    """
    if (root, mode) not in _CACHES:
        _CACHES[root, mode] = BytecodeCache(root / JINJA_DIR, mode)
    return _CACHES[root, mode]
