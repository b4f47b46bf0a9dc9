"""`mailkit` and `python -m mailkit`: the CLI, run as a short-lived process should be.

- **No interpreter shutdown.** Python would tear down every module and collect the
  whole heap before the process may end. Everything mailkit writes is closed by then
  (context managers, the build swapped into place), so the command flushes its output
  and leaves with `os._exit`, as Mercurial does.
- **Fewer garbage collections.** A build allocates a few hundred thousand objects and
  frees almost none as cycles, so the collector's threshold is raised, as mypy does;
  cycles are still collected.

What each saves: benchmarks/results.md. Library users and the tests (click's
`CliRunner`) call `mailkit.cli.main` and get neither.
"""

from __future__ import annotations

import gc
import os
import sys


def run() -> None:
    gc.set_threshold(100_000, 20, 20)
    from .cli import main

    try:
        main(prog_name="mailkit")
        code: int = 0
    except SystemExit as stop:  # click always ends this way in standalone mode
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
            code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # `mailkit … | head`, or a closed stream
        code = code or 1
    os._exit(code)


if __name__ == "__main__":
    run()
