"""Compile workers: forked processes compile and check what the parent renders."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import pytest
from helpers import DEMO, EMAIL

from mailkit.check.model import CheckConfig, CheckInput
from mailkit.commands.build import build
from mailkit.errors import BuildFailed
from mailkit.pipeline import jobs, parallel, warm, workers

MJML = ("<mjml><mj-body><mj-section><mj-column><mj-text>Bonjour {n}</mj-text>"
        "</mj-column></mj-section></mj-body></mjml>")
CHECK = CheckInput(html="", text="", subject="Bonjour", preheader="Un mot", lang="fr",
                   palette={}, dark_palette={}, postal_address="1 rue de Paris")


@pytest.fixture(autouse=True)
def forking_allowed(monkeypatch):
    """Other tests of this worker (serve's) may leave idle threads: fork anyway here."""
    monkeypatch.setattr(workers, "can_fork", lambda: True)
    monkeypatch.setenv("MAILKIT_JOBS", "2")


def test_workers_give_what_the_jobs_give_here():
    work = [jobs.Job(f"k{n}", MJML.format(n=n), CHECK if n % 2 else None, CheckConfig())
            for n in range(6)]
    work.append(jobs.Job("broken", "<mjml><mj-body><mj-section>"))
    here = {job.id: jobs.run_job(job) for job in work}
    worker = workers.Worker.start()
    assert worker is not None
    for job in work:
        worker.submit(job)
    there = worker.results()
    assert there == here
    assert there["k1"].findings is not None and there["k0"].findings is None
    assert "Bonjour 3" in there["k3"].compiled.text
    assert there["broken"].compiled is None and there["broken"].mjml_error


def test_no_worker_with_one_core_or_another_thread(monkeypatch):
    monkeypatch.setenv("MAILKIT_JOBS", "1")
    assert workers.Worker.start() is None
    monkeypatch.setenv("MAILKIT_JOBS", "2")
    monkeypatch.setattr(workers, "can_fork", parallel.can_fork)
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)
    assert workers.Worker.start() is None


def test_a_bug_in_a_worker_is_raised_here_with_its_traceback(monkeypatch):
    def broken(job: jobs.Job) -> jobs.Done:
        raise ZeroDivisionError(f"bug on {job.id}")

    monkeypatch.setattr(workers, "run_job", broken)  # the forked workers inherit it
    worker = workers.Worker.start()
    assert worker is not None
    worker.submit(jobs.Job("a", MJML))
    with pytest.raises(parallel.ChildFailed) as info:
        worker.results()
    assert "ZeroDivisionError: bug on a" in str(info.value)


def test_jobs_go_to_the_worker_that_is_free(monkeypatch):
    """A slow page does not leave a pile of jobs waiting behind it while the other
    worker idles (they were dealt in turn): it holds at most `IN_FLIGHT` of them."""
    import time

    def run(job: jobs.Job) -> jobs.Done:
        if job.id == "slow":
            time.sleep(1.0)
        return jobs.Done(job.id, None, mjml_error=str(os.getpid()))

    monkeypatch.setattr(workers, "run_job", run)  # the forked workers inherit it
    worker = workers.Worker.start()
    assert worker is not None
    for job in [jobs.Job("slow", MJML), *(jobs.Job(f"k{n}", MJML) for n in range(30))]:
        worker.submit(job)
    done = worker.results()
    assert len(done) == 31
    by_slow_worker = [d for d in done.values() if d.mjml_error == done["slow"].mjml_error]
    assert len(by_slow_worker) <= workers.IN_FLIGHT


def test_an_emails_states_go_to_one_worker(monkeypatch):
    """The checks keep what an email's states share in a worker's memory: its jobs go
    to the worker that has its other states while it holds few enough."""
    monkeypatch.setattr(workers, "run_job",
                        lambda job: jobs.Done(job.id, None, mjml_error=str(os.getpid())))
    worker = workers.Worker.start()
    assert worker is not None
    for email in range(10):
        for state in range(3):
            worker.submit(jobs.Job(f"b/e{email}/s{state}", MJML, group=f"b/e{email}"))
    done = worker.results()
    where = {email: {done[f"b/e{email}/s{s}"].mjml_error for s in range(3)}
             for email in range(10)}
    assert sum(len(pids) == 1 for pids in where.values()) >= 8, where
    assert len(set().union(*where.values())) == 2  # both workers had work


