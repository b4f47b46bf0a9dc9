"""Issue #22 ("Fresh-clone speed"): each goal's figure beside the goal, with official MJML
measured in the same run, interleaved, on a shared machine.

    .venv/bin/python benchmarks/goals.py                 # 3 rounds; writes results.md
    .venv/bin/python benchmarks/goals.py --quick         # 1 round, short waits, 3 serve edits
    .venv/bin/python benchmarks/goals.py --expect-digests DIR   # G4's findings against a save
    .venv/bin/python benchmarks/goals.py --save-digests DIR     # keep this run's digests

Why a script of its own: the goals are ratios, and a ratio is only fair between runs
taken side by side on this 2-core VM, whose speed drifts by ±10–20 % within minutes and
which other sessions load. So every figure comes from one loop of rounds; in each round
every command runs once, in an order reversed every other round; each command starts
after `sync` and after a wait for the machine to be quiet; and each run records its wall
time, the CPU time of its whole process family (user + system from `wait4`: the parent,
its compile workers and every other reaped child) and the share of the CPUs other
processes used meanwhile. Runs where others used more than `DISTURBED` are left out of
the medians when an undisturbed run of the same command remains.

What "fresh" means here: **nothing kept**. Before each timed mailkit build, `build/`,
`.mailkit-cache/` (Jinja bytecode, step cache, file store, kept result) and the swap's
leftovers are moved aside: a fresh clone's first build. (Renamed into a trash folder that
is deleted after the last run, not deleted before each: on this VM's file system, files
deleted a minute ago slow the creation of the next ones, which a fresh clone does not
pay; aside.py has the figures.) The projects are scratch copies (the
demo's sources; `generate.py`'s projects), so a developer's own `build/` and cache, with
their snapshot thumbnails and spam scores, are never touched. mailkit's own Python
bytecode and the OS page cache are warm (one untimed build of each project first): a
bootstrap compiles the former, and both sides get the latter.

The goals (`GOALS` below has the thresholds):

- G1: first build of the ~1 000-page project ÷ official MJML compiling the same pages'
  MJML in one Node process (`mjml_official.mjs --rounds 1 --warmup 0`, the compile round
  without Node's start-up, as `scale.py` has always compared). ≤ 0.5×.
- G2: first build of the demo ÷ one `node_modules/.bin/mjml FILE -o OUT` call on the
  demo's median-size MJML (the CLI's whole process). < 1.0×.
- G3: the marginal cost of a page: least-squares slope of the median wall time over the
  three sizes (demo, ~half, ~1 000 pages), for mailkit's first build and for official
  MJML's compile of the same MJML; the ratio of the slopes. ≤ 0.25×. The slope of each
  segment (demo → half, half → largest) is shown beside it: does a page cost the same
  at every size?
- G4: nothing else slower: `serve` at ~1 000 pages, an email template saved with that
  email's page open, until the server serves the changed page (median of 5, `scale.py`'s
  method) ≤ 0.3 s; a build with nothing changed right after a first build ≤ 1 s; the
  findings digest (`findings_digest.py`) of the demo and the ~1 000-page project
  identical to a saved one (`--expect-digests`; shown, not judged, without one).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import findings_digest  # noqa: E402
from aside import Trash  # noqa: E402
from generate import generate  # noqa: E402
from run import copy_items, ensure_official_mjml, preview_mjml, representative  # noqa: E402

PYTHON = REPO / ".venv" / "bin" / "python"
NODE_SCRIPT = BENCH / "mjml_official.mjs"
START, END = "<!-- goals -->", "<!-- /goals -->"
DIGESTS = BENCH / "digests"  # the findings of main before #22's speed work
DISTURBED = 0.10  # others' share of the CPUs above which a run is left out
QUIET = 0.08  # others' share under which the machine counts as quiet before a run
# What a demo project is made of (mailkit.model.SOURCE_FOLDERS and SOURCE_FILES):
# copied, and nothing else, so a first build finds what a fresh clone has.
PROJECT_ITEMS = ("brands", "emails", "partials", "contracts", "checks.yaml")
KEEP_OUT = ("build", ".mailkit-cache", ".build.staging", ".build.old", ".mailkit-debug")
TRASH = ".trash"  # in the scratch folder: what each run left (aside.py)


@dataclass
class Sample:
    """One command in a new process: what it cost and how busy the machine was."""

    wall: float  # seconds
    user: float  # CPU seconds of the process family (wait4's rusage: reaped children too)
    system: float
    other: float  # share of all CPUs that other processes used during the run
    waited: float  # seconds spent waiting for a quiet machine before it (untimed)
    code: int
    compile: float | None = None  # official MJML: the compile round alone, seconds
    pages: int | None = None

    @property
    def cpu(self) -> float:
        return self.user + self.system

    @property
    def disturbed(self) -> bool:
        return self.other > DISTURBED


@dataclass
class Series:
    """Every run of one command in the loop, in order."""

    samples: list[Sample] = field(default_factory=list)

    @property
    def kept(self) -> list[Sample]:
        """The undisturbed runs, or all of them when none was undisturbed."""
        quiet = [s for s in self.samples if not s.disturbed]
        return quiet or self.samples

    def median(self, what: Callable[[Sample], float | None] = lambda s: s.wall) -> float:
        values = [v for v in (what(s) for s in self.kept) if v is not None]
        return statistics.median(values) if values else float("nan")

    def spread(self, what: Callable[[Sample], float | None] = lambda s: s.wall) -> str:
        values = [v for v in (what(s) for s in self.kept) if v is not None]
        if len(values) < 2:
            return ""
        return f" ({_s(min(values))}–{_s(max(values))})"

    def note(self) -> str:
        """How many runs count, and the most others used in those."""
        worst = max((s.other for s in self.kept), default=0.0)
        left = len(self.samples) - len(self.kept)
        if all(s.disturbed for s in self.kept):
            return f"n={len(self.kept)}, all disturbed (others ≤ {worst:.0%}): noisy"
        out = f", {left} disturbed left out" if left else ""
        return f"n={len(self.kept)}{out}, others ≤ {worst:.0%}"


def _s(seconds: float) -> str:
    if seconds != seconds:  # nan
        return "—"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def log(message: str) -> None:
    print(f"[goals] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the machine


def cpu_times() -> tuple[float, float]:
    """(all CPU time, idle + iowait time) of the machine so far, seconds summed over CPUs."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    return sum(fields[:8]) / tick, (fields[3] + fields[4]) / tick


