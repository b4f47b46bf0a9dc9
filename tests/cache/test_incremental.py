"""Incremental builds (#17): what the caches reuse gives the same bytes as a clean build,
and `build --brand X` keeps the other brands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import CHANGES, clean_build, edit, tree_hash

from mailkit.cache import CACHE_DIR
from mailkit.commands.build import build


@pytest.mark.parametrize("change", list(CHANGES))
def test_incremental_build_is_byte_identical_to_a_clean_one(demo_copy: Path, change: str) -> None:
    build(demo_copy)  # warm: jinja, compile and check caches, the last build's state
    before = tree_hash(demo_copy / "build")
    CHANGES[change](demo_copy)
    incremental = build(demo_copy)
    assert incremental.fresh, "an input changed: something is redone"
    if change == "template":  # only the pages rendered from it
        assert incremental.fresh == {k for k, p in incremental.pages.items()
                                     if p.target.email.template == "vip"}
    after = tree_hash(demo_copy / "build")
    assert after != before, f"the {change} change shows in build/"
    assert after == clean_build(demo_copy)


def test_nothing_changed_leaves_build_in_place(demo_copy: Path) -> None:
    first = build(demo_copy)
    stamp = (demo_copy / "build/index.html").stat().st_mtime_ns
    again = build(demo_copy)
    assert not again.fresh and set(again.pages) == set(first.pages)
    assert (demo_copy / "build/index.html").stat().st_mtime_ns == stamp  # not rewritten
    (demo_copy / "build/manifest.json").write_text("{}", encoding="utf-8")  # build/ tampered
    rebuilt = build(demo_copy)
    assert rebuilt.fresh and json.loads((demo_copy / "build/manifest.json").read_text())["pages"]


def test_check_after_a_build_reuses_it_and_sees_edits(demo_copy: Path) -> None:
    """`mailkit check` (nothing written) takes the last build's findings, and redoes
    the pages an edit touches: the same findings as a check from a clean cache."""
    build(demo_copy)
    kept = build(demo_copy, write=False)
    assert not kept.fresh and all(p.findings is not None for p in kept.pages.values())
    edit(demo_copy / "brands/kokawa/emails/vip.mjml.j2", "</mj-column>",
         '<mj-image src="http://example.com/x.png" alt=""></mj-image></mj-column>')
    redone = build(demo_copy, write=False)
    assert redone.fresh == {k for k, p in redone.pages.items()
                            if p.target.email.template == "vip"}
    shutil.rmtree(demo_copy / CACHE_DIR)
    clean = build(demo_copy, write=False)
    assert {k: p.findings for k, p in redone.pages.items()} == \
        {k: p.findings for k, p in clean.pages.items()}
    assert any(p.findings != kept.pages[k].findings for k, p in redone.pages.items())


def test_build_removed_is_written_again_from_the_cache(demo_copy: Path) -> None:
    """`build/` removed, `.mailkit-cache/` kept: nothing to render, every file written."""
    build(demo_copy)
    first = tree_hash(demo_copy / "build")
    shutil.rmtree(demo_copy / "build")
    again = build(demo_copy)
    assert set(again.fresh) == set(again.pages)
    assert tree_hash(demo_copy / "build") == first


def test_build_brand_keeps_the_other_brands(demo_copy: Path) -> None:
    full = build(demo_copy)
    brands = sorted({p.target.brand for p in full.pages.values()})
    assert len(brands) >= 2
    whole = tree_hash(demo_copy / "build")
    manifest = json.loads((demo_copy / "build/manifest.json").read_text())
    one = brands[0]
    edit(demo_copy / f"brands/{one}/brand.yaml", "postal_address: ", "postal_address: Chez ")
    build(demo_copy, brand=one)
    kept = tree_hash(demo_copy / "build")
    assert set(kept) == set(whole), "no file of another brand (or of the home) disappears"
    for path, digest in whole.items():
        if path.startswith(tuple(f"{b}/" for b in brands[1:])) and not path.endswith("index.html"):
            assert kept[path] == digest, f"{path} of another brand changed"
    now = json.loads((demo_copy / "build/manifest.json").read_text())["pages"]
    assert [p["key"] for p in now] == [p["key"] for p in manifest["pages"]]
    assert [p for p in now if p["brand"] != one] == [p for p in manifest["pages"]
                                                      if p["brand"] != one]
    home = (demo_copy / "build/index.html").read_text(encoding="utf-8")
    assert all(f"{b}/" in home for b in brands)
    changed = {p for p in kept if kept[p] != whole[p]}
    assert changed and all(p.startswith(f"{one}/") for p in changed
                           if not p.endswith("index.html") and p != "manifest.json"), changed


def test_build_brand_without_a_previous_build(demo_copy: Path) -> None:
    """No earlier build to keep pages from: the brand alone is written."""
    build(demo_copy, brand="kokawa")
    pages = json.loads((demo_copy / "build/manifest.json").read_text())["pages"]
    assert pages and {p["brand"] for p in pages} == {"kokawa"}


def test_the_code_hash_covers_every_stage_not_only_the_cache_folder() -> None:
    """An edit to the compile stage or a rule must not reuse the results it changes."""
    import mailkit
    from mailkit.cache import steps

    package = Path(mailkit.__file__).parent
    names = {p.relative_to(package).as_posix() for p in steps.code_files()}
    assert {"pipeline/compile.py", "check/rules/spam.py", "cache/steps.py",
            "site/templates/email.html", "site/static/clients.js"} <= names
