"""The last written build, kept in `.mailkit-cache/` for the next `mailkit build`.

Two things need what the previous build produced, across processes:

- a build with nothing changed: its inputs (every file under `brands/`, `emails/`,
  `partials/`, `checks.yaml`, mailkit's own code and the command's options) hash to
  the fingerprint of the last build, and `build/` is the tree that build wrote (its
  manifest hashes the same): nothing is rendered, compiled or written, and `build/` is
  left as it is;
- `mailkit build --brand X`: the other brands' pages, home entries and manifest
  entries stay, taken from the last build (as `export klaviyo --brand` keeps the other
  brands' files).

The state is one pickle of the last `BuildResult` (project, pages, exports): written
after the build is swapped in, removed first so a crash in between leaves none.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from .model import BuildResult
from .stepcache import CODE

STATE_FILE = Path(".mailkit-cache") / "build-state.pickle"
INPUTS = ("brands", "emails", "partials")


@dataclass
class State:
    fingerprint: str
    manifest: str  # sha256 of the manifest.json the build wrote
    out: Path
    result: BuildResult


def fingerprint(root: Path, brand: str | None, email: str | None) -> str:
    """Everything a build reads, by content: change any byte and this changes."""
    digest = hashlib.sha256(f"{CODE}|{brand}|{email}".encode())
    files = [root / "checks.yaml"]
    for name in INPUTS:
        files += sorted(p for p in (root / name).rglob("*") if p.is_file())
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def manifest_hash(out: Path) -> str:
    try:
        return hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()
    except OSError:
        return ""


def load(root: Path) -> State | None:
    try:
        with open(root / STATE_FILE, "rb") as file:
            state = pickle.load(file)
    except Exception:  # missing, or written by another mailkit: no state
        return None
    return state if isinstance(state, State) else None


def forget(root: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(root / STATE_FILE)


def save(root: Path, result: BuildResult, fingerprint_: str) -> None:
    assert result.out is not None
    state = State(fingerprint_, manifest_hash(result.out), result.out, result)
    path = root / STATE_FILE
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as file:
            pickle.dump(state, file, pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PickleError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def unchanged(state: State | None, fingerprint_: str, out: Path) -> bool:
    """The last build read the same inputs and `out` is still the tree it wrote."""
    return (state is not None and state.fingerprint == fingerprint_ and state.out == out
            and manifest_hash(out) == state.manifest)


def merge_brand(state: State | None, result: BuildResult, brand: str) -> BuildResult:
    """`result` (one brand) with the other brands of the last build around it, in
    the project's brand order. When the brand's pages are not the same set as before,
    every page counts as fresh (the sidebar of every site page lists them)."""
    if state is None:
        return result
    old = state.result
    brands = {**old.project.brands, **result.project.brands}
    project = result.project
    project.brands = {slug: brands[slug] for slug in sorted(brands)}
    pages = {k: p for k, p in old.pages.items() if p.target.brand != brand}
    pages.update(result.pages)
    order = sorted(pages.values(), key=lambda p: list(project.brands).index(p.target.brand))
    before = {k for k, p in old.pages.items() if p.target.brand == brand}
    fresh = result.fresh if before == set(result.pages) else frozenset(pages)
    exports = {k: e for k, e in old.exports.items() if not k.startswith(f"{brand}/")}
    exports.update(result.exports)
    result.pages = {p.key: p for p in order}
    result.exports = exports
    result.fresh = frozenset(fresh)
    return result
