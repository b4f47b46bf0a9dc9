"""MJML 5's rules as data: dumped from the npm package the benchmarks pin, finding what the
official validator finds, and placed at their template line by the source map
(test_mjml_validate.py: the findings as a designer meets them)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
from helpers import REPO

from mailkit.mjml.rules import RULES_FILE, load_rules
from mailkit.mjml.validate import validate
from mailkit.pipeline.environment import make_environment
from mailkit.pipeline.render import render
from mailkit.project.load import load_project


def require_official_mjml() -> None:
    """MJML's own npm package (scripts/bootstrap.sh installs it into benchmarks/
    node_modules): skip on a machine without npm, but never let CI skip it."""
    if shutil.which("node") is None or not (REPO / "benchmarks/node_modules/mjml").is_dir():
        message = "needs node and the npm install of mjml that scripts/bootstrap.sh makes"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)

def test_source_map_leaves_the_demo_output_unchanged_and_finds_every_element():
    project = load_project(REPO)
    for target in project.targets():
        marked = render(project, make_environment(project, target.brand), target)
        plain_env = make_environment(project, target.brand)
        plain_env.source_map = False
        plain_env.bytecode_cache = None
        plain = render(project, plain_env, target)
        assert marked.mjml == plain.mjml, target.key
        assert marked.source is not None and plain.source is None
        for match in re.finditer(r"<(mj-[a-z-]+)", marked.mjml):
            origin = marked.source.locate(marked.mjml, match.start())
            line = (REPO / origin.path).read_text(encoding="utf-8").splitlines()[origin.line - 1]
            assert f"<{match.group(1)}" in line, (target.key, origin)


def test_the_demo_is_clean():
    """Every demo page passes MJML 5's rules (what validating costs: `make bench`)."""
    project = load_project(REPO)
    for target in project.targets():
        page = render(project, make_environment(project, target.brand), target)
        assert validate(page.mjml, page.source) == [], target.key


def test_rules_are_mjml_5_data_with_its_licence():
    rules = load_rules()
    assert rules.version == "5.4.1"
    assert rules.attributes["mj-text"]["align"] == "enum(left,right,center,justify)"
    assert "mj-column" in rules.children["mj-section"]
    licence = (RULES_FILE.parent / "MJML-LICENSE").read_text(encoding="utf-8")
    assert "version 5.4.1" in licence and "Permission is hereby granted" in licence
    # the compiler the benchmarks compare with is the one whose rules we ship
    pinned = json.loads((REPO / "benchmarks/package.json").read_text())["dependencies"]["mjml"]
    assert pinned == rules.version


def test_refresh_dumps_the_same_rules_from_the_npm_package(tmp_path):
    require_official_mjml()
    from mailkit.mjml.refresh import refresh_mjml_rules

    dest = tmp_path / "mjml-rules.json"
    try:
        refresh_mjml_rules(modules=REPO / "benchmarks/node_modules", dest=dest)
    finally:
        load_rules.cache_clear()
    assert json.loads(dest.read_text()) == json.loads(RULES_FILE.read_text())
    licence = RULES_FILE.with_name("MJML-LICENSE").read_text()
    assert (tmp_path / "MJML-LICENSE").read_text() == licence


PARITY_DOCS = [
    "<mj-section><mj-column><mj-foo>x</mj-foo></mj-column></mj-section>",
    '<mj-section><mj-column><mj-text colour="red">x</mj-text></mj-column></mj-section>',
    '<mj-section><mj-column><mj-text align="middle" padding="10" color="#12">x</mj-text>'
    "</mj-column></mj-section>",
    "<mj-column><mj-text>x</mj-text></mj-column>",
    '<mj-section><mj-column><mj-image src="a.png" width="100" border-radius="4px 4px" />'
    "</mj-column></mj-section>",
    '<mj-section background-color="rgb(1,2,3)"><mj-column width="50%"><mj-button href="x" '
    'line-height="1.5" font-weight="bold">x</mj-button><mj-divider border-width="1px" />'
    '<mj-spacer height="10" /></mj-column></mj-section>',
]


def test_the_same_findings_as_the_official_validator(tmp_path):
    """MJML 5.4.1's own validator (validationLevel soft) on the same documents."""
    require_official_mjml()
    docs = [f"<mjml><mj-head><mj-attributes><mj-text colour=\"x\" /><mj-all padding=\"0\" />"
            f"</mj-attributes></mj-head>\n<mj-body>{body}</mj-body></mjml>" for body in PARITY_DOCS]
    (tmp_path / "docs.json").write_text(json.dumps(docs))
    script = tmp_path / "run.cjs"
    script.write_text(
        f"const mjml = require({json.dumps(str(REPO / 'benchmarks/node_modules/mjml'))});\n"
        "const docs = require('./docs.json');\n"
        "(async () => { const out = []; for (const d of docs) {\n"
        "  const r = await mjml(d, {validationLevel: 'soft'});\n"
        "  out.push(r.errors.map(e => [e.line, e.message])); }\n"
        "  console.log(JSON.stringify(out)); })();\n")
    official = json.loads(subprocess.run(["node", str(script)], cwd=tmp_path, check=True,
                                         capture_output=True, text=True).stdout)
    for doc, theirs in zip(docs, official, strict=True):
        ours = validate(doc)
        assert len(ours) == len(theirs), (doc, theirs, ours)
        assert sorted(f.line for f in ours) == sorted(line for line, _ in theirs)
        for _, message in theirs:  # the attribute or element each names, in ours too
            named = re.search(r"(?:Attribute (\S+)|Element (\S+)|^(\S+) cannot)", message)
            assert named and any(next(g for g in named.groups() if g) in f.message
                                 for f in ours), (message, ours)


def test_markers_survive_trim_and_locate_a_macro_through_its_call():
    """`|trim` on a macro's output trims as without markers (none is whitespace)."""
    import jinja2

    from mailkit.mjml import sourcemap

    class Marked(jinja2.Environment):
        def _parse(self, source, name, filename):
            return sourcemap.mark(super()._parse(source, name, filename), "t.j2")

    src = ("{% macro m() %}\n  <mj-text>a</mj-text>\n{% endmacro %}[{{ m()|trim }}]\n"
           "<mj-x>\n")
    clean, smap = sourcemap.strip(Marked().from_string(src).render())
    assert clean == jinja2.Environment().from_string(src).render()
    assert smap.locate(clean, clean.index("<mj-text")) == sourcemap.Origin("t.j2", 2,
                                                                           (("t.j2", 3),))
    assert smap.locate(clean, clean.index("<mj-x")) == sourcemap.Origin("t.j2", 4)