def busy_share(seconds: float) -> float:
    """Share of all CPUs busy over the next `seconds` (this process sleeps meanwhile)."""
    total0, idle0 = cpu_times()
    time.sleep(seconds)
    total1, idle1 = cpu_times()
    total = total1 - total0
    return 1 - (idle1 - idle0) / total if total > 0 else 0.0


def own_cpu() -> float:
    """CPU seconds of this process and every child it has reaped (the measured commands,
    serve and what they reaped): subtracted from the machine's busy time, it leaves what
    other processes used."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def others_share(since: tuple[float, float, float], wall: float) -> float:
    """Share of all CPUs that processes other than this run used since `since`
    (`(*cpu_times(), own_cpu())` taken at the start)."""
    total, idle = cpu_times()
    busy = (total - since[0]) - (idle - since[1])
    mine = own_cpu() - since[2]
    return min(1.0, max(0.0, busy - mine) / (wall * (os.cpu_count() or 1))) if wall > 0 else 0.0


def wait_quiet(limit: float) -> float:
    """Wait (up to `limit` s) until others use under `QUIET` of the CPUs for 0.5 s: a run
    started in the middle of someone's test suite measures the suite. Returns the wait."""
    start = time.monotonic()
    while time.monotonic() - start < limit and busy_share(0.5) >= QUIET:
        pass
    return time.monotonic() - start


