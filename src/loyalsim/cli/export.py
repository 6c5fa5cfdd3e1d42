"""``loyalsim export``: a run's or a sweep's results as CSV, Excel or Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from loyalsim.cli.common import fail_input, out_console


def register(app: typer.Typer) -> None:
    app.command()(export)


def export(
    directory: Annotated[Path, typer.Argument(help="A run or sweep directory.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx or parquet.")] = "csv",
    wide: Annotated[
        bool,
        typer.Option(help="One row per run and step, one column per metric (and group)."),
    ] = False,
    group: Annotated[
        list[str] | None, typer.Option(help="Only these groups (repeatable), e.g. 'all'.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace an existing file.")] = False,
) -> None:
    """Export stored results, tidy (one row per run, step, group, metric) or wide."""
    from loyalsim.report.export import ExportError
    from loyalsim.report.export import export as write

    try:
        path, rows = write(directory, out, fmt, wide, group or [], force)
    except (ExportError, FileNotFoundError) as exc:
        fail_input(str(exc))
    out_console.print(f"wrote {path} ({rows:,} rows, {'wide' if wide else 'tidy'} {fmt})")
