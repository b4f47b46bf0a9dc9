"""YAML loading that remembers where every key stands.

Validation errors are only useful with a line number: `brands/r-pur/brand.yaml:12:
config: palette.dark.text: ...`. PyYAML's composer knows the marks, so we parse once
into nodes, construct the data from them, and keep a map from key path to line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import MailkitError, decode_error, from_yaml, relpath
from .yamlguard import TooLarge, check_expansion

KeyPath = tuple[str | int, ...]
# libyaml's parser when present: a build reads a dozen YAML files, pure Python is slow.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDoc:
    """Parsed data plus the line of every key path, relative to the project root."""

    path: Path
    shown: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, keypath: KeyPath) -> int:
        """The line of the deepest known prefix of `keypath` (a missing key → its parent)."""
        for end in range(len(keypath), -1, -1):
            line = self.lines.get(tuple(keypath[:end]))
            if line is not None:
                return line
        return 1

    def error(self, keypath: KeyPath, message: str) -> MailkitError:
        dotted = ".".join(str(k) for k in keypath)
        text = f"{dotted}: {message}" if dotted else message
        return MailkitError(self.shown, self.line_of(keypath), "config", text)


def load_yaml(path: Path, root: Path) -> YamlDoc:
    """Parse `path`; a syntax error becomes a MailkitError at the offending line."""
    shown = relpath(path, root)
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        raise MailkitError(shown, None, "config", exc.strerror or str(exc)) from None
    except UnicodeDecodeError as exc:
        raise decode_error(path, raw, exc, root, "config") from None
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            check_expansion(node)  # before anything expands the aliases
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise from_yaml(exc, path, root) from None
    except TooLarge as exc:
        raise MailkitError(shown, exc.line, "config", exc.message) from None
    finally:
        loader.dispose()
    doc = YamlDoc(path, shown, data)
    if node is not None:
        _index(node, (), doc.lines)
    return doc


def _index(node: yaml.Node, keypath: KeyPath, lines: dict[KeyPath, int]) -> None:
    lines.setdefault(keypath, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*keypath, str(key_node.value))
            lines[child] = key_node.start_mark.line + 1
            _index(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index(item, (*keypath, index), lines)
