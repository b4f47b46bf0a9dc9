"""The preview site's templates are mailkit's own: compiled once, beside them, like a
module's .pyc (scripts/bootstrap.sh), so a fresh clone's first build does not compile
them again (Jinja keys the code on the source: an edited template is compiled afresh)."""

from __future__ import annotations

import jinja2
import pytest

from mailkit import site


@pytest.fixture
def fresh_environment():
    site.environment.cache_clear()  # a new process's environment
    yield
    site.environment.cache_clear()


def test_precompiled_site_templates_are_loaded_not_compiled(fresh_environment, monkeypatch):
    assert site.precompile() >= 4
    site.environment.cache_clear()

    def no_compile(*args, **kwargs):
        raise AssertionError("compiled again")

    monkeypatch.setattr(jinja2.Environment, "compile", no_compile)
    env = site.environment()
    assert env.bytecode_cache is not None
    for name in ("home.html", "brand.html", "email.html", "checks_panel.html"):
        assert env.get_template(name).render  # loaded from templates/__pycache__


def test_a_read_only_package_keeps_them_in_the_project(fresh_environment, make_project,
                                                      monkeypatch):
    """An installed mailkit whose folder cannot be written: the project's cache holds
    them, and the site is written all the same."""
    from mailkit.commands.build import build

    def read_only(directory):
        raise PermissionError(directory)

    monkeypatch.setattr(site, "BytecodeCache", read_only)
    assert site.own_bytecode() is None
    root = make_project()
    build(root)
    assert (root / "build/index.html").is_file()
    from mailkit.cache import bytecode

    monkeypatch.setattr(bytecode, "_PACKS", {})  # as a new process reads them
    kept = bytecode.PackedBytecodeCache(root / bytecode.JINJA_DIR, "site")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(site.HERE / "templates"))
    source, filename, _ = env.loader.get_source(env, "home.html")
    bucket = kept.get_bucket(env, "home.html", filename, source)
    assert bucket.code is not None  # kept in the project's packs
