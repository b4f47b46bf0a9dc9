"""A Jinja failure located at the template line that caused it, as a `MailkitError`.

Syntax errors carry a line; runtime errors (an undefined fixture key) are found in the
traceback, at the innermost template frame. A block left open (`{% if %}` without
`{% endif %}`) is named at its opening tag, not where Jinja noticed (the `{% endblock %}`
that follows, or the end of the file).
"""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2

from ...errors import MailkitError, relpath

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


def from_jinja(exc: Exception, root: Path, fallback: str) -> MailkitError:
    """Locate a template error at the template line that caused it.

    Syntax errors carry `filename`/`lineno`. Runtime errors (an undefined fixture
    key, a bad filter argument) do not, but Jinja rewrites the traceback so that
    template frames point at template files: take the innermost frame that lies
    inside the project, which is the partial's line rather than the email's
    `{% include %}`.
    """
    if isinstance(exc, jinja2.TemplateSyntaxError):
        path = exc.filename or exc.name or fallback
        line, message = unclosed_block(exc) or (exc.lineno, exc.message or str(exc))
        return MailkitError(relpath(path, root), line, "render", message)
    if isinstance(exc, jinja2.TemplateNotFound):
        where = _innermost_template_frame(exc, root)
        path, line = where if where else (fallback, None)
        return MailkitError(path, line, "render", f"template not found: {exc.name}")
    where = _innermost_template_frame(exc, root)
    path, line = where if where else (fallback, None)
    message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
    return MailkitError(path, line, "render", message)


def _innermost_template_frame(exc: BaseException, root: Path) -> tuple[str, int] | None:
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".j2"):
            found = (relpath(frame.filename, root), frame.lineno or 0)
    return found
