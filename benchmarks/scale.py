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
import contextlib
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
from statistics import median

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from aside import Trash  # noqa: E402
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
    """One command in a new process: wall time, peak RSS (MB), exit code, output.

    The disk's dirty pages are flushed first (`sync`, untimed): a command that writes
    `build/` right after another wrote tens of MB is otherwise throttled by the kernel's
    writeback of the earlier one (measured: a cold build's system time from 0.5 to 3 s)."""
    os.sync()
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
    mailkit(project, "build", "--sources")  # the pages' MJML, from the kept build: untimed
    mjml = sorted(p for p in (project / "build").rglob("*.mjml") if "klaviyo" not in p.parts)
    wall, compile_s = official(mjml)
    row(f"official MJML 5 compile of the same {len(mjml)} MJML (one Node process, cold)",
        f"{compile_s:.1f} s compiling, {wall:.1f} s with start-up", "—", None)
    trash = Trash(project.parent / f".{project.name}.trash")  # deleted at the end (aside.py)
    trash.put(project / "build")
    cold = mailkit(project, "build")
    ratio = cold.seconds / compile_s
    row("cold build (build/ removed, cache kept)", f"{cold.timing} = {ratio:.2f}× official",
        "≤ 0.25× official", ratio <= 0.25)
    same = mailkit(project, "build")
    row("build with nothing changed", same.timing, "≤ 1 s", same.seconds <= 1)
    trash.put(project / "build")  # and the kept result: every page rendered again,
    for kept in (project / ".mailkit-cache").glob("build-*.pickle"):  # compiles cached
        kept.unlink()
    render = mailkit(project, "build")
    row("cold build, only the compile/check cache kept (every page rendered)",
        f"{render.timing} = {render.seconds / compile_s:.2f}× official", "—", None)
    # the emails' templates are each brand's own since the copy rewrite (5647877)
    vip = sorted(project.glob("brands/*/emails/vip.mjml.j2"))[0]
    touch_edit(vip, "</mj-column>", "<mj-text>Une phrase de plus.</mj-text></mj-column>")
    one = mailkit(project, "build")
    row(f"build after one template edit ({vip.relative_to(project).as_posix()})", one.timing,
        "—", None)
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
    homes = sorted((project / "build").glob("*/index.html"))
    payloads = sorted((project / "build").glob("*/*/sources.js"))
    if homes and payloads:
        home = (project / "build/index.html").stat().st_size / 1e3
        brand_home = sum(p.stat().st_size for p in homes) / len(homes) / 1e3
        payload = sum(p.stat().st_size for p in payloads) / len(payloads) / 1e3
        row("home page; a brand's home, average; an email's `sources.js`, average",
            f"{home:.0f} KB; {brand_home:.0f} KB; {payload:.0f} KB", "—", None)
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
    trash.empty()
    return rows


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def family(pid: int) -> list[int]:
    """A process and its live children (serve's warm workers)."""
    found = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its live children."""
    total = 0.0
    for member in family(pid):
        with contextlib.suppress(OSError):
            total += cpu_seconds(member)
    return total


def tree_rss(pid: int) -> tuple[float, float]:
    """(largest process, all together) resident MB of a process and its live children."""
    sizes = []
    for member in family(pid):
        try:
            status_text = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        for line in status_text.splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return (max(sizes), sum(sizes)) if sizes else (0.0, 0.0)


class RssPeak:
    """The peak of `tree_rss` over a stretch of time, sampled on a thread of its own
    (serve's memory peaks while a partial's pages render and compile)."""

    def __init__(self, pid: int) -> None:
        import threading

        self.pid, self.largest, self.total = pid, 0.0, 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(0.2):
            largest, total = tree_rss(self.pid)
            self.largest, self.total = max(self.largest, largest), max(self.total, total)

    def close(self) -> tuple[float, float]:
        self.stop.set()
        self.thread.join()
        return self.largest, self.total


def status(url: str) -> dict:
    import urllib.request

    with urllib.request.urlopen(f"{url}/_mailkit/status", timeout=30) as response:
        return json.load(response)


def fetch(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


QUIET = 1.0  # seconds with nothing to do before serve counts as settled


def settle(url: str, quiet: float = QUIET, limit: float = 900) -> float:
    """Wait until the server has no build running and no checks or exports to come,
    for `quiet` seconds; returns 0 (the caller counts from its own start)."""
    start = since = time.monotonic()
    builds = None
    while time.monotonic() - start < limit:
        now = status(url)
        # a server without `busy` (before #17's serve work): busy while builds are counted
        busy = now["busy"] if "busy" in now else now["builds"] != builds
        builds = now["builds"]
        if busy:
            since = time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
        time.sleep(0.05 if "busy" in now else 1.0)
    return 0.0


class Tab:
    """A browser tab on an email page, as the server sees one: livereload's websocket,
    which reports the page's URL on connecting (the server builds that page first)."""

    def __init__(self, url: str, page: str) -> None:
        import asyncio
        import threading

        self.reloads = 0
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._connect(url, page), self.loop).result(30)

    async def _connect(self, url: str, page: str) -> None:
        from tornado.websocket import websocket_connect

        self.socket = await websocket_connect(url.replace("http", "ws", 1) + "/livereload")
        await self.socket.write_message(json.dumps({"command": "hello", "protocols": [
            "http://livereload.com/protocols/official-7"]}))
        await self.socket.read_message()
        await self.socket.write_message(json.dumps({"command": "info", "plugins": {},
                                                    "url": f"{url}/{page}/index.html"}))

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.socket.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def served(url: str, key: str, marker: str, since: float, limit: float = 900) -> float:
    """Seconds from `since` until the email page `key` is served with `marker`."""
    while time.monotonic() - since < limit:
        try:
            if marker in fetch(f"{url}/{key}.html"):
                break
        except OSError:
            pass
        time.sleep(0.005)
    return time.monotonic() - since


