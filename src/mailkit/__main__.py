"""`mailkit` and `python -m mailkit`: the CLI, run as a short-lived process should be.

Two things a cold `mailkit build` of the demo paid for and nobody needed:

- **Interpreter shutdown.** After the work, Python tears down every
  module and collects the whole heap (pydantic, cssutils, Jinja, lxml trees) before
  the process may end. Everything mailkit writes is closed by then (context
  managers, the build swapped into place), so the command flushes its output and
  leaves with `os._exit`, as Mercurial does for the same reason.
- **Garbage collection during the run.** A build allocates a few hundred thousand
  objects and frees almost none of them as cycles; with Python's default threshold
  (a young collection every 700 allocations) the collector ran hundreds of times for
  nothing. The threshold is raised, as mypy does; cycles are still collected.

What each saves is measured in benchmarks/results.md.

Library users and the tests (click's `CliRunner`) call `mailkit.cli.main` and get
neither: only this entry point does.
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
