"""Template references are kept in .mailkit-cache/refs.json, and never trusted blindly."""

from __future__ import annotations

import json

import pytest
from helpers import DEMO

from mailkit.commands.build import build
from mailkit.pipeline.jinja import deps


@pytest.fixture(autouse=True)
def fresh_process(monkeypatch):
    """As in a new process: nothing known in memory, the file not read yet."""
    monkeypatch.setattr(deps, "REFS", {})
    monkeypatch.setattr(deps, "_refs_loaded", set())
    monkeypatch.setattr(deps, "_refs_used", set())
    monkeypatch.setattr(deps, "_refs_new", set())


def refs_file(root):
    return root / deps.REFS_FILE


def test_a_build_keeps_the_references_and_the_next_process_reads_them(demo_copy, monkeypatch):
    first = build(demo_copy, write=False)
    kept = json.loads(refs_file(demo_copy).read_text(encoding="utf-8"))
    assert any(refs[0] == "partials/layout.mjml.j2" for refs in kept.values() if refs)
    monkeypatch.setattr(deps, "REFS", {})
    monkeypatch.setattr(deps, "_refs_loaded", set())
    parsed = []
    monkeypatch.setattr(deps.jinja2.meta, "find_referenced_templates",
                        lambda ast: parsed.append(ast) or iter(()))
    second = build(demo_copy, write=False)
    assert parsed == []  # every reference came from the file
    assert {k: p.deps for k, p in second.pages.items()} == \
        {k: p.deps for k, p in first.pages.items()}


def test_an_edited_template_drops_its_old_references(demo_copy):
    build(demo_copy, write=False)
    before = set(json.loads(refs_file(demo_copy).read_text(encoding="utf-8")))
    email = demo_copy / "brands/kokawa/emails/vip.mjml.j2"
    email.write_text(email.read_text(encoding="utf-8") + "\n{# edited #}\n", encoding="utf-8")
    deps._refs_used.clear()
    build(demo_copy, write=False)
    after = set(json.loads(refs_file(demo_copy).read_text(encoding="utf-8")))
    assert len(after) == len(before)
    assert len(after - before) == 1  # the new version in, the old one out


@pytest.mark.parametrize("text", ["{not json", '["a list"]', '{"x": 3, "y": ["a", 1]}'])
def test_a_damaged_file_is_ignored_and_written_anew(demo_copy, text):
    refs_file(demo_copy).parent.mkdir(parents=True, exist_ok=True)
    refs_file(demo_copy).write_text(text, encoding="utf-8")
    result = build(demo_copy, write=False)
    assert len(result.pages) == DEMO.pages
    kept = json.loads(refs_file(demo_copy).read_text(encoding="utf-8"))
    assert "x" not in kept and "y" not in kept and len(kept) > 10
