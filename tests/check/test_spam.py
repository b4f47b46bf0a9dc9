from __future__ import annotations

import pytest

from .helpers import errors, page, problems, run


def test_baseline_is_not_spammy() -> None:
    assert problems(run("spam")) == []


@pytest.mark.parametrize(("subject", "flagged"), [
    ("Bienvenue chez R-Pur", False),
    ("Votre masque R-Pur FFP2 est prêt", False),  # acronyms are not shouting
    ("BIENVENUE CHEZ R-PUR", True),
    ("PROMO FLASH sur votre masque", True),
])
def test_subject_in_capitals(subject: str, flagged: bool) -> None:
    found = [f for f in run("spam", subject=subject) if "capitals" in f.message]
    assert bool(found) is flagged


@pytest.mark.parametrize(("subject", "extra", "flagged"), [
    ("Bienvenue !", "", False),
    ("Bienvenue !!", "", True),
    ("Bienvenue", "<p>Génial !! Vraiment.</p>", True),
    ("Bienvenue", "<p>Un ! Deux ! Trois ! Quatre ! Cinq !</p>", True),
])
def test_exclamation_marks(subject: str, extra: str, flagged: bool) -> None:
    found = [f for f in run("spam", extra, subject=subject) if "exclamation" in f.message]
    assert bool(found) is flagged


@pytest.mark.parametrize(("text", "phrase"), [
    ("<p>Livraison GRATUITE dès 30 €</p>", "gratuit"),
    ("<p>C'est 100 % gratuit !</p>", "100% gratuit"),
    ("<p>Cliquez ici pour en profiter.</p>", "cliquez ici"),
    ("<p>Free shipping, act now.</p>", "act now"),
    ("<p>Dernière chance : offre urgente.</p>", "urgent"),
])
def test_spam_phrases(text: str, phrase: str) -> None:
    found = [f for f in run("spam", text) if f.where == phrase]
    assert found and "body" in found[0].message


def test_spam_phrase_counts_once_with_its_longer_form() -> None:
    found = run("spam", "<p>100% gratuit</p>")
    assert [f.where for f in found] == ["100% gratuit"]


def test_word_boundaries_and_subject() -> None:
    harmless = "<p>Freedom, cashmere et gratitude ne sont pas des mots-clés.</p>"
    assert problems(run("spam", harmless)) == []
    assert "subject" in run("spam", subject="Votre cadeau gratuit")[0].message


def test_image_heavy_email_warns() -> None:
    imgs = "".join(f'<img src="https://cdn.r-pur.com/{i}.jpg" alt="Produit {i}" width="600">'
                   for i in range(4))
    html = page(f'<table role="presentation"><tr><td>{imgs}<p>Nos nouveautés, à découvrir '
                "dès maintenant dans votre boutique préférée.</p></td></tr></table>")
    found = run("spam", html=html)
    assert any("image-heavy" in f.message for f in found)


def test_spam_is_never_an_error() -> None:
    subject = "GAGNEZ!!! 100% GRATUIT URGENT"
    html = page('<img src="https://cdn.r-pur.com/a.jpg" alt="a" width="600"><p>Cliquez ici!!</p>')
    found = run("spam", html=html, subject=subject)
    assert len(found) >= 4 and errors(found) == []


@pytest.mark.parametrize(("html", "flagged"), [
    ('<p style="color:#f4f4f4">Un mot presque invisible</p>', True),
    ('<p style="color:#555555">Un mot presque invisible</p>', False),
    # SpamAssassin reads neither bgcolor nor <body style>: white text there is white on white
    ('<table><tr><td bgcolor="#0b5394"><span style="color:#ffffff">Un mot presque '
     "invisible</span></td></tr></table>", True),
    ('<table><tr><td style="background-color:#0b5394"><span style="color:#ffffff">Un mot '
     "presque invisible</span></td></tr></table>", False),
])
def test_text_in_the_colour_of_its_background_as_spamassassin_reads_it(html, flagged):
    found = [f for f in run("spam", html) if "HTML_FONT_LOW_CONTRAST" in f.message]
    assert bool(found) is flagged
    if flagged:  # the build finds these words in the template, and names its line
        assert found[0].severity == "warning" and found[0].locate == "Un mot presque invisible"


@pytest.mark.parametrize(("html", "flagged"), [
    ('<p style="font-size:3px">Des conditions en tout petit</p>', True),
    ('<p style="font-size:0">Des conditions en tout petit</p>', True),
    ('<p style="font-size:13px">Des conditions en tout petit</p>', False),
    # MJML's column wrappers: a 0 px font around columns, with only white space of its own
    ('<div style="font-size:0px">\n  <div style="font-size:16px">Des conditions en tout '
     "petit</div>\n</div>", False),
])
def test_text_in_a_tiny_font(html, flagged):
    found = [f for f in run("spam", html) if " px font" in f.message]
    assert bool(found) is flagged
    if flagged:
        assert found[0].locate == "Des conditions en tout petit"


@pytest.mark.parametrize(("count", "flagged"), [(4, False), (5, True)])
def test_more_than_five_elements_hidden_by_inline_styles(count, flagged):
    """The baseline's preheader is hidden by `display:none` already: one more than `count`."""
    twins = "".join(f'<div style="display:none"><img src="https://cdn.r-pur.com/dark/{i}.png" '
                    f'alt="Produit {i}" width="120"></div>' for i in range(count))
    found = [f for f in run("spam", twins) if "elements hidden" in f.message]
    assert bool(found) is flagged
    if flagged:  # the first one over the limit, by its image
        assert found[0].message.startswith("6 elements hidden by an inline display:none")
        assert found[0].locate == "https://cdn.r-pur.com/dark/4.png"


def test_each_phrase_holds_the_text_its_prefilter_needs() -> None:
    """check_phrases skips a phrase whose NEEDS text is not in the folded text: each
    phrase, as written, must hold it and match its own pattern."""
    from mailkit.check.rules.spam import _PHRASES, NEEDS, SPAM_PHRASES, fold

    assert NEEDS.keys() == SPAM_PHRASES.keys()
    for phrase, pattern in _PHRASES.items():
        assert NEEDS[phrase] in fold(phrase) and pattern.search(fold(phrase)), phrase
