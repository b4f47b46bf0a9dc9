"""Small handwritten emails for the check tests: one good baseline, then variations."""

from __future__ import annotations

from typing import Any

from mailkit.check import CheckConfig, CheckInput, Finding, run_checks

ADDRESS = "R-Pur SAS, 10 rue de Paris, 75001 Paris"
PREHEADER = "Votre masque est prêt\u00a0: trois conseils pour bien commencer."
WEBSITE = "https://www.r-pur.com"
UTM = {"utm_source": "klaviyo", "utm_medium": "email"}
PALETTE = {"text": "#1a1a1a", "background": "#ffffff", "primary": "#0b5394",
           "accent": "#e69138", "button_text": "#ffffff"}
DARK = {"text": "#eeeeee", "background": "#121212", "primary": "#8ab4f8",
        "accent": "#f6b26b", "button_text": "#121212"}
TEXT = ("Merci pour votre commande. Votre masque arrive bientôt chez vous. Voici trois "
        "conseils pour bien démarrer\u00a0: ajustez les brides, changez le filtre chaque mois et "
        "installez notre application pour suivre la qualité de l'air autour de vous au "
        "quotidien, à la maison comme au travail.")
APP = "https://www.r-pur.com/app?utm_source=klaviyo&utm_medium=email"
FOOTER = (f'<p>{ADDRESS}</p><p><a href="https://www.r-pur.com/unsubscribe">Se désabonner</a> '
          '· <a href="https://www.r-pur.com/preferences">Préférences</a></p>')
LOGO = '<img src="https://cdn.r-pur.com/logo.png" alt="R-Pur" width="120">'


def page(body: str, *, lang: str = "fr", head: str = "") -> str:
    """A whole document around `body`, with the hidden preheader MJML writes."""
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>R-Pur</title>{head}</head><body>"
            '<div style="display:none;max-height:0px;overflow:hidden;">'
            f"{PREHEADER}</div>{body}</body></html>")


def body(content: str = "", *, footer: str = FOOTER, logo: str = LOGO) -> str:
    """The baseline email body, with `content` added after the main text."""
    return (f'<table role="presentation" width="600"><tr><td>{logo}<h1>Bienvenue</h1>'
            f'<p>{TEXT}</p><p><a href="{APP}">Découvrir l\'application</a></p>{content}'
            f"{footer}</td></tr></table>")


def plain_text(extra: str = "") -> str:
    return (f"Bienvenue\n\n{TEXT}\n\nDécouvrir l'application [{APP}]\n{extra}\n{ADDRESS}\n"
            "Se désabonner [https://www.r-pur.com/unsubscribe]\n")


def make_doc(content: str = "", *, html: str | None = None, **overrides: Any) -> CheckInput:
    fields: dict[str, Any] = dict(
        html=html if html is not None else page(body(content)),
        text=plain_text(),
        subject="Bienvenue chez R-Pur",
        preheader=PREHEADER,
        lang="fr",
        palette=PALETTE,
        dark_palette=DARK,
        postal_address=ADDRESS,
        website=WEBSITE,
        utm=UTM,
        source_name="r-pur/test",
    )
    fields.update(overrides)
    return CheckInput(**fields)


def run(check: str, content: str = "", *, config: CheckConfig | None = None,
        **overrides: Any) -> list[Finding]:
    """Findings of one family for the baseline email plus `content` (or overrides)."""
    return run_checks(make_doc(content, **overrides), config, only=[check])


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "warning"]


def problems(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity != "info"]
