"""SpamAssassin beside our spam rule: its report read, content told from delivery, a clear
error without it, and our rule's reading of hidden text checked against its own."""

from __future__ import annotations

import pytest
from helpers import spam_message

from mailkit.check import spamassassin
from mailkit.check.dom import parse_html
from mailkit.check.hidden import walk_low_contrast
from mailkit.check.spamassassin import SpamAssassinError, find, findings, parse_report

REPORT = """\
5.1/5.0
Spam detection software, running on the system "ci", has identified this incoming
email as possible spam.

Content analysis details:   (5.1 points, 5.0 required)

 pts rule name              description
---- ---------------------- --------------------------------------------------
 2.4 RDNS_NONE              Delivered to internal network by a host with no rDNS
 0.7 HTML_FONT_LOW_CONTRAST BODY: HTML font color similar or identical to
                            background
 1.0 NORDNS_LOW_CONTRAST    No rDNS + hidden text
 1.0 HTML_FONT_TINY_NORDNS  Font too small to read, no rDNS
 0.0 HTML_MESSAGE           BODY: HTML included in message
-0.0 NO_RELAYS              Informational: message was not relayed via SMTP

"""


def document(html: str) -> str:
    return html if html.startswith("<html") else f"<html><body>{html}</body></html>"


def message(html: str) -> bytes:
    doc = document(html)
    return spam_message(f"<!doctype html>{doc}", " ".join(parse_html(doc).itertext()))


def test_the_report_is_read_rule_by_rule_with_wrapped_descriptions():
    score = parse_report(REPORT)
    assert (score.points, score.required) == (5.1, 5.0)
    assert [h.rule for h in score.hits] == ["RDNS_NONE", "HTML_FONT_LOW_CONTRAST",
                                            "NORDNS_LOW_CONTRAST", "HTML_FONT_TINY_NORDNS",
                                            "HTML_MESSAGE", "NO_RELAYS"]
    assert score.hits[1].description == ("BODY: HTML font color similar or identical to "
                                         "background")


def test_content_points_are_errors_and_delivery_points_info():
    """What we write is ours to fix; rDNS and friends are the sending service's."""
    score = parse_report(REPORT)
    assert (score.content, score.delivery) == (0.7, 4.4)
    found = findings(score, "4.0.1")
    assert [f.where for f in found if f.severity == "error"] == ["HTML_FONT_LOW_CONTRAST"]
    summary = found[-1]
    assert summary.severity == "info" and "content 0.7, delivery 4.4" in summary.message
    assert "not scored offline" in summary.message


def test_a_missing_spamassassin_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(spamassassin, "SBIN", "/nonexistent")
    with pytest.raises(SpamAssassinError, match="not installed: install it .*apt-get install "
                                                "spamd spamc.*MAILKIT_SPAMD"):
        find({"PATH": "/nonexistent"})
    with pytest.raises(SpamAssassinError, match="MAILKIT_SPAMD=/opt/sa/spamd: no such program"):
        find({"PATH": "/usr/bin", "MAILKIT_SPAMD": "/opt/sa/spamd"})


def test_spamassassin_gives_hidden_text_content_points(spamd):
    """The gate's engine: white text scores, the same text readable does not."""
    hidden = spamd.score(message('<div style="color:#ffffff">Un texte que personne ne voit.</div>'))
    shown = spamd.score(message('<div style="color:#2b2523">Un texte que chacun peut lire.</div>'))
    assert "HTML_FONT_LOW_CONTRAST" in {h.rule for h in hidden.hits} and hidden.content > 0
    assert [f.where for f in findings(hidden) if f.severity == "error"] == [
        "HTML_FONT_LOW_CONTRAST"]
    assert shown.content == 0 and not [f for f in findings(shown) if f.severity == "error"]


# What SpamAssassin's HTML.pm reads and ignores (measured with 4.0.1): the body's style
# and every bgcolor are ignored; td/div/span/p/a styles count; `transparent` text takes
# the background's colour.
CONTRAST_CASES = [
    '<div style="color:#ffffff">Texte blanc sur blanc</div>',
    '<div style="color:#f4f4f4">Texte presque blanc</div>',
    '<div style="color:#e0e0e0">Texte gris clair lisible</div>',
    '<table><tr><td style="background-color:#000000"><span style="color:#000001">'
    "Noir sur noir</span></td></tr></table>",
    '<table><tr><td bgcolor="#000000"><span style="color:#000001">Noir sur fond '
    "bgcolor</span></td></tr></table>",
    '<div style="background:url(x.png) #000000 no-repeat"><p style="color:#050505">Fond '
    "en raccourci</p></div>",
    '<div style="color:transparent">Texte transparent</div>',
    '<div style="color: rgb(255, 255, 255) !important">Blanc en rgb</div>',
    '<div style="Color:white">Blanc nommé</div>',
    '<h1 style="color:#ffffff">Un titre blanc</h1>',
    '<div style="color :#ffffff">Un espace avant les deux-points</div>',
    '<html><body style="background-color:#000000"><div style="color:#ffffff">Blanc sur un '
    "corps noir</div></body></html>",
    '<html><body text="#ffffff">Texte du corps en blanc</body></html>',
]


@pytest.mark.parametrize("html", CONTRAST_CASES)
def test_our_reading_of_low_contrast_is_spamassassins(spamd, html):
    ours = bool(walk_low_contrast(parse_html(document(html)), lambda found: found.text))
    theirs = "HTML_FONT_LOW_CONTRAST" in {h.rule for h in spamd.score(message(html)).hits}
    assert ours == theirs

