"""The whole gate: a stock MJML email with good content passes with the default config,
once its preheader is hidden as mailkit hides it (MJML's own is hidden text to filters)."""

from __future__ import annotations

import mjml
import pytest

from mailkit.check import (
    CHECKS,
    CheckConfig,
    CheckInput,
    Finding,
    format_report,
    has_errors,
    run_checks,
)
from mailkit.pipeline.compile import MJML_PREHEADER, PREHEADER

from .helpers import (
    ADDRESS,
    DARK,
    PALETTE,
    UTM,
    WEBSITE,
    body,
    errors,
    make_doc,
    page,
    problems,
)

PREVIEW = "Votre masque R-Pur est prêt\u00a0: trois conseils."  # fits Gmail's line
SHARE = "Je te recommande R-Pur : l'air pur, même en ville."
SHARE_URL = "https://wa.me/?text=Je%20te%20recommande%20R-Pur%20%3A%20l%27air%20pur%2C%20m%C3%AAme%20en%20ville."


def mjml_email(*, export: bool = False, head: str = "") -> str:
    q = "?utm_source=klaviyo&amp;utm_medium=email"
    unsubscribe = "{% unsubscribe_link %}" if export else "https://www.r-pur.com/desabonnement"
    preferences = ("{% manage_preferences_link %}" if export
                   else "https://www.r-pur.com/preferences")
    return f"""
<mjml lang="fr">
  <mj-head>
    <mj-title>Bienvenue chez R-Pur</mj-title>
    <mj-preview>{PREVIEW}</mj-preview>
    <mj-attributes>
      <mj-all font-family="Helvetica, Arial, sans-serif" />
      <mj-text color="#1a1a1a" font-size="16px" line-height="24px" />
    </mj-attributes>{head}
  </mj-head>
  <mj-body background-color="#ffffff">
    <mj-section>
      <mj-column>
        <mj-image src="https://cdn.r-pur.com/logo.png" alt="R-Pur" width="120px"
                  href="https://www.r-pur.com/{q}" />
        <mj-text><h1 style="margin:0">Bienvenue\u202f!</h1></mj-text>
        <mj-text>Merci pour votre commande. Votre masque arrive bientôt\u00a0: voici trois
          conseils pour bien démarrer, de l'ajustement des brides au changement du filtre,
          et pour suivre la qualité de l'air autour de vous avec notre application.</mj-text>
        <mj-button href="https://www.r-pur.com/app{q}" background-color="#0b5394"
                   color="#ffffff">Découvrir l'application</mj-button>
      </mj-column>
    </mj-section>
    <mj-section>
      <mj-column>
        <mj-image src="https://cdn.r-pur.com/masque.jpg" alt="Le masque R-Pur Nano"
                  width="260px" />
      </mj-column>
      <mj-column>
        <mj-text><h2>Ajustez les brides</h2>Un masque bien ajusté filtre mieux\u00a0: serrez
          les brides jusqu'à ne plus sentir d'air passer sur les côtés.</mj-text>
        <mj-text><a href="{SHARE_URL}">Partager sur WhatsApp</a></mj-text>
      </mj-column>
    </mj-section>
    <mj-section>
      <mj-column>
        <mj-divider border-color="#cccccc" border-width="1px" />
        <mj-social mode="horizontal" icon-size="24px">
          <mj-social-element name="instagram-noshare" href="https://www.instagram.com/rpur"
            src="https://cdn.r-pur.com/instagram.png" alt="Instagram" />
        </mj-social>
        <mj-text font-size="12px" color="#555555">{ADDRESS}<br />
          <a href="{unsubscribe}" style="color:#555555">Se désabonner</a> ·
          <a href="{preferences}" style="color:#555555">Préférences</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>"""


def compiled(*, stock_preheader: bool = False, **kwargs: object) -> str:
    html = mjml.mjml2html(mjml_email(**kwargs), fonts={}, disable_comments=False)
    return html if stock_preheader else html.replace(MJML_PREHEADER, PREHEADER)