def measured(cmd: list[str], cwd: Path, quiet_limit: float,
             env: dict[str, str] | None = None) -> tuple[Sample, str]:
    """Run `cmd` in a new process, after `sync` and a quiet machine: its Sample and output.

    `sync` first: a command that writes `build/` right after another wrote tens of MB is
    otherwise throttled by the kernel's writeback of the earlier one (scale.py measured a
    cold build's system time going from 0.5 to 3 s)."""
    os.sync()
    waited = wait_quiet(quiet_limit)
    with tempfile.TemporaryFile() as out:
        total0, idle0 = cpu_times()
        start = time.perf_counter()
        # a session of its own: stopping the benchmark stops the command and its workers
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            raise
        wall = time.perf_counter() - start
        total1, idle1 = cpu_times()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    busy = (total1 - total0) - (idle1 - idle0)
    own = usage.ru_utime + usage.ru_stime
    other = max(0.0, busy - own) / (wall * (os.cpu_count() or 1)) if wall > 0 else 0.0
    return Sample(wall, usage.ru_utime, usage.ru_stime, min(other, 1.0), waited,
                  proc.returncode), text


# --------------------------------------------------------------------------- the projects


@dataclass
class Project:
    """A scratch project, the MJML of its pages copied out of `build/`, its page count."""

    name: str
    root: Path
    mjml_list: Path = Path()  # JSON list of the copied MJML files (official MJML's input)
    pages: int = 0


def copy_demo(source: Path, dest: Path) -> Path:
    """The demo's sources, as a fresh clone has them (no build/, no cache)."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    copy_items(source, dest, PROJECT_ITEMS)
    return dest


def forget_everything(root: Path) -> None:
    """Nothing kept: what a fresh clone has before its first build. The last build's
    files are renamed into the scratch folder's trash, emptied after the last run, not
    deleted: deleting them would slow the next build's file creation (aside.py)."""
    for name in KEEP_OUT:
        trash_of(root.parent).put(root / name)


@functools.cache
def trash_of(scratch: Path) -> Trash:
    """The trash of the scratch folder that holds the projects: one, so its numbering
    keeps every project's leftovers apart."""
    return Trash(scratch / TRASH)


def mailkit_cmd(*args: str) -> list[str]:
    """`python -m mailkit`, as the `mailkit` entry point runs it (`__main__.run`)."""
    return [str(PYTHON), "-m", "mailkit", *args]


def prepare(project: Project, scratch: Path, quiet_limit: float) -> None:
    """One untimed first build (warms mailkit's bytecode and the page cache, and gives
    the MJML: `--sources`), then the pages' MJML copied out of `build/`, which each
    round moves aside."""
    sample, _ = first_build(project, quiet_limit, mailkit_cmd("build", "--sources"))
    files = preview_mjml(project.root / "build")
    folder = scratch / f"mjml-{project.name}"
    shutil.rmtree(folder, ignore_errors=True)
    copies = []
    for path in files:
        target = folder / path.relative_to(project.root / "build")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copies.append(str(target))
    project.mjml_list = scratch / f"mjml-{project.name}.json"
    project.mjml_list.write_text(json.dumps(copies), encoding="utf-8")
    project.pages = len(copies)
    log(f"{project.name}: {project.pages} pages, untimed first build {_s(sample.wall)}")


def three_sizes(projects: list[Project]) -> None:
    """G3's slopes need three different page counts: `generate.py` gives each brand all
    the demo's emails, so with many brands a small `--pages` gives the middle project
    as many pages as the largest."""
    counts = [p.pages for p in projects]
    if len(set(counts)) < len(counts):
        raise SystemExit(f"the projects have {', '.join(map(str, counts))} pages: G3 needs "
                         "three sizes (more --pages, or fewer --brands)")


