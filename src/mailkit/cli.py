"""The `mailkit` command: parse arguments, call the library, print one line per problem.

No logic lives here. A user's mistake is a `MailkitError` printed as
`path:line: stage: message`; every error of the run is printed, then exit 1. A
traceback appears only with `--verbose`, for bugs in mailkit itself.
"""

from __future__ import annotations

import sys
import traceback
import webbrowser
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from .build import BuildResult
from .build import build as run_build
from .errors import BuildFailed, MailkitError


def _report(errors: list[MailkitError], warnings: list[MailkitError] = ()) -> None:
    for warning in warnings:
        click.secho(f"{warning} (warning)", fg="yellow", err=True)
    for error in errors:
        click.secho(str(error), fg="red", err=True)


def handled(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn user errors into clean lines and exit 1; keep tracebacks for --verbose."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except BuildFailed as exc:
            _report(exc.errors)
            click.secho(f"{len(exc.errors)} error(s); nothing was written", fg="red", err=True)
        except MailkitError as exc:
            _report([exc])
        except Exception:
            if ctx.obj.get("verbose"):
                raise
            exc_type, exc_value, _ = sys.exc_info()
            click.secho(f"internal error: {exc_type.__name__}: {exc_value} "
                        "(run with --verbose for the traceback)", fg="red", err=True)
            if ctx.obj.get("verbose"):
                traceback.print_exc()
        sys.exit(1)

    return wrapper


@click.group()
@click.option("--verbose", "-v", is_flag=True, help="Show tracebacks of internal errors.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=".",
              help="The project folder (with brands/, emails/, partials/).")
@click.version_option(package_name="mailkit")
@click.pass_context
def main(ctx: click.Context, verbose: bool, root: Path) -> None:
    """mailkit: email templates in MJML + Jinja, previewed in every data state."""
    ctx.obj = {"verbose": verbose, "root": root}


@main.command()
@click.option("--brand", help="Only this brand.")
@click.option("--email", help="Only this email (id or template name).")
@click.option("--strict", is_flag=True, help="Warnings fail the build too.")
@click.pass_context
@handled
def build(ctx: click.Context, brand: str | None, email: str | None, strict: bool) -> None:
    """Render every brand × email × scenario into build/."""
    result = run_build(ctx.obj["root"], brand=brand, email=email)
    _report([], result.warnings)
    if strict and result.warnings:
        click.secho(f"{len(result.warnings)} warning(s) with --strict", fg="red", err=True)
        sys.exit(1)
    click.echo(result.summary())


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to bind; the default keeps the preview on this machine.")
@click.option("--port", default=8000, show_default=True, help="Port (the next free one if taken).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.pass_context
@handled
def serve(ctx: click.Context, host: str, port: int, open_browser: bool) -> None:
    """Build, serve build/ with live reload, rebuild what each save touches."""
    from .serve import State
    from .serve import serve as run_serve

    root: Path = ctx.obj["root"].resolve()

    def builder(changed: set[Path] | None, previous: BuildResult | None) -> BuildResult:
        return run_build(root, previous=previous, changed=changed)

    def on_build(state: State, changed: set[Path] | None) -> None:
        if state.errors:
            _report(state.errors)
            click.secho(f"{len(state.errors)} error(s): still serving the last good build",
                        fg="red", err=True)
        elif state.result is not None:
            click.echo(state.result.summary())

    def on_ready(message: str) -> None:
        click.echo(message)
        if open_browser and message.startswith("Serving on "):
            webbrowser.open(message.removeprefix("Serving on "))

    run_serve(root, builder, host=host, port=port, on_ready=on_ready, on_build=on_build)


if __name__ == "__main__":  # pragma: no cover
    main()
