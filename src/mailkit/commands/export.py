"""`mailkit export klaviyo`: every email as a Klaviyo template, written under
`build/klaviyo/`; with `--push`, the account brought in line first (images, templates,
each flow as a draft) and the templates' image URLs made Klaviyo's; with `--verify`,
every state of each pushed template rendered by Klaviyo and compared with the preview.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import BuildFailed, MailkitError
from ..klaviyo.export import OUT_DIR, KlaviyoExport, write_export
from ..pipeline.jobs import Runner
from .build import build


def export_klaviyo(root: Path, *, brand: str | None = None,
                   worker: Runner | None = None) -> KlaviyoExport:
    """Every email of every brand (or one brand) as a Klaviyo template, in memory: the
    build's render loop in export mode only. Raises BuildFailed with every error."""
    result = build(root, brand=brand, preview=False, write=False, worker=worker)
    errors = result.export_errors()
    if errors:
        raise BuildFailed(errors)
    return KlaviyoExport(result.project, result.templates(), result.seconds)


def export(root: Path, *, brand: str | None = None, out: Path | None = None,
           push: bool = False, dry_run: bool = False, verify: bool = False,
           echo: Callable[[str], None] = print, log: Callable[[str], None] = print) -> bool:
    """Export, push, write, verify, as asked; False when the push or the verification
    found a problem. `echo` gets the results, `log` the push's progress."""
    from ..klaviyo.push.client import KlaviyoError, api_key, base_url

    if dry_run and not push:
        raise MailkitError("--dry-run", None, "export", "goes with --push")
    key = api_key() if push or verify else ""
    result = export_klaviyo(root, brand=brand)
    report, stage = None, "push"
    try:
        if push:
            from ..klaviyo.push.images import rewrite
            from ..klaviyo.push.sync import sync

            report = sync(result, api_key=key, base_url=base_url(), dry_run=dry_run, log=log)
            for line in report.lines():
                echo(line)
            if not dry_run:
                result.templates = [rewrite(t, report.urls) for t in result.templates]
        target = out or root / "build" / OUT_DIR
        write_export(result, target, partial=brand is not None)
        echo(result.summary(target.resolve()))
        if verify and dry_run:
            echo("verify: skipped in a dry run (nothing was pushed)")
        elif verify:
            from ..klaviyo.push.verify import table, verify_account

            pages = build(root, brand=brand, write=False, extras=False).pages
            stage = "verify"
            verdicts = verify_account(result, pages, api_key=key, base_url=base_url())
            for line in table(verdicts):
                echo(line)
            if not all(v.ok for v in verdicts):
                return False
    except KlaviyoError as exc:
        raise MailkitError("Klaviyo", None, stage, str(exc)) from None
    return report is None or report.ok
