"""``loyalsim run``, ``check`` and ``presets``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import typer
from pydantic import BaseModel
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from loyalsim.cli.common import (
    check_output_dir,
    default_run_dir,
    err_console,
    fail_input,
    out_console,
    parse_sets,
)


def register(app: typer.Typer) -> None:
    app.command()(run)
    app.command()(check)
    app.command()(presets)


def _load(scenario: str, sets: list[str] | None, population: int | None) -> BaseModel:
    from loyalsim.scenario.io import ScenarioError, load

    try:
        return load(scenario, parse_sets(sets), population)
    except ScenarioError as exc:
        fail_input(str(exc))


def run(
    scenario: Annotated[
        str, typer.Argument(help="Preset name or scenario .toml file.")
    ] = "default",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="Output directory (default: a new runs/<scenario>-<date>-<id>)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(min=0, help="Root seed of the run.")] = 1,
    population: Annotated[
        int | None, typer.Option(help="Number of people (scales the scenario).")
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override: dotted.key=value.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace a non-empty output directory.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="Summary figure: png, svg or pdf.")] = "png",
) -> None:
    """Run a scenario and write timeseries.parquet, scenario.toml, manifest.json, summary.png."""
    config = _load(scenario, set_, population)
    if out is None:
        out = default_run_dir(str(getattr(config, "name", scenario)))
        err_console.print(f"output directory: {out}", markup=False)
    check_output_dir(out, force)
    # Imported once the input is known to be good: a refusal should not wait for them.
    from loyalsim.experiment.single import write_config_run
    from loyalsim.report.figures import summary_drawer

    try:
        summary = summary_drawer(fmt)
    except ValueError as exc:
        fail_input(str(exc))
    show = sys.stderr.isatty()
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} steps"),
        TimeRemainingColumn(),
        console=err_console,
        disable=not show,
        transient=True,
    ) as bar:
        task = bar.add_task(f"{getattr(config, 'name', scenario)}", total=None)

        def progress(done: int, total: int, partial: object = None) -> None:
            bar.update(task, completed=done, total=total)

        path, table, manifest = write_config_run(
            config, out, seed, force, progress, summary=summary
        )
    _print_summary(table, manifest)
    out_console.print(
        f"wrote {path}/ (timeseries.parquet, scenario.toml, manifest.json, summary.{fmt})"
    )


def _print_summary(table: pa.Table, manifest: dict[str, Any]) -> None:
    from loyalsim.report.summaries import summary_rows

    rows = summary_rows(table, group="all")
    tab = Table(title=f"{manifest['scenario_name']}: group 'all', last step / run total")
    tab.add_column("metric")
    tab.add_column("last step", justify="right")
    tab.add_column("run total", justify="right")
    for name, last, total in rows:
        tab.add_row(name, last, total)
    out_console.print(tab)
    rate = manifest.get("person_steps_per_s")
    out_console.print(
        f"seed {manifest['seed']}  wall {manifest['wall_time_s']} s  "
        f"{(rate or 0) / 1e6:.2f} M person-steps/s  run_id {manifest['run_id']}"
    )


def check(
    scenario: Annotated[str, typer.Argument(help="Preset name or scenario .toml file.")],
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override: dotted.key=value.")
    ] = None,
    population: Annotated[
        int | None, typer.Option(help="Number of people, checked as `run` would use it.")
    ] = None,
) -> None:
    """Validate a scenario without running it; print what it changes relative to its base."""
    from loyalsim.scenario.diff import describe_changes

    config = _load(scenario, set_, population)
    out_console.print(
        f"ok: {scenario} is a valid {getattr(config, 'model', 'loyalty')} scenario",
        markup=False,
    )
    diff = describe_changes(scenario, config)
    if not diff.lines:
        out_console.print(f"no changes relative to {diff.base}", markup=False)
        return
    out_console.print(f"changes relative to {diff.base}:", markup=False)
    for line in diff.lines:
        out_console.print(f"  {line}", markup=False, soft_wrap=True)


def presets() -> None:
    """List the shipped presets with a one-line description."""
    from loyalsim.scenario.io import preset_names, raw_source

    # Plain lines (not a table) so that descriptions are never wrapped or cut.
    for name in preset_names():
        data = raw_source(name)
        model = str(data.get("model", "loyalty"))
        typer.echo(f"{name:<28} {model:<17} {data.get('description', '')}")
