"""The WhatsApp link decodes back to exactly the text the brand wrote."""

from __future__ import annotations

import re
from urllib.parse import unquote

import yaml
from helpers import REPO
from hypothesis import given
from hypothesis import strategies as st

from mailkit.pipeline.jinja.filters import whatsapp_url

PREFIX = "https://wa.me/?text="


@given(st.text())
def test_any_unicode_text_round_trips(text):
    url = whatsapp_url(text)
    assert url.startswith(PREFIX)
    encoded = url[len(PREFIX):]
    assert re.fullmatch(r"[A-Za-z0-9_.~%-]*", encoded), "only unreserved bytes stay raw"
    assert unquote(encoded, errors="strict") == text


def test_spaces_accents_apostrophes_emoji_and_separators_are_encoded():
    assert whatsapp_url("à l’été & #1 'ok' 💛") == (
        PREFIX + "%C3%A0%20l%E2%80%99%C3%A9t%C3%A9%20%26%20%231%20%27ok%27%20%F0%9F%92%9B")


def test_kokawa_email_carries_the_brand_message(demo_build):
    result, _ = demo_build
    brand = yaml.safe_load((REPO / "brands/kokawa/brand.yaml").read_text(encoding="utf-8"))
    message = brand["whatsapp"]["message"]
    for key in ("kokawa/partage-whatsapp/un-article", "kokawa/partage-whatsapp/sans-prenom"):
        html = result.pages[key].compiled.html
        links = re.findall(r'href="(https://wa\.me/\?text=[^"]*)"', html)
        assert len(links) == 1
        assert unquote(links[0][len(PREFIX):]) == message
