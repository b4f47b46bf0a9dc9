"""`mailkit check`'s rules: the quality gate every email passes before preview or export.

One call, `run_checks(CheckInput(...), CheckConfig(...))`, returns `Finding`s of
severity error / warning / info from the rules in `rules/`, one module each, registered
in `rules.RULES` (a test fails when a module is not). Beside them are the helpers the
rules share (`dom`, `css`, `selectors` and `cascade` (the `<style>` rules and what each
view of the email computes from them), `urls`, `contrast`, `hidden`, `clients` (the
mail clients' views), `pixels` (what an image's pixels say), `features` and
`css_features` (the caniemail features an email uses), `caniemail` with its data in
`data/`), the locales' typography and voice (`locales/`), `report` (the table and the
JSON of `mailkit check`) and `spamassassin`, an engine no one here wrote that scores a
message's bytes (`mailkit check --spam`).

A library: it knows nothing of projects, builds or exports. `project/checks_yaml.py`
reads checks.yaml; `pipeline/check_inputs.py` says what each page should contain.

May import: nothing.
"""

from __future__ import annotations

import importlib
from typing import Any

from .model import (
    DEFAULT_CLIENTS,
    CheckConfig,
    CheckInput,
    Finding,
    Severity,
    format_report,
    has_errors,
)

# The checks themselves are imported on first use: the data types above are all a
# build's parent process needs (a compile worker runs the checks, pipeline/workers.py).
_LAZY = {"DATA_FILE": "caniemail", "CanIEmail": "caniemail", "load_caniemail": "caniemail",
         "refresh_caniemail": "caniemail", "CHECKS": "runner", "run_checks": "runner",
         "MJML_BOILERPLATE": "rules.support", "MJML_INTERACTIVE": "rules.support"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "CHECKS",
    "DATA_FILE",
    "DEFAULT_CLIENTS",
    "MJML_BOILERPLATE",
    "MJML_INTERACTIVE",
    "CanIEmail",
    "CheckConfig",
    "CheckInput",
    "Finding",
    "Severity",
    "format_report",
    "has_errors",
    "load_caniemail",
    "refresh_caniemail",
    "run_checks",
]
