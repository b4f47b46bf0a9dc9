"""Jinja's bytecode cache (`.mailkit-cache/`) never hands code compiled for one set of
extensions to an environment with another: compiled code names each extension by its
import path, so after an extension moves, stale code would fail at render time."""

from __future__ import annotations

import jinja2
from jinja2.ext import Extension

from mailkit.cache.bytecode import BytecodeCache


class Upper(Extension):
    tags = {"shout"}

    def parse(self, parser):  # {% shout %}x{% endshout %} → X
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(("name:endshout",), drop_needle=True)
        return jinja2.nodes.CallBlock(self.call_method("_up"), [], [], body).set_lineno(lineno)

    def _up(self, caller):
        return caller().upper()


class Moved(Upper):
    """The same extension under another import path, as after a refactor."""


def environment(tmp_path, extension):
    loader = jinja2.DictLoader({"t.j2": "{% shout %}bonjour{% endshout %}"})
    return jinja2.Environment(loader=loader, extensions=[extension],
                              bytecode_cache=BytecodeCache(tmp_path))


def test_code_cached_for_one_extension_path_is_not_reused_for_another(tmp_path):
    assert environment(tmp_path, Upper).get_template("t.j2").render() == "BONJOUR"
    # a new process (a new cache object) with the extension moved: renders, not KeyError
    assert environment(tmp_path, Moved).get_template("t.j2").render() == "BONJOUR"
    assert len(list(tmp_path.glob("*.jinja"))) == 2


def test_the_same_extensions_reuse_the_cached_code(tmp_path):
    environment(tmp_path, Upper).get_template("t.j2").render()
    environment(tmp_path, Upper).get_template("t.j2").render()
    assert len(list(tmp_path.glob("*.jinja"))) == 1

