"""The side-by-side benchmark (benchmarks/run.py) must keep running.

Only that it runs and writes the rows the README quotes is checked, never a
time: figures depend on the machine and its load, and a slow CI box must not
fail the suite. The benchmark needs Node.js for the official MJML compiler,
so the end-to-end test is skipped without it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
RUN = REPO / "benchmarks" / "run.py"

TINY = {
    "a.mjml": (
        "<mjml><mj-body><mj-section><mj-column>"
        "<mj-text>Hello</mj-text>"
        "</mj-column></mj-section></mj-body></mjml>"
    ),
    "sub/b.mjml": (
        '<mjml><mj-head><mj-style inline="inline">.x { color: red; }</mj-style></mj-head>'
        "<mj-body><mj-section><mj-column>"
        '<mj-text css-class="x">Bye</mj-text>'
        '<mj-button href="https://example.com">Go</mj-button>'
        "</mj-column></mj-section></mj-body></mjml>"
    ),
}


def load_bench() -> ModuleType:
    """benchmarks/ is not a package: load run.py by path to read its row labels."""
    spec = importlib.util.spec_from_file_location("mailkit_benchmarks_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


bench = load_bench()


@pytest.mark.skipif(
    shutil.which("node") is None,
    reason="node is not on PATH: the benchmark runs the official MJML compiler (Node.js)",
)
def test_benchmark_runs_on_tiny_input(tmp_path: Path) -> None:
    if bench.installed_mjml_version() is None and shutil.which("npm") is None:
        pytest.skip("benchmarks/node_modules is not installed and npm is not on PATH")
    mjml_dir = tmp_path / "mjml"
    for name, text in TINY.items():
        (mjml_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (mjml_dir / name).write_text(text, encoding="utf-8")
    out, raw = tmp_path / "results.md", tmp_path / "results.json"

    # `npm ci` runs inside when benchmarks/node_modules is missing: allow for it.
    proc = subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--quick",
            "--rounds",
            "1",
            "--skip-serve",
            "--skip-build",
            "--mjml-dir",
            str(mjml_dir),
            "--out",
            str(out),
            "--json",
            str(raw),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr

    report = out.read_text(encoding="utf-8")
    for label in bench.ALL_ROWS:
        assert f"| {label} |" in report, f"row {label!r} missing from the results"
    assert "skipped: --skip-build" in report
    assert "skipped: --skip-serve" in report
    assert f"| official mjml (npm) | {bench.pinned_mjml_version()} |" in report
    for name in TINY:
        assert f"`{name}`" in report
    assert bench.ROW_OFFICIAL in proc.stdout  # the table is printed too

    figures = json.loads(raw.read_text(encoding="utf-8"))
    for label in (bench.ROW_OFFICIAL, bench.ROW_MRML):
        per_file = figures["warm"][label]["per_file_ns"]
        assert set(per_file) == set(TINY)
        assert all(len(samples) == 1 and samples[0] > 0 for samples in per_file.values())
    assert len(figures["cli"]["walls_ms"]) == 1


def test_marker_goes_into_rendered_text() -> None:
    """The serve benchmark's marker must land where it renders as text."""
    partial = '<mj-section><mj-column><mj-text align="center">{{ x }}</mj-text></mj-column>'
    assert bench.insert_marker(partial, "MK1") == (
        '<mj-section><mj-column><mj-text align="center">MK1 {{ x }}</mj-text></mj-column>'
    )
    no_text = "<mj-section><mj-column><mj-image src='a.png' /></mj-column></mj-section>"
    assert "<mj-column><mj-text>MK2</mj-text><mj-image" in bench.insert_marker(no_text, "MK2")
    with pytest.raises(bench.Unavailable):
        bench.insert_marker("<mj-raw>nothing</mj-raw>", "MK3")


def test_emails_using_follows_partials(tmp_path: Path) -> None:
    """The page to watch is an email that reaches the partial, even via a layout."""
    (tmp_path / "partials").mkdir()
    (tmp_path / "emails").mkdir()
    (tmp_path / "partials" / "footer.mjml.j2").write_text("<mj-text>f</mj-text>")
    (tmp_path / "partials" / "layout.mjml.j2").write_text('{% include "footer.mjml.j2" %}')
    (tmp_path / "emails" / "welcome.mjml.j2").write_text('{% extends "layout.mjml.j2" %}')
    (tmp_path / "emails" / "bare.mjml.j2").write_text("<mjml></mjml>")
    assert bench.emails_using(tmp_path, "partials/footer.mjml.j2") == {"welcome"}


FLOOR = REPO / "benchmarks" / "floor.py"
DIGEST = REPO / "benchmarks" / "findings_digest.py"


def _floor_build(project: Path, variant: str) -> int:
    """`floor.py --as-build VARIANT` in `project`, nothing kept; the findings the build
    kept, as `mailkit check` reads them back (findings_digest.py)."""
    for kept in ("build", ".mailkit-cache"):
        shutil.rmtree(project / kept, ignore_errors=True)
    built = subprocess.run([sys.executable, str(FLOOR), "--as-build", variant], cwd=project,
                           capture_output=True, text=True, timeout=300,
                           env={**os.environ, "MAILKIT_JOBS": "2"})  # workers on any machine
    assert built.returncode == 0, built.stdout + built.stderr
    assert f"floor: this worker runs the variant {variant}" in built.stderr
    digest = subprocess.run([sys.executable, str(DIGEST), str(project)], capture_output=True,
                            text=True, timeout=300)
    assert digest.returncode == 0, digest.stdout + digest.stderr
    return int(digest.stdout.split()[1])  # "<sha256>  N findings on P pages  PATH"


def test_floor_makes_the_checks_free_and_only_in_its_variants(tmp_path: Path) -> None:
    """floor.py's figures are only as true as its variants: `no-checks` must build the
    demo with no finding at all, `full` with the demo's findings."""
    from mailkit.model import SOURCE_FILES, SOURCE_FOLDERS

    project = tmp_path / "demo"
    project.mkdir()
    bench.copy_items(REPO, project, (*SOURCE_FOLDERS, *SOURCE_FILES))  # the demo's sources
    assert _floor_build(project, "no-checks") == 0
    assert _floor_build(project, "full") > 100  # the demo has 218
