"""caniemail.com's support tables, as shipped in `data/caniemail.json`, and their refresh.

Why a copy in the repository rather than a download at check time: a check must
give the same answer on a laptop, in CI and next month, without the network. The
file is dated (`fetched`, `last_update_date`) so a report can say how old its
knowledge is, and `refresh_caniemail` rebuilds it on demand (a CLI command).

Only what the checks need is kept: per feature its title, URL, and for every
client (`family.platform`) the *latest* tested version with its value ("y", "n",
"a #1", …) plus the notes those values cite. Older versions and "u" (unknown)
values never produce a finding, so they are dropped; that brings caniemail's
~650 KB down to ~400 KB, one feature a line so a refresh diffs well.

The network is confined to `npm_pack_caniemail`; everything else works on a
tarball on disk, so tests exercise the whole rebuild with a fake fetcher.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")
DATA_FILE = DATA_DIR / "caniemail.json"
LICENSE_NAME = "CANIEMAIL-LICENSE"
PACKAGE = "caniemail"
_DATE_VERSION = re.compile(r"^\d{4}-\d{2}$")
_NOTE_REF = re.compile(r"#(\d+)")
LICENSE_HEADER = """\
The data in caniemail.json is derived from Can I email (https://www.caniemail.com,
source https://github.com/hteumeuleu/caniemail: MIT License, Copyright (c) 2019
HTeuMeuLeu), as published in the npm package "{package}" version {version}, whose
licence follows verbatim. mailkit keeps only the latest tested version of each client.

-----------------------------------------------------------------------------
"""


@dataclass(frozen=True)
class Support:
    """One client's support for one feature, at the latest version caniemail tested."""

    client: str  # "family.platform"
    version: str
    value: str  # "y", "n" or "a" (partial)
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Feature:
    slug: str
    title: str
    url: str
    stats: dict[str, str]  # client -> "version value", e.g. "2019 a #1 #2"
    notes: dict[str, str]

    def support(self, client: str) -> Support | None:
        """The client's latest entry, or None when caniemail has no (known) result."""
        entry = self.stats.get(client)
        if not entry:
            return None
        version, _, raw = entry.partition(" ")
        value = raw[:1]
        if value not in {"y", "n", "a"}:
            return None
        notes = tuple(self.notes[n] for n in _NOTE_REF.findall(raw) if n in self.notes)
        return Support(client, version, value, notes)


@dataclass(frozen=True)
class CanIEmail:
    version: str
    last_update_date: str
    fetched: str
    source: str
    families: dict[str, str]
    platforms: dict[str, str]
    features: dict[str, Feature]

    @cached_property
    def clients(self) -> list[str]:
        """Every client id the data knows (computed once: asked for every email)."""
        seen = {c for f in self.features.values() for c in f.stats}
        return sorted(seen)

    def client_name(self, client: str) -> str:
        """Human name, e.g. "Outlook (Windows)" for "outlook.windows"."""
        family, _, platform = client.partition(".")
        fam = self.families.get(family, family)
        return f"{fam} ({self.platforms.get(platform, platform)})" if platform else fam

    def match_clients(self, patterns: Iterable[str]) -> tuple[list[str], list[str]]:
        """Expand client ids, bare families and globs; return (clients, unmatched patterns).
        Kept per list of patterns: every email of a build asks with the same."""
        key = tuple(patterns)
        found = self._matched.get(key)
        if found is None:
            found = self._matched[key] = self._match_clients(key)
        return list(found[0]), list(found[1])

    @cached_property
    def _matched(self) -> dict[tuple[str, ...], tuple[list[str], list[str]]]:
        return {}

    def _match_clients(self, patterns: Iterable[str]) -> tuple[list[str], list[str]]:
        known = self.clients
        out: list[str] = []
        unmatched: list[str] = []
        for pattern in patterns:
            glob = pattern if "." in pattern else f"{pattern}.*"
            hits = [c for c in known if fnmatch.fnmatchcase(c, glob)]
            if not hits:
                unmatched.append(pattern)
            out += [c for c in hits if c not in out]
        return out, unmatched


def latest_entry(versions: dict[str, str]) -> tuple[str, str]:
    """The latest (version, value) of one client's history.

    caniemail lists versions oldest first, and mixes labels ("2019", "16.80",
    "2024-05"), so file order is the only general rule; when every label is a
    "YYYY-MM" test date, the greatest date wins (a few entries are out of order).
    """
    labels = list(versions)
    if all(_DATE_VERSION.match(label) for label in labels):
        label = max(labels)
    else:
        label = labels[-1]
    return label, versions[label]


def compact(raw: dict[str, Any], *, version: str, fetched: str) -> dict[str, Any]:
    """Reduce caniemail's `data/caniemail.json` to the shipped format."""
    features: dict[str, Any] = {}
    for item in raw["data"]:
        stats: dict[str, str] = {}
        cited: set[str] = set()
        for family, platforms in (item.get("stats") or {}).items():
            for platform, versions in platforms.items():
                if not versions:
                    continue
                label, value = latest_entry(versions)
                if not value or value.startswith("u"):
                    continue
                stats[f"{family}.{platform}"] = f"{label} {value}"
                cited.update(_NOTE_REF.findall(value))
        notes = item.get("notes_by_num") or {}
        features[item["slug"]] = {
            "title": item.get("title") or item["slug"],
            "url": item.get("url") or f"https://www.caniemail.com/features/{item['slug']}/",
            "stats": stats,
            "notes": {n: notes[n] for n in sorted(cited, key=int) if n in notes},
        }
    nice = raw.get("nicenames") or {}
    return {
        "source": f"https://www.caniemail.com via npm package {PACKAGE}@{version}",
        "package_version": version,
        "api_version": raw.get("api_version", ""),
        "last_update_date": raw.get("last_update_date", ""),
        "fetched": fetched,
        "license": f"MIT, see {LICENSE_NAME}",
        "families": nice.get("family", {}),
        "platforms": nice.get("platform", {}),
        "features": features,
    }


