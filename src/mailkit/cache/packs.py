"""Append-only pack files: the step cache's entries, many to a file.

A first build of 1 000 pages stored ~2 500 compile, validation and check results as
one file each, 8 % of its CPU (creating a file and filling fresh page cache is dear on
this kind of VM: 0.4 ms a file against ~0.01 ms to append the same bytes). So each
process appends its entries to one pack of its own, `<pid>-<token>.pack`, with one
`write` per record on an `O_APPEND` descriptor: a record is
`key (32 bytes) | length (8 bytes) | value`.

Readers index the packs' record headers (never their values) and read a value with
one `pread` when it is asked for. A record cut short (a process killed mid-write) is
at a pack's end; it and anything after it are ignored. Another process's records
become visible on the next miss: a miss looks again at the packs that grew or
appeared (one `stat` of the folder, one of each other process's pack; this
process's own pack is indexed as it writes it), which is how the forked
workers of one build, and serve's workers and serve itself, share their results.

Packs only grow; `compact` merges those whose writer is gone into one, when there
are many.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

HEADER = 40  # key (32 bytes, the sha256 digest) + length (8 bytes, big-endian)
SUFFIX = ".pack"
MANY = 24  # packs: more than this and the dead writers' ones are merged


class Packs:
    """The packs of one folder: an index of every record, and this process's own pack."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.index: dict[bytes, tuple[str, int, int]] = {}  # key → (pack, offset, length)
        self.read_to: dict[str, int] = {}  # pack name → bytes indexed so far
        self.folder_stamp: int | None = None
        self.fd = -1  # this process's pack, open for appending (`_writable`)
        self.own_name = ""
        self.own_pid = 0

    def get(self, key: bytes) -> bytes | None:
        """The value stored under `key`, or None."""
        found = self.index.get(key)
        if found is None:
            self.refresh()
            found = self.index.get(key)
            if found is None:
                return None
        name, offset, length = found
        try:
            with open(os.path.join(self.folder, name), "rb") as file:
                data = os.pread(file.fileno(), length, offset)
        except OSError:  # merged away by `compact`: look again
            self.forget(name)
            return None
        return data if len(data) == length else None

    def put(self, key: bytes, value: bytes) -> None:
        """Append `key`'s record to this process's pack (created on first use)."""
        fd = self._writable()
        if fd < 0:
            return
        record = key + len(value).to_bytes(8, "big") + value
        try:
            offset = os.lseek(fd, 0, os.SEEK_END)
            os.write(fd, record)
        except OSError:  # a full disk: no cache, same output
            return
        name = self.own_name
        self.index[key] = (name, offset + HEADER, len(value))
        if self.read_to.get(name) == offset:
            self.read_to[name] = offset + len(record)

    def refresh(self) -> None:
        """Index what other processes appended since the last look."""
        try:
            stamp = os.stat(self.folder).st_mtime_ns
        except OSError:
            return
        names = list(self.read_to)
        if stamp != self.folder_stamp:
            self.folder_stamp = stamp
            with contextlib.suppress(OSError):
                names = [n for n in os.listdir(self.folder) if n.endswith(SUFFIX)]
            for gone in set(self.read_to) - set(names):
                self.forget(gone)
        own = self.own_name if self.own_pid == os.getpid() else ""
        for name in names:
            if name != own:  # this process's `put`s index its own pack as they write
                self._scan(name)

    def forget(self, name: str) -> None:
        self.read_to.pop(name, None)
        self.index = {k: v for k, v in self.index.items() if v[0] != name}

    def _scan(self, name: str) -> None:
        start = self.read_to.get(name, 0)
        path = os.path.join(self.folder, name)
        try:
            if os.stat(path).st_size == start:  # nothing new: the common answer, one call
                self.read_to[name] = start  # known, if new: looked at again next time
                return
            with open(path, "rb") as file:
                fd = file.fileno()
                size = os.fstat(fd).st_size
                offset = start
                while offset + HEADER <= size:
                    header = os.pread(fd, HEADER, offset)
                    length = int.from_bytes(header[32:], "big")
                    if len(header) < HEADER or offset + HEADER + length > size:
                        break  # cut short, or still being written
                    self.index[header[:32]] = (name, offset + HEADER, length)
                    offset += HEADER + length
        except OSError:
            self.forget(name)
            return
        self.read_to[name] = offset

    def _writable(self) -> int:
        """The descriptor of this process's pack, opened (created the first time) if
        needed, or -1 (a read-only checkout: no cache, same output). One pack per
        process is open at a time: a process that builds several projects (tests, a
        long `serve`) does not collect descriptors."""
        if self.own_pid != os.getpid():  # new, or a forked child: a pack of its own
            if self.fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(self.fd)  # the child's copy of its parent's descriptor
            self.fd, self.own_pid = -1, os.getpid()
            self.own_name = f"{os.getpid()}-{secrets.token_hex(4)}{SUFFIX}"
        if self.fd < 0:
            for other in _OPEN:
                if other is not self and other.own_pid == os.getpid():
                    other.close()
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                self.fd = os.open(self.folder / self.own_name,
                                  os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            except OSError:
                return -1
            _OPEN[:] = [self]
            if self.read_to.setdefault(self.own_name, 0) == 0:
                compact(self.folder)
        return self.fd

    def close(self) -> None:
        """Close this process's pack (a later `put` opens it again)."""
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1


_OPEN: list[Packs] = []  # the one Packs whose pack this process holds open


def compact(folder: Path) -> None:
    """Merge the packs whose writer is gone into one, when there are more than `MANY`:
    every process reads every pack's headers, so their number is kept small. The
    merged pack is complete (written, then renamed) before any source is removed; a
    reader that loses a source looks again."""
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(SUFFIX))
    except OSError:
        return
    if len(names) <= MANY:
        return
    dead = [n for n in names if not _alive(n)]
    if len(dead) < 2:
        return
    merged = folder / f"{os.getpid()}-{secrets.token_hex(4)}.merging"
    try:
        with open(merged, "wb") as out:
            for name in dead:
                with open(folder / name, "rb") as file:
                    out.write(_whole_records(file.read()))
        os.replace(merged, merged.with_suffix(SUFFIX))
    except OSError:
        with contextlib.suppress(OSError):
            merged.unlink()
        return
    for name in dead:
        with contextlib.suppress(OSError):
            (folder / name).unlink()


def _whole_records(data: bytes) -> bytes:
    """`data` up to its last complete record."""
    offset = 0
    while offset + HEADER <= len(data):
        end = offset + HEADER + int.from_bytes(data[offset + 32:offset + HEADER], "big")
        if end > len(data):
            break
        offset = end
    return data[:offset]


def _alive(name: str) -> bool:
    """Whether the process that writes pack `name` may still be running (a reused pid
    keeps a dead pack unmerged: harmless)."""
    try:
        pid = int(name.split("-", 1)[0])
    except ValueError:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
