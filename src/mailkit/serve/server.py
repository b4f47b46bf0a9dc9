"""The dev server's HTTP side: the preview, livereload, the last good pages kept.

The builder is handed in as a function (`Builder`; `mailkit serve` hands a
`rebuild.Rebuilder`), so the server is tested with a fake builder and the builder
without a server. Each tab's livereload connection says which page it shows
(livereload.js sends its URL): those pages are built first. livereload supplies the
browser side; the watching is ours (watch.py), because livereload's own loop polls
and refuses to reload twice within 3 s.

A failed rebuild keeps `build/` as it was and the error (`path:line: stage: message`)
is injected as an overlay into every preview page served, until a good save clears
it. Nothing is injected into the emails' HTML, nor written to disk.
"""

from __future__ import annotations

import contextlib
import errno
import html
import json
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import ioloop, web

from ..errors import BuildFailed, MailkitError
from ..model import BuildResult
from ..pipeline.jobs import Cancelled
from .watch import Run, Watcher

log = logging.getLogger("mailkit.serve.server")

# Given the changed files (None: build everything), the previous result and the run
# (watch.Run: cancelled? which pages are open? show this result).
Builder = Callable[[set[Path] | None, BuildResult | None, Run], BuildResult]
OK, FAILED, CANCELLED = "ok", "failed", "cancelled"  # how a rebuild ended


@dataclass
class ServerState:
    """What the server knows: the last good build and the current errors, if any."""

    result: BuildResult | None = None
    errors: list[MailkitError] = field(default_factory=list)
    builds: int = 0
    open: frozenset[str] = frozenset()  # email keys of the pages open in a browser
    building: bool = False

    def rebuild(self, builder: Builder, changed: set[Path] | None, run: Run) -> str:
        """Run the builder; keep the last good result on failure. OK, FAILED or
        CANCELLED (a newer save came: what it had shown stays)."""
        self.builds += 1
        self.building = True
        try:
            self.result = builder(changed, self.result, run)
        except Cancelled:
            return CANCELLED
        except BuildFailed as exc:
            self.errors = exc.errors
            return FAILED
        except MailkitError as exc:
            self.errors = [exc]
            return FAILED
        except Exception as exc:  # a bug in mailkit: say so, keep serving
            log.exception("internal error during rebuild")
            message = f"{type(exc).__name__}: {exc}"
            self.errors = [MailkitError("mailkit", None, "internal", message)]
            return FAILED
        finally:
            self.building = False
        self.errors = []
        return OK

    def publish(self, result: BuildResult) -> None:
        """A build step is in build/: serve it (on the build's thread)."""
        self.result = result
        self.errors = []


def overlay(errors: list[MailkitError], warnings: list[MailkitError] = ()) -> str:
    """The error box shown over preview pages while the last save is broken, or (no
    errors) the build's warnings, such as MJML findings, in a quieter box."""
    if not errors:
        items = "".join(f"<li>{html.escape(str(w))}</li>" for w in warnings)
        return (f'<div class="mk-overlay mk-warnings" role="status" data-mailkit-warning>'
                f'<h2>{len(warnings)} warning(s)</h2><ul>{items}</ul></div>') if items else ""
    items = "".join(f"<li>{html.escape(str(e))}</li>" for e in errors)
    return (f'<div class="mk-overlay" role="alert" data-mailkit-error><h2>Build failed: '
            f'{len(errors)} error(s). Showing the last good build.</h2><ul>{items}</ul></div>')


class PreviewHandler(web.StaticFileHandler):
    """Serves `build/` only; injects livereload and the error overlay into site pages.

    Site pages are the `index.html` files (home and one per email); the emails' own
    HTML files, shown in iframes, are served exactly as built.
    """

    state: ServerState

    def set_extra_headers(self, path: str) -> None:
        # Revalidate every time (a reload must show the new build), but let unchanged
        # images and scripts come back as 304s: a reload then costs a few ms.
        self.set_header("Cache-Control", "no-cache")

    def compute_etag(self) -> str | None:
        """From size and mtime: tornado caches content hashes by path forever, but a
        rebuild swaps in new files under the same paths (reused ones are hard links,
        so they keep their mtime and stay 304)."""
        if not getattr(self, "absolute_path", None):
            return None  # a site page we generate: never cached
        stat = os.stat(self.absolute_path)
        return f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        """Every file served, by its real path: a symlink in build/ to a file or a
        folder outside it is refused (tornado compares the paths as written)."""
        if not inside(root, absolute_path):
            raise web.HTTPError(403)
        return super().validate_absolute_path(root, absolute_path)

    async def get(self, path: str, include_body: bool = True) -> None:
        absolute = os.path.abspath(os.path.join(self.root, self.parse_url_path(path)))
        if os.path.isdir(absolute):
            absolute = os.path.join(absolute, "index.html")
        if not absolute.endswith(os.sep + "index.html"):
            await super().get(path, include_body)
            return
        if not inside(self.root, absolute):
            raise web.HTTPError(403)
        try:
            with open(absolute, "rb") as handle:
                body = handle.read()
        except FileNotFoundError:
            if self.state.errors and path in ("", "index.html"):
                body = b"<!doctype html><title>mailkit</title><body></body>"
            else:
                raise web.HTTPError(404) from None
        warnings = self.state.result.warnings if self.state.result is not None else []
        inject = LIVERELOAD + overlay(self.state.errors, warnings).encode("utf-8")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(body.replace(b"</body>", inject + b"</body>", 1) if include_body else b"")


