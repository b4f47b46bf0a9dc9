"""Faults a new user runs into: each is one line naming the file (and the line), exit 1,
no traceback, and the last good build left as it was."""

from __future__ import annotations

import hashlib
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import EMAIL

LAUGHS = "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi",
                                                                 strict=True))
LAUGHS = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + LAUGHS


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mailkit", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def write(root: Path, rel: str, data: str | bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def with_email(text: str) -> Callable[[Path], None]:
    return lambda root: write(root, "emails/hello.mjml.j2", text)


def bad_utf8_template(root: Path) -> None:
    data = EMAIL.encode().replace(b"Un aper\xc3\xa7u", b"Un aper\xe7u")  # Latin-1 ç
    write(root, "emails/hello.mjml.j2", data)


def bad_utf8_fixture(root: Path) -> None:
    text = (root / "brands/test/fixtures/base.yaml").read_bytes()
    write(root, "brands/test/fixtures/base.yaml", text + b"note: \"caf\xe9\"\n")


def extends_loop(root: Path) -> None:
    write(root, "brands/test/fixtures/base.yaml",
          "# the base\nextends: parent\nperson: {first_name: Camille}\n")
    write(root, "brands/test/fixtures/parent.yaml", "organization: {name: Test}\n\nextends: base\n")


