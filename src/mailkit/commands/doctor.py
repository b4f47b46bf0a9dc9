"""`mailkit doctor`: what this machine has of what mailkit can use, one line a need.

Each line says whether the need is met, what it enables, and how to get it. Secrets are
checked for shape only and never printed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

KLAVIYO_KEY = re.compile(r"pk_[A-Za-z0-9]{20,}")  # Klaviyo's private API keys


@dataclass(frozen=True)
class Need:
    name: str
    ok: bool
    found: str  # what was found, or why not
    enables: str
    get: str  # how to get it when missing


def diagnose(root: Path, environ: Mapping[str, str] = os.environ) -> list[Need]:
    """Every need, in the order a newcomer meets them."""
    from ..visual.browser import ENV_VAR, find_chromium

    python = sys.version_info >= (3, 11)
    chromium = find_chromium()
    npm = shutil.which("npm")
    tools = [name for name, path in (("axe-core", "tests/a11y/node_modules/axe-core"),
                                     ("MJML 5", "benchmarks/node_modules/mjml"))
             if (root / path).is_dir()]
    spam = shutil.which("spamassassin")
    fonts = _fonts()
    return [
        Need("Python", python, sys.version.split()[0], "mailkit itself (3.11 or later)",
             "install Python 3.11+ and run scripts/bootstrap.sh"),
        Need("Chromium", chromium is not None, chromium or "none found",
             "mailkit snapshot, the preview's browser tests",
             f"apt-get install chromium (scripts/bootstrap.sh does it), or set {ENV_VAR}"),
        Need("Fonts", fonts, "Liberation Sans, Noto Color Emoji" if fonts else "missing",
             "screenshots that match the baselines",
             "apt-get install fonts-liberation fonts-noto-color-emoji"),
        Need("npm", npm is not None and len(tools) == 2,
             f"{npm or 'no npm'}; {', '.join(tools) or 'no test tools'} installed",
             "the tests' axe-core (accessibility) and official MJML (fidelity, make bench)",
             "install Node.js and npm, then scripts/bootstrap.sh (npm ci)"),
        Need("SpamAssassin", spam is not None, spam or "none found",
             "mailkit check --spam (the score of every email, in CI too)",
             "apt-get install spamassassin (scripts/bootstrap.sh does it)"),
        _smtp(environ.get("MAILKIT_SMTP_URL", "")),
        _klaviyo(environ.get("KLAVIYO_API_KEY", "")),
    ]


def _fonts() -> bool:
    try:
        listed = subprocess.run(["fc-list"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "Liberation Sans" in listed and "Noto Color Emoji" in listed


def _smtp(url: str) -> Need:
    enables, get = ("mailkit send (test emails through your SMTP server)",
                    "export MAILKIT_SMTP_URL=smtp://user:password@smtp.example.com:587")
    if not url:
        return Need("MAILKIT_SMTP_URL", False, "not set", enables, get)
    parts = urllib.parse.urlsplit(url)
    ok = parts.scheme in ("smtp", "smtps") and bool(parts.hostname)
    found = f"{parts.scheme}://{parts.hostname}:{parts.port or ''}".rstrip(":") if ok \
        else "set, but not smtp://… or smtps://…"
    return Need("MAILKIT_SMTP_URL", ok, found, enables, get)


def _klaviyo(key: str) -> Need:
    enables = "export klaviyo --push and --verify, send --via klaviyo"
    get = "export KLAVIYO_API_KEY=pk_… (a private key: Klaviyo, Settings, API keys)"
    if not key:
        return Need("KLAVIYO_API_KEY", False, "not set", enables, get)
    ok = KLAVIYO_KEY.fullmatch(key.strip()) is not None
    return Need("KLAVIYO_API_KEY", ok, "set, well-formed (not shown)" if ok
                else "set, but not a private key (pk_ and 20+ letters or digits)", enables, get)


def lines(needs: list[Need]) -> list[str]:
    width = max(len(n.name) for n in needs)
    out = []
    for n in needs:
        tail = f"for {n.enables}" if n.ok else f"for {n.enables}: {n.get}"
        out.append(f"{'ok     ' if n.ok else 'missing'}  {n.name:<{width}}  {n.found}; {tail}")
    return out