def inside(root: str, path: str) -> bool:
    """True when `path`, symlinks resolved, is `root` or lies under it."""
    real_root, real = os.path.realpath(root), os.path.realpath(path)
    return real == real_root or real.startswith(real_root + os.sep)


# Our livereload plugin first (livereload.js registers window.LiveReloadPlugin* when
# it loads), then livereload.js, which finds its websocket from its URL's `port`.
CLIENT = Path(__file__).with_name("client.js")  # the browser side of the server
LIVERELOAD = (b'<script src="/_mailkit/client.js"></script>'
              b'<script>(function(){var s=document.createElement("script");'
              b's.src="/livereload.js?port="+(location.port||80);'
              b'document.head.appendChild(s);})();</script>')


class ReloadHandler(LiveReloadHandler):
    """livereload's websocket, which also notes the URL each tab reports on connecting
    (livereload.js's `info` command): the open pages, built first after a save."""

    state: ServerState
    url = ""

    def on_message(self, message: str | bytes) -> None:
        super().on_message(message)
        try:
            data = json.loads(message)
        except ValueError:
            return
        if isinstance(data, dict) and data.get("command") == "info" \
                and isinstance(data.get("url"), str):
            self.url = data["url"]
            self._note()

    def on_close(self) -> None:
        super().on_close()
        self._note()

    def _note(self) -> None:
        self.state.open = frozenset(filter(None, (
            email_of(getattr(w, "url", "")) for w in LiveReloadHandler.waiters)))


def email_of(url: str) -> str | None:
    """`http://…/brand/email/index.html?view=mobile` → `brand/email`: an email page."""
    parts = urlsplit(url).path.strip("/").split("/")
    if len(parts) == 2 or (len(parts) == 3 and parts[2] == "index.html"):
        return "/".join(parts[:2])
    return None


def make_app(build_dir: Path, state: ServerState) -> web.Application:
    handler = type("Handler", (PreviewHandler,), {"state": state})
    reload = type("Reload", (ReloadHandler,), {"state": state})
    return web.Application([
        (r"/livereload", reload),
        (r"/livereload.js", LiveReloadJSHandler),
        (r"/_mailkit/status", StatusHandler, {"state": state}),
        (r"/_mailkit/(client\.js)", web.StaticFileHandler, {"path": str(CLIENT.parent)}),
        (r"/(.*)", handler, {"path": str(build_dir), "default_filename": "index.html"}),
    ])


class StatusHandler(web.RequestHandler):
    """The server's state as JSON, for tools and tests."""

    def initialize(self, state: ServerState) -> None:
        self.state = state

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        warnings = self.state.result.warnings if self.state.result is not None else []
        result = self.state.result
        self.write(json.dumps({"builds": self.state.builds, "open": sorted(self.state.open),
                               # a build runs, or its checks and exports are still to come
                               "busy": self.state.building or bool(getattr(result, "pending",
                                                                           False)),
                               "errors": [str(e) for e in self.state.errors],
                               "warnings": [str(w) for w in warnings]}))


def reload_browsers(emails: frozenset[str] | None = None) -> None:
    """Tell the open tabs to reload: those showing one of `emails`, or all (None)."""
    message = {"command": "reload", "path": "*", "liveCSS": False, "liveImg": True}
    for waiter in list(LiveReloadHandler.waiters):
        if emails is None or email_of(getattr(waiter, "url", "")) in emails:
            with contextlib.suppress(Exception):  # a tab closing meanwhile
                waiter.write_message(message)


def bind(port: int, host: str, tries: int = 20) -> tuple[list[socket.socket], int]:
    """Bind `port`, or the next free one; raise a clear error if none is free."""
    for candidate in range(port, port + tries):
        family, kind, proto, _, address = socket.getaddrinfo(
            host, candidate, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
            sock.listen(128)
        except OSError as exc:
            sock.close()
            if exc.errno != errno.EADDRINUSE:
                raise MailkitError(f"{host}:{candidate}", None, "serve", exc.strerror) from None
            continue
        sock.setblocking(False)
        return [sock], sock.getsockname()[1]
    raise MailkitError(f"{host}:{port}", None, "serve",
                       f"ports {port}-{port + tries - 1} are all in use; pick one with --port")


def serve(root: Path, builder: Builder, *, host: str = "127.0.0.1", port: int = 8000,
          on_ready: Callable[[str], None] = print,
          on_build: Callable[[ServerState, set[Path] | None], None] | None = None) -> None:
    """Build once, then serve and rebuild on change until interrupted.

    The builder shows each step as it is in build/ (`Run.publish`: the open pages, the
    rest, then the checks and exports); a save during a build cancels it, and the next
    build redoes both saves' changes.
    """
    state = ServerState()
    state.rebuild(builder, None, Run(state, reload_browsers))
    if on_build:
        on_build(state, None)
    sockets, actual = bind(port, host)
    app = make_app(root / "build", state)
    from tornado.httpserver import HTTPServer

    HTTPServer(app).add_sockets(sockets)

    def built(outcome: str, changed: set[Path]) -> None:
        if on_build and outcome != CANCELLED:
            on_build(state, changed)
        if outcome == FAILED:
            reload_browsers()  # the overlay; a good build reloaded as it showed each step

    LiveReloadHandler.watcher = type("W", (), {"filepath": None})()
    # Watching before "Serving on": a save made as soon as that shows must be seen.
    Watcher(root, state, builder, built, reload_browsers).start()
    if actual != port:
        on_ready(f"port {port} is in use, using {actual}")
    on_ready(f"Serving on http://{host}:{actual}/")

    try:
        ioloop.IOLoop.current().start()
    except KeyboardInterrupt:
        pass
