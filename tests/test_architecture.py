"""The plan of src/mailkit/ holds: each folder imports only what its `__init__.py` says.

Every folder's `__init__.py` ends its docstring with a line `May import: a, b, c.` (a
sub-folder without one follows its parent's), and `mailkit/__init__.py` gives each
top-level module's as `` `name` may import: … ``. The rules are read from there, so
the docs and this test cannot disagree. Imports are read from the source with `ast`:
imports under `if TYPE_CHECKING:` don't count; imports inside functions do (they run).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "mailkit"
MAX_TOP_MODULES = 8


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
        base = package[:len(package) - node.level + 1] if node.level else []
        target = ".".join([*base, *([node.module] if node.module else [])])
        if target.startswith("mailkit"):
            found.add(target)
            found |= {f"{target}.{a.name}" for a in node.names}
    return found


GRAPH = {module_name(p): imports(p) for p in sorted(SRC.rglob("*.py"))}
GRAPH = {m: {d for d in deps if d in GRAPH and d != m} for m, deps in GRAPH.items()}
RULE = re.compile(r"(?:`(?P<name>\w+)` )?[Mm]ay import: (?P<names>\w[\w.]*(?:,\s*\w[\w.]*)*)"
                  r"\.(?=\s|$)")


def _names(text: str) -> set[str] | None:
    """`errors, model` → {mailkit.errors, mailkit.model}; `nothing` → set(); `anything` → None."""
    text = " ".join(text.split())
    if text == "anything":
        return None
    if text == "nothing":
        return set()
    return {f"mailkit.{n.strip()}" for n in text.split(",")}


def _rules() -> dict[str, set[str] | None]:
    """Package or top-level module → what it may import, as its docstrings say."""
    rules: dict[str, set[str] | None] = {}
    for init in sorted(SRC.rglob("__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        package = module_name(init)
        for match in RULE.finditer(doc):
            owner = f"mailkit.{match['name']}" if match["name"] else package
            rules[owner] = _names(match["names"])
    return rules


RULES = _rules()


def unit_of(module: str) -> str:
    """Whose rule applies to `module`: a top-level module's own, else the innermost
    folder around it that states one."""
    if module.count(".") == 1 and not _is_package(module):
        return module
    package = module if _is_package(module) else module.rsplit(".", 1)[0]
    while package not in RULES and package.count(".") > 1:
        package = package.rsplit(".", 1)[0]
    return package


def _is_package(name: str) -> bool:
    return (SRC.parent / name.replace(".", "/") / "__init__.py").is_file()


def _inside(module: str, unit: str) -> bool:
    return module == unit or module.startswith(unit + ".")


def test_every_folder_states_its_rule():
    folders = {module_name(p) for p in SRC.glob("*/__init__.py")}
    assert sorted(f for f in folders if f not in RULES) == [], "no `May import:` line"


def test_at_most_eight_modules_at_the_top_each_with_its_rule():
    top = sorted(m for m in GRAPH if m.count(".") == 1 and not _is_package(m))
    top += ["mailkit"] if (SRC / "__init__.py").is_file() else []
    assert len(top) <= MAX_TOP_MODULES, top
    assert [m for m in top if m != "mailkit" and m not in RULES] == []


@pytest.mark.parametrize("unit", sorted(u for u, allowed in RULES.items() if allowed is not None))
def test_a_folder_imports_only_what_its_init_allows(unit):
    allowed = RULES[unit]
    assert allowed is not None
    unknown = sorted(a for a in allowed if a not in GRAPH)
    assert not unknown, f"{unit}'s rule names {unknown}, which is not a module or a folder"
    wrong = {}
    for module, deps in GRAPH.items():
        if unit_of(module) != unit:
            continue
        bad = sorted(d for d in deps if not (_is_package(unit) and _inside(d, unit))
                     and not any(_inside(d, a) for a in allowed))
        if bad:
            wrong[module] = bad
    assert not wrong, f"outside what {unit} may import: {wrong}"


def test_the_rule_reader_sees_every_module():
    """Each module falls under exactly the rule a reader would look up: its folder's."""
    assert unit_of("mailkit.pipeline.jinja.loops") == "mailkit.pipeline.jinja"
    assert unit_of("mailkit.project.contract.edges") == "mailkit.project"
    assert unit_of("mailkit.check.rules.dark") == "mailkit.check"
    assert unit_of("mailkit.model") == "mailkit.model"
    assert all(unit_of(m) in RULES or m == "mailkit" for m in GRAPH)


def test_only_the_commands_and_serve_import_the_orchestrator():
    users = sorted(m for m, deps in GRAPH.items() if "mailkit.commands.build" in deps)
    assert all(u.startswith(("mailkit.commands.", "mailkit.serve.")) or u == "mailkit.cli"
               for u in users), users


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


def test_each_check_rule_is_registered_once():
    from mailkit.check.rules import RULES as CHECK_RULES

    modules = sorted(p.stem for p in (SRC / "check" / "rules").glob("*.py")
                     if p.stem != "__init__")
    assert sorted(rule.__name__.rsplit(".", 1)[1] for rule in CHECK_RULES) == modules
    assert len({rule.NAME for rule in CHECK_RULES}) == len(CHECK_RULES)
