"""A persistent content-hash cache for the compile and check steps, in `.mailkit-cache/`.

Compiling and checking are most of a build's work, and their result depends only on
what they read: the compile on the rendered MJML (and mailkit's own code, which sets
the compile options), the checks on the compiled HTML and text, what the page should
contain (`CheckInput`), the check config (`checks.yaml`) and the brand's asset files.
So each result is stored under a hash of exactly those inputs: a build with nothing
changed, or with one page changed, redoes only the pages whose inputs changed, in any
process (the forked compile workers share the folder).

The key also holds a hash of mailkit's installed source (`CODE`): a new version of a
rule or of the compile stage never reuses an older result. Entries are appended to one
pack file per process (packs.py), not written one file each: two processes may store
one key and both win; an unreadable entry counts as missing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from importlib import metadata
from pathlib import Path
from typing import Any

from ..check.model import CheckConfig, CheckInput, Finding
from ..model import CompiledEmail
from . import CACHE_DIR
from .packs import Packs

STEPS_DIR = CACHE_DIR / "steps"
_PACKAGE = Path(__file__).resolve().parent.parent  # mailkit/, not this folder


CODE_SUFFIXES = (".py", ".json", ".yaml", ".html", ".js", ".css")


def code_files() -> list[Path]:
    """mailkit's files that shape a result: its code, rules, data and contracts, and the
    preview site's templates and scripts (a kept page must not outlive them)."""
    return [path for path in sorted(_PACKAGE.rglob("*"))
            if path.suffix in CODE_SUFFIXES and path.is_file()]


def _code_hash() -> str:
    """mailkit's own source and the versions of the libraries that shape the output."""
    digest = hashlib.sha256()
    for path in code_files():
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    for dist in ("mjml-python", "premailer", "cssutils", "lxml", "pillow"):
        try:
            digest.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(dist.encode())
    return digest.hexdigest()


CODE = _code_hash()


class StepCache:
    """Results by content hash in the packs of `root/.mailkit-cache/steps/` (see the
    module doc and packs.py)."""

    def __init__(self, root: Path) -> None:
        self.dir = root / STEPS_DIR
        self.packs = Packs(self.dir)
        self.hits = self.misses = 0

    def get(self, key: str) -> Any | None:
        data = self.packs.get(bytes.fromhex(key))
        try:
            value = pickle.loads(data) if data is not None else None
        except (pickle.PickleError, EOFError, AttributeError, ValueError, IndexError):
            value = None
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        self.packs.put(bytes.fromhex(key), pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def _hash(*parts: bytes) -> str:
    digest = hashlib.sha256(CODE.encode())
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def compile_key(mjml: str) -> str:
    return _hash(b"compile", mjml.encode("utf-8"))


_PAGE = ("html", "text")  # CheckInput's two big fields: hashed as they are, not pickled
_REST = tuple(f.name for f in dataclasses.fields(CheckInput) if f.name not in _PAGE)


def check_key(doc: CheckInput, config: CheckConfig | None, assets: bytes | None = None,
              ) -> str:
    """The page as checked (HTML, text and what it should contain), the config, and the
    brand's asset files (the image rule reads their sizes): `assets` as `assets_of`
    lists them, once per build by the maker of the job, else listed here.

    Every field of `CheckInput` is in the key (`_REST` is the class's fields, in their
    order, and `CODE` pins the class). The HTML and the text are hashed as UTF-8, not
    pickled first: pickling them was most of a key's cost.
    """
    rest = tuple(getattr(doc, name) for name in _REST)
    return _hash(b"check", doc.html.encode("utf-8", "surrogatepass"),
                 doc.text.encode("utf-8", "surrogatepass"),
                 pickle.dumps(rest, pickle.HIGHEST_PROTOCOL),
                 pickle.dumps(config, pickle.HIGHEST_PROTOCOL),
                 assets_of(doc.asset_root) if assets is None else assets)


def assets_of(asset_root: Path | None) -> bytes:
    """Names, sizes and modification times of the files next to `asset_root`'s
    `../assets/` (where a page's relative images resolve)."""
    if asset_root is None:
        return b""
    folder = asset_root.parent / "assets"
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return b"-"
    found = []
    for entry in entries:
        try:
            info = entry.stat()
        except OSError:
            continue
        found.append(f"{entry.name}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(found).encode()


def _memo(cache: StepCache, key: str, kind: type, compute: Any) -> Any:
    """The stored result for `key` if it is a `kind`, else `compute()`, stored. An
    exception from `compute` is raised and nothing is stored."""
    found = cache.get(key)
    if isinstance(found, kind):
        return found
    result = compute()
    cache.put(key, result)
    return result


def cached_compile(cache: StepCache | None, mjml: str, compile: Any) -> CompiledEmail:
    """`compile(mjml)`, or its stored result (MjmlError is not stored: it is raised)."""
    if cache is None:
        return compile(mjml)
    return _memo(cache, compile_key(mjml), CompiledEmail, lambda: compile(mjml))


def cached_checks(cache: StepCache | None, doc: CheckInput, config: CheckConfig | None,
                  run: Any, assets: bytes | None = None) -> tuple[Finding, ...]:
    """`run(doc, config)`, or its stored result; `assets`: see `check_key`."""
    if cache is None:
        return tuple(run(doc, config))
    return _memo(cache, check_key(doc, config, assets), tuple, lambda: tuple(run(doc, config)))


def cached_validation(cache: StepCache | None, mjml: str, source: Any, validate: Any) -> tuple:
    """MJML validation findings, keyed on the MJML and its source map (which places them)."""
    if cache is None:
        return tuple(validate(mjml, source))
    key = _hash(b"validate", mjml.encode("utf-8"), pickle.dumps(source, pickle.HIGHEST_PROTOCOL))
    return _memo(cache, key, tuple, lambda: tuple(validate(mjml, source)))


_CACHES: dict[str, StepCache] = {}


def step_cache(root: str | None) -> StepCache | None:
    """One cache per project folder and process (None: no caching)."""
    if root is None:
        return None
    if root not in _CACHES:
        _CACHES[root] = StepCache(Path(root))
    return _CACHES[root]
