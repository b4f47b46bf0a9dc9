"""Jinja's compiled templates, kept between builds and processes in `.mailkit-cache/`.

Each build still gets fresh environments (nothing leaks from one build's globals into
the next), but an unchanged template is not compiled again. The render stage (preview
and export modes) and the preview site share this cache, one folder per mode.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from . import CACHE_DIR


class BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in memory and in `.mailkit-cache/`, keyed by Jinja on
    the template's name and its source's checksum.

    Each build still gets a fresh environment (nothing leaks from one build's
    globals into the next), but an unchanged template is not compiled again: in
    `serve`, compiling was a third of a rebuild, and in a cold `mailkit build` the
    biggest single cost.
    """

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        super().__init__(str(directory), "%s.jinja")
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
        super().load_bytecode(bucket)  # checks Jinja's magic and the checksum

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.memory[bucket.key] = (bucket.checksum, bucket.code)
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a read-only checkout: memory only
            pass


_CACHES: dict[tuple[Path, str], BytecodeCache | None] = {}


def bytecode_cache(root: Path, mode: str) -> BytecodeCache | None:
    """One cache per project folder and mode, shared by every build of this process.

    The export mode compiles `{% ifdata %}`/`{% fordata %}` to other code than the
    preview does (calls resolved at render time, nothing tied to one environment), so
    each mode has its own folder.
    """
    if (root, mode) not in _CACHES:
        try:
            _CACHES[root, mode] = BytecodeCache(root / CACHE_DIR / f"jinja-{mode}")
        except OSError:
            _CACHES[root, mode] = None
    return _CACHES[root, mode]
