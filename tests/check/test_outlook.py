"""Outlook for Windows, on the HTML Word lays out (conditional comments applied): a
column without a width, a background image without a fallback colour, a button that
loses its shape."""

from __future__ import annotations

from .helpers import errors, page, problems, run, warnings


def outlook(content: str) -> list:
    return run("outlook", html=page(content))


def column(text: str, width: str = "50%") -> str:
    return (f'<div class="mj-column-per-50" style="display:inline-block;vertical-align:top;'
            f'width:100%;max-width:{width}">{text}</div>')


def ghost(cells: list[tuple[str, str]]) -> str:
    """A two-column section as MJML writes it: a ghost table for Word around the columns."""
    out = ('<table role="presentation" style="width:100%"><tr><td style="font-size:0">'
           '<!--[if mso | IE]><table role="presentation"><tr><![endif]-->')
    for text, width in cells:
        cell = f' style="vertical-align:top;width:{width};"' if width else ""
        out += f"<!--[if mso | IE]><td{cell}><![endif]-->{column(text)}"
        out += "<!--[if mso | IE]></td><![endif]-->"
    return out + "<!--[if mso | IE]></tr></table><![endif]--></td></tr></table>"


def test_columns_in_a_ghost_table_with_widths_pass() -> None:
    assert outlook(ghost([("Miroir", "300px"), ("Panier", "300px")])) == []


def test_a_ghost_cell_without_a_width_is_found() -> None:
    found = warnings(outlook(ghost([("Miroir", "300px"), ("Panier rotin", "")])))
    assert len(found) == 1
    assert "ghost-table cell with no width" in found[0].message
    assert "Outlook for Windows" in found[0].message and found[0].locate == "Panier rotin"


def test_columns_side_by_side_without_a_ghost_table_stack() -> None:
    found = warnings(outlook('<table role="presentation"><tr><td>'
                             f'{column("Miroir")}{column("Panier")}</td></tr></table>'))
    assert len(found) == 1 and "2 columns side by side in one cell" in found[0].message


def test_one_column_in_its_own_cell_needs_no_width() -> None:
    assert outlook(f'<table role="presentation"><tr><td>{column("Seul")}</td></tr>'
                   "</table>") == []


HERO = ('<table role="presentation"><tr><td {attrs}>'
        '<p style="color:#FFFFFF;font-size:28px">Soldes d’hiver</p></td></tr></table>')


def test_a_background_image_with_no_fallback_colour() -> None:
    found = errors(outlook(HERO.format(attrs='style="background-image:url(hero.jpg)"')))
    assert len(found) == 1
    assert "no fallback colour" in found[0].message and "#ffffff" in found[0].message
    assert found[0].locate == "Soldes d’hiver"


def test_a_gradient_with_no_fallback_under_readable_text_is_a_warning() -> None:
    found = outlook(HERO.format(attrs='style="background-image:linear-gradient(#E8896F,'
                                      '#A3472F)"').replace("#FFFFFF", "#2B2523"))
    assert errors(found) == [] and len(warnings(found)) == 1
    assert "no fallback colour" in warnings(found)[0].message


def test_a_background_attribute_with_no_fallback_colour() -> None:
    assert errors(outlook(HERO.format(attrs='background="hero.jpg"')))


def test_a_background_image_with_a_fallback_colour_passes() -> None:
    assert outlook(HERO.format(attrs='bgcolor="#3A2923" style="background:#3A2923 '
                                     'url(hero.jpg) center / cover"')) == []


def test_a_background_image_drawn_by_vml_for_word_passes() -> None:
    vml = ('<!--[if mso | IE]><v:rect style="width:600px" fill="true" stroke="false">'
           '<v:fill src="hero.jpg" type="frame" /><v:textbox inset="0,0,0,0"><![endif]-->'
           + HERO.format(attrs='style="background:url(hero.jpg)"')
           + "<!--[if mso | IE]></v:textbox></v:rect><![endif]-->")
    assert problems(outlook(vml)) == []


BUTTON = ('<table role="presentation"><tr><td align="center" {cell}><a href="https://'
          'www.kokawa.fr" style="display:inline-block;background:#A3472F;color:#FFFFFF;'
          'font-size:16px;line-height:120%;padding:14px 28px;{link}">Voir le produit</a>'
          "</td></tr></table>")


def test_a_link_padded_as_a_button_with_no_cell_behind_it_shrinks() -> None:
    found = warnings(outlook(BUTTON.format(cell="", link="")))
    assert len(found) == 1 and "shrinks to its text" in found[0].message
    assert found[0].locate == "Voir le produit"


def test_a_button_as_mjml_writes_it_keeps_its_shape() -> None:
    mjml = BUTTON.format(cell='bgcolor="#A3472F" style="border-radius:6px;mso-padding-alt:'
                              '14px 28px;background:#A3472F"',
                         link="border-radius:6px;mso-padding-alt:0px")
    assert outlook(mjml) == []


def test_a_pill_drawn_with_border_radius_alone_turns_into_a_rectangle() -> None:
    pill = BUTTON.format(cell='bgcolor="#A3472F" style="border-radius:30px;mso-padding-alt:'
                              '14px 28px;background:#A3472F"',
                         link="border-radius:30px")
    found = warnings(outlook(pill))
    assert len(found) == 1 and "turns into a rectangle" in found[0].message


def test_a_button_word_never_sees_is_not_judged() -> None:
    """The `<!--[if !mso]><!-->` branch is for other clients; Word gets the VML one."""
    both = ('<!--[if mso]><v:roundrect arcsize="50%" fillcolor="#A3472F"><center>Voir'
            '</center></v:roundrect><![endif]--><!--[if !mso]><!-->'
            + BUTTON.format(cell="", link="border-radius:30px") + "<!--<![endif]-->")
    assert outlook(both) == []


def test_the_demo_passes(demo_build) -> None:
    result, _ = demo_build
    found = [f"{p.key}: {f}" for p in result.pages.values() for f in p.findings or ()
             if f.check == "outlook" and f.severity != "info"]
    assert found == []
