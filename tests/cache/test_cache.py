"""Jinja's bytecode cache (`.mailkit-cache/`) never hands code compiled for one set of
extensions to an environment with another: compiled code names each extension by its
import path, so after an extension moves, stale code would fail at render time."""

from __future__ import annotations

import jinja2
from jinja2.ext import Extension

from mailkit.cache.bytecode import BytecodeCache, PackedBytecodeCache
from mailkit.cache.packs import Packs


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


def environment(tmp_path, extension, cache=PackedBytecodeCache):
    loader = jinja2.DictLoader({"t.j2": "{% shout %}bonjour{% endshout %}"})
    return jinja2.Environment(loader=loader, extensions=[extension],
                              bytecode_cache=cache(tmp_path))


def records(folder) -> int:
    """The compiled templates kept in `folder`'s packs, as another process sees them."""
    packs = Packs(folder)
    packs.refresh()
    return len(packs.index)


def test_code_cached_for_one_extension_path_is_not_reused_for_another(tmp_path):
    assert environment(tmp_path, Upper).get_template("t.j2").render() == "BONJOUR"
    # a new process (a new cache object) with the extension moved: renders, not KeyError
    assert environment(tmp_path, Moved).get_template("t.j2").render() == "BONJOUR"
    assert records(tmp_path) == 2
    # the site's own templates: a file each
    assert environment(tmp_path / "site", Upper, BytecodeCache).get_template("t.j2").render() \
        == "BONJOUR"
    assert environment(tmp_path / "site", Moved, BytecodeCache).get_template("t.j2").render() \
        == "BONJOUR"
    assert len(list((tmp_path / "site").glob("*.jinja"))) == 2


def test_the_same_extensions_reuse_the_cached_code(tmp_path):
    environment(tmp_path, Upper).get_template("t.j2").render()
    environment(tmp_path, Upper).get_template("t.j2").render()
    assert records(tmp_path) == 1



def test_a_new_process_loads_the_kept_code_and_an_edit_is_compiled_again(tmp_path, monkeypatch):
    """Code kept by one process is loaded by the next (no compile), and an edited
    template is compiled again, never answered with the old code."""
    import mailkit.cache.bytecode as bytecode

    compiled: list[str] = []
    compile_source = jinja2.Environment.compile

    def counted(self, source, *args, **kwargs):
        compiled.append(source)
        return compile_source(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)

    def render(source: str) -> str:
        monkeypatch.setattr(bytecode, "_PACKS", {})  # as in a new process
        env = jinja2.Environment(loader=jinja2.DictLoader({"t.j2": source}),
                                 bytecode_cache=PackedBytecodeCache(tmp_path, "preview"))
        return env.get_template("t.j2").render(name="Léa")

    assert render("Bonjour {{ name }}") == "Bonjour Léa" and len(compiled) == 1
    assert render("Bonjour {{ name }}") == "Bonjour Léa" and len(compiled) == 1
    assert render("Salut {{ name }}") == "Salut Léa" and len(compiled) == 2
    assert records(tmp_path) == 2