def mjml_doc(*, export: bool = False, head: str = "") -> CheckInput:
    unsubscribe = "{% unsubscribe_link %}" if export else "https://www.r-pur.com/desabonnement"
    text = (f"Bienvenue !\n\nMerci pour votre commande.\n{ADDRESS}\n"
            f"Se désabonner [{unsubscribe}]\n")
    return CheckInput(html=compiled(export=export, head=head), text=text,
                      subject="Bienvenue chez R-Pur", preheader=PREVIEW, lang="fr",
                      palette=PALETTE, dark_palette=DARK, postal_address=ADDRESS,
                      export=export, whatsapp_message=SHARE, utm=UTM, website=WEBSITE,
                      source_name="r-pur/welcome/default")


@pytest.mark.parametrize("export", [False, True])
def test_stock_mjml_email_passes_clean(export: bool) -> None:
    findings = run_checks(mjml_doc(export=export))
    assert problems(findings) == [], format_report(mjml_doc(), findings)
    assert not has_errors(findings)
    assert {f.check for f in findings} == {"size", "support"}  # the two info lines


def test_stock_mjml_preheader_is_hidden_text_to_filters() -> None:
    doc = mjml_doc()
    stock = CheckInput(**{**doc.__dict__, "html": compiled(stock_preheader=True)})
    found = problems(run_checks(stock))
    assert [(f.check, f.locate) for f in found] == [("spam", PREVIEW[:60])] * 2  # colour, size


DARK_MODE = """
    <mj-style>
      @media (prefers-color-scheme: dark) {
        .body { background-color: #121212 !important; }
      }
    </mj-style>"""


def test_dark_mode_media_query_must_be_accepted_knowingly() -> None:
    doc = mjml_doc(head=DARK_MODE)
    found = errors(run_checks(doc))
    assert [f.where for f in found] == ["@media (prefers-color-scheme: dark)"]
    accepted = CheckConfig(accepted=["css-at-media-prefers-color-scheme"])
    assert problems(run_checks(doc, accepted)) == []


def test_checks_cover_every_family_in_order() -> None:
    dark = ("<style>@media (prefers-color-scheme: dark) "
            "{ body { background: #000 !important; } } .twin { display: none }</style>")
    bad = make_doc(html=page(body(
        '<p><a href="http://x.example.com">GRATUIT</a></p>'
        '<img src="x.png"><table><tr><td style="display:flex">x</td></tr></table>'
        '<p style="color:#222">Prix\\u{a0}: 10 € ?</p>'
        '<p style="background:#E8896F;color:#1A1614">Saumon</p><p class="twin">Jumeau</p>'
        '<p><a href="https://www.r-pur.com" style="background:#0b5394;color:#fff;'
        'padding:12px 24px">Go</a></p>'
        '<p>Variante : None</p><a href="None">Suivre</a><p>Ouvert demain, comme chez kokawa.</p>'
        '<p><a href="https://www.r-pur.com/p">Ajouter au panier</a></p>'), head=dark), subject="",
        voice="tu", text="Léa, bonjour\n, Léa\n", names=("Léa",), trigger="segment",
        other_brands=("kokawa",))
    families = [f.check for f in run_checks(bad)]
    assert set(families) == set(CHECKS)
    assert families == sorted(families, key=CHECKS.index)


def test_only_some_checks_and_unknown_names() -> None:
    assert {f.check for f in run_checks(make_doc(), only=["size"])} == {"size"}
    with pytest.raises(ValueError, match="unknown checks"):
        run_checks(make_doc(), only=["sise"])


def test_empty_html_is_an_error() -> None:
    found = run_checks(make_doc(html=" "))
    assert has_errors(found) and found[-1].message == "the HTML is empty"


def test_report_and_finding_text() -> None:
    doc = make_doc(subject="")
    report = format_report(doc, run_checks(doc))
    assert report.startswith("r-pur/test: 1 error(s)")
    assert "error: required: the subject is empty" in report
    assert str(Finding("warning", "spam", "m", "w")) == "warning: spam: m  [w]"
