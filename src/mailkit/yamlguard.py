"""Refuse YAML whose aliases expand past any real configuration (a "billion laughs"
document), before anything walks the expanded data.

PyYAML's composer keeps an alias as a second reference to the anchored node, so the
parsed graph stays as small as the text; it is every later walk (constructing, the
line index, pydantic, fixture merging) that expands each reference again, and a dozen
lines of nested aliases then ask for gigabytes. `check_expansion` counts the expanded
size on the graph itself, each node once (memoised), so the check is linear in the
text, and stops at the first node past the bound, named by its line. An alias to its
own ancestor (a cycle) is refused the same way.
"""

from __future__ import annotations

import yaml

MAX_VALUES = 100_000  # the demo's largest file expands to a few hundred


class TooLarge(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def check_expansion(root: yaml.Node, limit: int = MAX_VALUES) -> None:
    """Raise TooLarge (with the line of the node that expands past `limit`)."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise TooLarge(node.start_mark.line + 1, "an alias refers to a value that "
                           "contains it: the data would be infinite")
        active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        for child in children:
            total += size(child)
            if total > limit:
                raise TooLarge(node.start_mark.line + 1, f"aliases expand this document "
                               f"past {limit:,} values (a 'billion laughs' document?): "
                               "refused")
        active.discard(key)
        sizes[key] = total
        return total

    size(root)