def the_projects(args: argparse.Namespace, scratch: Path) -> tuple[list[Project], Path]:
    """The demo and two generated projects (`args.pages` and half, `args.brands`
    brands) in `scratch`, each prepared, and the demo's MJML file the CLI compiles."""
    half = max(args.pages // 2, 100)
    projects = [Project("demo", copy_demo(args.project, scratch / "demo")),
                *(Project(f"generated-{n}", generate(scratch / f"generated-{n}", n, args.brands))
                  for n in (half, args.pages))]
    for p in projects:
        prepare(p, scratch, args.quiet_wait)
    three_sizes(projects)
    demo_files = {Path(f).relative_to(scratch).as_posix(): Path(f) for f in
                  json.loads(projects[0].mjml_list.read_text(encoding="utf-8"))}
    return projects, demo_files[representative(demo_files)]


# --------------------------------------------------------------------------- the loop


def first_build(project: Project, quiet_limit: float, cmd: list[str] | None = None,
                ) -> tuple[Sample, str]:
    """`cmd` (`mailkit build`) in `project` with nothing kept: its Sample and output."""
    forget_everything(project.root)
    sample, text = built(project, quiet_limit, cmd)
    sample.pages = project.pages
    return sample, text


def built(project: Project, quiet_limit: float, cmd: list[str] | None = None,
          ) -> tuple[Sample, str]:
    """`measured` for a build (`mailkit build` unless `cmd`): one that fails (exit 1 only
    says findings) stops the benchmark with its output."""
    cmd = cmd or mailkit_cmd("build")
    sample, text = measured(cmd, project.root, quiet_limit)
    if sample.code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[-3:])} failed in {project.root}:\n{text[-2000:]}")
    return sample, text


def official_batch(project: Project, quiet_limit: float) -> Sample:
    """Official MJML on every page's MJML in one cold Node process, as scale.py does."""
    cmd = ["node", str(NODE_SCRIPT), "--rounds", "1", "--warmup", "0", str(project.mjml_list)]
    sample, text = measured(cmd, BENCH, quiet_limit)
    if sample.code != 0:
        raise SystemExit(f"mjml_official.mjs failed: {text[-2000:]}")
    report = json.loads(text[text.index("{"):])
    rounds = report.get("round_totals_ns") or report.get("rounds_ns") or []
    sample.compile = rounds[0] / 1e9 if rounds else sample.wall
    sample.pages = project.pages
    return sample


def official_cli(one: Path, out: Path, quiet_limit: float) -> Sample:
    """One `mjml FILE -o OUT`: what a user of the official CLI waits for, one file."""
    cmd = [str(BENCH / "node_modules" / ".bin" / "mjml"), str(one), "-o", str(out)]
    sample, text = measured(cmd, BENCH, quiet_limit)
    if sample.code != 0:
        raise SystemExit(f"mjml CLI failed: {text[-2000:]}")
    return sample


Step = tuple[str, Callable[[], Sample]]


def run_rounds(projects: list[Project], one: Path, scratch: Path, rounds: int,
               quiet_limit: float) -> dict[str, Series]:
    """Every command once a round, the order reversed every other round (a machine that
    slows down during a round does not always bill the same side). A build with nothing
    changed stays right after the first build it follows."""
    big = projects[-1]
    units: list[list[Step]] = []
    for p in projects:
        unit: list[Step] = [(f"mailkit:{p.name}", lambda p=p: first_build(p, quiet_limit)[0])]
        if p is big:  # what a second `mailkit build` costs
            unit.append((f"unchanged:{p.name}", lambda p=p: built(p, quiet_limit)[0]))
        units.append(unit)
        units.append([(f"official:{p.name}", lambda p=p: official_batch(p, quiet_limit))])
        if p is projects[0]:
            units.append([("cli", lambda: official_cli(one, scratch / "cli-out.html",
                                                       quiet_limit))])
    return interleaved(units, rounds)


def interleaved(units: list[list[Step]], rounds: int) -> dict[str, Series]:
    """Each unit's steps once a round, in order, the units' order reversed every other
    round; every sample logged as it comes."""
    series: dict[str, Series] = {}
    for index in range(rounds):
        for name, step in [s for u in (units if index % 2 == 0 else units[::-1]) for s in u]:
            sample = step()
            series.setdefault(name, Series()).samples.append(sample)
            extra = f" compile {_s(sample.compile)}" if sample.compile is not None else ""
            log(f"round {index + 1}/{rounds} {name:26s} wall {_s(sample.wall)}{extra} "
                f"CPU {_s(sample.cpu)} (user {sample.user:.2f} s, sys {sample.system:.2f} s) "
                f"others {sample.other:.0%}" + (" DISTURBED" if sample.disturbed else "")
                + (f" (waited {sample.waited:.0f} s for quiet)" if sample.waited >= 1 else ""))
    return series


