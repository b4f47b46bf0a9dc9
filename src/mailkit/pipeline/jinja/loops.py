"""Include loops (`a` includes `b` includes `a`), named fast, with each line.

Jinja recurses until Python's recursion limit, seconds later, with a RecursionError and
no file. `include_loop` finds the cycle in the template references (includes, imports,
extends) before rendering, and names each reference of the loop at its line.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import nodes

from ...errors import MailkitError, relpath


def include_loop(name: str, refs: dict[str, tuple[Path, list[str]]],
                 env: jinja2.Environment, root: Path) -> MailkitError | None:
    """The first cycle reachable from `name` in `refs` (name → (file, referenced
    names), as deps.dependencies fills it), as one error naming each step's line."""
    path: list[str] = []
    on_path: set[str] = set()
    done: set[str] = set()

    def visit(current: str) -> list[str] | None:
        if current in on_path:
            return path[path.index(current):] + [current]
        if current in done or current not in refs:
            return None
        path.append(current)
        on_path.add(current)
        for ref in refs[current][1]:
            found = visit(ref)
            if found:
                return found
        path.pop()
        on_path.discard(current)
        done.add(current)
        return None

    cycle = visit(name)
    if cycle is None:
        return None
    steps = [(relpath(refs[a][0], root), _reference_line(env, a, b))
             for a, b in zip(cycle, cycle[1:], strict=False)]
    shown = " → ".join(f"{path}:{line}" for path, line in steps)
    return MailkitError(*steps[0], "render", f"include loop: {shown} → {cycle[-1]}")


def _reference_line(env: jinja2.Environment, name: str, target: str) -> int:
    source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    ast = env.parse(source, name, filename)
    for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        if isinstance(node.template, nodes.Const) and node.template.value == target:
            return node.lineno
    return 1
