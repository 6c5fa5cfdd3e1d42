"""``loyalsim report`` and ``loyalsim explore``."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from loyalsim.cli.common import err_console, fail_input, out_console


def register(app: typer.Typer) -> None:
    app.command()(report)
    app.command()(explore)


def report(
    directory: Annotated[Path, typer.Argument(help="A run or sweep directory.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path(
        "report.html"
    ),
    figures: Annotated[
        Path | None, typer.Option(help="Also save each figure here (see --format).")
    ] = None,
    png: Annotated[Path | None, typer.Option(help="Also save each figure as PNG here.")] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="Format of the saved figures: png, svg or pdf.")
    ] = "png",
    absolute: Annotated[
        bool, typer.Option(help="Counts in absolute numbers, not per 1,000 people.")
    ] = False,
) -> None:
    """Write one self-contained HTML report (readable offline) of a run or a sweep."""
    from loyalsim.cli.sweep_analysis import damage_named
    from loyalsim.report.html import ReportInputError, build_report, check_out
    from loyalsim.report.style import FORMATS
    from loyalsim.store.integrity import CorruptResultsError

    if fmt not in FORMATS:
        fail_input(f"--format {fmt!r}: allowed: {', '.join(FORMATS)}")
    if figures is not None and png is not None:
        fail_input("give --figures or --png, not both")
    folder = figures if figures is not None else png
    fmt = "png" if png is not None else fmt
    try:
        check_out(out)
        with damage_named(directory), report_progress() as progress:
            path = build_report(directory, out, folder, fmt, not absolute, progress)
    except (FileNotFoundError, ReportInputError, CorruptResultsError) as exc:
        fail_input(str(exc))
    out_console.print(f"wrote {path}" + (f" and figures in {folder}/" if folder else ""))


@contextmanager
def report_progress(after_s: float = 2.0) -> Iterator[Callable[[int, int, str], None]]:
    """A progress callback that shows a bar on a terminal once work lasts ``after_s`` seconds."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("report: {task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=not sys.stderr.isatty(),
    )
    task = bar.add_task("figures", total=None)
    started = time.monotonic()

    def progress(done: int, total: int, what: str) -> None:
        if not bar.live.is_started and time.monotonic() - started >= after_s:
            bar.start()
        bar.update(task, completed=done, total=total, description=what)

    try:
        yield progress
    finally:
        bar.stop()


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