# --------------------------------------------------------------------------- serve, digests


def measure_serve(project: Project, edits: int) -> dict[str, Any]:
    """`scale.py`'s serve figure (an email edit with its page open, until served), on the
    ~1 000-page project, with the share of the CPUs others used meanwhile."""
    import scale

    os.sync()
    since, start = (*cpu_times(), own_cpu()), time.perf_counter()
    raw: dict[str, Any] = {}
    scale.measure_serve(project.root, idle_seconds=0, email_edits=edits, partial_edit=False,
                        raw=raw)
    # an upper bound: serve's workers count as this run's only if serve reaped them
    raw["others_at_most"] = others_share(since, time.perf_counter() - start)
    return raw


def digests(projects: list[Project], expect: Path | None, save: Path | None
            ) -> dict[str, tuple[findings_digest.Digest, list[str] | None]]:
    """Each project's findings digest; compared with `expect/<name>.json` when given."""
    out: dict[str, tuple[findings_digest.Digest, list[str] | None]] = {}
    for p in projects:
        d = findings_digest.digest(p.root, mailkit_cmd())
        problems = None
        if expect is not None and (expect / f"{p.name}.json").is_file():
            problems = findings_digest.compare(d, findings_digest.load(expect / f"{p.name}.json"))
        if save is not None:
            save.mkdir(parents=True, exist_ok=True)
            findings_digest.save(d, save / f"{p.name}.json")
        out[p.name] = (d, problems)
        log(d.line(p.name) + ("" if problems is None else
                              " = expected" if not problems else " DIFFERS"))
    return out


# --------------------------------------------------------------------------- figures


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x: seconds per page."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else float("nan")


def segments(points: list[tuple[float, float]]) -> str:
    """The slope between each size and the next, ms a page: whether the cost of a page
    holds across sizes. (With the middle size halfway, the least-squares slope equals
    the two-point (largest − demo) ÷ added pages, so that would say nothing more.)"""
    return ", ".join(f"{(y1 - y0) / (x1 - x0) * 1000:.2f}"
                     for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False))


GOALS = {"G1": 0.5, "G2": 1.0, "G3": 0.25, "G4 serve": 0.3, "G4 unchanged": 1.0}


def mark(ok: bool | None) -> str:
    return "—" if ok is None else ("✓" if ok else "✗")


