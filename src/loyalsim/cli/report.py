"""``loyalsim report`` and ``loyalsim explore``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from loyalsim.cli.common import fail_input, out_console


def register(app: typer.Typer) -> None:
    app.command()(report)
    app.command()(explore)


def report(
    directory: Annotated[Path, typer.Argument(help="A run or sweep directory.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "report.html"
    ),
    png: Annotated[Path | None, typer.Option(help="Also save each figure as PNG here.")] = None,
) -> None:
    """Write one self-contained HTML report (readable offline) of a run or a sweep."""
    from loyalsim.report.html import build_report

    try:
        path = build_report(directory, out, png)
    except FileNotFoundError as exc:
        fail_input(str(exc))
    out_console.print(f"wrote {path}" + (f" and figures in {png}/" if png else ""))


def explore(
    host: Annotated[str, typer.Option(help="Address to serve on (local only by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free port).")] = 8765,
    browser: Annotated[
        bool,
        typer.Option(
            "--browser/--no-browser",
            "--open-browser/--no-open-browser",
            help="Open the page in a browser tab (when a desktop is available).",
        ),
    ] = True,
) -> None:
    """Serve the interactive explorer; prints its address with the session token.

    Ctrl-C (or SIGTERM) stops it: runs are cancelled and temporary files removed.
    """
    from loyalsim.explore.server import CannotListen, serve

    try:
        serve(host, port, browser)
    except CannotListen as exc:  # the port is taken, or the address is not this machine's
        fail_input(f"cannot serve there: {exc}")
