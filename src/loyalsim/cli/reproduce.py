"""``loyalsim reproduce``: reproduce the classic models' published results.

``loyalsim check`` checks a scenario file; ``reproduce`` reruns published experiments.
The old spelling ``loyalsim validate`` still works and says so.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from loyalsim.cli.common import err_console, fail_input, out_console

QuickOption = Annotated[
    bool, typer.Option(help="Small grids and few seeds (seconds, not minutes).")
]
ModelOption = Annotated[str | None, typer.Option(help="Only this model's checks.")]


def register(app: typer.Typer) -> None:
    app.command()(reproduce)
    app.command(hidden=True)(validate)


def reproduce(quick: QuickOption = False, model: ModelOption = None) -> None:
    """Rerun the classic models' published experiments; print a table; exit 1 if any fails."""
    from loyalsim.models.reproduce import collect, run_checks

    try:
        checks = collect(model)
    except KeyError as exc:
        fail_input(f"--model: {exc.args[0]}")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} checks"),
        TimeElapsedColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
        transient=True,
    ) as bar:
        task = bar.add_task("reproducing", total=len(checks))

        def progress(done: int, total: int, check: object) -> None:
            name = getattr(check, "name", "")
            bar.update(task, completed=done, description=f"{getattr(check, 'model', '')}: {name}")

        results = run_checks(checks, quick, progress)
        bar.update(task, completed=len(checks))
    table = Table(title="loyalsim: reproduction of published results", show_lines=True)
    for column in ("model", "check", "source", "expected", "obtained", "tolerance", "result"):
        table.add_column(column)
    for r in results:
        verdict = "[green]pass[/green]" if r.passed else "[red]FAIL[/red]"
        table.add_row(r.model, r.check, r.source, r.expected, r.obtained, r.tolerance, verdict)
    out_console.print(table)
    n_failed = sum(not r.passed for r in results)
    out_console.print(f"{len(results) - n_failed} passed, {n_failed} failed")
    raise typer.Exit(0 if n_failed == 0 else 1)


def validate(quick: QuickOption = False, model: ModelOption = None) -> None:
    """Old name of ``reproduce`` (kept for scripts)."""
    err_console.print(
        "note: `loyalsim validate` is now `loyalsim reproduce` (`loyalsim check` checks a "
        "scenario file); the old name keeps working."
    )
    reproduce(quick=quick, model=model)
