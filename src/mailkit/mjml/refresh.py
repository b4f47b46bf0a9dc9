"""`mailkit check --refresh-mjml`: rebuild the shipped MJML rules from the npm package.

The rules (each component's allowed attributes and their types, the validator's
parent/child table) are MJML's own, read by Node from the installed components
(`dump_rules.cjs`), so mailkit's validation says what the official validator says.
They are shipped as data (`data/mjml-rules.json`, MIT licence beside it) so a build
needs neither Node nor the network; the version is pinned like the benchmarks' one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .rules import RULES_FILE, load_rules

LICENSE_FILE = RULES_FILE.with_name("MJML-LICENSE")
DUMPER = Path(__file__).with_name("dump_rules.cjs")
DEFAULT_VERSION = "5.4.1"  # the version benchmarks/package.json pins
LICENSE_HEADER = """\
The data in mjml-rules.json is derived from MJML (https://mjml.io, source
https://github.com/mjmlio/mjml: MIT License, Copyright (c) 2016 Mailjet SAS), read
from the components of the npm package "mjml" version {version} by dump_rules.cjs.
MJML's licence follows verbatim.

"""


def _run(*args: str, cwd: Path) -> str:
    if shutil.which(args[0]) is None:
        raise RuntimeError(f"`{args[0]}` is not installed: it is needed to refresh the MJML rules")
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed: {done.stderr.strip()[-300:]}")
    return done.stdout


def npm_install(workdir: Path, version: str) -> Path:
    """Install `mjml@version` into `workdir`; return its node_modules (network: npm)."""
    _run("npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(workdir),
         f"mjml@{version}", cwd=workdir)
    return workdir / "node_modules"


def dump(modules: Path) -> dict:
    """The rules as Node reads them from the components installed in `modules`."""
    return json.loads(_run("node", str(DUMPER), str(modules.resolve()), cwd=modules))


def refresh_mjml_rules(version: str = DEFAULT_VERSION, modules: Path | None = None,
                       dest: Path = RULES_FILE) -> str:
    """Write `dest` and the licence beside it; the old file is replaced only when the
    new one is complete. `modules`: an existing node_modules with mjml (else npm)."""
    with tempfile.TemporaryDirectory(prefix="mjml-rules-") as tmp:
        found = modules or npm_install(Path(tmp), version)
        data = dump(found)
        licence = (found / "mjml" / "LICENSE.md").read_text(encoding="utf-8")
    text = json.dumps(data, indent=1, sort_keys=False, ensure_ascii=False) + "\n"
    partial = dest.with_suffix(".json.part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, dest)
    (dest.parent / LICENSE_FILE.name).write_text(
        LICENSE_HEADER.format(version=data["version"]) + licence.rstrip() + "\n", encoding="utf-8")
    load_rules.cache_clear()
    return (f"mjml {data['version']}: {len(data['components'])} components, "
            f"{len(data['dependencies'])} parent rules -> {dest}")
