"""One error type for everything a user can get wrong, and converters into it.

A designer fixing a template needs three facts: which file, which line, and which
stage of the pipeline choked. Every user-caused failure becomes a `MailkitError`
carrying those, so the CLI prints one clean line (`path:line: stage: message`) and
the dev server can show the same line in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

# Rendered MJML is kept here when an error can only point at rendered text (MJML's).
DEBUG_DIR = ".mailkit-debug"


@dataclass
class MailkitError(Exception):
    """A problem the user can fix, located as precisely as we can."""

    path: str
    line: int | None
    stage: str
    message: str

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.stage}: {self.message}"

    def __hash__(self) -> int:
        return hash(str(self))

    def __reduce__(self) -> tuple:
        """Pickle by fields: a forked build share sends its errors back (pipeline/parallel.py)."""
        return type(self), (self.path, self.line, self.stage, self.message)


class BuildFailed(Exception):
    """Raised once per build with every error collected, so none hides another."""

    def __init__(self, errors: list[MailkitError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def keep_debug(root: Path, name: str, text: str) -> str:
    """Keep rendered text under DEBUG_DIR for an error that can only point at it (MJML
    sees rendered text, not templates); return the path to name in the message."""
    path = root / DEBUG_DIR / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return relpath(path, root)


def relpath(path: str | Path, root: Path) -> str:
    """Show paths relative to the project, as a designer types them."""
    try:
        return str(Path(path).resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def decode_error(path: Path, data: bytes, exc: UnicodeDecodeError, root: Path,
                 stage: str) -> MailkitError:
    """`file:line: stage: not UTF-8 …` for bytes that do not decode."""
    line = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    bad = data[exc.start:exc.end].hex(" ")
    return MailkitError(relpath(path, root), line, stage,
                        f"not UTF-8: byte(s) {bad} at column {column}; save the file as UTF-8")


def from_yaml(exc: yaml.YAMLError, path: Path, root: Path) -> MailkitError:
    """PyYAML knows the line (`problem_mark`); keep it."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    message = f"{context}, {problem}" if context else problem
    return MailkitError(relpath(path, root), line, "config", message)
