"""The step cache's keys (cache/steps.py): a later build reuses a check's result exactly
when everything the checks read is the same."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from mailkit.cache.steps import assets_of, check_key
from mailkit.check.model import CheckConfig, CheckInput

DOC = CheckInput(html="<html><p>Bonjour</p></html>", text="Bonjour", subject="S",
                 preheader="P", lang="fr", palette={"text": "#000"},
                 dark_palette={"text": "#fff"}, postal_address="1 rue")
OTHER = {str: "x", bool: True, int: 3, dict: {"k": "v"}, tuple: ("a",)}


def test_every_field_of_the_page_is_in_the_check_key(tmp_path: Path) -> None:
    config = CheckConfig()
    base = check_key(DOC, config)
    assert check_key(dataclasses.replace(DOC), config) == base
    for field in dataclasses.fields(CheckInput):
        value = getattr(DOC, field.name)
        if field.name == "asset_root":
            changed = tmp_path / "email"
        elif value is None:
            changed = {"utm_source": "x"} if field.name == "utm" else "x"
        else:
            changed = OTHER[type(value)] if value != OTHER[type(value)] else type(value)()
        assert check_key(dataclasses.replace(DOC, **{field.name: changed}), config) != base, \
            field.name
    assert check_key(DOC, dataclasses.replace(config, clients=["gmail.ios"])) != base


def test_assets_listed_by_the_job_maker_give_the_same_key(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "logo.png").write_bytes(b"png")
    doc = dataclasses.replace(DOC, asset_root=tmp_path / "welcome")
    config = CheckConfig()
    listed = assets_of(doc.asset_root)
    assert check_key(doc, config, listed) == check_key(doc, config)
    (tmp_path / "assets" / "logo.png").write_bytes(b"a bigger png")
    assert check_key(doc, config) != check_key(doc, config, listed)
