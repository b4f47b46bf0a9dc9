"""The layers of src/mailkit/ hold: what each module may import (README, "Architecture").

Read from the source with `ast`, so a violation fails here with the import named,
not later as a cycle at run time. Imports under `if TYPE_CHECKING:` don't count;
imports inside functions do (they run).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "mailkit"
COMMANDS = {"mailkit.cli", "mailkit.__main__", "mailkit.serve.rebuild"}  # live: serve's builder


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The mailkit modules `path` imports when it runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
               and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped or not isinstance(node, ast.ImportFrom | ast.Import):
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("mailkit")}
            continue
        base = (package[:len(package) - node.level + 1] if node.level
                else [])
        target = ".".join([*base, *([node.module] if node.module else [])])
        if target.startswith("mailkit"):
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names}
    return found


GRAPH = {module_name(p): imports(p) for p in sorted(SRC.rglob("*.py"))}
GRAPH = {m: {d for d in deps if d in GRAPH and d != m} for m, deps in GRAPH.items()}


def test_only_the_commands_import_the_orchestrator():
    users = sorted(m for m, deps in GRAPH.items() if "mailkit.commands.build" in deps)
    assert set(users) <= COMMANDS, f"below the commands, {users} import build.py"


def test_no_import_cycle():
    cycles, state = [], {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = "open"
        for dep in sorted(GRAPH[module]):
            if state.get(dep) == "open":
                cycles.append(path[path.index(dep):] + [dep])
            elif dep not in state:
                visit(dep, [*path, dep])
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert not cycles, " ; ".join(" -> ".join(c) for c in cycles)


# below everything: they import nothing of mailkit's (errors.py and yamlfile.py use them)
LEAVES = {"mailkit.pipeline.jinja.locate", "mailkit.yamlguard"}
# MJML's rules as a library (checks.yaml's accept_mjml is validated with them)
MJML = {"mailkit.mjml", "mailkit.mjml.report", "mailkit.mjml.rules", "mailkit.mjml.sourcemap",
        "mailkit.mjml.validate"}


@pytest.mark.parametrize(("layer", "may_import"), [
    # the checks are a library: they know nothing of projects, builds or exports
    ("mailkit.check", {"mailkit.check"}),
    # the data model sits below every stage
    ("mailkit.model", {"mailkit.check.model", "mailkit.project.schema", "mailkit.errors",
                       "mailkit.yamlfile", "mailkit.check", *LEAVES}),
    # the render stage receives a dialect; it does not reach into an ESP's package
    # (the data contracts sit with the project: schemas, fixture checks, edge states)
    ("mailkit.pipeline.render", {"mailkit.cache.bytecode", "mailkit.pipeline.jinja.datatags", "mailkit.pipeline.dialect",
                        "mailkit.project.contract", "mailkit.project.contract.validate", "mailkit.project.contract.edges",
                        "mailkit.project.contract.fixtures", "mailkit.project.contract.reads",
                        "mailkit.project.percustomer",
                        "mailkit.errors", "mailkit.model", "mailkit.project.load", "mailkit.pipeline.text",
                        "mailkit.project.schema", "mailkit.project.checks_yaml", "mailkit.yamlfile",
                        "mailkit.check", "mailkit.check.model", "mailkit.check.caniemail",
                        "mailkit.pipeline.jinja.loader", *LEAVES, *MJML}),
    ("mailkit.pipeline.jinja.datatags", set()),
    ("mailkit.pipeline.jinja.locate", set()),
    ("mailkit.yamlguard", set()),
    ("mailkit.mjml", {"mailkit.check", "mailkit.check.model", "mailkit.project.schema",
                      "mailkit.errors", "mailkit.yamlfile", *LEAVES}),
    ("mailkit.output.staging", {"mailkit.pipeline.parallel"}),
    ("mailkit.cache.files", set()),
])
def test_a_layer_imports_only_what_is_below_it(layer, may_import):
    for module in GRAPH:
        if module == layer or module.startswith(layer + "."):
            reach = _closure(module) - {m for m in GRAPH if m == layer
                                        or m.startswith(layer + ".")}
            assert reach <= may_import, f"{module} reaches {sorted(reach - may_import)}"


def test_each_check_rule_is_registered_once():
    from mailkit.check.rules import RULES

    modules = sorted(p.stem for p in (SRC / "check" / "rules").glob("*.py")
                     if p.stem != "__init__")
    assert sorted(rule.__name__.rsplit(".", 1)[1] for rule in RULES) == modules
    assert len({rule.NAME for rule in RULES}) == len(RULES)


def _closure(module: str) -> set[str]:
    seen, todo = set(), [module]
    while todo:
        for dep in GRAPH[todo.pop()]:
            if dep not in seen:
                seen.add(dep)
                todo.append(dep)
    return seen - {module}
