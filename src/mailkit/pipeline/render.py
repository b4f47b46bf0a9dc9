"""Render stage: one page's template with its fixture data → MJML text, subject and
preheader, every failure located at its template line.

The environment (one per build and brand, environment.py) holds the brand; the context
holds what differs per page: the fixture's person, event and organization, and the
email's facts.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from ..errors import MailkitError, relpath
from ..mjml import sourcemap
from ..model import Rendered, Target
from ..project.load import Project, load_fixture
from .dialect import Dialect
from .jinja.data import Record, wrap
from .jinja.deps import dependencies
from .jinja.locate import from_jinja
from .jinja.loops import include_loop
from .text import squash


def context(project: Project, target: Target,
            dialect: Dialect | None = None) -> dict[str, Any]:
    """Fixture data and email facts; brand data (`brand.*`) is an environment global.

    With a `dialect` (export mode) person, event and organization are the platform's
    variables and no fixture is read: the export must not depend on one customer's data.
    """
    bp = project.brands[target.brand]
    ctx: dict[str, Any] = {
        "email": Record({"id": target.email.id, "name": target.email.name,
                         "flow": target.flow.name, "scenario": target.scenario,
                         "delay_days": bp.delay_days(target.email)}, "email"),
    }
    contract = project.contract(target.flow)
    if dialect is not None:
        return ctx | dialect.roots(contract)
    scenario = target.data_state
    fixture = load_fixture(project, target.brand, scenario.fixture, scenario.override)
    for key in ("person", "event", "organization"):
        ctx[key] = wrap(fixture.get(key, {}), key, contract.node(key) if contract else None)
    ctx["coupons"] = fixture.get("coupons", {})  # the preview's stand-in for coupon codes
    return ctx


def shown_template(project: Project, target: Target) -> str:
    """The file that `target`'s email template resolves to, as errors name it."""
    name = target.template_name
    return relpath(project.template_path(target.brand, name) or name, project.root)


def render_located(project: Project, env: jinja2.Environment, target: Target,
                   refs: dict[str, tuple[Path, list[str]]]) -> tuple[Rendered, frozenset[Path]]:
    """Render one target and the template files it depends on; every failure is a
    `MailkitError` at its template line. An include loop is refused before Jinja
    recurses for seconds into a RecursionError. `refs` caches the templates' references
    (deps.dependencies) across the targets of one environment."""
    name = target.template_name
    try:
        try:
            deps = frozenset(dependencies(env, name, refs))
        except jinja2.TemplateNotFound:  # the render names the line of the include
            render(project, env, target)
            raise
        loop = include_loop(name, refs, env, project.root)
        if loop is not None:
            raise loop
        return render(project, env, target), deps
    except MailkitError:
        raise
    except Exception as exc:  # a template error, or data misused: at its line
        raise from_jinja(exc, project.root, shown_template(project, target)) from None


def render(project: Project, env: jinja2.Environment, target: Target) -> Rendered:
    """Render one target; Jinja errors propagate (`render_located` locates them)."""
    name = target.template_name
    mjml = env.get_template(name).render(context(project, target, getattr(env, "dialect", None)))
    source = None
    if getattr(env, "source_map", False):
        mjml, source = sourcemap.strip(mjml, lambda file: _shown(file, project.root))
    path = project.template_path(target.brand, name)
    assert path is not None
    shown = _shown(str(path), project.root)
    return Rendered(target, path, mjml, _head_text(mjml, "mj-title", shown),
                    _head_text(mjml, "mj-preview", shown),
                    project.brands[target.brand].brand.locale, source)


@lru_cache(maxsize=1024)
def _shown(file: str, root: Path) -> str:
    """A template file as findings name it (relpath resolves: a few syscalls each)."""
    return relpath(file, root)


def _head_text(mjml: str, tag: str, shown: str) -> str:
    """Subject and preheader as an inbox shows them, read back from the rendered head.

    The layout puts `{% block subject %}` in `<mj-title>` and the preheader in
    `<mj-preview>`; reading them from the one render keeps the blocks' variables and
    Jinja's error locations intact (calling a block alone would lose both).
    """
    match = re.search(rf"<{tag}>(.*?)</{tag}>", mjml, re.S)
    if match is None:
        raise MailkitError(shown, None, "render", f"the email has no <{tag}>: "
                           "extend partials/layout.mjml.j2 or write one")
    return squash(html.unescape(match.group(1)))
