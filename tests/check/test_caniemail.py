from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from mailkit.check import caniemail
from mailkit.check.caniemail import (
    DATA_FILE,
    compact,
    dump_compact,
    latest_entry,
    load_caniemail,
    npm_pack_caniemail,
    read_package,
    refresh_caniemail,
)

RAW = {
    "api_version": "1.0.4",
    "last_update_date": "2030-01-02 03:04:05 +0000",
    "nicenames": {"family": {"gmail": "Gmail", "outlook": "Outlook"},
                  "platform": {"ios": "iOS", "windows": "Windows"}},
    "data": [
        {"slug": "css-display-flex", "title": "display:flex",
         "url": "https://www.caniemail.com/features/css-display-flex/",
         "stats": {"gmail": {"ios": {"2019-02": "n", "2024-01": "a #1", "2023-05": "y"}},
                   "outlook": {"windows": {"2007": "n", "2019": "n #2"}}},
         "notes_by_num": {"1": "Partial. Not with non Google accounts.", "2": "Buggy.",
                          "3": "Unused note."}},
        {"slug": "css-unknown", "title": "unknown", "url": None,
         "stats": {"gmail": {"ios": {"2020-01": "u"}}}, "notes_by_num": None},
    ],
}


def tarball(path: Path, raw: dict | None = RAW, version: str = "9.9.9") -> Path:
    files = {"package/package.json": json.dumps({"name": "caniemail", "version": version}),
             "package/LICENSE": "MIT License\n\nCopyright © Someone\n"}
    if raw is not None:
        files["package/data/caniemail.json"] = json.dumps(raw)
    with tarfile.open(path, "w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(("versions", "latest"), [
    ({"2019-02": "n", "2024-01": "a", "2023-05": "y"}, ("2024-01", "a")),
    ({"2007": "n", "2019": "y", "2022-08": "a"}, ("2022-08", "a")),
    ({"12.4": "n", "16.80": "y"}, ("16.80", "y")),
])
def test_latest_entry(versions: dict[str, str], latest: tuple[str, str]) -> None:
    assert latest_entry(versions) == latest


def test_compact_keeps_latest_known_results_and_cited_notes() -> None:
    data = compact(RAW, version="9.9.9", fetched="2030-02-01")
    flex = data["features"]["css-display-flex"]
    assert flex["stats"] == {"gmail.ios": "2024-01 a #1", "outlook.windows": "2019 n #2"}
    assert flex["notes"] == {"1": "Partial. Not with non Google accounts.", "2": "Buggy."}
    assert data["features"]["css-unknown"]["stats"] == {}
    assert data["fetched"] == "2030-02-01" and "caniemail@9.9.9" in data["source"]
    assert json.loads(dump_compact(data)) == data


def test_support_lookup() -> None:
    parsed = caniemail.parse_data(compact(RAW, version="1", fetched="x"))
    flex = parsed.features["css-display-flex"]
    gmail = flex.support("gmail.ios")
    assert gmail is not None and gmail.value == "a" and gmail.version == "2024-01"
    assert gmail.notes == ("Partial. Not with non Google accounts.",)
    assert flex.support("gmail.android") is None
    assert parsed.client_name("outlook.windows") == "Outlook (Windows)"
    assert parsed.match_clients(["gmail", "*.windows", "nope"]) == (
        ["gmail.ios", "outlook.windows"], ["nope"])


def test_refresh_rebuilds_data_and_licence(tmp_path: Path) -> None:
    dest = tmp_path / "data" / "caniemail.json"
    summary = refresh_caniemail(dest, fetch=lambda d: tarball(d / "c.tgz"), today="2030-02-01")
    assert "caniemail 9.9.9" in summary and "2 features" in summary
    loaded = load_caniemail(dest)
    assert loaded.version == "9.9.9" and loaded.fetched == "2030-02-01"
    assert set(loaded.features) == {"css-display-flex", "css-unknown"}
    licence = (dest.parent / "CANIEMAIL-LICENSE").read_text(encoding="utf-8")
    assert "version 9.9.9" in licence and "Copyright © Someone" in licence


def test_failed_refresh_keeps_the_old_file(tmp_path: Path) -> None:
    dest = tmp_path / "caniemail.json"
    dest.write_text("old", encoding="utf-8")
    with pytest.raises(ValueError, match="caniemail.json"):
        refresh_caniemail(dest, fetch=lambda d: tarball(d / "c.tgz", raw=None))
    with pytest.raises(ValueError, match="expected format"):
        refresh_caniemail(dest, fetch=lambda d: tarball(d / "c.tgz", raw={"data": [{}]}))
    assert dest.read_text(encoding="utf-8") == "old"


def test_npm_pack_asks_for_the_latest_dist_tag(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, ...]] = []

    def fake_npm(*args: str, cwd: Path) -> str:
        calls.append(args)
        if args[0] == "view":
            return "2.0.2\n"
        tarball(tmp_path / "caniemail-2.0.2.tgz")
        return ""

    monkeypatch.setattr(caniemail, "_npm", fake_npm)
    assert npm_pack_caniemail(tmp_path).name == "caniemail-2.0.2.tgz"
    assert calls[0] == ("view", "caniemail", "dist-tags.latest")
    assert calls[1][:2] == ("pack", "caniemail@2.0.2")
    assert read_package(tmp_path / "caniemail-2.0.2.tgz")[1] == "9.9.9"


def test_shipped_data_is_dated_small_and_licensed() -> None:
    data = load_caniemail()
    assert data.fetched and data.last_update_date and data.version
    assert len(data.features) > 250 and "css-display-flex" in data.features
    assert DATA_FILE.stat().st_size < 500_000
    licence = (DATA_FILE.parent / "CANIEMAIL-LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "caniemail" in licence
    assert {"gmail.ios", "outlook.windows", "apple-mail.macos"} <= set(data.clients)
