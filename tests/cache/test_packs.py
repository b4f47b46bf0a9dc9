"""The step cache's packs (cache/packs.py): many entries to a file, shared by processes."""

from __future__ import annotations

import os
from pathlib import Path

from mailkit.cache import packs
from mailkit.cache.packs import Packs
from mailkit.cache.steps import StepCache, cached_compile


def key(n: int) -> bytes:
    return n.to_bytes(32, "big")


def test_entries_go_to_one_file_per_process(tmp_path: Path) -> None:
    store = Packs(tmp_path)
    for n in range(50):
        store.put(key(n), b"value %d" % n)
    assert len(list(tmp_path.iterdir())) == 1
    assert store.get(key(7)) == b"value 7"
    assert Packs(tmp_path).get(key(49)) == b"value 49"  # a later build reads it
    assert store.get(key(99)) is None


def test_what_another_process_appends_is_seen_on_the_next_miss(tmp_path: Path) -> None:
    reader = Packs(tmp_path)
    assert reader.get(key(1)) is None
    pid = os.fork()
    if pid == 0:  # a worker of the same build
        Packs(tmp_path).put(key(1), b"from the child")
        os._exit(0)
    os.waitpid(pid, 0)
    assert reader.get(key(1)) == b"from the child"


def test_a_record_cut_short_is_ignored(tmp_path: Path) -> None:
    store = Packs(tmp_path)
    store.put(key(1), b"whole")
    store.put(key(2), b"cut short by a kill")
    (pack,) = tmp_path.iterdir()
    pack.write_bytes(pack.read_bytes()[:-3])
    fresh = Packs(tmp_path)
    assert fresh.get(key(1)) == b"whole"
    assert fresh.get(key(2)) is None


def test_many_dead_packs_are_merged(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(packs, "MANY", 3)
    for n in range(6):
        pid = os.fork()
        if pid == 0:
            Packs(tmp_path).put(key(n), b"v%d" % n)
            os._exit(0)
        os.waitpid(pid, 0)
    Packs(tmp_path).put(key(100), b"mine")  # the first put looks at the folder
    names = [p.name for p in tmp_path.iterdir()]
    assert len(names) <= 3, names  # seven packs written
    reader = Packs(tmp_path)
    assert [reader.get(key(n)) for n in range(6)] == [b"v%d" % n for n in range(6)]


def test_a_compile_stored_is_reused_without_compiling(tmp_path: Path) -> None:
    from mailkit.model import CompiledEmail

    calls = []

    def compile(mjml: str) -> CompiledEmail:
        calls.append(mjml)
        return CompiledEmail("<html></html>", "text")

    assert cached_compile(StepCache(tmp_path), "<mjml/>", compile).text == "text"
    assert cached_compile(StepCache(tmp_path), "<mjml/>", compile).text == "text"
    assert calls == ["<mjml/>"]


def test_a_process_holds_one_pack_open_whatever_the_projects(tmp_path: Path) -> None:
    """Tests and a long `serve` build many projects: descriptors are not collected."""
    before = len(os.listdir("/proc/self/fd"))
    stores = [Packs(tmp_path / str(n)) for n in range(20)]
    for n, store in enumerate(stores):
        store.put(key(n), b"v")
    assert len(os.listdir("/proc/self/fd")) <= before + 1
    stores[0].put(key(99), b"again")  # opened again, the same pack
    assert [len(os.listdir(tmp_path / "0"))] == [1]
    assert Packs(tmp_path / "0").get(key(99)) == b"again"


def test_a_pack_seen_empty_is_read_once_it_fills(tmp_path: Path) -> None:
    """A worker's pack may exist, still empty, when another process first looks: its
    records must be found later all the same (the folder does not change again)."""
    reader = Packs(tmp_path)
    other = tmp_path / f"{os.getpid() + 1}-0000.pack"
    other.write_bytes(b"")
    assert reader.get(key(1)) is None
    with open(other, "ab") as pack:
        pack.write(key(1) + len(b"later").to_bytes(8, "big") + b"later")
    assert reader.get(key(1)) == b"later"
