"""Template faults located where the user can fix them, which Jinja alone does not do.

- A template that is not valid UTF-8: Jinja's loader raises a bare UnicodeDecodeError
  with a byte offset; `TemplateLoader` names the file and the line.
- An include loop (`a` includes `b` includes `a`): Jinja recurses until Python's
  recursion limit, seconds later, with a RecursionError and no file. `include_loop`
  finds the cycle in the template references before rendering, and names each
  `{% include %}` (or import, or extends) of the loop with its line.
- A block left open (`{% if %}` without `{% endif %}`): Jinja reports the tag where it
  noticed, the `{% endblock %}` that follows or the end of the file. `unclosed_block`
  finds the line of the tag that was left open.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from .errors import MailkitError, relpath


def decode_error(path: Path, data: bytes, exc: UnicodeDecodeError, root: Path,
                 stage: str) -> MailkitError:
    """`file:line: stage: not UTF-8 …` for bytes that do not decode."""
    line = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    bad = data[exc.start:exc.end].hex(" ")
    return MailkitError(relpath(path, root), line, stage,
                        f"not UTF-8: byte(s) {bad} at column {column}; save the file as UTF-8")


class TemplateLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, with undecodable templates named at their line."""

    def __init__(self, searchpath: list[str], root: Path) -> None:
        super().__init__(searchpath)
        self.root = root

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Any]:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            for base in self.searchpath:
                path = Path(posixpath.join(base, template))
                if path.is_file():
                    raise decode_error(path, path.read_bytes(), exc, self.root,
                                       "render") from None
            raise


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
    steps = [f"{relpath(refs[a][0], root)}:{_reference_line(env, a, b)}"
             for a, b in zip(cycle, cycle[1:], strict=False)]
    first = steps[0].rsplit(":", 1)
    return MailkitError(first[0], int(first[1]), "render",
                        "include loop: " + " → ".join(steps) + f" → {cycle[-1]}")


def _reference_line(env: jinja2.Environment, name: str, target: str) -> int:
    source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    ast = env.parse(source, name, filename)
    for node in ast.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        if isinstance(node.template, nodes.Const) and node.template.value == target:
            return node.lineno
    return 1


# the tags that open a block, with the tag that closes each
BLOCK_TAGS = {"if": "endif", "for": "endfor", "block": "endblock", "macro": "endmacro",
              "call": "endcall", "filter": "endfilter", "with": "endwith",
              "autoescape": "endautoescape", "ifdata": "endifdata", "fordata": "endfordata",
              "trans": "endtrans"}


def unclosed_block(exc: jinja2.TemplateSyntaxError) -> tuple[int, str] | None:
    """(line, message) for the innermost block left open where Jinja gave up, or None
    when the error is of another kind. Lexed with Jinja's default delimiters, which
    mailkit's environments keep."""
    message = exc.message or ""
    source = exc.source
    if "innermost block that needs to be closed is" not in message or source is None:
        return None
    env = jinja2.Environment()
    stack: list[tuple[str, int]] = []
    try:
        stream = [t for t in env.lex(source) if t[1] != "whitespace"]
    except jinja2.TemplateSyntaxError:
        return None
    for index, (lineno, kind, value) in enumerate(stream):
        if lineno > (exc.lineno or 0):
            break
        if kind != "name" or index == 0 or stream[index - 1][1] != "block_begin":
            continue
        if value in BLOCK_TAGS:
            stack.append((value, lineno))
        elif value == "set" and _is_block_set(stream, index):
            stack.append(("set", lineno))
        elif value.startswith("end") and stack and value[3:] == stack[-1][0]:
            stack.pop()
    if not stack:
        return None
    tag, line = stack[-1]
    closer = BLOCK_TAGS.get(tag, "endset")
    return line, (f"{{% {tag} %}} is never closed: add {{% {closer} %}} "
                  f"(Jinja noticed at line {exc.lineno}: {message.split('.')[0]})")


def _is_block_set(stream: list[tuple[int, str, str]], index: int) -> bool:
    """`{% set x %}…{% endset %}` opens a block; `{% set x = 1 %}` does not."""
    for _, kind, value in stream[index + 1:]:
        if kind == "block_end":
            return True
        if kind == "operator" and value == "=":
            return False
    return False


def refuse_loops(env: jinja2.Environment, name: str, root: Path) -> None:
    """Raise the include loop reachable from `name`, if any (for a render that keeps no
    reference cache of its own, such as the Klaviyo export)."""
    from .deps import dependencies  # deps imports render, which imports this module

    refs: dict[str, tuple[Path, list[str]]] = {}
    try:
        dependencies(env, name, refs)
    except jinja2.TemplateError:
        return  # the render reports it, at its line
    loop = include_loop(name, refs, env, root)
    if loop is not None:
        raise loop
