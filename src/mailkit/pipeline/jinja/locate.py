"""A Jinja block left open (`{% if %}` without `{% endif %}`), named at its opening tag.

Jinja reports the tag where it noticed: the `{% endblock %}` that follows, or the end
of the file. `unclosed_block` lexes the source up to there and finds the innermost
block still open. A leaf module: errors.py calls it, so it imports nothing of mailkit.
"""

from __future__ import annotations

import jinja2

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
