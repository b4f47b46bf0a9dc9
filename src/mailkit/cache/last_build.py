"""The last written build, kept in `.mailkit-cache/` for the next `mailkit build`.

- Nothing changed (every source file, mailkit's code and the options hash as the last
  build's, and `build/` is the tree it wrote): nothing is rendered or written.
- A few files changed: they are handed to the build as serve hands a save (`changed`,
  with the last result as `previous`), so only what they touch is redone and the
  unchanged pages' files are linked from `build/`.
- `mailkit build --brand X`: the other brands' pages and manifest entries are taken
  from the last build.

Two pickles: what the last build read (small, read by every build) and its
`BuildResult` (read only when reused). Written after the swap; the small one is
removed first, so a crash in between leaves none.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from ..model import SOURCE_FILES, SOURCE_FOLDERS, BuildResult
from . import CACHE_DIR, THUMBS_DIR
from .spam_scores import SCORES_FILE
from .steps import CODE

STATE_FILE = CACHE_DIR / "build-state.pickle"  # small: what was read
RESULT_FILE = CACHE_DIR / "build-result.pickle"  # the pages, exports


@dataclass
class State:
    """What the last build read and wrote; `result` is loaded only when it is used."""

    fingerprint: Inputs
    manifest: str  # sha256 of the manifest.json the build wrote
    out: Path
    root: Path
    sources: bool = False  # `build --sources`: each page's .txt and .mjml were written

    @property
    def result(self) -> BuildResult:
        if not hasattr(self, "_result"):
            with open(self.root / RESULT_FILE, "rb") as file:
                self._result: BuildResult = pickle.load(file)
        return self._result


@dataclass(frozen=True)
class Inputs:
    """Everything a build reads: mailkit's code and the options, and each input file's
    content hash by path (so a build knows *which* files changed since the last)."""

    options: str
    files: dict[str, str]


def fingerprint(root: Path, brand: str | None, email: str | None) -> Inputs:
    files = [root / name for name in SOURCE_FILES]
    for name in SOURCE_FOLDERS:
        if (root / name).is_dir():
            files += sorted(p for p in (root / name).rglob("*") if p.is_file())
    hashes = {}
    for path in files:
        with contextlib.suppress(OSError):
            hashes[path.relative_to(root).as_posix()] = hashlib.sha256(
                path.read_bytes()).hexdigest()
    # the snapshot's thumbnails, which the home page shows: named by content already
    for path in sorted((root / THUMBS_DIR).glob("*")):
        hashes[path.relative_to(root).as_posix()] = ""
    with contextlib.suppress(OSError):  # SpamAssassin's scores, which the email pages show
        hashes[SCORES_FILE.as_posix()] = hashlib.sha256(
            (root / SCORES_FILE).read_bytes()).hexdigest()
    return Inputs(f"{CODE}|{brand}|{email}", hashes)


def changed_since(state: State | None, inputs: Inputs, out: Path, root: Path,
                  sources: bool = False) -> tuple[set[Path] | None, bool]:
    """The input files that changed since the last build, when that build's result can
    be reused (same code and options); else None. And whether `out` is still the tree
    it wrote, with or without the pages' sources as asked (if not, every file is written
    again from the result, none linked)."""
    if (state is None or not isinstance(state.fingerprint, Inputs)
            or state.fingerprint.options != inputs.options or state.out != out):
        return None, False
    old, new = state.fingerprint.files, inputs.files
    since = {root / p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}
    same_files = getattr(state, "sources", False) == sources
    return since, same_files and manifest_hash(out) == state.manifest


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
    return state if isinstance(state, State) and getattr(state, "root", None) == root else None


def forget(root: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(root / STATE_FILE)


def save(root: Path, result: BuildResult, fingerprint_: Inputs, *,
         result_too: bool = True, sources: bool = False) -> None:
    """Keep `result` for the next build. `result_too=False`: the result is the one kept
    already (build/ was written again from it), only the manifest's hash is new."""
    assert result.out is not None
    state = State(fingerprint_, manifest_hash(result.out), result.out, root, sources)
    items = ((RESULT_FILE, result), (STATE_FILE, state)) if result_too else ((STATE_FILE, state),)
    for name, value in items:  # the state last
        path = root / name
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as file:
                pickle.dump(value, file, pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except (OSError, pickle.PickleError, TypeError, AttributeError):
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return


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
