"""CPU work of each piece of speed machinery, counted in instructions, not seconds.

On a shared machine wall-clock A/B drifts with the load; valgrind's callgrind counts the
instructions a whole `mailkit build` of the demo executes (one process, MAILKIT_JOBS=1,
PYTHONHASHSEED=0), which is the same run after run whatever else the machine does. It
says what a patch saves in work; `ab.py` says what the compile workers save in wall
time, which needs a quiet machine. Needs `valgrind` (Debian package); slow: about a
minute a variant.

    .venv/bin/python benchmarks/instructions.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from ab import VARIANTS

ROOT = Path(__file__).resolve().parent.parent


def instructions(extra: dict[str, str]) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0", "MAILKIT_JOBS": "1", **extra}
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out",
             sys.executable, "-m", "mailkit", "build"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", proc.stderr).group(1))


def main() -> None:
    patches = {k: v for k, v in VARIANTS.items() if "MAILKIT_JOBS" not in v}
    base = [instructions({}), instructions({})]  # twice: the noise floor
    print("| variant | instructions (billions) | ÷ shipped |\n| --- | ---: | ---: |")
    print(f"| everything on (as shipped), twice | {base[0] / 1e9:.3f}, {base[1] / 1e9:.3f} "
          f"| 1.000 |")
    for name, extra in list(patches.items())[1:]:
        count = instructions(extra)
        print(f"| {name} | {count / 1e9:.3f} | {count / min(base):.3f} |", flush=True)


if __name__ == "__main__":
    main()