EMAIL_EDITS = 5  # an email edit is quick: timed five times, the median shown


def _many(times: int) -> str:
    return f", median of {times}" if times > 1 else ""


def _spread(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f} s"
    return f"{median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"


def measure_serve(project: Path, *, idle_seconds: float = 10.0, email_edits: int = EMAIL_EDITS,
                  partial_edit: bool = True, raw: dict | None = None
                  ) -> list[tuple[str, str, str, bool | None]]:
    """`mailkit serve` on the project: idle CPU, then an email edit and a partial edit,
    each with an email page open (a livereload connection naming it, as a browser tab
    makes), timed until the server serves the changed email HTML, for the open page and
    for another, then until the checks and exports are in; CPU of serve and its workers
    over each edit. The browser's own reload comes after (~50 ms on the demo).

    goals.py reuses it for #22's G4 (`idle_seconds=0`, no partial edit): `raw` then
    receives the email edit's seconds until the open page is served (`shown`) and serve's
    CPU over each edit (`cpu`), as numbers."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    begun = time.monotonic()
    proc = subprocess.Popen([str(MAILKIT), "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    rows: list[tuple[str, str, str, bool | None]] = []
    edited: dict[Path, str] = {}
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("Serving on"):
                break
        rows.append(("`serve` start → \"Serving on\" (after the builds above)",
                     f"{time.monotonic() - begun:.2f} s", "—", None))
        url = f"http://127.0.0.1:{port}"
        settle(url)
        if idle_seconds:
            before, start = tree_cpu(proc.pid), time.monotonic()
            time.sleep(idle_seconds)
            idle = (tree_cpu(proc.pid) - before) / (time.monotonic() - start)
            rows.append(("`serve` idle CPU", f"{idle:.1%} of a core", "≤ 2 %", idle <= 0.02))
        largest, total = tree_rss(proc.pid)
        rows.append(("`serve` memory idle: largest process; serve and its workers",
                     f"{largest:.0f} MB; {total:.0f} MB", "< 1024 MB", largest < 1024))
        peak = RssPeak(proc.pid)
        page = json.loads((project / "build/manifest.json").read_text(encoding="utf-8"))
        keys = [p["key"] for p in page["pages"]]
        # the generated brands are `r-pur-02`…: the template is the manifest's, not a name
        referral = next(p for p in page["pages"] if p["template"].endswith("/referral.mjml.j2"))
        edits = [("email edit", referral["template"], "un merci", "un grand merci{}",
                  referral["key"], 0.3, email_edits)]
        if partial_edit:
            edits.append(("partial used by every email", "partials/footer.mjml.j2",
                          "{{ brand.copy.tagline }}", "{{{{ brand.copy.tagline }}}}<br>Merci{}.",
                          keys[-1], 2.0, 1))
        for label, path, old, new, key, goal, times in edits:
            email = key.rsplit("/", 1)[0]
            other = next(k for k in keys if not k.startswith(email + "/")) \
                if path.startswith("partials/") else None
            tab = Tab(url, email)
            time.sleep(0.5)  # the server notes the open page
            file = project / path
            edited.setdefault(file, file.read_text(encoding="utf-8"))
            assert old in edited[file], f"{old!r} not in {file}"
            shown, rest, total, cpus = [], [], [], []
            for _ in range(times):
                stamp = f"{time.time_ns() % 10**9}"  # a marker no earlier edit left
                cpu, start = tree_cpu(proc.pid), time.monotonic()
                # from the original text each time: the edit replaces what it looks for
                file.write_text(edited[file].replace(old, new.format(stamp), 1),
                                encoding="utf-8")
                shown.append(served(url, key, stamp, start))
                if other:
                    rest.append(served(url, other, stamp, start))
                total.append(settle(url, QUIET) + time.monotonic() - start - QUIET)
                cpus.append(tree_cpu(proc.pid) - cpu)
            if raw is not None and label == "email edit":
                raw.update(shown=shown, cpu=cpus, template=path, page=key)
            rows.append((f"`serve`: {label} → open page served{_many(times)}", _spread(shown),
                         f"≤ {goal:g} s", median(shown) <= goal))
            if rest:
                rows.append((f"`serve`: {label} → every page served", _spread(rest),
                             "after", None))
            rows.append((f"`serve`: {label} → checks and exports in",
                         f"{_spread(total)} (CPU {median(cpus):.2f} s)", "—", None))
            tab.close()
        largest, total = peak.close()
        rows.append(("`serve` memory, peak through the edits: largest process; all",
                     f"{largest:.0f} MB; {total:.0f} MB", "< 1024 MB", largest < 1024))
    finally:
        for file, text in edited.items():
            file.write_text(text, encoding="utf-8")
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