def goal_rows(projects: list[Project], series: dict[str, Series], serve: dict[str, Any] | None,
              found: dict[str, tuple[findings_digest.Digest, list[str] | None]]
              ) -> list[tuple[str, str, str, str, str, str]]:
    """(goal, mailkit, official MJML, ratio, goal, met) rows."""
    demo, big = projects[0], projects[-1]
    mk_big, off_big = series[f"mailkit:{big.name}"], series[f"official:{big.name}"]
    mk_demo, cli = series[f"mailkit:{demo.name}"], series["cli"]
    rows = []

    def cpu(s: Series) -> str:
        return f"CPU {_s(s.median(lambda x: x.cpu))}"

    g1 = mk_big.median() / off_big.median(lambda s: s.compile)
    rows.append((
        f"G1 first build, nothing kept, {big.pages} pages ÷ official compile of the same MJML",
        f"{_s(mk_big.median())}{mk_big.spread()}; {cpu(mk_big)}; {mk_big.note()}",
        f"{_s(off_big.median(lambda s: s.compile))}{off_big.spread(lambda s: s.compile)} "
        f"compiling ({_s(off_big.median())} with Node start-up); {cpu(off_big)}; "
        f"{off_big.note()}",
        f"{g1:.2f}×", f"≤ {GOALS['G1']}×", mark(g1 <= GOALS["G1"])))
    g2 = mk_demo.median() / cli.median()
    rows.append((
        f"G2 demo first build, nothing kept ({demo.pages} pages) ÷ one `mjml` CLI call",
        f"{_s(mk_demo.median())}{mk_demo.spread()}; {cpu(mk_demo)}; {mk_demo.note()}",
        f"{_s(cli.median())}{cli.spread()}; {cpu(cli)}; {cli.note()}",
        f"{g2:.2f}×", f"< {GOALS['G2']}×", mark(g2 < GOALS["G2"])))
    mk_pts = [(p.pages, series[f"mailkit:{p.name}"].median()) for p in projects]
    off_pts = [(p.pages, series[f"official:{p.name}"].median(lambda s: s.compile))
               for p in projects]
    mk_cpu_pts = [(p.pages, series[f"mailkit:{p.name}"].median(lambda s: s.cpu))
                  for p in projects]
    mk_m, off_m = slope(mk_pts), slope(off_pts)
    sizes = ", ".join(str(p.pages) for p in projects)
    rows.append((
        f"G3 marginal cost of a page (least-squares slope over {sizes} pages)",
        f"{mk_m * 1000:.2f} ms a page (by segment {segments(mk_pts)}); "
        f"CPU {slope(mk_cpu_pts) * 1000:.2f} ms a page",
        f"{off_m * 1000:.2f} ms a page (by segment {segments(off_pts)})",
        f"{mk_m / off_m:.2f}×", f"≤ {GOALS['G3']}×", mark(mk_m / off_m <= GOALS["G3"])))
    if serve and serve.get("shown"):
        shown = serve["shown"]
        value = statistics.median(shown)
        rows.append((
            f"G4 `serve`, {big.pages} pages: email template saved, its page open → served",
            f"{_s(value)} ({_s(min(shown))}–{_s(max(shown))}), median of {len(shown)}; "
            f"serve's CPU {_s(statistics.median(serve['cpu']))} an edit until settled; "
            f"others ≤ {serve['others_at_most']:.0%}",
            "", "", f"≤ {GOALS['G4 serve']} s", mark(value <= GOALS["G4 serve"])))
    else:
        rows.append((f"G4 `serve`, {big.pages} pages: email saved → open page served",
                     "skipped" if serve is None else f"failed: {serve.get('error', '?')}",
                     "", "", f"≤ {GOALS['G4 serve']} s", "—"))
    same = series[f"unchanged:{big.name}"]
    rows.append((
        f"G4 build with nothing changed, {big.pages} pages (after a first build)",
        f"{_s(same.median())}{same.spread()}; {cpu(same)}; {same.note()}",
        "", "", f"≤ {GOALS['G4 unchanged']} s", mark(same.median() <= GOALS["G4 unchanged"])))
    for name, (d, problems) in found.items():
        state = ("no saved digest to compare (`--expect-digests DIR`)" if problems is None
                 else "identical to the saved digest" if not problems
                 else "; ".join(problems))
        rows.append((f"G4 same findings, {name} (sha256 over every page's findings)",
                     f"`{d.sha256[:16]}`: {d.findings} findings on {d.pages} pages; {state}",
                     "", "", "identical before/after",
                     mark(None if problems is None else not problems)))
    return rows


def markdown(rows: list[tuple[str, str, str, str, str, str]], header: str,
             series: dict[str, Series]) -> str:
    lines = [header, "",
             "| goal | mailkit | official MJML, same run | ratio | goal | met |",
             "| --- | --- | --- | ---: | ---: | :---: |"]
    lines += [f"| {' | '.join(c.replace('|', '∣') for c in row)} |" for row in rows]
    lines += ["", "Every run (median of the undisturbed runs; CPU = user + system of the "
              "process family):", "",
              "| command | wall | CPU | user / system | others' share, max | runs |",
              "| --- | ---: | ---: | ---: | ---: | --- |"]
    for name, s in series.items():
        wall = s.median(lambda x: x.compile) if name.startswith("official:") else s.median()
        what = f"{name} (compile round)" if name.startswith("official:") else name
        lines.append(
            f"| {what} | {_s(wall)} | {_s(s.median(lambda x: x.cpu))} | "
            f"{s.median(lambda x: x.user):.2f} / {s.median(lambda x: x.system):.2f} s | "
            f"{max(x.other for x in s.samples):.0%} | {s.note()} |")
    return "\n".join(lines) + "\n"


