"""Which template files each page depends on, so `serve` re-renders only what a save
touches.

The references of a template (its includes, imports and extends) come from Jinja's
parser, once per template source: kept by the SHA-1 of the source, in memory and in
`.mailkit-cache/refs.json`, so a cold build does not parse every template first.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

import jinja2
import jinja2.meta

from ...cache import CACHE_DIR

# A template source's SHA-1 → the names of the templates it references.
REFS: dict[str, list[str]] = {}
REFS_FILE = CACHE_DIR / "refs.json"
_refs_loaded: set[Path] = set()
_refs_used: set[str] = set()  # what this process looked up: all that is written back
_refs_new: set[str] = set()  # parsed since the last save: the file is behind


def dependencies(env: jinja2.Environment, name: str, cache: dict[str, tuple]) -> set[Path]:
    """Every template file `name` uses, through includes, imports and extends.

    `cache` maps a template name to (file, names it references), so each template is
    parsed once per build however many emails share it.
    """
    seen: set[str] = set()
    files: set[Path] = set()
    todo = [name]
    assert env.loader is not None
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        if current not in cache:
            source, filename, _ = env.loader.get_source(env, current)
            digest = hashlib.sha1(source.encode("utf-8")).hexdigest()
            _refs_used.add(digest)
            refs = REFS.get(digest)
            if refs is None:
                ast = env.parse(source, current, filename)
                refs = REFS[digest] = [n for n in jinja2.meta.find_referenced_templates(ast) if n]
                _refs_new.add(digest)
            cache[current] = (Path(filename).resolve(), refs)
        path, refs = cache[current]
        files.add(path)
        todo += refs
    return files


def load_refs(root: Path) -> None:
    """Read the references kept by earlier builds (once per project and process)."""
    if root in _refs_loaded:
        return
    _refs_loaded.add(root)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        kept = json.loads((root / REFS_FILE).read_text(encoding="utf-8"))
        REFS.update({k: v for k, v in kept.items() if k not in REFS and isinstance(v, list)
                     and all(isinstance(name, str) for name in v)})


def save_refs(root: Path) -> None:
    """Write them back when this process learnt new ones, only those of templates as it
    saw them (old versions drop out); a read-only checkout skips it."""
    if not _refs_new:
        return
    _refs_new.clear()
    path = root / REFS_FILE
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps({d: REFS[d] for d in sorted(_refs_used) if d in REFS}),
                       encoding="utf-8")
        os.replace(tmp, path)
