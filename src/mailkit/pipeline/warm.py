"""A rehearsal: one small email compiled, validated and checked by a compile worker
before its first real job.

A worker's first page cost ~65 ms against ~11 ms for the next ones (demo, one process):
Pillow and its image plugins, the rules' data (caniemail, locales), the MJML rules,
the regexes and memos of premailer and cssutils are loaded or built on first use. The
first worker rehearses while the parent still loads the project and renders (it would
wait for its first job anyway), then forks its siblings, which inherit all of it: one
warm-up a build instead of one a worker, and off the path to the first page.

The rehearsal stores nothing (no step cache) and its results are dropped; every memo
it fills is keyed by content, so no page is checked differently for it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from ..check.model import CheckConfig, CheckInput

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
