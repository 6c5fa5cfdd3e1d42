"""``loyalsim sweep`` and ``query``; the analysis commands live in ``cli.sweep_analysis``."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from loyalsim.cli.common import err_console, fail_input, out_console


def register(app: typer.Typer) -> None:
    from loyalsim.cli import sweep_analysis

    app.command()(sweep)
    app.command()(query)
    sweep_analysis.register(app)


class _PlainProgress:
    """Periodic plain lines on stderr when it is not a terminal (logs, batch jobs)."""

    def __init__(self, every_s: float = 10.0) -> None:
        self.every_s = every_s
        self.t0 = time.monotonic()
        self.last = self.t0

    def __call__(self, progress: Any, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self.last < self.every_s:
            return
        self.last = now
        fresh = progress.ok + progress.failed
        rate = fresh / max(now - self.t0, 1e-9)
        remaining = progress.total - progress.done
        left = f"about {remaining / rate:.0f} s left" if rate > 0 else "nothing run yet"
        print(
            f"sweep: {progress.done}/{progress.total} runs done, {progress.failed} failed, "
            f"{rate:.2f} runs/s, {left if remaining else 'finished'}",
            file=sys.stderr,
            flush=True,
        )


def sweep(
    sweep_file: Annotated[Path, typer.Argument(help="Sweep file (.toml).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Sweep directory.")],
    executor: Annotated[
        str, typer.Option(help="Where runs execute: serial, processes or dask.")
    ] = "processes",
    workers: Annotated[
        int | None, typer.Option(min=1, help="Worker processes (default: one per core).")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Address of a running Dask scheduler (with --executor dask)."),
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Run the failed runs again.")
    ] = False,
    force: Annotated[
        bool, typer.Option(help="Replace a directory that holds another sweep.")
    ] = False,
    batch_runs: Annotated[
        int, typer.Option(min=1, help="Runs per Parquet shard (flushed sooner after 30 s).")
    ] = 256,
) -> None:
    """Run a sweep into a directory; run it again to resume after a crash."""
    from loyalsim.experiment.executors import EXECUTORS, make_executor
    from loyalsim.experiment.runner import SweepDirError, prepare_dir, run_sweep
    from loyalsim.experiment.specs import plan_from_file
    from loyalsim.scenario.io import ScenarioError

    if executor not in EXECUTORS:
        fail_input(f"--executor {executor!r}: allowed: {', '.join(EXECUTORS)}")
    if scheduler and executor != "dask":
        fail_input("--scheduler applies to --executor dask only")
    try:
        plan = plan_from_file(sweep_file)
    except ScenarioError as exc:
        fail_input(str(exc))
    try:
        prepare_dir(plan, out, force)
    except SweepDirError as exc:
        fail_input(str(exc))
    err_console.print(
        f"sweep {plan.sweep.name!r}: {plan.n_points} points x {plan.sweep.replicates} "
        f"replicates = {plan.n_runs} runs ({plan.sweep.design.kind}), executor {executor}",
        highlight=False,
    )
    try:
        runner = make_executor(executor, workers, scheduler)
    except OSError as exc:  # includes timeouts reaching a scheduler
        fail_input(f"--scheduler {scheduler!r}: cannot connect: {exc}")
    try:
        if sys.stderr.isatty():
            result = _with_bar(plan, out, runner, retry_failed, batch_runs)
        else:
            plain = _PlainProgress()
            result = run_sweep(plan, out, runner, retry_failed, plain, batch_runs)
            plain(result, final=True)
    finally:
        runner.close()
    out_console.print(
        f"{out}: {result.done}/{result.total} runs recorded "
        f"({result.ok} ok and {result.failed} failed in this session; "
        f"{result.already_done} were already recorded)"
    )
    if result.failed:
        out_console.print(
            "some runs failed: see the error column of the runs view "
            '(`loyalsim query DIR "SELECT run_id, error FROM runs WHERE '
            "status = 'failed'\"`); rerun with --retry-failed"
        )
        raise typer.Exit(1)


def _with_bar(plan: Any, out: Path, runner: Any, retry_failed: bool, batch_runs: int) -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from loyalsim.experiment.runner import run_sweep

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("failed {task.fields[failed]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err_console,
    ) as bar:
        task = bar.add_task(plan.sweep.name, total=plan.n_runs, failed=0)

        def update(progress: Any) -> None:
            bar.update(task, completed=progress.done, failed=progress.failed)

        return run_sweep(plan, out, runner, retry_failed, update, batch_runs)


def query(
    sweep_dir: Annotated[Path, typer.Argument(help="Sweep directory.")],
    sql: Annotated[str, typer.Argument(help="DuckDB SQL over the views runs, timeseries, design.")],
    limit: Annotated[int, typer.Option(min=1, help="Rows to print at most.")] = 50,
) -> None:
    """Run DuckDB SQL over a sweep directory and print the result."""
    import duckdb

    from loyalsim.store.results import open_results

    try:
        results = open_results(sweep_dir)
    except FileNotFoundError as exc:
        fail_input(str(exc))
    with results:
        try:
            cursor = results.con.execute(sql)
            rows = cursor.fetchmany(limit + 1)
        except duckdb.Error as exc:
            fail_input(f"SQL: {exc}")
        if cursor.description is None:  # a statement without a result
            return
        tab = Table(show_lines=False)
        for column in cursor.description:
            tab.add_column(str(column[0]), overflow="fold")
        for row in rows[:limit]:
            tab.add_row(*(_cell(v) for v in row))
        out_console.print(tab)
        if len(rows) > limit:
            out_console.print(f"(first {limit} rows; use --limit)")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
