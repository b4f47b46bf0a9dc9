"""The `mailkit` command: parse arguments, call a command (commands/, serve/), print.

A user's mistake is a `MailkitError` printed as
`path:line: stage: message`; every error of the run is printed, then exit 1. A
traceback appears only with `--verbose`, for bugs in mailkit itself.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from .errors import BuildFailed, MailkitError


def _report(errors: list[MailkitError], warnings: list[MailkitError] = ()) -> None:
    for warning in warnings:
        click.secho(f"{warning} (warning)", fg="yellow", err=True)
    for error in errors:
        click.secho(str(error), fg="red", err=True)


def command(group: click.Group, name: str | None = None,
            ) -> Callable[[Callable[..., None]], click.Command]:
    """`group`'s command `name`, called with the project folder (`--root`) first.

    A user's mistake ends it as clean lines and exit 1, as does any other error, in one
    line, unless `--verbose` lets its traceback through: the CLI reports errors in one
    place, so no command catches its own."""

    def decorate(func: Callable[..., None]) -> click.Command:
        @wraps(func)
        def call(**options: Any) -> None:
            ctx = click.get_current_context()
            try:
                func(ctx.obj["root"], **options)
                return
            except BuildFailed as exc:
                _report(exc.errors)
                click.secho(f"{len(exc.errors)} error(s); nothing was written", fg="red",
                            err=True)
            except MailkitError as exc:
                _report([exc])
            except Exception as exc:
                if ctx.obj.get("verbose"):
                    raise
                click.secho(f"internal error: {type(exc).__name__}: {exc} "
                            "(run with --verbose for the traceback)", fg="red", err=True)
            sys.exit(1)

        return group.command(name)(call)

    return decorate


@click.group()
@click.option("--verbose", "-v", is_flag=True, help="Show tracebacks of internal errors.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="The project folder (with brands/, emails/, partials/).")
@click.version_option(package_name="mailkit")
@click.pass_context
def main(ctx: click.Context, verbose: bool, root: Path) -> None:
    """mailkit: email templates in MJML + Jinja, previewed in every data state."""
    ctx.obj = {"verbose": verbose, "root": root}


@command(main)
@click.option("--brand", help="Only this brand.")
@click.option("--email", help="Only this email (id or template name).")
@click.option("--strict", is_flag=True, help="Warnings fail the build too.")
@click.option("--sources", is_flag=True,
              help="Also write each page's plain text (.txt) and rendered MJML (.mjml) "
                   "beside its .html (the preview has both in its Text and MJML tabs).")
def build(root: Path, brand: str | None, email: str | None, strict: bool,
          sources: bool) -> None:
    """Render every brand × email × scenario into build/."""
    from .pipeline.workers import worker

    with worker() as compile_worker:  # forked first: it imports while we do (pipeline/workers.py)
        from .commands.build import build as run_build

        result = run_build(root, brand=brand, email=email, worker=compile_worker,
                           sources=sources)
    _report([], result.warnings)
    if strict and result.warnings:
        click.secho(f"{len(result.warnings)} warning(s) with --strict", fg="red", err=True)
        sys.exit(1)
    click.echo(result.summary())


@command(main)
@click.option("--brand", help="Only this brand.")
@click.option("--email", help="Only this email (id or template name).")
@click.option("--strict", is_flag=True, help="Warnings fail the check too.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A table per email, or JSON for machines.")
@click.option("--export", "with_export", is_flag=True,
              help="Also check the Klaviyo export of each email (Klaviyo's tags, https images).")
@click.option("--refresh-caniemail", is_flag=True,
              help="Update the shipped caniemail support data from npm, then exit.")
@click.option("--refresh-mjml", metavar="VERSION", is_flag=False, flag_value="5.4.1",
              default=None, help="Rebuild the shipped MJML rules from the npm package mjml "
                                 "(default 5.4.1, as the benchmarks pin it), then exit.")
@click.option("--fix", "fix_copy", is_flag=True,
              help="First rewrite the templates' copy to the locale's typography; show the diff.")
@click.option("--spam", is_flag=True,
              help="Also score each page's message, as `mailkit send` builds it, with "
                   "SpamAssassin (local rules only; MAILKIT_SPAMD names another spamd): any "
                   "content point is an error.")
def check(root: Path, brand: str | None, email: str | None, strict: bool, fmt: str,
          with_export: bool, refresh_caniemail: bool, refresh_mjml: str | None,
          fix_copy: bool = False, spam: bool = False) -> None:
    """Check every brand × email × scenario: size, images, links, required parts,
    accessibility, client support, spam. Exit 1 on errors (on warnings with --strict)."""
    from .check.model import failed
    from .check.report import format_json, text_lines
    from .commands import check as run

    if refresh_caniemail or refresh_mjml:
        click.echo(run.refresh_caniemail() if refresh_caniemail
                   else run.refresh_mjml(refresh_mjml))
        return
    if fix_copy:
        from .commands.fix import fix_with_diff

        diff, said = fix_with_diff(root)
        click.echo(diff, nl=False)
        for line in said:
            click.echo(line, err=True)
    result, reports, spam_line = run.check(root, brand=brand, email=email,
                                           with_export=with_export, spam=spam)
    _report([], [w for w in result.warnings if w.stage != "mjml"])  # in the table, as errors
    if fmt == "json":
        click.echo(format_json(reports, strict=strict))
        if spam_line:
            click.echo(spam_line, err=True)
    else:
        colours = {"error": "red", "warning": "yellow", "ok": "green"}
        if spam_line:
            click.echo(spam_line)
        for line, tone in text_lines(reports, strict=strict):
            click.secho(line, fg=colours.get(tone))
    if failed(reports, strict=strict):
        sys.exit(1)


@command(main)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind; the default keeps the preview on this machine.")
@click.option("--port", default=8000, show_default=True, help="Port (the next free one if taken).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
def serve(root: Path, host: str, port: int, open_browser: bool) -> None:
    """Build, serve build/ with live reload, rebuild what each save touches."""
    from .serve.command import serve_project
    from .serve.server import ServerState

    def on_build(state: ServerState, changed: set[Path] | None) -> None:
        if state.errors:
            _report(state.errors)
            click.secho(f"{len(state.errors)} error(s): still serving the last good build",
                        fg="red", err=True)
        elif state.result is not None:
            _report([], state.result.warnings)  # also in the overlay of every page
            click.echo(state.result.summary())

    serve_project(root, host=host, port=port, open_browser=open_browser,
                  on_ready=click.echo, on_build=on_build)


@command(main)
@click.option("--update", is_flag=True,
              help="Accept what is rendered now: rewrite the baselines that differ or are "
                   "missing, and list them.")
@click.option("--brand", help="Only this brand.")
@click.option("--email", help="Only this email (id or template name).")
@click.option("--shard", metavar="I/N", help="Only every N-th page, from the I-th (CI machines).")
@click.option("--all", "every", is_flag=True,
              help="Shoot every page, even those unchanged since a shot that matched.")
def snapshot(root: Path, update: bool, brand: str | None, email: str | None,
             shard: str | None, every: bool) -> None:
    """Build, screenshot every brand × email × scenario (desktop/mobile, light/dark),
    compare with tests/visual/baselines/ and write build/visual-report/index.html.
    Exit 1 on any difference, missing baseline or request leaving the build."""
    from .commands.snapshot import snapshot as run_snapshot
    from .visual.reuse import parse_shard
    from .visual.suite import describe

    built, result = run_snapshot(root, update=update, brand=brand, email=email,
                                 shard=parse_shard(shard), every=every)
    _report([], built.warnings)
    for name in result.updated:
        click.echo(f"updated {name}")
    for name in result.stale:
        click.secho(f"{'removed' if update else 'unused (remove with --update)'} {name}",
                    fg=None if update else "yellow")
    for case in result.failures:
        click.secho(describe(case), fg="red", err=True)
    click.secho(result.summary(), fg="red" if result.failures else None)
    if result.failures:
        sys.exit(1)


@main.group()
def export() -> None:
    """Export the emails to an email platform."""


@command(export, "klaviyo")
@click.option("--brand", help="Only this brand (the other brands' files are kept).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: build/klaviyo, which `mailkit build` keeps).")
@click.option("--push", is_flag=True,
              help="Bring the Klaviyo account in line: images, templates and each flow as a "
                   "draft; the key comes from KLAVIYO_API_KEY only.")
@click.option("--dry-run", is_flag=True, help="With --push: print the plan (create, update, "
                                              "unchanged, with what changed), change nothing.")
@click.option("--verify", is_flag=True, help="Render every state of each pushed template "
                                             "through Klaviyo and compare with the preview.")
def export_klaviyo(root: Path, brand: str | None, out: Path | None, push: bool,
                   dry_run: bool, verify: bool) -> None:
    """Write each brand × email as a Klaviyo template (HTML, text, manifest.json)."""
    from .commands.export import export as run_export

    ok = run_export(root, brand=brand, out=out, push=push, dry_run=dry_run,
                    verify=verify, echo=click.echo, log=lambda line: click.echo(line, err=True))
    if not ok:
        sys.exit(1)


@command(main)
@click.argument("page")
@click.option("--to", "to", multiple=True, required=True, help="A recipient (repeat the option).")
@click.option("--via", type=click.Choice(["smtp", "klaviyo"]), default="smtp", show_default=True,
              help="SMTP (MAILKIT_SMTP_URL), or Klaviyo's template preview send.")
def send(root: Path, page: str, to: tuple[str, ...], via: str) -> None:
    """Send BRAND/EMAIL[/STATE] as the preview shows it, as a test email."""
    from .commands.send import send_page

    for line in send_page(root, page, list(to), via=via,
                          say=lambda line: click.echo(line, err=True)):
        click.echo(line)


@main.group()
def new() -> None:
    """Start a brand or an email that builds and passes `check --strict` as written."""


@command(new, "brand")
@click.argument("slug")
@click.option("--name", prompt="Brand name", help="As customers read it, e.g. Maison Lune.")
@click.option("--website", prompt="Website", help="https://www.…")
@click.option("--primary", prompt="Main colour (buttons, links)", help="A hex colour.")
@click.option("--accent", prompt="Accent colour", help="A hex colour.")
@click.option("--sender", prompt="Sender address", help="The address emails come from.")
@click.option("--address", prompt="Postal address", help="Printed in every email's footer.")
@click.option("--voice", type=click.Choice(["tu", "vous"]), prompt="Form of address",
              default="tu", show_default=True)
def new_brand(root: Path, slug: str, **answers: str) -> None:
    """Write brands/SLUG/: brand.yaml, one flow, a fixture, a logo and a hero."""
    from .commands.new import BrandAnswers
    from .commands.new import new_brand as run_new

    root = root.resolve()
    for path in run_new(root, BrandAnswers(slug, **answers)):
        click.echo(f"wrote {path.relative_to(root)}")
    click.echo(f"next: mailkit serve, then brands/{slug}/brand.yaml is yours")


@command(new, "email")
@click.argument("brand")
@click.argument("flow")
@click.argument("name")
def new_email(root: Path, brand: str, flow: str, name: str) -> None:
    """Write brands/BRAND/emails/NAME.mjml.j2 and its entry in FLOW (flows.yaml)."""
    from .commands.new import new_email as run_new

    root = root.resolve()
    for path in run_new(root, brand, flow, name):
        click.echo(f"wrote {path.relative_to(root)}")


@command(main)
def doctor(root: Path) -> None:
    """Say what this machine has of what mailkit uses, and how to get what is missing."""
    from .commands.doctor import diagnose, lines

    needs = diagnose(root.resolve())
    for line, need in zip(lines(needs), needs, strict=True):
        click.secho(line, fg=None if need.ok else "yellow")


if __name__ == "__main__":  # pragma: no cover  # `mailkit` and `python -m mailkit` run __main__
    main()
