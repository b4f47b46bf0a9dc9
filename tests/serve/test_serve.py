"""`mailkit serve`: the server logic with a fake builder, then the real thing in Chromium."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers import SERVE_PIDS

from mailkit.errors import BuildFailed, MailkitError
from mailkit.serve.server import FAILED, OK, ServerState, bind, email_of, overlay
from mailkit.serve.watch import FileTimes, Run

ERROR = MailkitError("partials/footer.mjml.j2", 7, "render", "unexpected '}'")


def test_failed_rebuild_keeps_the_last_good_result_and_recovers():
    good = object()
    outcomes = [good, BuildFailed([ERROR]), "better"]
    seen = []

    def builder(changed, previous, run):
        seen.append((changed, previous))
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    state, run = ServerState(), Run(ServerState(), lambda emails: None)
    assert state.rebuild(builder, None, run) == OK and state.result is good
    assert state.rebuild(builder, {Path("partials/footer.mjml.j2")}, run) == FAILED
    assert state.result is good and state.errors == [ERROR]
    assert state.rebuild(builder, {Path("partials/footer.mjml.j2")}, run) == OK
    assert state.result == "better" and state.errors == []
    assert seen[2][1] is good  # the builder is handed the last good result


def test_file_times_see_edits_additions_and_removals(tmp_path):
    (tmp_path / "emails").mkdir()
    a = tmp_path / "emails/a.mjml.j2"
    a.write_text("a")
    snap = FileTimes(tmp_path, ["emails"])
    assert snap.changes() == set()
    os.utime(a, ns=(1, 1))
    b = tmp_path / "emails/b.mjml.j2"
    b.write_text("b")
    (tmp_path / "emails/.b.swp").write_text("editor noise")
    assert snap.changes() == {a, b}
    b.unlink()
    assert snap.changes() == {b}


def test_email_of_names_the_email_page_a_tab_shows():
    assert email_of("http://127.0.0.1:8000/r-pur/application/?view=mobile") == "r-pur/application"
    assert email_of("http://127.0.0.1:8000/r-pur/application/index.html") == "r-pur/application"
    assert email_of("http://127.0.0.1:8000/") is None  # the home page
    assert email_of("http://127.0.0.1:8000/r-pur/application/sans-app.html") is None


def test_overlay_escapes_messages():
    html = overlay([MailkitError("x.j2", 1, "render", "<script>")])
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "x.j2:1: render:" in html


def test_a_taken_port_moves_to_the_next_free_one():
    sockets, port = bind(0, "127.0.0.1")
    taken = sockets[0].getsockname()[1]
    try:
        more, moved = bind(taken, "127.0.0.1")
        assert moved != taken
    finally:
        for s in sockets + locals().get("more", []):
            s.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_idle_serve_uses_almost_no_cpu(server):
    """Change notifications, not polling (#17: polling took a fifth of a core idle)."""
    url, _ = server
    proc_pid = SERVE_PIDS[url]  # `python -m mailkit serve` itself: it watches and serves
    status(url)
    time.sleep(1.0)  # the first build's completion settles
    before, start = cpu_seconds(proc_pid), time.monotonic()
    time.sleep(4.0)
    share = (cpu_seconds(proc_pid) - before) / (time.monotonic() - start)
    assert share <= 0.02, f"idle serve used {share:.1%} of a core"


def wait_for(condition, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def status(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/_mailkit/status") as response:
        return json.load(response)


def test_serves_build_only(server):
    url, _ = server
    with urllib.request.urlopen(f"{url}/r-pur/application/") as response:
        body = response.read().decode()
    assert "livereload.js" in body and "L’application R-PUR" in body
    with urllib.request.urlopen(f"{url}/r-pur/application/sans-app.html") as response:
        assert "livereload" not in response.read().decode()  # emails stay as built
    for outside in ("/%2e%2e/pyproject.toml", "/../brands/r-pur/brand.yaml"):
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(url + outside)
        assert info.value.code in (403, 404)
        info.value.close()


def test_edit_reload_break_and_recover(server, page):
    url, root = server
    page.goto(f"{url}/r-pur/application/index.html?scenario=sans-app&view=mobile")
    email = page.frame_locator("[data-scenario-panel]:not([hidden]) iframe")
    email.get_by_text("Télécharge R").wait_for()
    # livereload's connection told the server which page is open: it is built first
    assert wait_for(lambda: status(url)["open"] == ["r-pur/application"])

    partial = root / "partials/app_download.mjml.j2"
    good = partial.read_text(encoding="utf-8")
    partial.write_text(good.replace('"Télécharge"', '"Installe"'))
    email.get_by_text("Installe R").wait_for(timeout=15000)
    assert "view=mobile" in page.url  # the reload keeps the view

    partial.write_text(good.replace("{{ brand.app.name }}</h2>", "{{ brand.app.name </h2>"))
    error = page.locator("[data-mailkit-error]")
    error.wait_for(timeout=15000)
    assert error.inner_text().splitlines()[1:] == [
        "partials/app_download.mjml.j2:8: render: unexpected '/'"]
    assert email.get_by_text("Installe R").count() == 1  # last good page stays
    assert status(url)["errors"]

    partial.write_text(good)
    error.wait_for(state="detached", timeout=15000)
    email.get_by_text("Télécharge R").wait_for()
    assert status(url)["errors"] == []
    # the save shows first; its checks and export follow in a second, in-place refresh
    checks = page.locator("[data-scenario-panel]:not([hidden]) [data-tab-panel=checks]")
    page.wait_for_function("e => !e.textContent.includes('Checking')",
                           arg=checks.element_handle(), timeout=15000)


def test_an_mjml_warning_shows_in_the_overlay_and_goes_with_the_fix(server, page):
    """MJML findings warn in serve: a quieter box over the page, the email still updated."""
    url, root = server
    page.goto(f"{url}/r-pur/application/index.html?scenario=sans-app")
    email = page.frame_locator("[data-scenario-panel]:not([hidden]) iframe")
    email.get_by_text("Télécharge R").wait_for()
    partial = root / "partials/app_download.mjml.j2"
    good = partial.read_text(encoding="utf-8")
    partial.write_text(good.replace('"Télécharge"', '"Installe"').replace(
        "<mj-text", '<mj-text colour="red"', 1))
    warning = page.locator("[data-mailkit-warning]")
    warning.wait_for(timeout=15000)
    assert "partials/app_download.mjml.j2:" in warning.inner_text()
    assert "mjml: mj-text: attribute colour is illegal" in warning.inner_text()
    email.get_by_text("Installe R").wait_for(timeout=15000)  # the save is shown
    assert page.locator("[data-mailkit-error]").count() == 0
    assert status(url)["warnings"] and status(url)["errors"] == []
    partial.write_text(good)
    warning.wait_for(state="detached", timeout=15000)
    assert status(url)["warnings"] == []


def test_a_save_right_after_serving_on_is_built(server):
    """"Serving on" is printed once the watcher listens: a save made the moment it shows
    used to fall between the first build and the watcher's start, and stay unseen."""
    url, root = server
    footer = root / "partials/footer.mjml.j2"
    text = footer.read_text(encoding="utf-8")
    footer.write_text(text.replace("{{ brand.copy.tagline }}",
                                   "{{ brand.copy.tagline }}<br>Merci beaucoup.", 1),
                      encoding="utf-8")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{url}/r-pur/application/sans-app.html") as response:
            if "beaucoup." in response.read().decode():
                break
        time.sleep(0.05)
    else:
        pytest.fail(f"the save never showed: {status(url)}")
