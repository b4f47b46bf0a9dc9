"""A sha256 of every finding of a project's last build, to prove that a speed patch to the
checks changes none of them (issue #22).

    .venv/bin/python benchmarks/findings_digest.py PROJECT [--build] [--dump FILE]

Reads the kept result (`.mailkit-cache/build-result.pickle`) with the mailkit of the
Python that runs it, so run it with the venv of the code that built the project.
`--build` first removes `build/` and `.mailkit-cache/` and runs a fresh `mailkit build`.
Each page gives one line per finding (page key, severity, rule, message, where, locate,
template line), in its order; the pages are sorted by key. `--dump` writes those lines,
to diff two builds that differ.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import shutil
import subprocess
import sys
from pathlib import Path


def lines(project: Path) -> list[str]:
    """One line per finding of every page, pages sorted by key, findings in order."""
    with open(project / ".mailkit-cache" / "build-result.pickle", "rb") as file:
        result = pickle.load(file)
    out: list[str] = []
    for key in sorted(result.pages):
        page = result.pages[key]
        for f in page.findings or ():
            out.append("\t".join([key, f.severity, f.check, f.message, f.where, f.locate,
                                  f.line]).replace("\n", "\\n"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--build", action="store_true", help="a fresh build first")
    parser.add_argument("--dump", type=Path, help="write the lines here")
    args = parser.parse_args()
    project = args.project.resolve()
    if args.build:
        shutil.rmtree(project / "build", ignore_errors=True)
        shutil.rmtree(project / ".mailkit-cache", ignore_errors=True)
        subprocess.run([sys.executable, "-m", "mailkit", "build"], cwd=project,
                       stdout=subprocess.DEVNULL, check=False)
    found = lines(project)
    if args.dump:
        args.dump.write_text("\n".join(found) + "\n", encoding="utf-8")
    digest = hashlib.sha256("\n".join(found).encode()).hexdigest()
    pages = len({line.split("\t", 1)[0] for line in found})
    print(f"{digest}  {len(found)} findings on {pages} pages with findings")


if __name__ == "__main__":
    main()
