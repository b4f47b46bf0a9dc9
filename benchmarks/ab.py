"""Does each piece of mailkit's speed machinery still pay? Interleaved A/B of cold builds.

Every variant is a cold `mailkit build` of the demo in a new process (no kept result,
no cached compile or check results: every page rendered, compiled and checked), with one piece
turned off: the forked compile workers (`MAILKIT_JOBS=1`), or one of pipeline/compile.py's
premailer patches (`MAILKIT_BENCH_WITHOUT=…`, read by pipeline/compile.py for this script).
The variants take turns, run after run, in an order reversed every other round, so a
machine whose speed drifts slows them alike. Writes its section into
benchmarks/results.md (after `run.py`, which writes the rest) and prints it.

    .venv/bin/python benchmarks/ab.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.md"
START, END = "<!-- ab:start -->", "<!-- ab:end -->"
sys.path.insert(0, str(ROOT / "benchmarks"))
from run import forget_results  # noqa: E402

VARIANTS: dict[str, dict[str, str]] = {
    "everything on (as shipped)": {},
    "without the compile workers (`MAILKIT_JOBS=1`)": {"MAILKIT_JOBS": "1"},
    "without premailer's lazy `requests` stand-in": {"MAILKIT_BENCH_WITHOUT": "lazy-requests"},
    "without skipping cssutils' style validation": {
        "MAILKIT_BENCH_WITHOUT": "unvalidated-styles"},
    "without memoising premailer's rule parsing": {"MAILKIT_BENCH_WITHOUT": "rule-memo"},
}


def run_once(extra: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one cold `mailkit build` in a new process."""
    forget_results(ROOT)  # every page rendered, compiled and checked
    env = {k: v for k, v in os.environ.items() if k not in ("MAILKIT_JOBS",
                                                            "MAILKIT_BENCH_WITHOUT")}
    before, start = os.times(), time.perf_counter()
    subprocess.run([sys.executable, "-m", "mailkit", "build"], cwd=ROOT, env={**env, **extra},
                   capture_output=True, check=True)
    wall, after = time.perf_counter() - start, os.times()
    cpu = (after.children_user - before.children_user
           + after.children_system - before.children_system)
    return wall * 1000, cpu * 1000


def measure(rounds: int) -> dict[str, tuple[list[float], list[float]]]:
    found: dict[str, tuple[list[float], list[float]]] = {v: ([], []) for v in VARIANTS}
    for extra in VARIANTS.values():  # untimed: bytecode and caches as a designer has them
        run_once(extra)
    for index in range(rounds):
        order = list(VARIANTS.items())
        for name, extra in order if index % 2 == 0 else reversed(order):
            wall, cpu = run_once(extra)
            found[name][0].append(wall)
            found[name][1].append(cpu)
    return found


def table(found: dict[str, tuple[list[float], list[float]]], rounds: int, load: float) -> str:
    base = statistics.median(next(iter(found.values()))[0])
    lines = [
        START, "## Speed machinery, A/B (`benchmarks/ab.py`)", "",
        f"Cold `mailkit build` of the demo, {rounds} interleaved runs per variant, load "
        f"average {load:.1f} at the start. A ratio above 1 means that piece saves time; "
        "within the spread (quartiles) it is noise.", "",
        "| variant | wall, median | wall, quartiles | CPU, median | wall ÷ shipped |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, (walls, cpus) in found.items():
        q = statistics.quantiles(walls, n=4)
        lines.append(f"| {name} | {statistics.median(walls):.0f} ms | {q[0]:.0f}–{q[2]:.0f} ms "
                     f"| {statistics.median(cpus):.0f} ms | "
                     f"{statistics.median(walls) / base:.2f}× |")
    return "\n".join([*lines, END])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    section = table(measure(args.rounds), args.rounds, load)
    print(section)
    if not args.no_write and RESULTS.is_file():
        text = RESULTS.read_text(encoding="utf-8")
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), "", text, flags=re.S).rstrip()
        RESULTS.write_text(f"{text}\n\n{section}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
