"""The figures of issue #17 at scale: a generated project, each figure beside its goal.

    python benchmarks/scale.py [--pages 1000] [--brands 16] [--out benchmarks/results.md]

Generates the project (`generate.py`, deterministic) in a scratch folder, then runs
each command the way a user does (a new process, wall time, peak RSS of the largest
process from `/usr/bin/time`), and the official MJML 5 compiler on the same MJML in
the same run, so the cold-build ratio compares like with like on a machine whose
speed drifts. Prints a Markdown table and writes it into the results file between
the `<!-- scale -->` markers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from generate import generate  # noqa: E402
from run import ensure_official_mjml  # noqa: E402

MAILKIT = REPO / ".venv" / "bin" / "mailkit"
START, END = "<!-- scale -->", "<!-- /scale -->"


@dataclass
class Run:
    seconds: float
    rss_mb: float
    code: int
    output: str
    cpu: float = 0.0  # user + system seconds of the process and its children

    @property
    def timing(self) -> str:
        """Wall time, and CPU time: on a shared machine, wall time waits for the others."""
        return f"{self.seconds:.2f} s (CPU {self.cpu:.2f} s)"


def run(args: list[str], cwd: Path) -> Run:
    """One command in a new process: wall time, peak RSS (MB), exit code, output."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", rss.name, *args],
                              cwd=cwd, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        last = (rss.read().strip().splitlines() or ["0 0 0"])[-1].split()
    try:
        kb, user, system = int(last[0]), float(last[1]), float(last[2])
    except (ValueError, IndexError):
        kb, user, system = 0, 0.0, 0.0
    return Run(seconds, kb / 1024, proc.returncode, proc.stdout + proc.stderr, user + system)


def mailkit(cwd: Path, *args: str) -> Run:
    result = run([str(MAILKIT), *args], cwd)
    if result.code not in (0, 1):
        raise SystemExit(f"mailkit {' '.join(args)} failed:\n{result.output[-2000:]}")
    return result


def tree(folder: Path) -> tuple[int, float]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files) / 1e6


def official(mjml_files: list[Path]) -> tuple[float, float]:
    """The official compiler on every file, cold (one Node process, no warm-up):
    (process wall time, the compile round alone), seconds."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as listing:
        json.dump([str(p) for p in mjml_files], listing)
    try:
        start = time.perf_counter()
        proc = subprocess.run(["node", str(BENCH / "mjml_official.mjs"), "--rounds", "1",
                               "--warmup", "0", listing.name], capture_output=True, text=True,
                              cwd=BENCH)
        wall = time.perf_counter() - start
    finally:
        os.unlink(listing.name)
    if proc.returncode != 0:
        raise SystemExit(f"mjml_official.mjs failed: {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout)
    rounds = report.get("round_totals_ns") or report.get("rounds_ns") or []
    return wall, (rounds[0] / 1e9 if rounds else wall)


def touch_edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def measure(project: Path) -> list[tuple[str, str, str, bool | None]]:
    """(figure, value, goal, met) rows."""
    rows: list[tuple[str, str, str, bool | None]] = []

    def row(name: str, value: str, goal: str, met: bool | None) -> None:
        rows.append((name, value, goal, met))
        print(f"[scale] {name}: {value} (goal {goal})", file=sys.stderr, flush=True)

    first = mailkit(project, "build")  # fills .mailkit-cache/ (a fresh clone's build)
    summary = next((line for line in first.output.splitlines() if line.startswith("built")), "")
    row("first build, empty cache", f"{first.seconds:.1f} s, {first.rss_mb:.0f} MB", "—", None)
    mjml = sorted((project / "build").rglob("*.mjml"))
    wall, compile_s = official(mjml)
    row(f"official MJML 5 compile of the same {len(mjml)} MJML (one Node process, cold)",
        f"{compile_s:.1f} s compiling, {wall:.1f} s with start-up", "—", None)
    shutil.rmtree(project / "build")
    cold = mailkit(project, "build")
    ratio = cold.seconds / compile_s
    row("cold build (build/ removed, cache kept)", f"{cold.timing} = {ratio:.2f}× official",
        "≤ 0.25× official", ratio <= 0.25)
    same = mailkit(project, "build")
    row("build with nothing changed", same.timing, "≤ 1 s", same.seconds <= 1)
    shutil.rmtree(project / "build")  # and the kept result: every page rendered again,
    for kept in (project / ".mailkit-cache").glob("build-*.pickle"):  # compiles cached
        kept.unlink()
    render = mailkit(project, "build")
    row("cold build, only the compile/check cache kept (every page rendered)",
        f"{render.timing} = {render.seconds / compile_s:.2f}× official", "—", None)
    touch_edit(project / "emails" / "vip.mjml.j2", "</mj-column>",
               "<mj-text>Une phrase de plus.</mj-text></mj-column>")
    one = mailkit(project, "build")
    row("build after one template edit (vip)", one.timing, "—", None)
    touch_edit(project / "partials" / "footer.mjml.j2", "{{ brand.copy.tagline }}",
               "{{ brand.copy.tagline }}<br>Une ligne de plus.")
    partial = mailkit(project, "build")
    row("build after a partial edit (footer, every page)", partial.timing, "—", None)
    files, megabytes = tree(project / "build")
    row("build/ size", f"{megabytes:.0f} MB in {files} files", "≤ 60 MB", megabytes <= 60)
    pages = sorted((project / "build").glob("*/*/index.html"))
    if pages:
        average = sum(p.stat().st_size for p in pages) / len(pages) / 1e3
        row("site email page, average", f"{average:.0f} KB", "—", None)
    check = mailkit(project, "check")
    lines = len(check.output.splitlines())
    row("`mailkit check`", f"{check.seconds:.2f} s, {lines} lines, exit {check.code}, "
        f"{check.rss_mb:.0f} MB", "summary + findings only, exit 0", check.code == 0)
    export = mailkit(project, "export", "klaviyo")
    row("`mailkit export klaviyo`", f"{export.seconds:.2f} s, {export.rss_mb:.0f} MB", "—", None)
    brand = sorted(p.name for p in (project / "brands").iterdir())[0]
    before = tree(project / "build")[0]
    only = mailkit(project, "build", "--brand", brand)
    after = tree(project / "build")[0]
    row(f"`build --brand {brand}`: files in build/ before → after",
        f"{before} → {after} ({only.seconds:.2f} s)", "other brands kept", after >= before)
    shots = mailkit(project, "snapshot", "--update", "--all", "--shard", "1/25")
    found = re.search(r"(\d+) shots", shots.output)
    count = int(found[1]) if found else 0
    row("`mailkit snapshot --update --shard 1/25` (baselines written, streamed)",
        f"{count} shots in {shots.seconds:.1f} s ({shots.seconds / max(count, 1) * 1000:.0f} ms "
        f"a shot), {shots.rss_mb:.0f} MB, baselines {tree(project / 'tests')[1]:.1f} MB",
        "< 1024 MB", shots.rss_mb < 1024)
    peak = max(r.rss_mb for r in (first, cold, same, render, one, partial, check, export, only,
                                  shots))
    row("peak RSS, largest process of any command above", f"{peak:.0f} MB", "< 1024 MB",
        peak < 1024)
    if summary:
        rows.insert(0, ("project", summary, "1 000 pages", None))
    return rows


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def builds(url: str) -> int:
    import urllib.request

    with urllib.request.urlopen(f"{url}/_mailkit/status", timeout=30) as response:
        return int(json.load(response)["builds"])


def fetch(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def settle(url: str, quiet: float = 5.0) -> None:
    """Wait until the server's build count has not moved for `quiet` seconds."""
    count, since = builds(url), time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.5)
        now = builds(url)
        if now != count:
            count, since = now, time.monotonic()


