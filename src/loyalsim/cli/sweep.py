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
    sweep_file: Annotated[
        Path, typer.Argument(help="Sweep file (.toml); with --verify, a sweep directory.")
    ],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Sweep directory (required to run).")
    ] = None,
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
    scheduler_timeout: Annotated[
        float, typer.Option(min=0.1, max=3600, help="Seconds to wait for the Dask scheduler.")
    ] = 30.0,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Run the failed runs again.")
    ] = False,
    force: Annotated[
        bool, typer.Option(help="Replace a directory that holds another sweep.")
    ] = False,
    batch_runs: Annotated[
        int, typer.Option(min=1, help="Runs per Parquet shard (flushed sooner after 30 s).")
    ] = 256,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify", help="Check a sweep directory's files and checksums; run nothing."
        ),
    ] = False,
) -> None:
    """Run a sweep into a directory; run it again to resume after a crash (damaged or
    missing results are detected and their runs run again)."""
    if verify:
        _verify(out or sweep_file)
        return
    from loyalsim.experiment.executors import EXECUTORS, ExecutorUnavailable, make_executor
    from loyalsim.experiment.runner import SweepDirError, check_dir, prepare_dir
    from loyalsim.experiment.specs import plan_from_file
    from loyalsim.scenario.io import ScenarioError
    from loyalsim.store.locks import LockedError

    if out is None:
        fail_input("--out: missing; name the sweep directory to write (or use --verify)")
    if executor not in EXECUTORS:
        fail_input(f"--executor {executor!r}: allowed: {', '.join(EXECUTORS)}")
    if scheduler and executor != "dask":
        fail_input("--scheduler applies to --executor dask only")
    try:
        plan = plan_from_file(sweep_file)
        check_dir(plan, out, force)  # refuse before connecting or writing anything
    except (ScenarioError, SweepDirError) as exc:
        fail_input(str(exc))
    err_console.print(
        f"sweep {plan.sweep.name!r}: {plan.n_points} points x {plan.sweep.replicates} "
        f"replicates = {plan.n_runs} runs ({plan.sweep.design.kind}), executor {executor}",
        highlight=False,
    )
    try:
        runner = make_executor(executor, workers, scheduler, scheduler_timeout)
    except ExecutorUnavailable as exc:
        fail_input(f"{exc} (nothing was written)")
    try:
        prepare_dir(plan, out, force)
        result = _run(plan, out, runner, retry_failed, batch_runs)
    except (SweepDirError, LockedError) as exc:
        fail_input(str(exc))
    finally:
        runner.close()
    _report(out, result)


def _run(plan: Any, out: Path, runner: Any, retry_failed: bool, batch_runs: int) -> Any:
    from loyalsim.experiment.runner import run_sweep

    def notice(text: str) -> None:
        err_console.print(f"sweep: {text}", highlight=False, markup=False)

    if sys.stderr.isatty():
        return _with_bar(plan, out, runner, retry_failed, batch_runs, notice)
    plain = _PlainProgress()
    result = run_sweep(plan, out, runner, retry_failed, plain, batch_runs, on_notice=notice)
    plain(result, final=True)
    return result


def _report(out: Path, result: Any) -> None:
    """The closing lines; exit code 1 unless every run of the sweep is recorded as ok."""
    out_console.print(
        f"{out}: {result.done}/{result.total} runs recorded "
        f"({result.ok} ok and {result.failed} failed in this session; "
        f"{result.already_done} were already recorded"
        + (f", {result.rerun} run again because their data was damaged" if result.rerun else "")
        + ")",
        markup=False,
    )
    how = (
        "see the error column of the runs view "
        f"(`loyalsim query {out} \"SELECT run_id, error FROM runs WHERE status = 'failed'\"`)"
    )
    if result.failed:
        out_console.print(f"some runs failed: {how}; rerun with --retry-failed", markup=False)
    if result.skipped_failed:
        out_console.print(
            f"{result.skipped_failed} runs that failed in an earlier session were not run "
            f"again: {how}; rerun with --retry-failed to run them",
            markup=False,
        )
    if result.failed or result.skipped_failed:
        raise typer.Exit(1)


def _verify(directory: Path) -> None:
    """``--verify``: a deep scan; exit 1 naming every damaged file, 2 if not a sweep dir."""
    from loyalsim.store import integrity
    from loyalsim.store.locks import is_locked
    from loyalsim.store.shards import LOCK, DamagedFileError

    try:
        found = integrity.scan(directory, deep=True)
    except FileNotFoundError as exc:
        fail_input(str(exc))
    except DamagedFileError as exc:
        err_console.print(f"damaged: {exc}", markup=False)
        raise typer.Exit(1) from None
    if is_locked(directory / LOCK):
        err_console.print("note: a sweep is writing this directory right now", markup=False)
    total = found.status.size
    counts = {name: found.count(code) for name, code in _STATUS.items()}
    out_console.print(
        f"{directory}: {total} runs planned; "
        + ", ".join(f"{n} {name}" for name, n in counts.items() if n or name == "ok"),
        markup=False,
    )
    if found.leftovers:
        out_console.print(
            f"{len(found.leftovers)} leftover temporary or orphaned files "
            "(removed when the sweep runs again)",
            markup=False,
        )
    for problem in found.problems:
        err_console.print(f"damaged: {problem.describe()}", markup=False, soft_wrap=True)
    if found.problems:
        err_console.print(
            "run the same `loyalsim sweep` command again to repair: damaged files move to "
            "quarantine/ and their runs run again",
            markup=False,
        )
        raise typer.Exit(1)
    out_console.print("all recorded results are intact", markup=False)


_STATUS = {"ok": 1, "failed": 2, "damaged": 3, "not yet run": 0}


def _with_bar(
    plan: Any,
    out: Path,
    runner: Any,
    retry_failed: bool,
    batch_runs: int,
    notice: Any,
) -> Any:
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

        return run_sweep(plan, out, runner, retry_failed, update, batch_runs, on_notice=notice)


def query(
    sweep_dir: Annotated[Path, typer.Argument(help="Sweep directory.")],
    sql: Annotated[str, typer.Argument(help="DuckDB SQL over the views runs, timeseries, design.")],
    limit: Annotated[int, typer.Option(min=1, help="Rows to print at most.")] = 50,
) -> None:
    """Run DuckDB SQL over a sweep directory and print the result."""
    import duckdb

    from loyalsim.store.integrity import CorruptResultsError
    from loyalsim.store.results import open_results

    try:
        results = open_results(sweep_dir)
    except (FileNotFoundError, CorruptResultsError) as exc:
        fail_input(str(exc))
    with results:
        try:
            cursor = results.con.execute(sql)
            rows = cursor.fetchmany(limit + 1)
        except duckdb.Error as exc:
            fail_input(_query_error(sweep_dir, exc))
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


def _query_error(sweep_dir: Path, exc: Exception) -> str:
    """A SQL error, or a damaged shard that the check at open could not see (same size)."""
    from loyalsim.store.results import damaged_file

    damaged = damaged_file(exc, sweep_dir)
    return f"SQL: {exc}" if damaged is None else str(damaged)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)
