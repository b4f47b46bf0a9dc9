"""`checks.yaml`: the project's check settings, its schema, read and validated with the
rest of the config.

The pydantic schema (`Checks`) catches the shape; this module also catches what
only the caniemail data knows: a client id or an accepted feature slug that does not
exist. Both would otherwise be silent (an unknown client is never checked, a
misspelt acceptance accepts nothing), so they are config errors at their line, with
a suggestion, and the build stops like for any other config error.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo, field_validator

from ..check.caniemail import load_caniemail
from ..check.model import DEFAULT_CLIENTS, CheckConfig
from ..errors import MailkitError
from ..model import CHECKS_FILE
from ..yamlfile import YamlDoc, load_yaml
from .validation import Model, validate


def _reason(text: str) -> str:
    if not text.strip():
        raise ValueError("say why this gap is deliberate (an acceptance needs a reason)")
    return text.strip()


Reason = Annotated[str, AfterValidator(_reason)]


class AcceptMjml(Model):
    """An accepted MJML finding, limited to some brands (`brands:` empty: all)."""

    reason: Reason
    brands: list[str] = []


class Checks(Model):
    """`checks.yaml` at the project root: what `mailkit check` holds every email to.

    One file for the project, not a key per brand: the client support findings come
    from the shared layout and partials (dark mode lives in partials/layout.mjml.j2),
    so each acceptance and its reason are written once; the UTM parameters are already
    per brand (`utm:` in brand.yaml). Feature slugs and client ids are checked against
    the caniemail data when the project loads (see check/settings.py).
    """

    # caniemail `family.platform` ids ("gmail.ios"), families ("outlook") or globs
    clients: list[str] = Field(default_factory=lambda: list(DEFAULT_CLIENTS), min_length=1)
    accept: dict[str, Reason] = {}  # caniemail feature slug → why its gaps are deliberate
    require_utm: bool = True  # links to a brand's website carry its `utm:` parameters
    accept_mjml_boilerplate: bool = True  # MJML's own output, see check/support.py
    # an MJML finding's code (`illegal-attribute:mj-image:role`) → why it is deliberate
    accept_mjml: dict[str, Reason | AcceptMjml] = {}
    size_warn_kb: float = Field(default=90, gt=0)  # Gmail clips past about 102 KB
    size_fail_kb: float = Field(default=102, gt=0, validate_default=True)

    @field_validator("size_fail_kb")
    @classmethod
    def _above_warning(cls, value: float, info: ValidationInfo) -> float:
        if value < info.data.get("size_warn_kb", 0):
            raise ValueError("is below size_warn_kb")
        return value


def load_checks(root: Path) -> tuple[Checks, list[MailkitError], list[MailkitError]]:
    """The project's settings (defaults without a file), errors and warnings, located."""
    path = root / CHECKS_FILE
    if not path.is_file():
        return Checks(), [], []
    try:
        doc = load_yaml(path, root)
    except MailkitError as exc:
        return Checks(), [exc], []
    checks, errors, warnings = validate(doc, Checks)
    if checks is None:
        return Checks(), errors, warnings
    from ..mjml.report import validate_acceptances

    return checks, validate_against_caniemail(checks, doc) + validate_acceptances(checks, doc), \
        warnings


def validate_against_caniemail(checks: Checks, doc: YamlDoc) -> list[MailkitError]:
    """Client ids and accepted slugs that caniemail does not know, each at its line."""
    data = load_caniemail()
    errors = []
    for index, pattern in enumerate(checks.clients):
        _, unmatched = data.match_clients([pattern])
        if unmatched:
            hint = _close(pattern, [*data.clients, *data.families])
            errors.append(doc.error(("clients", index), f"{pattern!r} matches no caniemail "
                                    f"client (ids look like 'gmail.ios', families like "
                                    f"'outlook', globs like '*.ios'){hint}"))
    for slug in checks.accept:
        if slug not in data.features:
            errors.append(doc.error(("accept", slug), f"{slug!r} is not a caniemail feature"
                                    f"{_close(slug, list(data.features))}"))
    return errors


def _close(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def check_config(checks: Checks) -> CheckConfig:
    """The library's settings from the project's."""
    return CheckConfig(clients=list(checks.clients), accepted=list(checks.accept),
                       size_warn_kb=checks.size_warn_kb, size_fail_kb=checks.size_fail_kb,
                       accept_mjml_boilerplate=checks.accept_mjml_boilerplate)
