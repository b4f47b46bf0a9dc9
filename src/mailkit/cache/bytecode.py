"""Jinja's compiled templates, kept between builds and processes.

Each build still gets fresh environments (nothing leaks from one build's globals into
the next), but an unchanged template is not compiled again. A project's templates
(the render stage's preview and export modes, and the site's where mailkit's folder
cannot be written) are kept in the packs of `.mailkit-cache/jinja/` (packs.py): a
first build compiles ~190 of them, and creating a file each was most of the cost of
keeping them. The preview site's own few templates are kept beside them, a file each,
as Python keeps a module's bytecode (site/__init__.py).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import jinja2

from . import CACHE_DIR
from .packs import Packs

JINJA_DIR = CACHE_DIR / "jinja"


class _Keyed(jinja2.BytecodeCache):
    """Compiled code in memory too, keyed by Jinja on the template's name (here with
    the environment's extensions) and its source's checksum."""

    def __init__(self) -> None:
        self.memory: dict[str, tuple[str, Any]] = {}

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        """Key on the environment's extensions too: compiled code names an extension by
        its import path, so code cached before mailkit moved one must not be reused."""
        salt = ",".join(sorted(environment.extensions))
        return super().get_bucket(environment, f"{salt}|{name}", filename, source)

    def remembered(self, bucket: jinja2.bccache.Bucket) -> bool:
        """Fill `bucket` from memory, if this process compiled or loaded it already."""
        entry = self.memory.get(bucket.key)
        if entry is not None and entry[0] == bucket.checksum:
            bucket.code = entry[1]
            return True
        return False

    def remember(self, bucket: jinja2.bccache.Bucket) -> None:
        self.memory[bucket.key] = (bucket.checksum, bucket.code)


class BytecodeCache(_Keyed, jinja2.FileSystemBytecodeCache):
    """Compiled templates in memory and a file each in `directory` (created here: an
    `OSError` says it cannot be written). For the site's own templates, beside them.

    Each build still gets a fresh environment, but an unchanged template is not
    compiled again: in `serve`, compiling was a third of a rebuild.
    """

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        jinja2.FileSystemBytecodeCache.__init__(self, str(directory), "%s.jinja")
        _Keyed.__init__(self)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if not self.remembered(bucket):
            super().load_bytecode(bucket)  # checks Jinja's magic and the checksum

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.remember(bucket)
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a read-only checkout: memory only
            pass


_PACKS: dict[Path, Packs] = {}  # one per folder and process: one pack open at a time


class PackedBytecodeCache(_Keyed):
    """Compiled templates in memory and in the packs of `directory`, each record under
    its mode, Jinja's key and the source's checksum: an edited template is a new
    record, never a stale hit. A folder that cannot be written: memory only."""

    def __init__(self, directory: Path, mode: str = "") -> None:
        super().__init__()
        self.mode = mode
        self.packs = _PACKS.setdefault(directory, Packs(directory))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if self.remembered(bucket):
            return
        data = self.packs.get(self._record(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)  # checks Jinja's magic and the checksum

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.remember(bucket)
        self.packs.put(self._record(bucket), bucket.bytecode_to_string())

    def _record(self, bucket: jinja2.bccache.Bucket) -> bytes:
        return hashlib.sha256(f"{self.mode}\0{bucket.key}\0{bucket.checksum}".encode()).digest()


_CACHES: dict[tuple[Path, str], PackedBytecodeCache] = {}


def bytecode_cache(root: Path, mode: str) -> PackedBytecodeCache:
    """One cache per project folder and mode, shared by every build of this process.

    The export mode compiles `{% ifdata %}`/`{% fordata %}` to other code than the
    preview does (calls resolved at render time, nothing tied to one environment), so
    each mode has records of its own.
    """
    if (root, mode) not in _CACHES:
        _CACHES[root, mode] = PackedBytecodeCache(root / JINJA_DIR, mode)
    return _CACHES[root, mode]
