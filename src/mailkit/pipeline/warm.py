"""A rehearsal: one small email compiled, validated and checked by a compile worker
before its first real job.

A worker's first page cost ~65 ms against ~11 ms for the next ones (demo, one process):
Pillow and its image plugins, the rules' data (caniemail, locales), the MJML rules,
the regexes and memos of premailer and cssutils are loaded or built on first use. The
first worker rehearses while the parent still loads the project and renders (it would
wait for its first job anyway), then forks its siblings, which inherit all of it: one
warm-up a build instead of one a worker, and off the path to the first page.

Only once the parent says a build will hand out jobs (`GO`, sent by `Worker.expect`
when `commands/build.py` starts loading the project): the CLI forks the worker before
it knows, and a build with nothing changed must not pay for a rehearsal.

The word names the project's root, and the rehearsal reads its brands' images too
(`read_images`): the image checks analyse each image's pixels once a process, so every
worker analysed the images its pages show, on its path to its pages; read here, once,
the siblings inherit the facts.

The rehearsal stores nothing (no step cache) and its results are dropped; every memo
it fills is keyed by content, so no page is checked differently for it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import time
from collections.abc import Callable
from pathlib import Path

from ..check.model import CheckConfig, CheckInput
from .parallel import HEADER, WORD, is_word

GO = WORD  # the parent's word: a build will hand out jobs, for the project whose root follows
IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".webp")  # what the brands' `assets/` show
# How long the first worker reads images before it forks its siblings: a brand with
# hundreds of product photos must not hold them back; the rest are read on demand.
READ_BUDGET = 0.15  # seconds


def go(root: Path | None) -> bytes:
    """The parent's word for a build of the project at `root`."""
    return GO + (os.fsencode(root.resolve()) if root is not None else b"")


is_go = is_word  # the first worker's first frame: the parent's word, or a job


def read_images(word: bytes, budget: float | None = READ_BUDGET) -> None:
    """Analyse the images of the brands of the project the parent's `word` names
    (`check/pixels.facts`), once, for every worker forked after: the facts are kept by
    content, so a page checks the same as if its worker had read them itself. Within
    `budget` seconds (None: all): what is left is read by the pages that show it."""
    root = os.fsdecode(word[len(GO):])
    if not root:
        return
    deadline = None if budget is None else time.monotonic() + budget
    with contextlib.suppress(Exception):  # a failure shows in the first real job instead
        from ..check.pixels import facts

        pattern = os.path.join(glob.escape(root), "brands", "*", "assets", "**", "*")
        for path in sorted(glob.glob(pattern, recursive=True)):
            if deadline is not None and time.monotonic() > deadline:
                return
            if path.lower().endswith(IMAGES):
                facts(path)

SAMPLE = """<mjml>
  <mj-head>
    <mj-title>Ta commande est en route</mj-title>
    <mj-preview>Elle arrive demain</mj-preview>
    <mj-attributes><mj-all font-family="Arial, sans-serif" /></mj-attributes>
    <mj-style inline="inline">.lead { color: #333333; font-size: 16px; }</mj-style>
    <mj-style>@media (prefers-color-scheme: dark) {
      .lead { color: #eeeeee !important; } }</mj-style>
  </mj-head>
  <mj-body background-color="#ffffff">
    <mj-section>
      <mj-column>
        <mj-image src="https://example.com/logo.png" alt="Maison" width="120px" />
        <mj-text css-class="lead"><h1>Bonjour Marie,</h1><p>Ta commande n° 1042 est en
          route : elle arrive demain.</p></mj-text>
        <mj-button href="https://example.com/suivi?utm_source=klaviyo">Suivre le colis</mj-button>
        <mj-divider border-color="#dddddd" />
      </mj-column>
    </mj-section>
    <mj-section>
      <mj-column><mj-text>Maison, 1 rue de Paris, 75001 Paris.
        <a href="https://example.com/desinscription">Se désinscrire</a></mj-text></mj-column>
    </mj-section>
  </mj-body>
</mjml>"""


def rehearse(run: Callable[[str, CheckInput, CheckConfig], object]) -> None:
    """Compile, validate and check `SAMPLE` here, for what it loads (see the module doc):
    `run(mjml, doc, config)` is the job runner (jobs.py hands in its `run_job`)."""
    with contextlib.suppress(Exception):  # a failure shows in the first real job instead
        from PIL import Image

        Image.preinit()  # the common image plugins, read by the image checks
        import encodings.idna  # noqa: F401  # links' host names
    with contextlib.suppress(Exception):
        from ..mjml.validate import validate

        validate(SAMPLE)
        palette = {"text": "#333333", "background": "#ffffff", "primary": "#1a4d8f"}
        dark = {"text": "#eeeeee", "background": "#121212", "primary": "#8fb8ff"}
        doc = CheckInput(html="", text="", subject="Ta commande est en route",
                         preheader="Elle arrive demain", lang="fr", palette=palette,
                         dark_palette=dark, postal_address="1 rue de Paris, 75001 Paris",
                         website="https://example.com", source_name="warm-up")
        run(SAMPLE, doc, CheckConfig())


def first_word(jobs_fd: int) -> bytes | None:
    """The first frame on the first worker's job pipe, read unbuffered: `GO`, or a job
    sent without it; None at the end of the pipe (nothing to do)."""
    header = _exactly(jobs_fd, HEADER.size)
    return None if header is None else _exactly(jobs_fd, HEADER.unpack(header)[0])


def _exactly(fd: int, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        part = os.read(fd, size - len(data))
        if not part:
            return None
        data += part
    return data