def test_a_worker_closed_unused_leaves_no_process():
    worker = workers.Worker.start()
    assert worker is not None
    worker.submit(jobs.Job("a", MJML))
    worker.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(worker.pid, os.WNOHANG)


def test_a_worker_not_needed_is_not_waited_for(monkeypatch):
    """A build with nothing to do closes the worker it forked at the start: the worker
    is stopped, not waited for through its imports and rehearsal."""
    import time

    monkeypatch.setattr(workers, "warm_up", lambda: time.sleep(30))  # the fork inherits it
    worker = workers.Worker.start()
    assert worker is not None
    start = time.monotonic()
    worker.close()
    assert time.monotonic() - start < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(worker.pid, os.WNOHANG)


def test_an_mjml_error_in_a_worker_names_the_kept_debug_file(make_project):
    root = make_project({"emails/hello.mjml.j2": EMAIL.replace(
        "</mj-column></mj-section>", "</mj-column></mj-section><mj-raw><p></mj-raw>")})
    with workers.worker() as worker, pytest.raises(BuildFailed) as info:
        build(root, worker=worker)
    error = info.value.errors[0]  # one per state of the email: the named one first
    assert error.stage == "mjml"
    assert error.path == ".mailkit-debug/test/hello/default.mjml"
    assert (root / error.path).is_file()


def test_an_element_left_open_is_named_at_its_line_from_a_worker(make_project):
    """The validation runs in the worker, with the source map sent along the job."""
    root = make_project({"emails/hello.mjml.j2": EMAIL.replace("</mj-column>", "")})
    with workers.worker() as worker, pytest.raises(BuildFailed) as info:
        build(root, worker=worker)
    assert [str(e) for e in info.value.errors] == [
        "emails/hello.mjml.j2:6: mjml: <mj-column> is never closed (</mj-section> comes "
        "first) (test/hello/default)"]


