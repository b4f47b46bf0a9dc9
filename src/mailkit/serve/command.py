"""`mailkit serve` put together: the warm workers (pool.py), the builder that uses them
(rebuild.py) and the server that calls it (server.py). The server takes its builder as
an argument so that each is tested without the other; this is the one place that
joins them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .pool import Pool
from .rebuild import Rebuilder
from .server import ServerState, serve


def serve_project(root: Path, *, host: str = "127.0.0.1", port: int = 8000,
                  open_browser: bool = False, on_ready: Callable[[str], None] = print,
                  on_build: Callable[[ServerState, set[Path] | None], None] | None = None,
                  ) -> None:
    """Build `root`, serve it and rebuild what each save touches, until interrupted.
    `on_ready` gets the server's lines ("Serving on …"); with `open_browser`, the
    preview then opens in a browser. The workers end with the server."""
    root = root.resolve()

    def ready(message: str) -> None:
        on_ready(message)
        if open_browser and message.startswith("Serving on "):
            import webbrowser

            webbrowser.open(message.removeprefix("Serving on "))

    pool = Pool.start()  # before the server's threads: forking a threaded process is unsafe
    builder = Rebuilder(root, pool)
    try:
        serve(root, builder, host=host, port=port, on_ready=ready, on_build=on_build)
    finally:
        if pool is not None:
            pool.close()
