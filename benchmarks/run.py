"""Benchmark mailkit against the official MJML compiler, side by side.

    python benchmarks/run.py [--rounds 7] [--quick] [--out benchmarks/results.md]

Why this exists: mailkit compiles MJML with mjml-python (the Rust MRML port)
instead of the official Node compiler, and the point of that choice is speed:
re-rendering every email on each save, and a build without Node. This script
measures it on the MJML mailkit really produces (the copies `mailkit build`
keeps in build/**/*.mjml) and writes the figures, with the machine they came
from and how busy it was, to a Markdown file the README can quote.

What it measures, and why each:

1. per email, warm, in-process: official `mjml2html` (one Node process, see
   mjml_official.mjs), mjml-python's `mjml2html` alone, and mailkit's whole
   `compile_mjml` (MJML + CSS inlining + plain text) with, best effort, its
   inlining and text steps on their own -- so the table shows both the
   end-to-end comparison and where mailkit's own time goes;
2. cold, wall time, new process each run: `mailkit build` of the whole demo
   against ONE `mjml` CLI call on one file -- what a user waits for;
3. `mailkit serve`: from saving a partial to the change being visible in
   Chromium -- the latency the live preview is for.

Parts that cannot run yet (mailkit.pipeline.compile or `mailkit serve` not written,
`--skip-*`) stay in the table as rows marked "skipped" with the reason, so a
results file always has the same rows.

Run it with the project's venv Python (it re-executes itself with
.venv/bin/python when mjml-python is not importable in the current one).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import importlib.metadata
import json
import os
import platform
import re
import secrets
import shlex
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
NODE_SCRIPT = BENCH_DIR / "mjml_official.mjs"
DEFAULT_OUT = BENCH_DIR / "results.md"

# Row labels: the results file always has these rows (tests/test_benchmarks.py
# checks for them), whether measured or marked skipped.
ROW_OFFICIAL = "official MJML `mjml2html` (Node, warm)"
ROW_MRML = "mjml-python (MRML) `mjml2html` alone"
ROW_MAILKIT = "mailkit `compile_mjml` (MJML + inlining + text)"
ROW_CLI = "official `mjml` CLI, one file"
ROW_BUILD = "`mailkit build`, whole demo"
ROW_SERVE = "`mailkit serve`: save partial → visible in Chromium"
ALL_ROWS = (ROW_OFFICIAL, ROW_MRML, ROW_MAILKIT, ROW_CLI, ROW_BUILD, ROW_SERVE)
# Extra rows, only when mailkit.pipeline.compile imports: where its time goes.
ROW_MAILKIT_INLINE = "↳ of which parse, premailer inlining, serialise"
ROW_MAILKIT_TEXT = "↳ of which plain text from the parsed tree (`tree_to_text`)"
# Extra cold row: the same build kept in one process, to show what the second core brings.
ROW_BUILD_ONE = "↳ the same, one process (`MAILKIT_JOBS=1`)"
ROW_BUILD_EMPTY = "↳ the same, `.mailkit-cache/` emptied first"

# Warm-up floor in compiles, whatever the set size: V8 optimises a function
# after enough calls, not after enough seconds. On this project's 2-core box a
# one-screen email took ~50 compiles to settle (38 ms first, ~5 ms from then on).
WARMUP_COMPILES = 100

# What measure_serve_latency copies into its scratch project: enough for
# `mailkit serve` to render, nothing of build/ or the venv.
SERVE_PROJECT_ITEMS = ("emails", "partials", "brands", "pyproject.toml")
DEFAULT_PARTIAL = "partials/footer.mjml.j2"


class BenchError(RuntimeError):
    """A failure that stops the benchmark (as opposed to a part being skipped)."""


class Unavailable(RuntimeError):
    """A part of the benchmark cannot run here yet; its row is marked skipped."""


# --------------------------------------------------------------------------- figures


@dataclass
class Timing:
    """One compiler's warm timings on the MJML set, in nanoseconds.

    Kept per file and per round so the table can give both "one email" and
    "the whole set" figures, and a spread, from the same samples.
    """

    per_file_ns: dict[str, list[float]]
    round_totals_ns: list[float]
    extra: dict[str, Any] = field(default_factory=dict)
    warmup_rounds: int = 0

    def file_median_ms(self, name: str) -> float:
        return statistics.median(self.per_file_ns[name]) / 1e6

    @property
    def per_email_ms(self) -> float:
        """Median over files of each file's median: a typical email."""
        return statistics.median(self.file_median_ms(n) for n in self.per_file_ns)

    @property
    def per_email_range_ms(self) -> tuple[float, float]:
        medians = [self.file_median_ms(n) for n in self.per_file_ns]
        return min(medians), max(medians)

    @property
    def rounds_ms(self) -> list[float]:
        return [t / 1e6 for t in self.round_totals_ns]


@dataclass
class Row:
    """One line of a results table; `median_ms is None` means not measured."""

    label: str
    median_ms: float | None = None
    spread: str = "—"
    n: str = "—"
    ratio: float | None = None
    note: str = ""


@dataclass
class ServeResult:
    latencies_ms: list[float]
    page_url: str
    partial: str
    browser: str


# --------------------------------------------------------------------------- helpers


def log(message: str) -> None:
    """Progress goes to stderr so stdout carries only the results table."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def fmt_ms(ms: float | None) -> str:
    if ms is None:
        return "—"
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    if ms >= 100:
        return f"{ms:.0f} ms"
    if ms >= 10:
        return f"{ms:.1f} ms"
    return f"{ms:.2f} ms"


def fmt_range(lo: float, hi: float) -> str:
    return f"{fmt_ms(lo)} – {fmt_ms(hi)}"


def fmt_ratio(ratio: float | None) -> str:
    """Two significant digits: mjml-python alone is ~1/100 of official MJML."""
    if ratio is None:
        return "—"
    return f"{ratio:.2f}×" if ratio >= 0.1 else f"{ratio:.2g}×"


def short_error(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip().replace("\n", " ")
    return text if len(text) <= 200 else text[:197] + "..."


def tail(text: str, lines: int = 8) -> str:
    return " | ".join(line for line in text.strip().splitlines()[-lines:] if line.strip())


def node_modules_bin(name: str) -> Path:
    return BENCH_DIR / "node_modules" / ".bin" / name


def mailkit_cli(project: Path) -> Path | None:
    """The project's own `mailkit` entry point, else one on PATH."""
    local = project / ".venv" / "bin" / "mailkit"
    if local.exists():
        return local
    found = shutil.which("mailkit")
    return Path(found) if found else None