def laughs(rel: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        write(root, rel, (root / rel).read_text(encoding="utf-8") + LAUGHS)
    return apply


def empty_brands(root: Path) -> None:
    import shutil

    shutil.rmtree(root / "brands/test")


def brand_without_yaml(root: Path) -> None:
    write(root, "brands/zeta/fixtures/base.yaml", "person: {}\n")


def include_loop(root: Path) -> None:
    write(root, "partials/a.mjml.j2", '<mj-text>a</mj-text>\n{% include "partials/b.mjml.j2" %}\n')
    write(root, "partials/b.mjml.j2", '{# b #}\n{% include "partials/a.mjml.j2" %}\n')
    write(root, "emails/hello.mjml.j2",
          EMAIL.replace("</mj-column>", '{% include "partials/a.mjml.j2" %}</mj-column>'))


FAULTS = {
    "invalid UTF-8 in a template": (
        bad_utf8_template,
        "emails/hello.mjml.j2:3: render: not UTF-8: byte(s) e7 at column 76; save the file as "
        "UTF-8"),
    "invalid UTF-8 in a fixture": (
        bad_utf8_fixture,
        "brands/test/fixtures/base.yaml:4: config: not UTF-8: byte(s) e9 at column 11; save the "
        "file as UTF-8"),
    "fixture extends loop": (
        extends_loop,
        "brands/test/fixtures/base.yaml:2: config: fixture extends loop: "
        "brands/test/fixtures/base.yaml:2 → brands/test/fixtures/parent.yaml:3 → back to 'base'"),
    "billion laughs in a fixture": (
        laughs("brands/test/fixtures/base.yaml"),
        "brands/test/fixtures/base.yaml:9: config: aliases expand this document past 100,000 "
        "values (a 'billion laughs' document?): refused"),
    "billion laughs in brand.yaml": (
        laughs("brands/test/brand.yaml"),
        "brands/test/brand.yaml:19: config: aliases expand this document past 100,000 "
        "values (a 'billion laughs' document?): refused"),
    "billion laughs in flows.yaml": (
        laughs("brands/test/flows.yaml"),
        "brands/test/flows.yaml:17: config: aliases expand this document past 100,000 "
        "values (a 'billion laughs' document?): refused"),
    "billion laughs in checks.yaml": (
        lambda root: write(root, "checks.yaml", LAUGHS),
        "checks.yaml:6: config: aliases expand this document past 100,000 "
        "values (a 'billion laughs' document?): refused"),
    "an alias inside itself": (
        lambda root: write(root, "checks.yaml", "accept: &x\n  more: *x\n"),
        "checks.yaml:1: config: an alias refers to a value that contains it: the data would be "
        "infinite"),
    "empty brands/": (
        empty_brands,
        "brands/: config: no brand yet: create brands/<name>/ with brand.yaml and flows.yaml "
        "(mailkit new brand NAME writes them; see docs/writing-emails.md)"),
    "a brand folder without brand.yaml": (
        brand_without_yaml,
        "brands/zeta/: config: no brand.yaml: a brand folder needs brand.yaml and flows.yaml "
        "(its flows, fixtures and assets are not built without them)"),
    "include loop": (
        include_loop,
        "partials/a.mjml.j2:2: render: include loop: partials/a.mjml.j2:2 → "
        "partials/b.mjml.j2:2 → partials/a.mjml.j2"),
    "a block left open": (
        with_email(EMAIL.replace("      <mj-text>", "      {% if person.first_name %}\n"
                                 "      <mj-text>")),
        "emails/hello.mjml.j2:7: render: {% if %} is never closed: add {% endif %} (Jinja "
        "noticed at line"),
    "a block left open before {% endblock %}": (
        lambda root: (write(root, "partials/layout.mjml.j2", EMAIL.replace(
            "      <mj-text>Bonjour {{ person.first_name }}</mj-text>",
            "{% block content %}{% endblock %}")),
            write(root, "emails/hello.mjml.j2",
                  '{% extends "partials/layout.mjml.j2" %}\n{% block content %}\n'
                  '{% for x in [1] %}\n<mj-text>{{ x }}</mj-text>\n{% endfor %}\n'
                  '{% if person.first_name %}\n<mj-text>Bonjour</mj-text>\n{% endblock %}\n')),
        "emails/hello.mjml.j2:6: render: {% if %} is never closed: add {% endif %} (Jinja "
        "noticed at line 8: Encountered unknown tag 'endblock')"),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_is_one_line_exit_1_and_keeps_the_last_good_build(make_project, name):
    apply, expected = FAULTS[name]
    root = make_project()
    good = run_cli("build", cwd=root)
    assert good.returncode == 0, good.stderr
    before = tree_digest(root / "build")
    apply(root)
    before_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = run_cli("build", cwd=root)
    after_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    took = (after_cpu.ru_utime + after_cpu.ru_stime) - (before_cpu.ru_utime + before_cpu.ru_stime)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[0].startswith(expected), lines
    assert lines[1:] == ["1 error(s); nothing was written"]
    assert tree_digest(root / "build") == before
    # CPU seconds, whatever the machine's load: ~0.3 here; a billion laughs ran out of
    # memory after 7 s, an include loop took 3 s
    assert took < 2


def test_billion_laughs_is_refused_in_bounded_memory(make_project):
    """Under a 1 GiB address-space limit (the expanded document would need ~30 GB)."""
    root = make_project()
    laughs("brands/test/fixtures/base.yaml")(root)
    limit = ("import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_AS, "
             "(1 << 30, 1 << 30)); sys.argv = ['mailkit', 'build']; "
             "runpy.run_module('mailkit', run_name='__main__')")
    proc = subprocess.run([sys.executable, "-c", limit], cwd=root, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 1
    assert "base.yaml:9: config: aliases expand" in proc.stderr
    assert "MemoryError" not in proc.stderr


def test_serve_refuses_symlinks_out_of_build_for_folders_and_files(tmp_path):
    """A symlink inside build/ to a folder or a file outside it is refused (403), for a
    site page (index.html, which serve injects into) and for any other file alike."""
    import asyncio
    import threading
    import urllib.error
    import urllib.request

    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop

    from mailkit.serve.server import ServerState, bind, make_app

    build_dir, outside = tmp_path / "build", tmp_path / "outside"
    (build_dir / "brand").mkdir(parents=True)
    outside.mkdir()
    (build_dir / "index.html").write_text("<body>home</body>")
    (build_dir / "brand/page.html").write_text("<body>page</body>")
    (outside / "index.html").write_text("<body>SECRET index</body>")
    (outside / "secret.txt").write_text("SECRET file")
    (build_dir / "escape").symlink_to(outside, target_is_directory=True)
    (build_dir / "secret.txt").symlink_to(outside / "secret.txt")
    (build_dir / "brand/index.html").symlink_to(outside / "index.html")
    (build_dir / "inner.html").symlink_to(build_dir / "brand/page.html")  # stays inside

    sockets, port = bind(0, "127.0.0.1")
    loops: list[IOLoop] = []

    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        HTTPServer(make_app(build_dir, ServerState())).add_sockets(sockets)
        loops.append(IOLoop.current())
        IOLoop.current().start()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    while not loops:
        time.sleep(0.01)
    url = f"http://127.0.0.1:{port}"

    def get(path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(url + path) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            exc.close()
            return exc.code, ""

    try:
        assert get("/")[0] == 200 and get("/inner.html") == (200, "<body>page</body>")
        for path in ("/escape/", "/escape/index.html", "/escape/secret.txt", "/secret.txt",
                     "/brand/", "/brand/index.html"):
            status, body = get(path)
            assert status == 403 and "SECRET" not in body, path
    finally:
        loops[0].add_callback(loops[0].stop)
        thread.join(5)
        for sock in sockets:
            sock.close()


def test_the_klaviyo_export_names_an_include_loop_too(make_project):
    root = make_project()
    include_loop(root)
    proc = run_cli("export", "klaviyo", cwd=root)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[0] == (
        "partials/a.mjml.j2:2: render: include loop: partials/a.mjml.j2:2 → "
        "partials/b.mjml.j2:2 → partials/a.mjml.j2")
