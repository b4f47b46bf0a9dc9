"""serve's builder (serve/rebuild.py, serve/patch.py): a save redone in place gives the
bytes of a clean build, the open page first, and a save during a build supersedes it (#17)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from helpers import CHANGES, clean_build, edit, edit_atomically, tree_hash
from test_watch import watch_while

from mailkit.model import BuildResult
from mailkit.serve.rebuild import Rebuilder
from mailkit.serve.server import OK, ServerState

OPEN = "r-pur/application"  # the email page a test keeps "open in the browser"
OTHER = "kokawa/partage-whatsapp"  # another email, of another brand


class FakeRun:
    """What serve hands the builder, with the open pages fixed and every step kept."""

    def __init__(self, open_: frozenset[str] = frozenset(), on_publish=None) -> None:
        self.opened = open_
        self.steps: list[tuple[BuildResult, frozenset[str] | None]] = []
        self.on_publish = on_publish
        self.stop = threading.Event()

    def cancelled(self) -> bool:
        return self.stop.is_set()

    def open(self) -> frozenset[str]:
        return self.opened

    def publish(self, result: BuildResult, emails: frozenset[str] | None = None) -> None:
        self.steps.append((result, emails))
        if self.on_publish:
            self.on_publish(result, emails)


def first_page(root: Path, email: str) -> Path:
    return sorted((root / "build" / email).glob("*.html"), key=lambda p: p.name == "index.html")[0]


@pytest.mark.parametrize("opened", [frozenset(), frozenset({OPEN})], ids=["none-open", "open"])
@pytest.mark.parametrize("change", ["template", "partial", "fixture"])
def test_a_save_built_in_place_is_byte_identical_to_a_clean_build(demo_copy: Path, change,
                                                                   opened) -> None:
    builder, progress = Rebuilder(demo_copy), FakeRun(opened)
    result = builder(None, None, progress)
    before = tree_hash(demo_copy / "build")
    stamp = (demo_copy / "build" / OTHER / "index.html").stat()
    CHANGES[change](demo_copy)
    path = {"template": "brands/kokawa/emails/vip.mjml.j2", "partial": "partials/footer.mjml.j2",
            "fixture": "brands/kokawa/fixtures/fulfilled_order.yaml"}[change]
    result = builder({demo_copy / path}, result, progress)
    assert not result.pending  # checks and exports done too
    after = tree_hash(demo_copy / "build")
    assert after != before
    if change == "template":  # not rewritten: its bytes did not change
        assert (demo_copy / "build" / OTHER / "index.html").stat().st_ino == stamp.st_ino
        assert builder.kept  # the project was not loaded again
    assert after == clean_build(demo_copy)


def test_a_save_shows_its_pages_first_then_their_checks_and_export(demo_copy: Path) -> None:
    """The saved email's pages are written and shown with their Checks and Klaviyo tabs
    waiting ("Checking…"); the checks and the export follow, in the same build/."""
    from mailkit.site import sources

    shown: list[tuple[bool, list[str], dict, str]] = []

    def look(result: BuildResult, emails: frozenset[str] | None) -> None:
        read = sources.read(demo_copy / "build/kokawa/vente-privee/sources.js")
        shown.append((result.pending, read["checks"], read["klaviyo"], read["klaviyo_html"]))

    builder = Rebuilder(demo_copy)
    result = builder(None, None, FakeRun())
    CHANGES["template"](demo_copy)
    result = builder({demo_copy / "brands/kokawa/emails/vip.mjml.j2"}, result, FakeRun(
        on_publish=look))
    (pending, checks, klaviyo, _), *_, (last_pending, last_checks, last_klaviyo, html) = shown
    assert pending and all("Checking…" in c for c in checks) and klaviyo == {"pending": True}
    assert not last_pending and not any("Checking…" in c for c in last_checks)
    assert last_klaviyo["tags"] and "{% unsubscribe_link %}" in html
    assert not result.pending and all(p.findings is not None for p in result.pages.values())
    assert set(result.exports) == {p.target.email_key for p in result.pages.values()}


def test_the_open_page_is_written_and_shown_before_the_others(demo_copy: Path) -> None:
    """A partial every email uses: the open email's folder is in place (and its tab
    told to reload) while the other emails still show the old footer."""
    seen: list[tuple[bool, bool, frozenset[str] | None]] = []

    def look(result: BuildResult, emails: frozenset[str] | None) -> None:
        mine = "Une ligne de plus" in first_page(demo_copy, OPEN).read_text()
        others = "Une ligne de plus" in first_page(demo_copy, OTHER).read_text()
        seen.append((mine, others, emails))

    builder = Rebuilder(demo_copy)
    result = builder(None, None, FakeRun())
    edit(demo_copy / "partials/footer.mjml.j2", "{{ brand.copy.tagline }}",
         "{{ brand.copy.tagline }}<br>Une ligne de plus.")
    builder({demo_copy / "partials/footer.mjml.j2"}, result, FakeRun(frozenset({OPEN}), look))
    assert seen[0] == (True, False, frozenset({OPEN}))  # the open page first, alone
    assert seen[1][:2] == (True, True) and seen[1][2] is None  # then every page, all tabs
    assert len(seen) == 3  # then the checks and exports


def test_a_template_added_or_a_yaml_edit_loads_the_project_again(demo_copy: Path) -> None:
    builder = Rebuilder(demo_copy)
    result = builder(None, None, FakeRun())
    edit(demo_copy / "partials/footer.mjml.j2", "{{ brand.copy.tagline }}",
         "{{ brand.copy.tagline }}<br>Une ligne de plus.")
    result = builder({demo_copy / "partials/footer.mjml.j2"}, result, FakeRun())
    assert builder.kept and result.project is not None
    project = result.project
    added = demo_copy / "brands/r-pur/partials/footer.mjml.j2"  # a brand's own footer
    added.parent.mkdir(parents=True, exist_ok=True)
    added.write_text("<mj-section><mj-column><mj-text>Pied R-PUR</mj-text></mj-column>"
                     "</mj-section>", encoding="utf-8")
    result = builder({added}, result, FakeRun())
    assert not builder.kept and result.project is not project
    assert "Pied R-PUR" in first_page(demo_copy, OPEN).read_text()
    assert tree_hash(demo_copy / "build") == clean_build(demo_copy)


def run_serving(root: Path, builder, steps) -> None:
    """The watcher on an IO loop of its own thread, `steps(state)` on another (the user)."""
    state = ServerState()
    state.rebuild(builder, None, FakeRun())
    watch_while(root, state, builder, lambda: steps(state), timeout=120)


def test_a_save_during_a_slow_build_supersedes_it(demo_copy: Path, monkeypatch) -> None:
    """The first build is cancelled at a page boundary; nothing of it is shown after the
    second starts; build/ ends with both saves, as a clean build writes it."""
    import mailkit.pipeline.render

    slow = threading.Event()
    render = mailkit.pipeline.render.render

    def slow_render(*args, **kwargs):
        if slow.is_set():
            time.sleep(0.1)
        return render(*args, **kwargs)

    monkeypatch.setattr(mailkit.pipeline.render, "render", slow_render)
    live = Rebuilder(demo_copy)
    runs: list[tuple[int, str]] = []  # (build number, what happened), in order
    started = threading.Event()

    def builder(changed, previous, run):
        number = len({n for n, _ in runs}) + 1
        runs.append((number, "start"))
        started.set()

        class Seen:  # the run, with each step it shows recorded
            cancelled = run.cancelled
            open = run.open

            @staticmethod
            def publish(result, emails=None):
                runs.append((number, "publish"))
                run.publish(result, emails)

        try:
            result = live(changed, previous, Seen())
        except BaseException as exc:
            runs.append((number, type(exc).__name__))
            raise
        runs.append((number, "done"))
        return result

    def steps(state: ServerState) -> None:
        slow.set()
        started.clear()
        # each save one change for the watcher: the build count below is exact
        edit_atomically(demo_copy / "partials/footer.mjml.j2", "{{ brand.copy.tagline }}",
                        "{{ brand.copy.tagline }}<br>Une ligne de plus.")
        assert started.wait(10), "the first save was not built"
        time.sleep(0.3)  # a few pages into it
        edit_atomically(demo_copy / "brands/kokawa/emails/vip.mjml.j2", "</mj-column>",
                        "<mj-text>Nouveau paragraphe.</mj-text></mj-column>")
        # until a build that started after the second save is done and nothing else
        # runs for a while (a loaded machine may report a save twice: one more build)
        deadline = time.monotonic() + 60
        quiet_since = None
        while time.monotonic() < deadline:
            settled = (any(n > 2 and e == "done" for n, e in runs)
                       and runs[-1][1] not in ("start", "publish"))  # no build under way
            quiet_since = (quiet_since or time.monotonic()) if settled else None
            if quiet_since is not None and time.monotonic() - quiet_since > 0.5:
                break
            time.sleep(0.05)
        slow.clear()

    run_serving(demo_copy, builder, steps)
    first_build = [event for number, event in runs if number == 2]
    assert first_build[-1] == "Cancelled", runs  # build 1 is the server's first build
    numbers = [n for n, _ in runs]
    assert numbers == sorted(numbers), runs  # one build at a time, the stale one gone first
    assert runs[-1][1] == "done" and runs[-1][0] >= 3, runs  # the last save's build
    html = first_page(demo_copy, OPEN).read_text()
    assert "Une ligne de plus" in html
    assert tree_hash(demo_copy / "build") == clean_build(demo_copy)


def test_state_rebuild_reports_a_cancelled_build(tmp_path: Path) -> None:
    from mailkit.pipeline.jobs import Cancelled

    def cancelled(changed, previous, run):
        raise Cancelled

    state = ServerState()
    assert state.rebuild(lambda c, p, r: "good", None, FakeRun()) == OK
    assert state.rebuild(cancelled, {tmp_path}, FakeRun()) == "cancelled"
    assert state.result == "good" and state.errors == []


def test_warm_workers_give_the_same_bytes(demo_copy: Path) -> None:
    from test_pool import in_a_new_process

    in_a_new_process("live_with_workers", str(demo_copy))  # a partial, the page open
    assert "Une ligne de plus" in first_page(demo_copy, OPEN).read_text()
    assert tree_hash(demo_copy / "build") == clean_build(demo_copy)


def test_a_broken_save_then_its_fix_ends_as_a_clean_build(demo_copy: Path) -> None:
    from mailkit.errors import BuildFailed

    builder = Rebuilder(demo_copy)
    good = builder(None, None, FakeRun())
    footer = demo_copy / "partials/footer.mjml.j2"
    text = footer.read_text(encoding="utf-8")
    footer.write_text(text.replace("{{ brand.copy.tagline }}", "{{ brand.copy.tagline }"),
                      encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        builder({footer}, good, FakeRun(frozenset({OPEN})))
    assert "partials/footer.mjml.j2:" in str(info.value.errors[0])
    footer.write_text(text.replace("{{ brand.copy.tagline }}",
                                   "{{ brand.copy.tagline }}<br>Réparé."), encoding="utf-8")
    builder({footer}, good, FakeRun(frozenset({OPEN})))  # serve hands the last good result
    assert "Réparé" in first_page(demo_copy, OPEN).read_text()
    assert tree_hash(demo_copy / "build") == clean_build(demo_copy)


def test_serve_starts_from_the_last_build_when_nothing_changed(demo_copy: Path) -> None:
    from mailkit.commands.build import build

    build(demo_copy)
    home = (demo_copy / "build/index.html").stat().st_ino
    result = Rebuilder(demo_copy)(None, None, FakeRun())
    assert not result.fresh and not result.pending  # nothing rendered, checks kept
    assert (demo_copy / "build/index.html").stat().st_ino == home  # nor written


def test_a_file_removed_by_hand_comes_back_with_the_next_save(demo_copy: Path) -> None:
    builder = Rebuilder(demo_copy)
    result = builder(None, None, FakeRun())
    lost = first_page(demo_copy, OTHER)
    lost.unlink()
    CHANGES["template"](demo_copy)
    builder({demo_copy / "brands/kokawa/emails/vip.mjml.j2"}, result, FakeRun())
    assert lost.is_file()
    assert tree_hash(demo_copy / "build") == clean_build(demo_copy)
