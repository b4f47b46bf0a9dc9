"""Which contract each flow follows, and every fixture checked against it when a project loads.

A fixture file can serve flows with different triggers (R-PUR's Placed Order fixture
extends its Fulfilled Order one): it is checked against each, and an error is said once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import MailkitError
from ...yamlfile import load_yaml
from . import SEGMENT, Contract, contracts_by_trigger
from .validate import validate_fixture

if TYPE_CHECKING:
    from ..load import BrandProject, Project
    from ..schema import Flow


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
                "describe its fields in contracts/<name>.yaml (README: Writing for Klaviyo)"))
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