def write_block(path: Path, text: str, start: str = START, end: str = END) -> None:
    """`text` between the markers `start` and `end` of `path`, appended when it has none."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    block = f"{start}\n{text}{end}"
    if start in old and end in old:
        new = old[:old.index(start)] + block + old[old.index(end) + len(end):]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="1 round, 10 s at most waiting for quiet, 3 serve edits: for iterating")
    p.add_argument("--rounds", type=int, help="interleaved rounds (default 3; quick 1)")
    p.add_argument("--pages", type=int, default=1000, help="the large project (default 1000)")
    p.add_argument("--brands", type=int, default=16)
    p.add_argument("--quiet-wait", type=float,
                   help="seconds to wait at most for a quiet machine before each run "
                        "(default 30; quick 10)")
    p.add_argument("--project", type=Path, default=REPO, help="the demo project (its sources)")
    p.add_argument("--scratch", type=Path, help="work here and keep it (default: a temp dir)")
    p.add_argument("--skip-serve", action="store_true")
    p.add_argument("--expect-digests", type=Path, default=DIGESTS,
                   help="a folder with demo.json and generated-N.json from --save-digests "
                        "(default benchmarks/digests/, main's before the speed work)")
    p.add_argument("--save-digests", type=Path, help="write this run's digests here")
    p.add_argument("--out", type=Path, default=BENCH / "results.md")
    p.add_argument("--no-write", action="store_true", help="print only; results.md untouched")
    p.add_argument("--json", type=Path, help="also write every sample as JSON")
    args = p.parse_args(argv)
    if args.pages <= 100:  # the middle size is half of it, but at least 100 pages
        p.error("--pages must be above 100: G3's slope needs three sizes")
    args.rounds = args.rounds or (1 if args.quick else 3)
    if args.quiet_wait is None:
        args.quiet_wait = 10.0 if args.quick else 30.0
    return args


def _stop(signum: int, frame: object) -> None:
    """`kill` of the benchmark: leave through `finally` (scratch removed, command and
    its workers stopped) instead of dying with orphans."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)
    ensure_official_mjml()
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="mailkit-goals-"))
    scratch.mkdir(parents=True, exist_ok=True)
    since, began = (*cpu_times(), own_cpu()), time.perf_counter()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    try:
        projects, one = the_projects(args, scratch)
        log(f"{args.rounds} round(s), interleaved; the CLI on {one.name}")
        series = run_rounds(projects, one, scratch, args.rounds, args.quiet_wait)
        found = digests([projects[0], projects[-1]], args.expect_digests, args.save_digests)
        serve: dict[str, Any] | None = None
        if not args.skip_serve:
            log("serve: email edits with the page open")
            try:
                serve = measure_serve(projects[-1], 3 if args.quick else 5)
            except Exception as exc:  # a broken serve is a figure too: say so, keep the rest
                serve = {"error": f"{type(exc).__name__}: {exc}"[:200]}
    finally:
        trash_of(scratch).empty()  # after the last timed run
        if args.scratch is None:
            shutil.rmtree(scratch, ignore_errors=True)
    others = others_share(since, time.perf_counter() - began)
    header = (f"Goals of #22 (`benchmarks/goals.py{' --quick' if args.quick else ''}`, "
              f"{args.rounds} interleaved round(s), "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
              f"load average {load} at the start; other processes used {others:.0%} of the "
              f"CPUs over the whole run; a run where others used > {DISTURBED:.0%} of "
              "the CPUs is left out when an undisturbed one remains):")
    text = markdown(goal_rows(projects, series, serve, found), header, series)
    print(text)
    if not args.no_write:
        write_block(args.out, text)
    if args.json:
        args.json.write_text(json.dumps({
            "series": {k: [asdict(s) for s in v.samples] for k, v in series.items()},
            "pages": {p.name: p.pages for p in projects}, "serve": serve,
            "digests": {k: asdict(d) | {"problems": pr} for k, (d, pr) in found.items()},
        }, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
