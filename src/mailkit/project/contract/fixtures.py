"""Which contract each flow follows, and every fixture checked against it when a project loads.

A fixture file can serve flows with different triggers (R-PUR's Placed Order fixture
extends its Fulfilled Order one): it is checked against each, and an error is said once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import MailkitError
from ...yamlfile import KeyPath, load_yaml
from . import SEGMENT, Contract, Node, contracts_by_trigger
from .validate import shown, validate_fixture

if TYPE_CHECKING:
    from ...model import Target
    from ..flows_yaml import Flow
    from ..load import BrandProject, Project


def load_contracts(root: Path) -> tuple[dict[str, Contract], list[MailkitError]]:
    try:
        return contracts_by_trigger(root), []
    except MailkitError as exc:
        return {}, [exc]


def contract_of(contracts: dict[str, Contract], flow: Flow) -> Contract | None:
    trigger = flow.trigger.metric if flow.trigger.metric else SEGMENT
    return contracts.get(trigger)


def check_fixtures(project: Project, bp: BrandProject) -> list[MailkitError]:
    """Each flow has a contract; each fixture (and scenario override) follows it."""
    errors: list[MailkitError] = []
    checked: set[tuple[str, str]] = set()
    for fi, flow in enumerate(bp.flows):
        contract = contract_of(project.contracts, flow)
        if contract is None:
            known = ", ".join(sorted(k for k in project.contracts if k != SEGMENT))
            errors.append(bp.flows_doc.error(
                ("flows", fi, "trigger", "metric"),
                f"no data contract for metric {flow.trigger.metric!r} (known: {known}): "
                "describe its fields in contracts/<name>.yaml (docs/data-and-klaviyo.md)"))
            continue
        for ei, email in enumerate(flow.emails):
            for sname, scenario in email.scenarios.items():
                errors += _check_chain(project, bp, scenario.fixture, contract, checked)
                at = ("flows", fi, "emails", ei, "scenarios", sname, "override")
                errors += validate_fixture(scenario.override, contract, bp.flows_doc, at)
    return list(dict.fromkeys(errors))


def _check_chain(project: Project, bp: BrandProject, name: str, contract: Contract,
                 checked: set[tuple[str, str]]) -> list[MailkitError]:
    errors: list[MailkitError] = []
    seen: set[str] = set()
    while name and name not in seen:
        seen.add(name)
        path = bp.fixtures_dir / f"{name}.yaml"
        if not path.is_file() or (name, contract.name) in checked:
            break
        checked.add((name, contract.name))
        try:
            doc = load_yaml(path, project.root)
        except MailkitError as exc:
            return [exc]
        errors += validate_fixture(doc.data, contract, doc)
        parent = doc.data.get("extends") if isinstance(doc.data, dict) else None
        name = parent if isinstance(parent, str) else ""
    return errors


def lacking(project: Project, target: Target, reads: set[str],
            load_fixture: Callable[..., dict[str, Any]]) -> MailkitError | None:
    """A field the email's templates read (`reads`, reads.template_reads) that real data
    always has (the contract does not call it optional) but this state's fixture lacks:
    named at the fixture's line, with the field's path and the state, before the render
    fails somewhere in a partial. `load_fixture` is project/load.py's (this module sits
    below it)."""
    contract = project.contract(target.flow)
    state = target.data_state
    if contract is None:
        return None
    data = load_fixture(project, target.brand, state.fixture, state.override)
    for path in sorted(reads):
        gap = _gap(data, contract.root, _keys(path), ())
        if gap is None:
            continue
        doc, line = _line(project, target.brand, state.fixture, gap[:-1])
        source = contract.node(str(gap[0]))
        why = f" ({contract.sources[source.source]})" if source is not None and \
            source.source in contract.sources else ""
        return MailkitError(doc, line, "data", f"{shown(gap)} is missing, and "
                            f"{target.template_name} (or a partial it includes) reads it "
                            f"for {target.key}: real "
                            f"{contract.trigger} data always has it{why}; add it to the "
                            f"fixture, or mark it optional in the contract if it can be "
                            "missing")
    return None


def _keys(path: str) -> list[str]:
    """`event.extra.line_items[].price` → ["event", "extra", "line_items[]", "price"]."""
    return path.split(".")


def _gap(value: Any, node: Node | None, keys: list[str], at: KeyPath) -> KeyPath | None:
    """The key path of the first required field missing along `keys`, or None."""
    if not keys or node is None or not isinstance(value, dict):
        return None  # a null, a scalar, or a field the contract does not describe
    key, many = keys[0].removesuffix("[]"), keys[0].endswith("[]")
    child = node.fields.get(key) if node.type == "object" else None
    if key not in value:
        required = child is not None and not child.optional and child.type != "none"
        return (*at, key) if required else None
    if not many:
        return _gap(value[key], child, keys[1:], (*at, key))
    items = value[key] if isinstance(value[key], list) else []
    for index, item in enumerate(items):
        found = _gap(item, child.items if child is not None else None, keys[1:],
                     (*at, key, index))
        if found is not None:
            return found
    return None


def _line(project: Project, brand: str, name: str, keypath: KeyPath) -> tuple[str, int]:
    """The fixture file of the `extends:` chain that holds `keypath` (the parent of the
    missing field), at its line; else the state's own fixture."""
    bp = project.brands[brand]
    first: tuple[str, int] | None = None
    seen: set[str] = set()
    while name and name not in seen:
        seen.add(name)
        try:
            doc = load_yaml(bp.fixtures_dir / f"{name}.yaml", project.root)
        except MailkitError:
            break
        first = first or (doc.shown, doc.line_of(keypath))
        if tuple(keypath) in doc.lines:
            return doc.shown, doc.lines[tuple(keypath)]
        parent = doc.data.get("extends") if isinstance(doc.data, dict) else None
        name = parent if isinstance(parent, str) else ""
    return first or (f"brands/{brand}/fixtures/{name}.yaml", 1)
