"""Gmail without `<style>` (non-Google accounts, mobile webmail): what disappears or
appears, a layout wider than a phone, buttons that stop looking like buttons."""

from __future__ import annotations

import pytest

from .helpers import errors, page, problems, run, warnings


def nostyle(content: str, css: str = "") -> list:
    head = f"<style>{css}</style>" if css else ""
    return run("nostyle", html=page(
        f'<table role="presentation" style="width:100%"><tr><td>{content}</td></tr></table>',
        head=head))


def test_an_inline_email_passes() -> None:
    assert nostyle('<p style="color:#2B2523">Bonjour</p>') == []


def test_a_twin_hidden_only_by_a_style_rule_appears() -> None:
    found = warnings(nostyle('<div class="twin"><img src="dark/logo.png" alt="kokawa" '
                             'width="160"></div>', ".twin { display: none; mso-hide: all; }"))
    assert len(found) == 1 and "appears" in found[0].message
    assert found[0].locate == "dark/logo.png"


def test_the_same_twin_hidden_inline_as_well_passes() -> None:
    css = ".twin { display: none; } @media (prefers-color-scheme: dark) " \
          "{ .twin { display: block !important; } }"
    assert nostyle('<div class="twin" style="display:none;mso-hide:all"><img '
                   'src="dark/logo.png" alt="kokawa" width="160"></div>', css) == []


def test_a_twin_whose_image_has_no_height_inline_shows_nothing() -> None:
    """The demo's twins: hidden by a class in <style> (no inline display:none, which
    filters count as hidden text), their image at max-height:0 inline."""
    css = ".twin { display: none; } @media (prefers-color-scheme: dark) " \
          "{ .twin { display: table-cell !important; } .twin img { max-height: none " \
          "!important; } }"
    twin = ('<table><tr><td class="twin" style="mso-hide:all"><img src="dark/logo.png" '
            'alt="" width="160" style="max-height:0"></td></tr></table>')
    assert nostyle(twin, css) == []
    assert warnings(nostyle(twin.replace('alt=""', 'alt="kokawa"').replace(
        "max-height:0", "display:block"), css))


def test_a_desktop_only_block_appears_on_the_phone() -> None:
    found = warnings(nostyle('<p class="desk">Livraison offerte dès 50 €</p>',
                             "@media only screen and (max-width:479px) { .desk { display: "
                             "none !important; } }"))
    assert len(found) == 1 and "Livraison offerte" in found[0].message
    assert found[0].locate == "Livraison offerte dès 50 €"


def test_a_mobile_only_block_disappears() -> None:
    found = errors(nostyle('<p class="mob" style="display:none">Ouvre l’app</p>',
                           "@media (max-width:479px) { .mob { display: block !important; } }"))
    assert len(found) == 1 and "disappears" in found[0].message
    assert found[0].locate == "Ouvre l’app"


def test_only_the_outermost_switching_block_is_named() -> None:
    found = nostyle('<div class="twin"><p>un</p><p>deux</p></div>', ".twin {display:none}")
    assert len(found) == 1


def test_an_empty_spacer_switching_says_nothing() -> None:
    assert nostyle('<div class="gap"></div>', ".gap {display:none}") == []


@pytest.mark.parametrize(("element", "ok"), [
    ('<table width="600"><tr><td>Large</td></tr></table>', False),
    ('<table width="600" style="width:100%;max-width:600px"><tr><td>Fluide</td></tr></table>',
     True),
    ('<div style="width:600px">Large</div>', False),
    ('<div style="width:600px;max-width:100%">Tenue</div>', True),
    ('<div style="max-width:600px;margin:0 auto">Comme MJML</div>', True),
    ('<div style="min-width:480px">Minimum</div>', False),
    ('<img src="x.png" alt="x" width="600">', False),
    ('<img src="x.png" alt="x" width="600" style="width:100%;height:auto">', True),
    ('<table><tr><td style="width:600px">Cellule</td></tr></table>', True),  # it shrinks
    ('<div style="width:320px">Étroit</div>', True),
])
def test_a_fixed_width_wider_than_the_phone(element: str, ok: bool) -> None:
    found = warnings(nostyle(element))
    assert (found == []) is ok
    if not ok:
        assert "wider than a 375 px phone" in found[0].message


def test_a_wide_table_is_named_once_not_with_everything_inside() -> None:
    found = nostyle('<table width="600"><tr><td><div style="width:600px">x</div></td></tr>'
                    "</table>")
    assert len(found) == 1


def test_columns_side_by_side_without_their_media_query() -> None:
    columns = ('<div style="display:inline-block;width:50%">Un</div>'
               '<div style="display:inline-block;width:50%">Deux</div>')
    found = warnings(nostyle(columns))
    assert len(found) == 2 and "side by side" in found[0].message
    mjml_like = columns.replace("width:50%", "width:100%")
    assert nostyle(mjml_like) == []


BUTTON = ('<table role="presentation"><tr><td class="cell" {cell}><a class="btn" '
          'href="https://www.kokawa.fr" {link}>Suivre mon colis</a></td></tr></table>')


def test_a_button_drawn_by_a_style_rule_loses_its_look() -> None:
    css = (".btn { background: #A3472F; color: #FFFFFF; padding: 14px 28px; "
           "display: inline-block; }")
    found = warnings(nostyle(BUTTON.format(cell="", link=""), css))
    assert len(found) == 1
    assert "loses its background and padding" in found[0].message
    assert found[0].locate == "Suivre mon colis"


def test_an_outlined_button_drawn_by_a_style_rule_loses_its_border() -> None:
    css = ".btn { border: 2px solid #A3472F; padding: 12px 24px; }"
    found = warnings(nostyle(BUTTON.format(cell="", link='style="padding:12px 24px"'), css))
    assert len(found) == 1 and "loses its border" in found[0].message


def test_a_button_inlined_as_mjml_writes_it_passes() -> None:
    mjml = BUTTON.format(cell='bgcolor="#A3472F" style="background:#A3472F;border-radius:6px"',
                         link='style="background:#A3472F;color:#FFFFFF;padding:14px 28px;'
                              'display:inline-block"')
    assert problems(nostyle(mjml, ".btn:hover { background: #8E3F2C; }")) == []


def test_the_demo_passes(demo_build) -> None:
    result, _ = demo_build
    found = [f"{p.key}: {f}" for p in result.pages.values() for f in p.findings or ()
             if f.check == "nostyle" and f.severity != "info"]
    assert found == []