def check_mailkit_command(cli: Path | None, *args: str) -> None:
    """Raise Unavailable unless `mailkit <args> --help` runs.

    The entry point script exists as soon as the package is installed, long
    before mailkit.cli does, so its presence alone proves nothing.
    """
    if cli is None:
        raise Unavailable("no `mailkit` command (install the project into .venv)")
    proc = subprocess.run([str(cli), *args, "--help"], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        what = " ".join(["mailkit", *args])
        raise Unavailable(
            f"`{what} --help` exited {proc.returncode}: {tail(proc.stderr or proc.stdout, 1)}"
        )


# --------------------------------------------------------------------------- official MJML


def pinned_mjml_version() -> str:
    return json.loads((BENCH_DIR / "package.json").read_text())["dependencies"]["mjml"]


def installed_mjml_version() -> str | None:
    pkg = BENCH_DIR / "node_modules" / "mjml" / "package.json"
    if not pkg.is_file():
        return None
    return str(json.loads(pkg.read_text())["version"])


def ensure_official_mjml() -> str:
    """Install the pinned official MJML with `npm ci` unless it is already there.

    `npm ci` (not `install`) so the benchmark runs exactly the committed
    package-lock.json, and re-runs when node_modules holds another version.
    """
    if shutil.which("node") is None:
        raise BenchError("`node` is not on PATH: the official MJML compiler needs Node.js")
    wanted = pinned_mjml_version()
    if installed_mjml_version() == wanted:
        return wanted
    npm = shutil.which("npm")
    if npm is None:
        raise BenchError("`npm` is not on PATH: cannot install the official MJML compiler")
    log(f"installing official mjml {wanted} into {BENCH_DIR / 'node_modules'} (npm ci)")
    proc = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=BENCH_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        raise BenchError(f"npm ci failed ({proc.returncode}): {tail(proc.stderr or proc.stdout)}")
    got = installed_mjml_version()
    if got != wanted:
        raise BenchError(f"npm ci installed mjml {got}, package.json pins {wanted}")
    return wanted


class OfficialRounds:
    """The official compiler in one warm Node process, one round at a time
    (`mjml_official.mjs --step`): run.py takes turns with mailkit round by round."""

    def __init__(self, files: dict[str, Path], warmup_rounds: int, warmup_s: float,
                 list_file: Path) -> None:
        self.names = list(files)
        list_file.write_text(json.dumps([str(p) for p in files.values()]), encoding="utf-8")
        cmd = ["node", str(NODE_SCRIPT), "--step", "--warmup", str(warmup_rounds),
               "--warmup-ms", str(round(warmup_s * 1000)), str(list_file)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.per_file: dict[str, list[float]] = {name: [] for name in self.names}
        self.totals: list[float] = []
        self._line()  # {"ready": true}: warmed up

    def _line(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=60)
            err = self.proc.stderr.read() if self.proc.stderr else ""
            raise BenchError(f"mjml_official.mjs failed ({self.proc.returncode}): {tail(err)}")
        return json.loads(line)

    def round(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("round\n")
        self.proc.stdin.flush()
        samples = self._line()["round_ns"]
        for name, ns in zip(self.names, samples, strict=True):
            self.per_file[name].append(float(ns))
        self.totals.append(float(sum(samples)))

    def finish(self) -> Timing:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        report = self._line()
        self.proc.wait(timeout=60)
        errors = {name: f["errors"] for name, f in zip(self.names, report["files"], strict=True)
                  if f["errors"]}
        return Timing(
            per_file_ns=self.per_file,
            round_totals_ns=self.totals,
            extra={"validation_errors": errors, "node_version": report["node_version"]},
            warmup_rounds=int(report["warmup_rounds"]),
        )


def cli_breakdown(path: Path) -> dict[str, Any]:
    """Where one cold `mjml` CLI run spends its time, from one `mjml_official.mjs
    --single` run: Node start-up, loading mjml, and the one compile with the CLI's
    defaults."""
    with tempfile.TemporaryDirectory(prefix="mailkit-bench-cli-") as tmp:
        proc = subprocess.run(
            ["node", str(NODE_SCRIPT), "--single", str(path), "--out", str(Path(tmp) / "o.html")],
            capture_output=True,
            text=True,
            timeout=120,
        )
    return json.loads(proc.stdout) if proc.returncode == 0 else {}


# --------------------------------------------------------------------------- Python side


def warm_up(fn: Callable[[str], object], inputs: dict[str, str], warmup_rounds: int,
            warmup_s: float) -> int:
    """Untimed rounds until both `warmup_rounds` and `warmup_s` are done, as the Node side
    does, so imports, caches and lazily built objects are not billed to round 1."""
    warm_start = time.perf_counter()
    done = 0
    while done < max(1, warmup_rounds) or time.perf_counter() - warm_start < warmup_s:
        for src in inputs.values():
            fn(src)
        done += 1
    return done


def one_round(fn: Callable[[str], object], inputs: dict[str, str],
              per_file: dict[str, list[float]]) -> float:
    """One timed pass over every input, with gc off: a collection triggered by one
    file's garbage is not billed to the next file. Returns the round's total (ns)."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        round_start = time.perf_counter_ns()
        for name, src in inputs.items():
            t0 = time.perf_counter_ns()
            fn(src)
            per_file[name].append(float(time.perf_counter_ns() - t0))
        return float(time.perf_counter_ns() - round_start)
    finally:
        if was_enabled:
            gc.enable()


Compiler = tuple[Callable[[str], object], dict[str, str]]  # a function and its input by file


def time_warm(files: dict[str, Path], compilers: dict[str, Compiler], rounds: int,
              warmup_rounds: int, warmup_s: float) -> tuple[Timing, dict[str, Timing | str]]:
    """The official compiler and every Python one, warm, taking turns round by round.

    A shared machine's speed drifts (this one's by ±20 % within a minute): timing one
    side for a minute, then the other, bills the drift to whichever came second.
    Returns the official Timing and, per label, a Timing or why that compiler failed.
    """
    with tempfile.TemporaryDirectory(prefix="mailkit-bench-list-") as tmp:
        official = OfficialRounds(files, warmup_rounds, warmup_s, Path(tmp) / "files.json")
        try:
            results: dict[str, Timing | str] = {}
            samples: dict[str, tuple[dict[str, list[float]], list[float], int]] = {}
            for label, (fn, inputs) in compilers.items():
                try:
                    done = warm_up(fn, inputs, warmup_rounds, warmup_s)
                except Exception as exc:  # a bug in mailkit: report it, keep the others
                    results[label] = f"failed: {short_error(exc)}"
                    continue
                samples[label] = ({name: [] for name in inputs}, [], done)
            for _ in range(rounds):
                official.round()
                for label in list(samples):
                    per_file, totals, _done = samples[label]
                    try:
                        totals.append(one_round(compilers[label][0], compilers[label][1],
                                                per_file))
                    except Exception as exc:
                        results[label] = f"failed: {short_error(exc)}"
                        del samples[label]
        finally:
            official_t = official.finish()
    for label, (per_file, totals, done) in samples.items():
        results[label] = Timing(per_file_ns=per_file, round_totals_ns=totals,
                                warmup_rounds=done)
    return official_t, results


def load_mrml() -> Callable[[str], object]:
    import mjml  # mjml-python

    def raw(src: str) -> object:
        return mjml.mjml2html(src, fonts={})

    return raw


def load_mailkit_compile() -> Callable[[str], object]:
    """mailkit's per-email pipeline; raises Unavailable until it exists."""
    try:
        from mailkit.pipeline.compile import compile_mjml  # type: ignore[import-not-found]
    except Exception as exc:  # ImportError, or an error inside a half-written module
        raise Unavailable(f"`mailkit.pipeline.compile` not importable "
                          f"({short_error(exc)})") from exc
    return compile_mjml  # type: ignore[no-any-return]


def mailkit_breakdown(sources: dict[str, str]) -> dict[str, Compiler | str]:
    """Time compile_mjml's steps on their own, as it runs them.

    compile_mjml parses the MJML output once: the inlining step (`parse`, premailer's
    `_inline_tree`, `serialize`) and the text step (`tree_to_text`, on the parsed and inlined
    tree) add up, with the MJML row, to compile_mjml's time. Uses mailkit's internals,
    so it is best effort: if they are renamed, the rows say so instead of failing the
    benchmark. Each step gets its real input, prepared once outside the timing; the
    functions take a file's name.
    """
    try:
        from mailkit.pipeline.compile import (  # type: ignore[import-not-found]
            _inline_tree,
            mjml_to_html,
            parse,
            serialize,
            split_inline_css,
        )
        from mailkit.pipeline.text import tree_to_text  # type: ignore[import-not-found]
    except Exception as exc:
        reason = f"mailkit internals moved ({short_error(exc)})"
        return {ROW_MAILKIT_INLINE: reason, ROW_MAILKIT_TEXT: reason}
    names = {name: name for name in sources}
    split = {name: split_inline_css(src) for name, src in sources.items()}
    raw_html = {name: mjml_to_html(body) for name, (body, _) in split.items()}
    trees = {name: _inline_tree(parse(raw_html[name]), split[name][1]) for name in sources}
    return {
        ROW_MAILKIT_INLINE: (lambda n: serialize(raw_html[n], _inline_tree(
            parse(raw_html[n]), split[n][1])), names),
        ROW_MAILKIT_TEXT: (lambda n: tree_to_text(trees[n]), names),
    }


def check_output(label: str, fn: Callable[[str], object], src: str, *, compiled: bool) -> None:
    """Fail loudly if a compiler returns nothing: timing a stub proves nothing."""
    result = fn(src)
    html = getattr(result, "html", None) if compiled else result
    if not isinstance(html, str) or "<html" not in html.lower():
        raise Unavailable(f"{label} returned no HTML document ({type(result).__name__})")
    if compiled and not isinstance(getattr(result, "text", None), str):
        raise Unavailable(f"{label} result has no `.text` string")


# --------------------------------------------------------------------------- inputs


def collect_mjml(project: Path, mjml_dir: Path | None) -> tuple[Path, list[Path], str]:
    """The MJML set to time: --mjml-dir if given, else build/**/*.mjml
    (`mailkit build --sources` writes them).

    build/ holds the MJML mailkit really renders (after Jinja, partials and
    brand tokens), which is the fair input for both compilers. --mjml-dir wins
    when given, so the benchmark can run on samples before `mailkit build`
    exists and so the test can run it on two tiny files.
    """
    if mjml_dir is not None:
        files = sorted(p for p in mjml_dir.rglob("*.mjml") if p.is_file())
        if not files:
            raise BenchError(f"no .mjml files under --mjml-dir {mjml_dir}")
        return mjml_dir, files, f"`--mjml-dir {mjml_dir}`"
    build = project / "build"
    files = preview_mjml(build)
    if not files:
        cli = mailkit_cli(project)
        try:
            check_mailkit_command(cli, "build")
        except Unavailable as exc:
            raise BenchError(
                f"no build/**/*.mjml and cannot run `mailkit build` ({exc}); "
                "pass --mjml-dir DIR with .mjml files to benchmark those instead"
            ) from exc
        log("build/ has no .mjml files: running `mailkit build --sources` first")
        proc = subprocess.run(
            [str(cli), "build", "--sources"], cwd=project, capture_output=True, text=True,
            timeout=900,
        )
        if proc.returncode != 0:
            raise BenchError(f"`mailkit build` failed ({proc.returncode}): {tail(proc.stderr)}")
        files = preview_mjml(build)
        if not files:
            raise BenchError("`mailkit build --sources` left no build/**/*.mjml files")
    where = "`build/<brand>/<email>/<scenario>.mjml` from `mailkit build --sources`"
    return build, files, f"{where} ({len(files)} files)"


def preview_mjml(build: Path) -> list[Path]:
    """One MJML per brand × email × scenario: the export's copies (build/klaviyo/) and
    other folders are not part of the set."""
    if not build.is_dir():
        return []
    return sorted(p for p in build.glob("*/*/*.mjml") if p.parts[-3] != "klaviyo")


def snapshot(root: Path, files: Sequence[Path], dest: Path) -> dict[str, Path]:
    """Copy the set aside so a `mailkit build` run mid-benchmark cannot change it.

    Returns name (path relative to root) -> copied path.
    """
    out: dict[str, Path] = {}
    for f in files:
        name = f.relative_to(root).as_posix()
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
        out[name] = target
    return out


def representative(files: dict[str, Path]) -> str:
    """The file of median size: the "one email" the cold CLI run compiles."""
    by_size = sorted(files, key=lambda n: (files[n].stat().st_size, n))
    return by_size[(len(by_size) - 1) // 2]


# --------------------------------------------------------------------------- mailkit build


def forget_results(project: Path) -> None:
    """Make the next `mailkit build` do the work: without it, a build with nothing
    changed takes the last build's kept result and renders nothing (cache/last_build.py),
    and unchanged pages take their compile and check results from cache/steps.py."""
    cache = project / ".mailkit-cache"
    for kept in cache.glob("build-*.pickle"):
        kept.unlink()
    shutil.rmtree(cache / "steps", ignore_errors=True)


def time_cold(cli_file: Path, project: Path | None, runs: int
              ) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall times of new processes, interleaved run by run: the `mjml` CLI on one file,
    then `mailkit build` of the whole demo, the same build in one process, and with
    its Jinja cache emptied.

    Interleaved because a shared machine's speed drifts (this one's by ±20 % within a
    minute): a ratio is only fair between runs taken side by side. `project` None
    times the CLI alone (`--skip-build`).
    """
    commands: dict[str, tuple[list[str], dict[str, str] | None, Path | None]] = {}
    with tempfile.TemporaryDirectory(prefix="mailkit-bench-cli-") as tmp:
        out = Path(tmp) / "out.html"
        commands["cli"] = ([str(node_modules_bin("mjml")), str(cli_file), "-o", str(out)],
                           None, None)
        if project is not None:
            cli = mailkit_cli(project)
            check_mailkit_command(cli, "build")
            assert cli is not None
            commands["build"] = ([str(cli), "build"], None, project)
            commands["build_one"] = ([str(cli), "build"], {**os.environ, "MAILKIT_JOBS": "1"},
                                     project)
            commands["build_empty"] = ([str(cli), "build"], None, project)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (cmd, env, cwd) in commands.items():
                if name == "build_empty":  # untimed: Jinja compiles every template again
                    shutil.rmtree(project / ".mailkit-cache", ignore_errors=True)
                elif name != "cli":  # untimed: every page rendered, compiled, checked
                    forget_results(project)
                before = os.times()
                t0 = time.perf_counter_ns()
                proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                                      timeout=900)
                walls[name].append((time.perf_counter_ns() - t0) / 1e6)
                after = os.times()  # the command's process family, as it reaped its children
                cpu[name].append((after.children_user - before.children_user
                                  + after.children_system - before.children_system) * 1000)
                if proc.returncode != 0:
                    what = "mjml CLI" if name == "cli" else "`mailkit build`"
                    raise (BenchError if name == "cli" else Unavailable)(
                        f"{what} exited {proc.returncode}: {tail(proc.stderr, 2)}")
    return walls, cpu


# --------------------------------------------------------------------------- mailkit serve


def copy_items(source: Path, dest: Path, items: tuple[str, ...]) -> None:
    """Copy each of `items` (a folder or a file) that `source` has into `dest`: a
    project's sources into a scratch copy, so a benchmark never touches the real one."""
    for item in items:
        src = source / item
        if src.is_dir():
            shutil.copytree(src, dest / item)
        elif src.is_file():
            shutil.copy2(src, dest / item)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_http(url: str, proc: subprocess.Popen[bytes], log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise Unavailable(
                f"`mailkit serve` exited {proc.returncode}: "
                f"{tail(log_path.read_text(errors='replace'), 3)}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise Unavailable(f"`mailkit serve` did not answer on {url} within {timeout:.0f} s")


def insert_marker(original: str, marker: str) -> str:
    """The partial's text with `marker` added where it will render as text.

    Inside the first <mj-text> if there is one, else as a new <mj-text> in the
    first <mj-column>. Plain letters and digits only, so neither Jinja, MJML,
    premailer nor the plain-text step can alter it.
    """
    m = re.search(r"<mj-text\b[^>]*>", original)
    if m:
        return original[: m.end()] + marker + " " + original[m.end() :]
    m = re.search(r"<mj-column\b[^>]*>", original)
    if m:
        return original[: m.end()] + f"<mj-text>{marker}</mj-text>" + original[m.end() :]
    raise Unavailable("the partial has no <mj-text> or <mj-column> to put a marker in")


@contextlib.contextmanager
def chromium() -> Iterator[tuple[Any, str]]:
    """A headless Chromium, launched the way the rest of mailkit launches it
    (mailkit.visual.browser: the user's $MAILKIT_CHROMIUM, Debian's, or Playwright's)."""
    from playwright.sync_api import sync_playwright

    from mailkit.visual.browser import launch_chromium

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        how = "mailkit.visual.browser.launch_chromium"
        try:
            yield browser, how
        finally:
            browser.close()


def marker_visible(page: Any, marker: str) -> bool:
    """True once any frame of the page (the email is in an iframe) shows `marker`.

    Checks every frame from Python rather than one wait_for_function in the
    top frame, so it works whether the iframe is same-origin, srcdoc or not.
    """
    from playwright.sync_api import Error as PlaywrightError

    for frame in page.frames:
        try:
            if frame.evaluate(
                "m => !!document.body && document.body.textContent.includes(m)", marker
            ):
                return True
        except PlaywrightError:  # frame navigating or detached mid-reload
            continue
    return False


def emails_using(project: Path, partial: str) -> set[str]:
    """Names of the emails that include `partial`, directly or through other partials.

    A plain text search for file stems, followed through partials (the footer
    usually reaches an email via a layout): good enough to pick a page to watch.
    """

    def stem(p: Path) -> str:
        return p.name.split(".")[0]

    def texts(folder: str) -> dict[str, str]:
        base = project / folder
        files = base.rglob("*") if base.is_dir() else iter(())
        return {stem(p): p.read_text(errors="replace") for p in files if p.is_file()}

    partials, emails = texts("partials"), texts("emails")
    wanted = {stem(Path(partial))}
    while True:
        more = {name for name, text in partials.items() if any(w in text for w in wanted)}
        if more <= wanted:
            break
        wanted |= more
    return {name for name, text in emails.items() if any(w in text for w in wanted)}


# A preview page is ready for the next save once it has loaded and, if it uses
# livereload.js (mailkit serve does), finished the websocket handshake: a save
# made before that reloads nobody, which would be measured as a lost edit.
PAGE_READY_JS = """() => document.readyState === "complete" && (!window.LiveReload
    || !!(window.LiveReload.connector && window.LiveReload.connector.protocol >= 6))"""


def wait_page_ready(page: Any, timeout_s: float) -> None:
    """Wait for PAGE_READY_JS, riding out navigations (a reload destroys the context)."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if page.evaluate(PAGE_READY_JS):
                return
        except PlaywrightError:
            pass
        time.sleep(0.01)
    raise Unavailable(
        f"the preview page was not ready (loaded, live reload connected) in {timeout_s:.0f} s"
    )


def candidate_pages(page: Any, base: str, project: Path, partial: str) -> list[str]:
    """Pages to try, best first: links naming an email that uses the partial.

    The server's URL scheme is not fixed yet, so the email page is found from
    the index: same-origin links, those whose path names an email that
    mentions the partial's stem first, then the index itself.
    """
    page.goto(base, wait_until="load")
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    users = emails_using(project, partial)
    seen: list[str] = []
    for href in hrefs:
        url = urllib.parse.urljoin(base, href).split("#")[0]
        if url.startswith(base) and url not in seen and url.rstrip("/") != base.rstrip("/"):
            seen.append(url)
    seen.sort(key=lambda u: not any(name in u for name in users))
    return seen[:4] + [base]


def measure_serve_latency(
    edits: int = 10,
    *,
    project: Path = REPO_ROOT,
    serve_cmd: Sequence[str] | None = None,
    page_path: str | None = None,
    partial: str = DEFAULT_PARTIAL,
    timeout_s: float = 30.0,
    settle_s: float = 0.3,
) -> ServeResult:
    """Median-ready save → visible latencies of `mailkit serve`, in ms.

    Runs the server on a free port against a scratch copy of the project (so
    the edits never touch the real partials), opens an email page in
    Chromium, then `edits` times writes a new unique marker into `partial`
    and times from the write to the marker showing in the page. One untimed
    edit first finds a page that shows the partial and warms the server.

    `serve_cmd` is the command with "{port}" where the port goes (default:
    `mailkit serve --port {port}`); raises Unavailable when serving cannot be
    measured yet.
    """
    if serve_cmd is None:
        cli = mailkit_cli(project)
        check_mailkit_command(cli, "serve")
        serve_cmd = [str(cli), "serve", "--port", "{port}"]
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise Unavailable("playwright is not installed") from exc

    with tempfile.TemporaryDirectory(prefix="mailkit-bench-serve-") as tmp:
        work = Path(tmp) / "project"
        work.mkdir()
        copy_items(project, work, SERVE_PROJECT_ITEMS)
        target = work / partial
        if not target.is_file():
            raise Unavailable(f"no {partial} in the project to edit")
        original = target.read_text()

        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        log_path = Path(tmp) / "serve.log"
        cmd = [part.replace("{port}", str(port)) for part in serve_cmd]
        with open(log_path, "wb") as log_file:
            proc = subprocess.Popen(
                cmd, cwd=work, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            wait_for_http(base, proc, log_path, timeout=60)
            with chromium() as (browser, how):
                page = browser.new_page()

                def edit_and_wait(i: int, timeout: float) -> float | None:
                    wait_page_ready(page, timeout)
                    time.sleep(settle_s)  # let the watcher go idle, the socket register
                    marker = f"MKBENCH{i:03d}X{secrets.token_hex(4).upper()}"
                    text = insert_marker(original, marker)
                    t0 = time.perf_counter()
                    with open(target, "w", encoding="utf-8") as fh:
                        fh.write(text)
                    deadline = t0 + timeout
                    while time.perf_counter() < deadline:
                        if marker_visible(page, marker):
                            return (time.perf_counter() - t0) * 1000
                        time.sleep(0.002)
                    return None

                if page_path is not None:
                    pages = [urllib.parse.urljoin(base, page_path)]
                else:
                    pages = candidate_pages(page, base, work, partial)
                chosen = None
                for url in pages:
                    page.goto(url, wait_until="load")
                    if edit_and_wait(0, timeout=min(timeout_s, 15.0)) is not None:
                        chosen = url
                        break
                if chosen is None:
                    raise Unavailable(
                        f"an edit to {partial} never showed on {', '.join(pages)} "
                        "(pass --serve-path / --serve-partial)"
                    )
                latencies: list[float] = []
                for i in range(1, edits + 1):
                    got = edit_and_wait(i, timeout_s)
                    if got is None:
                        raise Unavailable(
                            f"edit {i} not visible within {timeout_s:.0f} s; "
                            f"server log: {tail(log_path.read_text(errors='replace'), 3)}"
                        )
                    latencies.append(got)
                return ServeResult(
                    latencies_ms=latencies, page_url=chosen, partial=partial, browser=how
                )
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, 15)  # the server we started, and its children
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait(timeout=10)


# --------------------------------------------------------------------------- report


class OtherLoad:
    """Share of the machine's CPU time used by processes other than this run.

    A benchmark on a shared 2-core box is only as good as the quiet it had:
    /proc/stat's busy time minus this process's and its children's CPU time,
    over the run, says how much of the figures is someone else's load.
    """

    def __init__(self) -> None:
        self.start = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float, float] | None:
        try:
            fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        except (OSError, ValueError):
            return None
        tick = os.sysconf("SC_CLK_TCK")
        idle = fields[3] + fields[4]  # idle + iowait
        t = os.times()
        own = t.user + t.system + t.children_user + t.children_system
        return sum(fields[:8]) / tick, idle / tick, own

    def share(self) -> float | None:
        end = self._sample()
        if self.start is None or end is None:
            return None
        total = end[0] - self.start[0]
        busy = total - (end[1] - self.start[1])
        own = end[2] - self.start[2]
        return max(0.0, busy - own) / total if total > 0 else None


def machine_info(mjml_version: str) -> dict[str, str]:
    """Everything a reader needs to judge the figures' provenance."""

    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    cpu_model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": f"{os.cpu_count()} × {cpu_model or platform.machine()}",
        "load average at start (1, 5, 15 min)": load,
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Node": node,
        "official mjml (npm)": mjml_version,
        "mjml-python": version("mjml-python"),
        "premailer": version("premailer"),
        "mailkit": version("mailkit"),
    }


def timing_row(label: str, timing: Timing, base: Timing | None, note: str = "") -> Row:
    lo, hi = timing.per_email_range_ms
    rounds = timing.rounds_ms
    spread = f"files {fmt_range(lo, hi)}; set/round {fmt_range(min(rounds), max(rounds))}"
    ratio = timing.per_email_ms / base.per_email_ms if base is not None else None
    set_note = (
        f"set/round median {fmt_ms(statistics.median(rounds))}; "
        f"after {timing.warmup_rounds} warm-up rounds"
    )
    return Row(
        label=label,
        median_ms=timing.per_email_ms,
        spread=spread,
        n=f"{len(timing.per_file_ns)} files × {len(rounds)} rounds",
        ratio=ratio,
        note="; ".join(x for x in (set_note, note) if x),
    )


def samples_row(label: str, samples: list[float], note: str = "", unit: str = "runs") -> Row:
    return Row(
        label=label,
        median_ms=statistics.median(samples),
        spread=fmt_range(min(samples), max(samples)),
        n=f"{len(samples)} {unit if len(samples) != 1 else unit.rstrip('s')}",
        note=note,
    )


def cpu_note(samples: list[float]) -> str:
    """CPU beside wall: on a shared machine the wall time also waits for the others."""
    return f"CPU (user + system, process family) median {fmt_ms(statistics.median(samples))}"


def skipped(label: str, reason: str) -> Row:
    return Row(label=label, note=f"skipped: {reason}")


def cell(text: str) -> str:
    """Table-safe text: error messages quoted into notes may contain `|`."""
    return text.replace("|", "\\|").replace("\n", " ")


def table(rows: Sequence[Row], ratio_header: str) -> str:
    head = f"| measurement | median | spread (min – max) | n | {ratio_header} | note |"
    lines = [head, "| --- | ---: | --- | --- | ---: | --- |"]
    for r in rows:
        lines.append(
            f"| {r.label} | {fmt_ms(r.median_ms)} | {cell(r.spread)} | {r.n} "
            f"| {fmt_ratio(r.ratio)} | {cell(r.note)} |"
        )
    return "\n".join(lines)


def per_file_table(timings: dict[str, Timing | None]) -> str:
    present = {k: v for k, v in timings.items() if v is not None}
    official = present.get(ROW_OFFICIAL)
    names = list(next(iter(present.values())).per_file_ns) if present else []
    headers = ["file", *present.keys()]
    if official is not None and ROW_MAILKIT in present:
        headers.append("mailkit ÷ official")
    lines = ["| " + " | ".join(headers) + " |", "| --- |" + " ---: |" * (len(headers) - 1)]
    for name in names:
        cells = [f"`{name}`"] + [fmt_ms(t.file_median_ms(name)) for t in present.values()]
        if official is not None and ROW_MAILKIT in present:
            ratio = present[ROW_MAILKIT].file_median_ms(name) / official.file_median_ms(name)
            cells.append(fmt_ratio(ratio))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render_markdown(
    info: dict[str, str],
    source: str,
    warm_rows: list[Row],
    cold_rows: list[Row],
    serve_rows: list[Row],
    per_file: str,
    command: str,
    notes: list[str],
    warmup_rounds: int,
    warmup_s: float,
) -> str:
    parts = [
        "# mailkit vs the official MJML compiler",
        "",
        f"Generated by `{command}`. Lower is faster; ratios are mailkit ÷ official MJML "
        "(below 1× means mailkit is faster). Figures from one machine under whatever else "
        "it was running: compare ratios, not absolute times, across machines.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *[f"| {k} | {v} |" for k, v in info.items()],
        "",
        "## Per email, warm, in-process",
        "",
        f"Input: {source}. Each compiler gets the same MJML text, read once, and the same "
        f"untimed warm-up: at least {warmup_rounds} whole round(s) and at least {warmup_s:g} s "
        f"(by default rounds enough for {WARMUP_COMPILES} compiles: V8 needs about that many "
        "calls to settle, one round of a small set is not enough), then the timed rounds, "
        "which the compilers take in turns (a round of official MJML, then one of each "
        "Python timing, and again) so a machine that slows down slows every row alike. "
        "Official MJML runs "
        "in one Node process (`mjml2html(src, {validationLevel: 'soft', minify: false})`, "
        "awaited); mjml-python as `mjml2html(src, fonts={})`; "
        "Python timed with `time.perf_counter_ns`, gc disabled. *median* is the median "
        "over files of each file's median; *set/round* is one pass over all files. "
        "Official `mjml2html` already inlines `<mj-style inline>` CSS (with juice) and "
        "mjml-python does not, so the like-for-like pair is official MJML vs mailkit's "
        "`compile_mjml` less its plain-text step; mjml-python alone shows the MJML "
        "engine's share.",
        "",
        table(warm_rows, "÷ official"),
        "",
        "## Cold start, wall time (new process per run)",
        "",
        "What a user waits for from a shell: the whole demo through `mailkit build` "
        "against one file through the official CLI (`node_modules/.bin/mjml FILE -o OUT`). "
        "The commands take turns, run after run, so each ratio compares runs made under "
        "the same conditions. Before each build the last build's kept result and the "
        "compile and check results are removed from `.mailkit-cache/` (every page is "
        "rendered, compiled and checked); the compiled Jinja templates stay, as on a "
        "designer's machine, except in the last row.",
        "",
        table(cold_rows, "build ÷ CLI"),
        "",
        "## Live preview",
        "",
        "From writing a marker into a partial to the marker being in the email's iframe "
        "in headless Chromium (polled every few ms across all frames).",
        "",
        table(serve_rows, "—"),
        "",
    ]
    if notes:
        parts += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    parts += ["## Per file (median of rounds)", "", per_file, ""]
    return "\n".join(parts)


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Benchmark mailkit against the official MJML compiler.",
    )
    p.add_argument("--rounds", type=int, default=None, help="timed rounds (default 7, quick 1)")
    p.add_argument(
        "--quick",
        action="store_true",
        help="1 round, 1 warm-up round, 1 cold run, 3 serve edits: checks it runs, no more",
    )
    p.add_argument(
        "--warmup-seconds",
        type=float,
        default=None,
        help="warm-up per compiler: >= 1 round and >= this long (default 2, quick 0)",
    )
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown results file")
    p.add_argument("--json", type=Path, default=None, help="also write the raw figures as JSON")
    p.add_argument("--project", type=Path, default=REPO_ROOT, help="mailkit project root")
    p.add_argument("--mjml-dir", type=Path, default=None, help="time these .mjml files instead")
    p.add_argument("--skip-build", action="store_true", help="skip timing `mailkit build`")
    p.add_argument("--skip-serve", action="store_true", help="skip the `mailkit serve` latency")
    p.add_argument("--serve-edits", type=int, default=None, help="timed edits (default 10)")
    p.add_argument("--serve-path", default=None, help="email page path on the server")
    p.add_argument("--serve-partial", default=DEFAULT_PARTIAL, help="partial to edit")
    p.add_argument(
        "--serve-cmd",
        default=None,
        help='server command with {port}, default "mailkit serve --port {port}"',
    )
    args = p.parse_args(argv)
    if args.rounds is None:
        args.rounds = 1 if args.quick else 7
    if args.rounds < 1:
        p.error("--rounds must be >= 1")
    if args.serve_edits is None:
        args.serve_edits = 3 if args.quick else 10
    if args.warmup_seconds is None:
        args.warmup_seconds = 0.0 if args.quick else 2.0
    args.warmup_rounds = 1  # raised to WARMUP_COMPILES / files once the set is known
    args.cold_runs = 1 if args.quick else 9
    return args


def reexec_in_venv() -> None:
    """Re-run under the project's venv if this Python lacks mjml-python.

    `python benchmarks/run.py` with a system Python should still measure the
    project's own stack rather than fail on an import.
    """
    try:
        import mjml  # noqa: F401
    except ImportError:
        venv_python = REPO_ROOT / ".venv" / "bin" / "python"
        if venv_python.exists() and not os.environ.get("MAILKIT_BENCH_REEXEC"):
            os.environ["MAILKIT_BENCH_REEXEC"] = "1"
            os.execv(str(venv_python), [str(venv_python), __file__, *sys.argv[1:]])
        raise BenchError("mjml-python is not importable; run with the project's .venv") from None


def run(args: argparse.Namespace) -> str:
    other_load = OtherLoad()
    project: Path = args.project.resolve()
    mjml_version = ensure_official_mjml()
    info = machine_info(mjml_version)
    notes: list[str] = []
    raw: dict[str, Any] = {"machine": info}

    root, files, source = collect_mjml(project, args.mjml_dir)
    with tempfile.TemporaryDirectory(prefix="mailkit-bench-mjml-") as tmp:
        snap = snapshot(root, files, Path(tmp))
        sources = {name: path.read_text(encoding="utf-8") for name, path in snap.items()}
        if not args.quick:
            args.warmup_rounds = max(1, -(-WARMUP_COMPILES // len(sources)))
        log(f"{len(sources)} MJML files from {source}, {args.rounds} rounds")

        # 1. warm, per email: every compiler on the same MJML, taking turns round by round
        warm = (args.warmup_rounds, args.warmup_seconds)
        first = next(iter(sources.values()))
        compilers: dict[str, Compiler] = {}
        reasons: dict[str, str] = {}
        mrml = load_mrml()
        check_output("mjml-python", mrml, first, compiled=False)
        compilers[ROW_MRML] = (mrml, sources)
        try:
            compile_fn = load_mailkit_compile()
            check_output("mailkit compile_mjml", compile_fn, first, compiled=True)
        except Unavailable as exc:
            reasons[ROW_MAILKIT] = str(exc)
        except Exception as exc:  # a bug in mailkit: report it, keep the other rows
            reasons[ROW_MAILKIT] = f"failed: {short_error(exc)}"
        else:
            compilers[ROW_MAILKIT] = (compile_fn, sources)
            for label, step in mailkit_breakdown(sources).items():
                if isinstance(step, str):
                    reasons[label] = step
                else:
                    compilers[label] = step
        log(f"warm: official MJML (Node, one process) and {len(compilers)} Python timings, "
            "taking turns")
        official, measured = time_warm(snap, compilers, args.rounds, *warm)
        errs = official.extra["validation_errors"]
        if errs:
            notes.append(
                "official MJML reported soft-validation errors on: "
                + ", ".join(f"`{n}` ({c})" for n, c in errs.items())
            )
        warm_rows = [timing_row(ROW_OFFICIAL, official, official)]
        timings: dict[str, Timing | None] = {ROW_OFFICIAL: official}
        for label in (ROW_MRML, ROW_MAILKIT, ROW_MAILKIT_INLINE, ROW_MAILKIT_TEXT):
            result = measured.get(label, reasons.get(label))
            if result is None:  # the breakdown of a compile_mjml that did not run
                continue
            if isinstance(result, str):
                warm_rows.append(skipped(label, result))
                timings[label] = None
                continue
            note = ""
            mrml_t = measured.get(ROW_MRML)
            if label == ROW_MAILKIT and isinstance(mrml_t, Timing):
                if result.per_email_ms < mrml_t.per_email_ms:
                    note = "faster than its own MJML step: is compile_mjml caching by source?"
                notes.append(
                    f"The MJML step is about {mrml_t.per_email_ms / result.per_email_ms:.0%} "
                    "of mailkit's per-email time; the rest is parsing, CSS inlining, "
                    "serialising and the plain-text version (rows marked ↳)."
                )
            warm_rows.append(timing_row(label, result, official, note))
            timings[label] = result

        # 2. cold
        one = representative(snap)
        runs = args.cold_runs
        log(f"cold: official mjml CLI on {one} and mailkit build, interleaved ({runs} runs)")
        breakdown = cli_breakdown(snap[one])
        build_error = "--skip-build" if args.skip_build else ""
        try:
            walls, cpus = time_cold(snap[one], None if args.skip_build else project, runs)
        except Unavailable as exc:  # the build broke: time the CLI alone, say why
            build_error = str(exc)
            walls, cpus = time_cold(snap[one], None, runs)
        cli_note = f"`{one}`"
        if breakdown:
            cli_note += (
                f"; of one run: Node start ≈ {fmt_ms(breakdown['node_startup_ms'])}, "
                f"loading mjml ≈ {fmt_ms(breakdown['load_mjml_ms'])}, "
                f"compile (cold, CLI defaults: beautify) ≈ {fmt_ms(breakdown['compile_ms'])}"
            )
        cli_row = samples_row(ROW_CLI, walls["cli"], f"{cpu_note(cpus['cli'])}; {cli_note}")
        cold_rows = [cli_row]
        raw["cli"] = {"file": one, "walls_ms": walls["cli"], "cpu_ms": cpus["cli"],
                      "single": breakdown}
        if build_error:
            cold_rows.append(skipped(ROW_BUILD, build_error))
        else:
            built = len(preview_mjml(project / "build"))
            for label, name, note in (
                (ROW_BUILD, "build", f"{built} rendered MJML files in build/; rendering here, "
                                     f"compiling and checking in workers ({os.cpu_count()} cores)"),
                (ROW_BUILD_ONE, "build_one", "render, compile, checks, export and site "
                                             "pages in one process"),
                (ROW_BUILD_EMPTY, "build_empty", "no compiled Jinja templates to reuse "
                                                 "(`build/` still there; `goals.py`'s G2 "
                                                 "is the build with nothing kept)"),
            ):
                row = samples_row(label, walls[name], f"{cpu_note(cpus[name])}; {note}")
                row.ratio = row.median_ms / cli_row.median_ms
                cold_rows.append(row)
            raw["build"] = {"walls_ms": walls["build"], "one_process_walls_ms":
                            walls["build_one"], "empty_cache_walls_ms": walls["build_empty"],
                            "rendered": built, "cpu_ms": cpus}

    # 3. serve
    if args.skip_serve:
        serve_rows = [skipped(ROW_SERVE, "--skip-serve")]
    else:
        log(f"mailkit serve latency ({args.serve_edits} edits)")
        try:
            res = measure_serve_latency(
                args.serve_edits,
                project=project,
                serve_cmd=shlex.split(args.serve_cmd) if args.serve_cmd else None,
                page_path=args.serve_path,
                partial=args.serve_partial,
            )
        except Unavailable as exc:
            serve_rows = [skipped(ROW_SERVE, str(exc))]
        except Exception as exc:  # server or browser broke: say so, keep the report
            serve_rows = [skipped(ROW_SERVE, f"failed: {short_error(exc)}")]
        else:
            path = urllib.parse.urlsplit(res.page_url).path
            serve_rows = [
                samples_row(
                    ROW_SERVE,
                    res.latencies_ms,
                    f"edits to `{res.partial}`, page `{path}`; browser: {res.browser}",
                    unit="edits",
                )
            ]
            raw["serve"] = {"latencies_ms": res.latencies_ms, "page": res.page_url}

    share = other_load.share()
    if share is not None:
        info["CPU used by other processes during the run"] = f"{share:.0%}"
        if share > 0.1:
            notes.insert(
                0,
                f"Other processes used {share:.0%} of the CPUs during this run: "
                "figures are inflated and noisy; re-run on a quiet machine before quoting.",
            )
    raw["warm"] = {
        label: None if t is None else {"per_file_ns": t.per_file_ns, "rounds_ns": t.round_totals_ns}
        for label, t in timings.items()
    }
    command = "python benchmarks/run.py " + " ".join(shlex.quote(a) for a in sys.argv[1:] if a)
    markdown = render_markdown(
        info,
        source,
        warm_rows,
        cold_rows,
        serve_rows,
        per_file_table(timings),
        command.strip(),
        notes,
        args.warmup_rounds,
        args.warmup_seconds,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(merge_into(args.out, markdown), encoding="utf-8")
    if args.json is not None:
        args.json.write_text(json.dumps(raw, indent=2, default=str), encoding="utf-8")
    log(f"wrote {args.out}")
    return markdown


RUN_START, RUN_END = "<!-- run:start -->", "<!-- run:end -->"


def merge_into(path: Path, markdown: str) -> str:
    """The results file with this run's part replaced: between the run markers when the
    file has them, so the sections other scripts and people write (A/B, scale, serve)
    stay; the whole file otherwise."""
    block = f"{RUN_START}\n{markdown.rstrip()}\n{RUN_END}"
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if RUN_START in old and RUN_END in old:
        return old[:old.index(RUN_START)] + block + old[old.index(RUN_END) + len(RUN_END):]
    return block + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        reexec_in_venv()
        print(run(args))
    except BenchError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
