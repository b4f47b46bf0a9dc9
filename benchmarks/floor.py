"""How far #22's goals are from the build *without* its checks: each goal's ratio for the
real first build and for the same build with parts of the work made free.

    .venv/bin/python benchmarks/floor.py                 # 3 rounds; writes results.md
    .venv/bin/python benchmarks/floor.py --quick --no-write

Why: #22 asks for a first build ≤ 0.5× official MJML's compile (G1), a demo build faster
than one `mjml` CLI call (G2) and a page ≤ 0.25× official's (G3), while "every check
still run on every page that a build writes". Three sessions of profiling found no
lever above a few per cent; this script asks the question the other way round: what
would the ratios be if the checks cost *nothing*? If a goal is missed even then, no
speed-up of the checks can meet it, and the goal and "every check on every page" cannot
both hold.

The variants, each a real `mailkit build` (a new process, nothing kept, the same
measurement as goals.py: interleaved rounds, build renamed aside, official MJML in the
same rounds):

- `full`: the build as it ships;
- `no-checks`: every page's `run_checks` answers "no finding" at once: rendering,
  compiling, the Word table, MJML validation, writing, the site and the export as usual;
- `bare`: also no MJML validation and no Word table (what official MJML's compile does
  not do either): render, compile (MRML + premailer + text), write, site, export.

The variants are made inside the build's compile workers (`--as-build`, below), after
they imported the compile and check stack, so the parent's import overlap is the real
one; each variant's output must carry the workers' word that they run it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import goals  # noqa: E402
from goals import (  # noqa: E402
    Project,
    Sample,
    Series,
    Step,
    _s,
    first_build,
    official_batch,
    official_cli,
    segments,
    slope,
    the_projects,
    trash_of,
)
from run import ensure_official_mjml  # noqa: E402

VARIANTS = ("full", "no-checks", "bare")
START, END = "<!-- floor -->", "<!-- /floor -->"
WORD = "floor: this worker runs the variant"


def as_build(variant: str, args: list[str]) -> None:
    """`mailkit build ARGS` with `variant`'s work made free in each compile worker."""
    from mailkit.pipeline import workers

    imported = workers.warm_up

    def warm_up() -> None:
        imported()
        if variant in ("no-checks", "bare"):
            from mailkit.check import runner

            runner.run_checks = lambda doc, config=None, only=None, root=None: []
        if variant == "bare":
            from mailkit.check import word
            from mailkit.mjml import validate

            word.word_table = lambda html: {}
            validate.validate = lambda *a, **k: ()
        print(f"{WORD} {variant}", file=sys.stderr, flush=True)

    workers.warm_up = warm_up
    from mailkit.__main__ import run

    sys.argv = ["mailkit", "build", *args]
    run()


def variant_build(project: Project, variant: str, quiet_limit: float) -> Sample:
    cmd = [str(goals.PYTHON), str(Path(__file__)), "--as-build", variant]
    sample, text = first_build(project, quiet_limit, cmd)
    if f"{WORD} {variant}" not in text:
        raise SystemExit(f"the {variant} build ran no worker that made its work free "
                         f"(a machine with one core builds in one process):\n{text[-2000:]}")
    return sample


def run_rounds(projects: list[Project], one: Path, scratch: Path, rounds: int,
               quiet_limit: float) -> dict[str, Series]:
    """Every command once a round, the order reversed every other round (goals.py's)."""
    steps: list[Step] = []
    for p in projects:
        steps += [(f"{v}:{p.name}", lambda p=p, v=v: variant_build(p, v, quiet_limit))
                  for v in VARIANTS]
        steps.append((f"official:{p.name}", lambda p=p: official_batch(p, quiet_limit)))
    steps.append(("cli", lambda: official_cli(one, scratch / "cli-out.html", quiet_limit)))
    return goals.interleaved([[step] for step in steps], rounds)


def rows(projects: list[Project], series: dict[str, Series]) -> list[str]:
    demo, big = projects[0], projects[-1]
    official = series[f"official:{big.name}"].median(lambda s: s.compile)
    cli = series["cli"].median()
    off_pts = [(p.pages, series[f"official:{p.name}"].median(lambda s: s.compile))
               for p in projects]
    off_m = slope(off_pts)
    out = []
    for v in VARIANTS:
        big_s, demo_s = series[f"{v}:{big.name}"], series[f"{v}:{demo.name}"]
        pts = [(p.pages, series[f"{v}:{p.name}"].median()) for p in projects]
        m = slope(pts)
        g1, g2, g3 = big_s.median() / official, demo_s.median() / cli, m / off_m
        out.append(
            f"| `{v}` | {_s(big_s.median())}{big_s.spread()}, CPU "
            f"{_s(big_s.median(lambda s: s.cpu))} | **{g1:.2f}×** {goals.mark(g1 <= 0.5)} | "
            f"{_s(demo_s.median())}{demo_s.spread()} | **{g2:.2f}×** {goals.mark(g2 < 1)} | "
            f"{m * 1000:.2f} ms ({segments(pts)}) | **{g3:.2f}×** {goals.mark(g3 <= 0.25)} |")
    out.append(f"| official MJML, same rounds | {_s(official)} compiling {big.pages} pages | "
               f"(G1 ≤ 0.5×: {_s(official / 2)}) | one `mjml` CLI call {_s(cli)} | (G2 < 1×) | "
               f"{off_m * 1000:.2f} ms ({segments(off_pts)}) | (G3 ≤ 0.25×: "
               f"{off_m * 250:.2f} ms) |")
    return out


def markdown(projects: list[Project], series: dict[str, Series], header: str) -> str:
    lines = [header, "",
             f"| variant | first build, {projects[-1].pages} pages | G1 | demo, "
             f"{projects[0].pages} pages | G2 | a page (slope over "
             f"{', '.join(str(p.pages) for p in projects)}) | G3 |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |", *rows(projects, series)]
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="1 round, 10 s at most for quiet")
    p.add_argument("--rounds", type=int, help="interleaved rounds (default 3; quick 1)")
    p.add_argument("--pages", type=int, default=1000)
    p.add_argument("--brands", type=int, default=16)
    p.add_argument("--project", type=Path, default=goals.REPO, help="the demo's sources")
    p.add_argument("--out", type=Path, default=BENCH / "results.md")
    p.add_argument("--no-write", action="store_true", help="print only")
    args = p.parse_args(argv)
    if args.pages <= 100:
        p.error("--pages must be above 100: G3's slope needs three sizes")
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.quiet_wait = 10.0 if args.quick else 30.0
    return args


def main(argv: list[str] | None = None) -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--as-build" and argv is None:
        as_build(sys.argv[2], sys.argv[3:])
        return 0
    args = parse_args(argv)
    ensure_official_mjml()
    scratch = Path(tempfile.mkdtemp(prefix="mailkit-floor-"))
    try:
        projects, one = the_projects(args, scratch)
        series = run_rounds(projects, one, scratch, args.rounds, args.quiet_wait)
    finally:
        trash_of(scratch).empty()
        shutil.rmtree(scratch, ignore_errors=True)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    header = (f"The goals without the checks (`benchmarks/floor.py"
              f"{' --quick' if args.quick else ''}`, {args.rounds} interleaved round(s), "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
              f"load average {load} at the end; medians; ✓/✗ against #22's goals):")
    text = markdown(projects, series, header)
    print(text)
    if not args.no_write:
        goals.write_block(args.out, text, START, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
