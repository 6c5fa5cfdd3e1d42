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
    from loyalsim.cli.sweep_analysis import damage_named
    from loyalsim.report.html import build_report
    from loyalsim.store.integrity import CorruptResultsError

    try:
        with damage_named(directory):
            path = build_report(directory, out, png)
    except (FileNotFoundError, CorruptResultsError) as exc:
        fail_input(str(exc))
    out_console.print(f"wrote {path}" + (f" and figures in {png}/" if png else ""))


def explore(
    host: Annotated[str, typer.Option(help="Address to serve on (local only by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free port).")] = 8765,
    open_browser: Annotated[bool, typer.Option(help="Open a browser tab.")] = False,
) -> None:
    """Serve the interactive explorer in the browser (Ctrl-C stops it)."""
    from loyalsim.explore.server import serve

    serve(host, port, open_browser)
