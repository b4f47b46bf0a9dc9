"""A source map for rendered templates: which template file and line wrote each
character of the output, and through which includes and macro calls it got there.

Jinja keeps no such map, so the render leaves one in its output. When a template is
parsed (`mark`), every piece of literal template text is preceded by a marker naming
its file and line, and every `{% include %}` or call that prints (a macro) is wrapped
in a push and a pop marker naming where it was written. `strip` removes the markers
after rendering and returns the clean text, the same characters as an unmarked
render, with the map. Markers use private-use characters, which no template contains
and no filter treats as whitespace (`|trim` would eat control characters).

Text captured for a value is left unmarked (`{% set x %}…{% endset %}`, `{% filter %}`):
it may be encoded (a WhatsApp link), where a marker would not survive.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from jinja2 import nodes

MARK, SEP, END = "\ue000", "\ue001", "\ue002"  # private use: never text, never whitespace
_MARKER = re.compile(f"{MARK}([LP<])([^{END}]*){END}")
_CAPTURES = (nodes.AssignBlock, nodes.FilterBlock)

Frame = tuple[str, int]  # (template file, line)


def mark(template: nodes.Template, filename: str | None) -> nodes.Template:
    """Add the markers to a parsed template (in place); return it."""
    if filename:
        _mark_lists(template, filename)
    return template


def _marker(kind: str, filename: str, line: int) -> nodes.TemplateData:
    return nodes.TemplateData(f"{MARK}{kind}{filename}{SEP}{line}{END}", lineno=line)


def _pop(line: int) -> nodes.TemplateData:
    return nodes.TemplateData(f"{MARK}<{END}", lineno=line)


def _mark_lists(node: nodes.Node, filename: str) -> None:
    for name in node.fields:
        value = getattr(node, name, None)
        if isinstance(value, list):
            if isinstance(node, nodes.Output) and name == "nodes":
                value[:] = _mark_output(value, filename)
            elif value and all(isinstance(v, nodes.Stmt) for v in value):
                value[:] = _mark_body(value, filename)
            for item in value:
                if isinstance(item, nodes.Node) and not isinstance(item, _CAPTURES):
                    _mark_lists(item, filename)
        elif isinstance(value, nodes.Node) and not isinstance(value, _CAPTURES):
            _mark_lists(value, filename)


def _mark_output(children: list[nodes.Expr], filename: str) -> list[nodes.Expr]:
    marked: list[nodes.Expr] = []
    for child in children:
        if isinstance(child, nodes.TemplateData):
            # only text that may open an element needs to be located (a marker placed
            # already starts with MARK): fewer markers, a cheaper render
            if "<" in child.data and not child.data.startswith(MARK):
                # after the leading whitespace, so `|trim` on a macro's output still
                # finds it, and the line is the one where the text starts
                lead = child.data[:len(child.data) - len(child.data.lstrip())]
                if lead:
                    marked.append(nodes.TemplateData(lead, lineno=child.lineno))
                    child = nodes.TemplateData(child.data[len(lead):], lineno=child.lineno)
                marked.append(_marker("L", filename, child.lineno + lead.count("\n")))
            marked.append(child)
        elif isinstance(child, nodes.Call) or child.find(nodes.Call):  # a macro: markup
            marked += [_marker("P", filename, child.lineno), child, _pop(child.lineno)]
        else:
            marked.append(child)
    return marked


def _mark_body(body: list[nodes.Node], filename: str) -> list[nodes.Node]:
    marked: list[nodes.Node] = []
    for stmt in body:
        if isinstance(stmt, nodes.Include):
            marked += [nodes.Output([_marker("P", filename, stmt.lineno)], lineno=stmt.lineno),
                       stmt, nodes.Output([_pop(stmt.lineno)], lineno=stmt.lineno)]
        else:
            marked.append(stmt)
    return marked


@dataclass(frozen=True)
class Origin:
    """Where an element of the rendered text was written."""

    path: str
    line: int
    chain: tuple[Frame, ...] = ()  # outermost first: the includes and calls leading here

    def via(self) -> str:
        """`via emails/vip.mjml.j2:12 → partials/product.mjml.j2:4` (the includes and
        macro calls from the email down to here), or '' when written in the email."""
        return "via " + " → ".join(f"{p}:{n}" for p, n in self.chain) if self.chain else ""


@dataclass
class SourceMap:
    """Offsets in the clean text → template file and line; `paths` shows a file."""

    starts: list[int] = field(default_factory=list)
    frames: list[tuple[str, int, tuple[Frame, ...]]] = field(default_factory=list)

    def locate(self, text: str, offset: int) -> Origin | None:
        index = bisect.bisect_right(self.starts, offset) - 1
        if index < 0:
            return None
        path, line, chain = self.frames[index]
        return Origin(path, line + text.count("\n", self.starts[index], offset), chain)


def strip(text: str, show: Callable[[str], str] = str) -> tuple[str, SourceMap]:
    """The text without markers, and its map; `show` names a template file as the
    user knows it (relative to the project).

    One `split` hands over every marker's kind and body with the text that follows it
    (a page has ~80 markers: a loop over match objects cost twice as much)."""
    parts = _MARKER.split(text)  # text, then (kind, body, text) for each marker
    shown: dict[str, str] = {}
    smap = SourceMap()
    starts, frames = smap.starts, smap.frames
    stack: list[Frame] = []
    size = len(parts[0])
    for at in range(1, len(parts), 3):
        kind, body = parts[at], parts[at + 1]
        frame: Frame | None = None
        if kind == "<":
            if stack:  # back at the call site until the caller's next marker
                frame = stack.pop()
        else:
            path, _, line = body.rpartition(SEP)
            frame = (shown.get(path) or shown.setdefault(path, show(path)), int(line))
            if kind == "P":
                stack.append(frame)
                frame = None
        if frame is not None:
            entry = (frame[0], frame[1], tuple(stack))
            if starts and starts[-1] == size:  # nothing written since: replace
                frames[-1] = entry
            else:
                starts.append(size)
                frames.append(entry)
        size += len(parts[at + 2])
    return "".join(parts[::3]), smap
