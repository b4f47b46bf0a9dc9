"""The build's file store (#17): written bytes kept once by content and hard-linked, so a
`build/` written again links instead of creating thousands of files; never handing out
a copy edited in place; cleaned of what no build links; off where links cannot be made."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from helpers import tree_hash

from mailkit.cache import files as filestore
from mailkit.cache.files import STORE_DIR
from mailkit.commands.build import build


def stored(root: Path) -> list[Path]:
    return [p for p in (root / STORE_DIR).rglob("*") if p.is_file()]


def test_build_written_again_links_every_file_from_the_store(demo_copy: Path) -> None:
    build(demo_copy)
    first = tree_hash(demo_copy / "build")
    shutil.rmtree(demo_copy / "build")
    build(demo_copy)  # from the kept result: every file written again
    assert tree_hash(demo_copy / "build") == first
    written = [p for p in (demo_copy / "build").rglob("*.html") if p.is_file()]
    assert written and all(p.stat().st_nlink >= 2 for p in written)
    inodes = {p.stat().st_ino for p in stored(demo_copy)}
    assert {p.stat().st_ino for p in written} <= inodes


def test_a_file_of_build_edited_in_place_is_not_handed_out_again(demo_copy: Path) -> None:
    build(demo_copy)
    page = demo_copy / "build/r-pur/application/sans-app.html"
    right = page.read_bytes()
    with open(page, "r+b") as file:  # an editor that writes in place: the stored copy too
        file.write(b"<!-- edited by hand -->")
    shutil.rmtree(demo_copy / "build")
    build(demo_copy)
    assert page.read_bytes() == right


def test_copies_no_build_links_are_collected(demo_copy: Path) -> None:
    build(demo_copy)
    template = demo_copy / "brands/kokawa/emails/vip.mjml.j2"
    for word in ("Un", "Deux", "Trois"):
        template.write_text(template.read_text(encoding="utf-8").replace(
            "</mj-column>", f"<mj-text>{word}.</mj-text></mj-column>", 1), encoding="utf-8")
        shutil.rmtree(demo_copy / "build")  # each build writes everything into the store
        build(demo_copy)
    assert all(p.stat().st_nlink >= 2 for p in stored(demo_copy))  # none left behind
    files = [p for p in (demo_copy / "build").rglob("*") if p.is_file()]
    assert len(stored(demo_copy)) <= len(files)


def test_without_links_the_build_writes_its_files(demo_copy: Path, monkeypatch) -> None:
    build(demo_copy)
    expected = tree_hash(demo_copy / "build")
    shutil.rmtree(demo_copy / "build")
    shutil.rmtree(demo_copy / STORE_DIR)
    calls = []

    def no_links(source, dest) -> None:  # os.link everywhere: brand assets are copied too
        calls.append(Path(source))
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(filestore.os, "link", no_links)
    monkeypatch.setenv("MAILKIT_JOBS", "1")
    build(demo_copy)
    assert tree_hash(demo_copy / "build") == expected
    store = (demo_copy / STORE_DIR).resolve()
    tries = [c for c in calls if c.resolve().is_relative_to(store)]
    assert len(tries) == 1  # the store turned itself off at the first refusal


def test_an_older_layouts_prefix_folders_are_collected(tmp_path: Path) -> None:
    """Copies fanned out by prefix (an older mailkit) are found by no build any more:
    each goes once nothing links it, and its folder with the last of them."""
    store = filestore.FileStore(tmp_path / "files")
    (tmp_path / "files/ab").mkdir(parents=True)
    (tmp_path / "files/cd").mkdir()
    (tmp_path / "files/ab/ab01").write_bytes(b"unlinked")
    (tmp_path / "files/cd/cd01").write_bytes(b"still in a build")
    os.link(tmp_path / "files/cd/cd01", tmp_path / "page.html")
    page = tmp_path / "other.html"
    assert store.place(b"flat", page)
    [flat] = [p for p in (tmp_path / "files").iterdir() if p.is_file()]  # no prefix folder
    assert flat.stat().st_ino == page.stat().st_ino
    assert store.collect() == 1
    assert not (tmp_path / "files/ab").exists()
    assert (tmp_path / "files/cd/cd01").read_bytes() == b"still in a build"
    (tmp_path / "page.html").unlink()
    assert store.collect() == 1 and not (tmp_path / "files/cd").exists()
    assert page.read_bytes() == b"flat"  # the flat copy, still linked, stays