def test_the_building_process_never_imports_the_compile_stack(demo_copy):
    """The point of the workers: premailer, cssutils and the checks load in parallel."""
    code = ("import sys; from pathlib import Path; from mailkit.pipeline.workers import worker\n"
            "with worker() as w:\n"
            "    from mailkit.commands.build import build\n"
            "    result = build(Path('.'), worker=w)\n"
            "heavy = [m for m in sys.modules if m.split('.')[0] in ('premailer', 'cssutils')\n"
            "         or m in ('mailkit.pipeline.compile', 'mailkit.check.runner')]\n"
            "print(len(result.pages), heavy)")
    env = {**os.environ, "MAILKIT_JOBS": "2"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=demo_copy, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split(maxsplit=1) == [str(DEMO.pages), "[]\n"]


def findings_with_partial(make_project, name: str, rows: list[str]) -> list:
    """Every finding of a project whose email includes `partials/<name>.mjml.j2`, made of
    `rows` in one column (the first row is the partial's line 2)."""
    from mailkit.commands.check import check

    partial = "\n".join(["<mj-section><mj-column>", *(f"  {r}" for r in rows),
                          "</mj-column></mj-section>", ""])
    email = EMAIL.replace("<mj-body>", f'<mj-body>{{% include "partials/{name}.mjml.j2" %}}')
    root = make_project({f"partials/{name}.mjml.j2": partial, "emails/hello.mjml.j2": email})
    return [f for report in check(root)[1] for f in report.findings]


def test_a_finding_names_the_template_line_that_wrote_its_element(make_project):
    """An image without alt, written by a partial: the finding says which line."""
    found = findings_with_partial(make_project, "pic", [
        "<mj-text>Bonjour</mj-text>",
        '<mj-image src="../assets/logo.png" width="100px"></mj-image>'])
    lines = {f.line for f in found if "no alt" in f.message}
    assert lines == {"partials/pic.mjml.j2:3"}  # in every state


def test_hidden_text_names_the_template_line_that_wrote_it(make_project):
    """Text SpamAssassin reads as the colour of its background, and text in a tiny font:
    each warning names the line of the partial that wrote it."""
    found = {(f.message.split(":")[0][:28], f.line) for f in findings_with_partial(
        make_project, "fine", ["<mj-text>Bonjour et bienvenue</mj-text>",
                               '<mj-text color="#fdfdfd">Des mots que personne ne lit</mj-text>',
                               '<mj-text font-size="3px">Des conditions en tout petit</mj-text>'])
             if f.check == "spam"}
    assert found == {("text in the colour of its ba", "partials/fine.mjml.j2:3"),
                     ("text in a 3 px font", "partials/fine.mjml.j2:4")}


def test_client_view_findings_name_the_template_line(make_project):
    """The inversion rule names an image by its src, the no-style rule a block by its
    text: the build turns both into the partial's line."""
    from PIL import Image

    from mailkit.commands.check import check

    partial = ('<mj-section background-color="#FFFFFF"><mj-column>\n'
               '  <mj-image src="../assets/band.png" width="600px" alt=""'
               ' css-class="mk-decorative"></mj-image>\n'
               '  <mj-text css-class="twin">Jumeau sombre</mj-text>\n'
               '</mj-column></mj-section>\n')
    email = EMAIL.replace("<mj-body>", '<mj-body>{% include "partials/views.mjml.j2" %}')
    email = email.replace("</mj-head>", "<mj-style>.twin { display: none; }</mj-style></mj-head>")
    root = make_project({"partials/views.mjml.j2": partial, "emails/hello.mjml.j2": email})
    Image.new("RGB", (1200, 600), (250, 246, 240)).save(root / "brands/test/assets/band.png")
    _, reports, _ = check(root)
    lines = {(f.check, f.line) for r in reports for f in r.findings
             if f.check in {"inversion", "nostyle"}}
    assert lines == {("inversion", "partials/views.mjml.j2:2"),
                     ("nostyle", "partials/views.mjml.j2:3")}


def test_the_checks_read_the_compiles_tree_with_the_findings_of_the_html(demo_copy,
                                                                        monkeypatch):
    """A page's HTML is parsed once: the checks get the tree the compile serialised, and
    find on it exactly what they find in the HTML parsed again (every demo page)."""
    from mailkit.check import runner
    from mailkit.pipeline.check_inputs import page_input
    from mailkit.pipeline.compile import compile_parsed
    from mailkit.project.checks_yaml import check_config

    result = build(demo_copy, write=False)
    config = check_config(result.project.checks)
    for page in result.pages.values():
        compiled, root = compile_parsed(page.rendered.mjml)
        assert compiled == page.compiled
        doc = page_input(result.project, page.target, page.rendered, None, page.deps)
        doc = replace(doc, html=compiled.html, text=compiled.text)
        assert runner.run_checks(doc, config, root=root) == runner.run_checks(doc, config)
    parses = []
    monkeypatch.setattr(runner, "parse_html", lambda html: parses.append(html))
    jobs.run_job(jobs.Job("k", MJML.format(n=1), CHECK, config))  # no cache: compiled here
    assert parses == []


def test_the_rehearsal_loads_what_a_first_page_needs_and_leaves_no_trace(tmp_path,
                                                                         monkeypatch):
    """A worker rehearses one small email before its first page (pipeline/warm.py): the
    pages' findings do not change for it and it stores nothing."""
    import sys


    monkeypatch.chdir(tmp_path)
    job = jobs.Job("k", MJML.format(n=1), CHECK, CheckConfig())
    before = jobs.run_job(job)
    warm.rehearse(lambda mjml, doc, config: jobs.run_job(jobs.Job('w', mjml, doc, config)))
    assert jobs.run_job(job) == before
    assert "PIL.PngImagePlugin" in sys.modules
    assert list(tmp_path.iterdir()) == []
