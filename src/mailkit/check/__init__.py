"""`mailkit check`: the quality gate every email passes before preview or export.

One call, `run_checks(CheckInput(...), CheckConfig(...))`, returns `Finding`s of
severity error / warning / info from the rules registered in `rules/__init__.py`, one
module each: `size` (Gmail clipping), `images`, `links`, `required` (opt-out, address,
subject, preheader), `a11y` (lang, layout tables, contrast, headings, text in images),
`support` (caniemail.com's client support data, shipped in `data/`) and `spam`
(heuristics, warnings only). Beside them are the helpers the rules share (`dom`,
`css`, `urls`, `contrast`, `features`, `caniemail`) and `report` (the table and the
JSON of `mailkit check`). The gate fails when any finding is an error (`has_errors`).
`refresh_caniemail` rebuilds the shipped support data from npm.

The library knows nothing of mailkit's projects, builds or exports: `checkconfig.py`
reads checks.yaml, and `checking.py` turns a built page or a Klaviyo export into a
`CheckInput`, outside this package.
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
# build's parent process needs (a compile worker runs the checks, see jobs.py).
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
