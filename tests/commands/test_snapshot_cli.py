"""`mailkit snapshot`: one line per failing case, `--update` accepts on purpose and only
what differs, the report lands in build/visual-report/ and the preview's home page links it."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner, Result

from mailkit.cli import main

ONE = ("--brand", "r-pur", "--email", "filtres")  # one email: 7 shots, a few seconds
NAMES = [f"r-pur/filtres--filtres--{v}-{s}.png"
         for v in ("desktop", "mobile") for s in ("light", "dark")]
NAMES += [f"r-pur/filtres--filtres--{v}.png"  # its client views (brand.yaml's default)
          for v in ("mobile-partial", "desktop-full", "mobile-nostyle")]


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(root), "snapshot", *args])


def test_snapshot_fails_without_baselines_then_update_accepts(chromium: str,
                                                               demo_copy: Path) -> None:
    first = run(demo_copy, *ONE)
    assert first.exit_code == 1, first.output
    for name in NAMES:
        assert f"{name}: no baseline yet (run `mailkit snapshot --update`" in first.output
    assert "7 shots, 7 failing" in first.output
    assert "visual-report/index.html" in first.output
    assert not (demo_copy / "tests").exists()  # never created without --update

    home = (demo_copy / "build/index.html").read_text(encoding="utf-8")
    assert 'href="visual-report/index.html"' in home  # linked from the first run on
    report = (demo_copy / "build/visual-report/index.html").read_text(encoding="utf-8")
    assert "7 failing" in report and "no baseline yet" in report

    update = run(demo_copy, "--update", *ONE)
    assert update.exit_code == 0, update.output
    assert [line for line in update.output.splitlines() if line.startswith("updated ")] == [
        f"updated {name}" for name in NAMES]
    assert all((demo_copy / "tests/visual/baselines" / name).is_file() for name in NAMES)

    brand = demo_copy / "brands/r-pur/brand.yaml"  # the light palette's buttons only
    brand.write_text(brand.read_text(encoding="utf-8").replace(
        'primary: "#111418"', 'primary: "#1F4E8C"'), encoding="utf-8")
    accept = run(demo_copy, "--update", *ONE)
    assert accept.exit_code == 0 and "7 shots, all match" in accept.output, accept.output
    assert [line for line in accept.output.splitlines() if line.startswith("updated ")] == [
        f"updated {name}" for name in NAMES if not name.endswith("-dark.png")]


def test_snapshot_user_errors_are_one_line(demo_copy: Path) -> None:
    result = run(demo_copy, "--brand", "nope")
    assert result.exit_code == 1
    assert result.output.strip() == "brands/: snapshot: no brand 'nope'"
    result = run(demo_copy, "--email", "nope")
    assert result.exit_code == 1
    assert result.output.strip() == "brands/: snapshot: nothing matches --email nope"


def test_unchanged_shots_are_not_taken_again_and_changed_ones_are(chromium: str,
                                                                  demo_copy: Path) -> None:
    """#17: a run re-shoots only the pages whose built HTML (or baseline) changed."""
    import shutil

    from mailkit.commands.snapshot import snapshot

    baselines = Path(__file__).parent.parent / "visual/baselines/kokawa"
    shutil.copytree(baselines, demo_copy / "tests/visual/baselines/kokawa")
    brand = demo_copy / "brands/kokawa/brand.yaml"  # one client view: reused as the others
    brand.write_text(brand.read_text(encoding="utf-8") + "snapshots:\n  clients: "
                     "[mobile-partial]\n", encoding="utf-8")
    email = ("--brand", "kokawa", "--email", "partage-whatsapp")  # its states × 4 shots
    first = run(demo_copy, *email)
    assert first.exit_code == 0, first.output
    shots = int(re.search(r"(\d+) shots, all match", first.output)[1])
    assert shots >= 12
    assert f"{shots} shots ({shots} unchanged, not taken again), all match" in \
        run(demo_copy, *email).output
    folder = demo_copy / "build/kokawa/partage-whatsapp"

    def pages() -> dict[str, bytes]:
        return {p.stem: p.read_bytes() for p in folder.glob("*.html")
                if p.stem != "index" and not p.stem.endswith(".dark")}

    before = pages()
    flows = demo_copy / "brands/kokawa/flows.yaml"  # one state greets someone else
    text = flows.read_text(encoding="utf-8")
    old = "un-article: {fixture: fulfilled_order, description: Une commande d’un article}"
    assert old in text
    flows.write_text(text.replace(old, old[:-1] + ", override: {person: {first_name: Zoé}}}"),
                     encoding="utf-8")
    _, suite = snapshot(demo_copy, brand="kokawa", email="partage-whatsapp")
    after = pages()
    same = {k for k in after if after[k] == before.get(k)}
    assert same and len(same) < len(after)  # `sans-prenom` greets nobody: unchanged
    # unchanged pages' shots may be taken again (never the reverse): at least one is not
    assert 4 <= suite.reused <= 4 * len(same)
    assert suite.failures and all(c.scenario not in same for c in suite.failures)
    # streamed: a passing shot keeps a small thumbnail for the report, not its PNG
    passing = [c for c in suite.cases if not c.failed]
    assert passing and all(c.actual is None for c in passing)
    assert all(c.thumb is None or c.thumb[:2] == b"\xff\xd8" for c in passing)  # JPEG
    assert all(c.actual and c.actual[:4] == b"\x89PNG" for c in suite.failures)
    every = run(demo_copy, *email, "--all")
    assert f"{shots} shots, " in every.output and "not taken again" not in every.output


