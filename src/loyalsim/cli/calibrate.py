"""``loyalsim calibrate``: fit parameters to reported facts by ABC-SMC."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from loyalsim.cli.common import err_console, fail_input, out_console


def register(app: typer.Typer) -> None:
    app.command()(calibrate)


def _num(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else ("" if value is None else str(value))


def _generation_line(gen: Any) -> str:
    eps = "unbounded (prior sample)" if gen.epsilon == float("inf") else f"{gen.epsilon:.4g}"
    return (
        f"generation {gen.t}: tolerance {eps}, accepted {gen.accepted}/{gen.evaluated} "
        f"({100 * gen.acceptance_rate:.1f} %), effective sample size {gen.ess:.0f}"
    )


def calibrate(
    targets: Annotated[Path, typer.Argument(help="Target file (.toml).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Calibration directory.")],
    executor: Annotated[
        str, typer.Option(help="Where particles run: serial, processes or dask.")
    ] = "processes",
    workers: Annotated[
        int | None, typer.Option(min=1, help="Worker processes (default: one per core).")
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Address of a running Dask scheduler (with --executor dask)."),
    ] = None,
    population: Annotated[
        int | None, typer.Option(min=100, help="Scale the base scenario to this many people.")
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Replace a directory that holds something else.")
    ] = False,
) -> None:
    """Calibrate by ABC-SMC; run the same command again to resume after a crash."""
    from loyalsim.calibrate.parallel import EXECUTORS, make_mapper
    from loyalsim.calibrate.plan import plan_from_file
    from loyalsim.calibrate.run import (
        CalibrationDirError,
        CalibrationFailed,
        prepare_dir,
        run_calibration,
    )
    from loyalsim.scenario.io import ScenarioError

    if executor not in EXECUTORS:
        fail_input(f"--executor {executor!r}: allowed: {', '.join(EXECUTORS)}")
    if scheduler and executor != "dask":
        fail_input("--scheduler applies to --executor dask only")
    try:
        plan = plan_from_file(targets, population)
    except ScenarioError as exc:
        fail_input(escape(str(exc)))
    try:
        resumed = prepare_dir(plan, out, force)
    except CalibrationDirError as exc:
        fail_input(escape(str(exc)))
    abc = plan.spec.abc
    err_console.print(
        f"calibration {plan.spec.name!r}: {len(plan.priors)} parameters, {len(plan.targets)} "
        f"targets, {abc.population} particles per generation, at most {abc.generations} "
        f"generations, executor {executor}" + (" (resuming)" if resumed else ""),
        highlight=False,
    )
    try:
        mapper = make_mapper(executor, workers, scheduler)
    except OSError as exc:  # includes timeouts reaching a scheduler
        fail_input(f"--scheduler {scheduler!r}: cannot connect: {exc}")
    except ValueError as exc:
        fail_input(escape(str(exc)))
    try:
        if sys.stderr.isatty():
            _with_bar(plan, out, mapper, run_calibration)
        else:
            run_calibration(
                plan,
                out,
                mapper,
                on_generation=lambda g: print(_generation_line(g), file=sys.stderr, flush=True),
            )
    except CalibrationFailed as exc:
        err_console.print(f"[bold red]calibration failed:[/] {exc}", markup=True)
        raise typer.Exit(1) from exc
    finally:
        mapper.close()
    _print_summary(out)


def _with_bar(plan: Any, out: Path, mapper: Any, run: Any) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("accepted · {task.fields[evaluated]} candidates · {task.fields[rate]}"),
        console=err_console,
    ) as bar:
        task = bar.add_task("generation 0", total=plan.spec.abc.population, evaluated=0, rate="")

        def candidate(t: int, evaluated: int, accepted: int, wanted: int) -> None:
            rate = f"acceptance {100 * accepted / evaluated:.1f} %" if evaluated else ""
            bar.update(
                task,
                description=f"generation {t}",
                completed=accepted,
                total=wanted,
                evaluated=evaluated,
                rate=rate,
            )

        def generation(gen: Any) -> None:
            bar.console.print(_generation_line(gen), highlight=False)

        run(plan, out, mapper, on_generation=generation, on_candidate=candidate)


def _print_summary(out: Path) -> None:
    from loyalsim.calibrate.api import read_output

    result = read_output(out)
    tab = Table(title="posterior (weighted; 90 % interval)")
    for col in ("parameter", "prior", "median", "5 %", "95 %"):
        tab.add_column(col, justify="left" if col == "parameter" else "right")
    for r in result.parameters.to_dict("records"):
        prior = f"{r['prior']} [{_num(r['low'])}, {_num(r['high'])}]"
        tab.add_row(r["path"], prior, _num(r["median"]), _num(r["q05"]), _num(r["q95"]))
    out_console.print(tab)
    checks = Table(title="posterior predictive checks")
    for col in ("target", "observed", "accepted", "predicted (90 %)", "inside"):
        checks.add_column(col, justify="left" if col == "target" else "right")
    for r in result.checks.to_dict("records"):
        predicted = (
            f"{_num(r['median'])} ({_num(r['q05'])} to {_num(r['q95'])})"
            if "median" in r and r["median"] == r["median"]
            else ""
        )
        inside = f"{100 * r['inside']:.0f} %" if predicted else ""
        accepted = f"{_num(r['low'])} to {_num(r['high'])}"
        checks.add_row(r["key"], _num(r["observed"]), accepted, predicted, inside)
    out_console.print(checks)
    out_console.print(
        f"{out}: posterior.parquet, calibrated.toml (posterior medians), posterior-sweep.toml; "
        f"`loyalsim report {out}` draws the figures"
    )