def dump_compact(data: dict[str, Any]) -> str:
    """JSON text with one feature a line: small, and a refresh shows as a readable diff."""
    head = {k: v for k, v in data.items() if k != "features"}
    lines = [json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ",", ' "features": {']
    items = list(data["features"].items())
    for i, (slug, feature) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        body = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        lines.append(f"  {json.dumps(slug)}:{body}{comma}")
    lines += [" }", "}", ""]
    return "\n".join(lines)


def parse_data(data: dict[str, Any]) -> CanIEmail:
    features = {
        slug: Feature(slug, f["title"], f["url"], dict(f["stats"]), dict(f.get("notes", {})))
        for slug, f in data["features"].items()
    }
    return CanIEmail(
        version=data.get("package_version", ""),
        last_update_date=data.get("last_update_date", ""),
        fetched=data.get("fetched", ""),
        source=data.get("source", ""),
        families=data.get("families", {}),
        platforms=data.get("platforms", {}),
        features=features,
    )


@lru_cache(maxsize=4)
def load_caniemail(path: Path | None = None) -> CanIEmail:
    """The shipped data (or another file in the same format), parsed once per process."""
    return parse_data(json.loads((path or DATA_FILE).read_text(encoding="utf-8")))


# -- refresh -------------------------------------------------------------------------

def _npm(*args: str, cwd: Path) -> str:
    import subprocess  # refreshing is rare: a build does not import what only it needs

    try:
        done = subprocess.run(["npm", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=300, check=False)
    except FileNotFoundError:
        raise RuntimeError("npm is not installed: it is needed to refresh caniemail") from None
    if done.returncode != 0:
        raise RuntimeError(f"npm {' '.join(args)} failed: {done.stderr.strip()[-500:]}")
    return done.stdout


def npm_pack_caniemail(workdir: Path) -> Path:
    """Download the latest `caniemail` tarball into `workdir` (the only network access).

    The version is asked of the `latest` dist-tag first: a bare `npm pack caniemail`
    would silently pick an older release whose `engines` suit the local node.
    """
    version = _npm("view", PACKAGE, "dist-tags.latest", cwd=workdir).strip()
    if not re.fullmatch(r"[0-9A-Za-z.+-]+", version):
        raise RuntimeError(f"unexpected version from npm view: {version!r}")
    _npm("pack", f"{PACKAGE}@{version}", "--pack-destination", str(workdir), cwd=workdir)
    tarballs = sorted(workdir.glob(f"{PACKAGE}-*.tgz"))
    if not tarballs:
        raise RuntimeError("npm pack produced no tarball")
    return tarballs[-1]


def read_package(tarball: Path) -> tuple[dict[str, Any], str, str]:
    """(caniemail data, package version, licence text) read from an npm tarball."""
    import tarfile

    with tarfile.open(tarball, "r:gz") as tar:
        def member(*names: str) -> bytes | None:
            for name in names:
                try:
                    fh = tar.extractfile(f"package/{name}")
                except KeyError:
                    continue
                if fh is not None:
                    return fh.read()
            return None

        meta = member("package.json")
        data = member("data/caniemail.json", "dist/data/caniemail.json")
        licence = member("LICENSE", "LICENSE.md", "license")
    if meta is None or data is None:
        raise ValueError(f"{tarball.name} has no package.json or data/caniemail.json")
    raw = json.loads(data)
    if not isinstance(raw.get("data"), list) or not all("slug" in f for f in raw["data"]):
        raise ValueError(f"{tarball.name}: caniemail.json is not in the expected format")
    version = json.loads(meta).get("version", "?")
    text = licence.decode("utf-8") if licence else "(no licence file in the package)"
    return raw, version, text


def refresh_caniemail(dest: Path, fetch: Callable[[Path], Path] = npm_pack_caniemail,
                      today: str | None = None) -> str:
    """Rebuild `dest` (and the licence file beside it) from the latest npm package.

    `fetch` puts a tarball in a temporary folder and returns its path: the default
    asks npm; tests pass a fake. The old file is replaced only once the new one is
    complete, so a failed refresh leaves the shipped data intact. Returns a one-line
    summary for the CLI.
    """
    fetched = today or datetime.now(UTC).date().isoformat()
    import tempfile

    with tempfile.TemporaryDirectory(prefix="caniemail-") as tmp:
        raw, version, licence = read_package(fetch(Path(tmp)))
    data = compact(raw, version=version, fetched=fetched)
    text = dump_compact(data)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_suffix(".json.part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, dest)
    header = LICENSE_HEADER.format(package=PACKAGE, version=version)
    (dest.parent / LICENSE_NAME).write_text(header + licence.rstrip() + "\n", encoding="utf-8")
    load_caniemail.cache_clear()
    return (f"caniemail {version} (data of {data['last_update_date'] or '?'}, fetched "
            f"{fetched}): {len(data['features'])} features, {len(text) // 1024} KB -> {dest}")
