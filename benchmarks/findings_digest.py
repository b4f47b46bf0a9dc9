"""One sha256 over every finding of every page of a project, so "the speed work changed
no finding" is one command instead of a diff of two long JSON reports (issue #22, G4).

    python benchmarks/findings_digest.py PROJECT_DIR                  # prints digest + count
    python benchmarks/findings_digest.py PROJECT_DIR --save before.json
    python benchmarks/findings_digest.py PROJECT_DIR --expect before.json   # exit 1 if not equal

The findings come from `mailkit check --format json` run on the project, the public
surface every version of mailkit has. Going through the CLI instead of a kept pickle
means the digest does not depend on mailkit's internals (the build cache, the pipeline),
which are exactly what the speed work changes. `check` reuses the last build's kept
findings when nothing changed and builds (without writing `build/`) otherwise, so the
digest is that of the build the project would get.

What is hashed, per page (by its key): each finding's rule (`check`), severity, message
and location (`where`, and `line`: the template line the build names), sorted, so the
order in which a faster build happens to produce them does not matter. Pages without a
finding count too (a page that appears or disappears changes the digest). `--save`
keeps one hash per page as well, so `--expect` names the pages that differ.

Importable: `digest(project)` returns a `Digest`; `digest_of_report(json_dict)` hashes a
report read elsewhere.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIELDS = ("check", "severity", "message", "where", "line")  # what a finding is, here


@dataclass
class Digest:
    """The digest of all findings, their count, and one hash per page (for a diff)."""

    sha256: str
    findings: int
    pages: int
    per_page: dict[str, str] = field(default_factory=dict)

    def line(self, label: str = "") -> str:
        head = f"{label}: " if label else ""
        return (f"{head}findings digest {self.sha256[:16]} "
                f"({self.findings} findings on {self.pages} pages)")


def _page_rows(page: dict) -> list[list[str]]:
    """A page's findings as sorted rows, each the FIELDS in order (missing ones empty,
    so a report from an older mailkit without `line` still hashes the same way)."""
    return sorted([str(f.get(k, "") or "") for k in FIELDS] for f in page.get("findings", []))


def digest_of_report(report: dict) -> Digest:
    """The digest of a `mailkit check --format json` report (a parsed dict)."""
    per_page: dict[str, str] = {}
    count = 0
    for page in report.get("pages", []):
        rows = _page_rows(page)
        count += len(rows)
        text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        per_page[page["key"]] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    whole = hashlib.sha256()
    for key in sorted(per_page):  # pages sorted too: build order is not a finding
        whole.update(f"{key}\0{per_page[key]}\n".encode())
    return Digest(whole.hexdigest(), count, len(per_page), per_page)


def mailkit_command(project: Path | None = None) -> list[str]:
    """The mailkit whose findings count: the running interpreter's venv's (run this
    with the worktree's `.venv/bin/python`), else the project's `.venv`, else this
    checkout's, else the one on PATH."""
    for folder in (Path(sys.executable).parent, *(
            [project / ".venv" / "bin"] if project else []), REPO / ".venv" / "bin"):
        if (folder / "mailkit").is_file():
            return [str(folder / "mailkit")]
    found = shutil.which("mailkit")
    return [found] if found else [sys.executable, "-m", "mailkit"]


def check_report(project: Path, command: list[str] | None = None) -> dict:
    """Run `mailkit check --format json` on `project` and return its report. `check`
    exits 1 when a page has errors: that is a result here, not a failure."""
    cmd = [*(command or mailkit_command(project)), "--root", str(project),
           "check", "--format", "json"]
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True)
    start = proc.stdout.find("{")
    if start < 0:
        raise RuntimeError(f"`{' '.join(cmd)}` gave no JSON report (exit {proc.returncode}):\n"
                           f"{proc.stderr[-2000:]}")
    return json.loads(proc.stdout[start:])


def digest(project: Path | str, command: list[str] | None = None) -> Digest:
    """The findings digest of `project` as its mailkit checks it now."""
    return digest_of_report(check_report(Path(project).resolve(), command))


def save(d: Digest, path: Path) -> None:
    path.write_text(json.dumps(asdict(d), indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load(path: Path) -> Digest:
    """A digest saved by `--save`; a file holding only the hex digest works too."""
    text = path.read_text(encoding="utf-8").strip()
    if text.startswith("{"):
        data = json.loads(text)
        return Digest(data["sha256"], data.get("findings", -1), data.get("pages", -1),
                      data.get("per_page", {}))
    return Digest(text.split()[0], -1, -1)


def compare(now: Digest, expected: Digest) -> list[str]:
    """Why `now` is not `expected` (empty when the findings are identical): the pages
    whose findings differ, appeared or disappeared, when the saved file has them."""
    if now.sha256 == expected.sha256:
        return []
    lines = [f"findings differ: {now.sha256[:16]} ({now.findings} on {now.pages} pages), "
             f"expected {expected.sha256[:16]} ({expected.findings} on {expected.pages} pages)"]
    if expected.per_page:
        old, new = expected.per_page, now.per_page
        changed = sorted(k for k in old.keys() & new.keys() if old[k] != new[k])
        gone, added = sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys())
        for name, keys in (("changed", changed), ("missing", gone), ("new", added)):
            if keys:
                more = f" … (+{len(keys) - 10})" if len(keys) > 10 else ""
                lines.append(f"  {name} ({len(keys)}): {', '.join(keys[:10])}{more}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path, help="the project folder (brands/, emails/ …)")
    parser.add_argument("--save", type=Path, help="write the digest (with per-page hashes) here")
    parser.add_argument("--expect", type=Path,
                        help="a file written by --save: exit 1 if the findings differ")
    parser.add_argument("--report", type=Path,
                        help="hash this saved `check --format json` output instead of running it")
    parser.add_argument("--mailkit", help="the mailkit command to run (default: this venv's)")
    args = parser.parse_args(argv)
    if args.report:
        d = digest_of_report(json.loads(args.report.read_text(encoding="utf-8")))
    else:
        d = digest(args.project, args.mailkit.split() if args.mailkit else None)
    print(f"{d.sha256}  {d.findings} findings on {d.pages} pages  {args.project}")
    if args.save:
        save(d, args.save)
    if args.expect:
        problems = compare(d, load(args.expect))
        if problems:
            print("\n".join(problems))
            return 1
        print(f"same findings as {args.expect}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