def test_shards_split_the_pages_between_machines(chromium: str, demo_copy: Path) -> None:
    from mailkit.commands.snapshot import snapshot

    brand = demo_copy / "brands/r-pur/brand.yaml"  # one client view a first state: 6 shots
    brand.write_text(brand.read_text(encoding="utf-8") + "snapshots:\n  clients: "
                     "[mobile-nostyle]\n", encoding="utf-8")
    shards = [snapshot(demo_copy, brand="r-pur", shard=(i, 3), every=True)[1]
              for i in (1, 2, 3)]
    keys = [{c.key for c in s.cases} for s in shards]
    pages = [{k.split("--")[0] + k.split("--")[1] for k in ks} for ks in keys]
    assert all(keys) and not (keys[0] & keys[1] or keys[1] & keys[2] or keys[0] & keys[2])
    whole = snapshot(demo_copy, brand="r-pur", every=True)[1]
    assert set().union(*keys) == {c.key for c in whole.cases}
    # every shot of a page (four variants, and client views of a first state) in one shard
    assert not (pages[0] & pages[1] or pages[1] & pages[2] or pages[0] & pages[2])
    bad = run(demo_copy, "--shard", "4/3")
    assert bad.exit_code == 1 and "snapshot: --shard '4/3': i must be between 1 and n" \
        in bad.output


def test_a_brand_declares_fewer_shots_and_update_drops_the_rest(chromium: str,
                                                                demo_copy: Path) -> None:
    """#17: baselines stay small: a brand keeps only the variants it declares in
    brand.yaml (`snapshots:`); `--update` removes its other baselines, and the other
    brands keep theirs."""
    import shutil

    source = Path(__file__).parent.parent / "visual/baselines"
    shutil.copytree(source, demo_copy / "tests/visual/baselines")
    before = {p.relative_to(demo_copy).as_posix()
              for p in (demo_copy / "tests/visual/baselines").rglob("*.png")}
    brand = demo_copy / "brands/kokawa/brand.yaml"
    brand.write_text(brand.read_text(encoding="utf-8") + "snapshots:\n  variants: "
                     "[desktop-light]\n  edge_states: false\n  clients: []\n", encoding="utf-8")
    result = run(demo_copy, "--update", "--brand", "kokawa")
    assert result.exit_code == 0, result.output
    kept = {p.relative_to(demo_copy).as_posix()
            for p in (demo_copy / "tests/visual/baselines").rglob("*.png")}
    kokawa = {name for name in before if "/kokawa/" in name}
    named = {name for name in kokawa if name.endswith("--desktop-light.png")
             and not any(f"--{edge}--" in name for edge in ("sans-image", "gros-montant"))}
    assert named and {name for name in kept if "/kokawa/" in name} == named
    assert {name for name in kept if "/kokawa/" not in name} == before - kokawa
    shots = int(re.search(r"(\d+) shots", result.output)[1])
    assert shots == len(named)
    assert sum(line.startswith("removed ") for line in result.output.splitlines()) == \
        len(kokawa) - len(named)

    brand.write_text(brand.read_text(encoding="utf-8").replace(
        "[desktop-light]", "[desktop-light, tablet-light]"), encoding="utf-8")
    wrong = run(demo_copy, "--brand", "kokawa")
    assert wrong.exit_code == 1
    line = next(x for x in wrong.output.splitlines() if "tablet-light" in x or "variants" in x)
    assert line.startswith("brands/kokawa/brand.yaml:"), wrong.output