def measure_serve(project: Path) -> list[tuple[str, str, str, bool | None]]:
    """`mailkit serve` on the project: idle CPU, then an email edit and a partial edit,
    each until the server serves the changed email page (the browser's reload comes
    after, ~50 ms on the demo)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(MAILKIT), "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    rows: list[tuple[str, str, str, bool | None]] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("Serving on"):
                break
        url = f"http://127.0.0.1:{port}"
        settle(url)  # the first build's checks and exports (a second pass) are done
        before, start = cpu_seconds(proc.pid), time.monotonic()
        time.sleep(10)
        idle = (cpu_seconds(proc.pid) - before) / (time.monotonic() - start)
        rows.append(("`serve` idle CPU", f"{idle:.1%} of a core", "≤ 2 %", idle <= 0.02))
        page = json.loads((project / "build/manifest.json").read_text(encoding="utf-8"))
        keys = {p["template"].rsplit("/", 1)[-1]: p["key"] for p in page["pages"]}
        for label, path, old, new, goal in (
                ("`serve`: email edit → served", "emails/referral.mjml.j2", "on te remercie",
                 "on te remercie vraiment", 0.3),
                ("`serve`: partial used by every email → served (every page)",
                 "partials/footer.mjml.j2", "{{ brand.copy.tagline }}",
                 "{{ brand.copy.tagline }}<br>Merci beaucoup.", 2.0)):
            key = keys[Path(path).name] if path.startswith("emails/") else page["pages"][-1]["key"]
            marker = new.rsplit(">", 1)[-1].split()[-1]
            start = time.monotonic()
            touch_edit(project / path, old, new)
            while time.monotonic() - start < 600:
                try:
                    if marker in fetch(f"{url}/{key}.html"):
                        break
                except OSError:
                    pass
                time.sleep(0.01)
            took = time.monotonic() - start
            rows.append((label, f"{took:.2f} s", f"≤ {goal:g} s", took <= goal))
            settle(url)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    for row in rows:
        print(f"[scale] {row[0]}: {row[1]} (goal {row[2]})", file=sys.stderr, flush=True)
    return rows


def table(rows: list[tuple[str, str, str, bool | None]], machine: str) -> str:
    lines = [f"Scale figures (`benchmarks/scale.py`, {machine}):", "",
             "| figure | measured | goal (#17) | met |", "| --- | --- | --- | --- |"]
    for name, value, goal, met in rows:
        mark = "—" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {name} | {value} | {goal} | {mark} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--brands", type=int, default=16)
    parser.add_argument("--out", type=Path, default=BENCH / "results.md")
    parser.add_argument("--keep", type=Path, help="generate here and keep the project")
    parser.add_argument("--serve-only", action="store_true",
                        help="only the serve figures, on the project --keep names (built)")
    args = parser.parse_args(argv)
    if args.serve_only:
        print(table(measure_serve(args.keep), "serve only"))
        return 0
    ensure_official_mjml()
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="mailkit-scale-"))
    try:
        generate(scratch, args.pages, args.brands)
        load = os.getloadavg()[0]
        machine = f"{os.cpu_count()} cores, load average {load:.1f} at the start, " \
                  f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
        text = table(measure(scratch) + measure_serve(scratch), machine)
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)
    print(text)
    if args.out:
        old = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
        block = f"{START}\n{text}{END}"
        if START in old and END in old:
            new = old[:old.index(START)] + block + old[old.index(END) + len(END):]
        else:
            new = old.rstrip("\n") + "\n\n" + block + "\n"
        args.out.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
