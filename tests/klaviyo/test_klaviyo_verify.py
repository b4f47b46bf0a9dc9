"""`mailkit export klaviyo --verify`: every state of every email rendered by (the fake)
Klaviyo from the pushed template, compared with the preview, against the fake Klaviyo
(klaviyo_fake.py), whose every request is checked against the official OpenAPI schema."""

from __future__ import annotations

from klaviyo_fake import export_cli


def test_verify_renders_every_state_through_klaviyo(demo_copy, fake, demo_build):
    assert export_cli(demo_copy, "--push", fake=fake).exit_code == 0
    fake.bodies.clear()
    result = export_cli(demo_copy, "--verify", fake=fake)
    assert result.exit_code == 0, result.output
    pages = demo_build[0].pages
    renders = [b for m, op, b in fake.bodies if op == "render_template"]
    assert len(renders) == len(pages)  # every named and edge state of every email
    rows = [line for line in result.stdout.splitlines() if line.startswith(("r-pur/", "kokawa/"))]
    assert len(rows) == len(pages) and all(" ok    ok" in row for row in rows), result.stdout
    assert f"verify: {len(pages)} of {len(pages)} states render in Klaviyo as in the preview" \
        in result.stdout
    sans_app = next(b for b in renders if b["data"]["attributes"]["context"]["person"].get(
        "Has R-PUR App") is None and b["data"]["attributes"]["context"]["first_name"])
    assert sans_app["data"]["attributes"]["context"]["event"]  # the fixture's event


def test_verify_catches_a_template_that_renders_differently(demo_copy, fake):
    assert export_cli(demo_copy, "--push", fake=fake).exit_code == 0
    [stored] = fake.by_name("r-pur · Post-achat · 1 Ce que contient ton colis (J+0)")
    total = ("{{ event.extra.total_price|floatformat:'2g'|find_replace:',|\u202f'"
             "|find_replace:'.|,' }}")
    assert total in stored["html"]
    # edited in Klaviyo's editor since: the decimal comma is gone
    stored["html"] = stored["html"].replace(total, "{{ event.extra.total_price|floatformat:2 }}")
    result = export_cli(demo_copy, "--verify", fake=fake)
    assert result.exit_code == 1
    bad = [line for line in result.stdout.splitlines() if "DIFF" in line]
    assert bad and all(line.startswith("r-pur/colis/") for line in bad), result.stdout
    assert any("84.90" in line and "84,90" in line for line in bad)  # the order's total
    assert "states render in Klaviyo as in the preview; " in result.stdout
