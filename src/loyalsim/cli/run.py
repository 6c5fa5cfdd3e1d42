"""``loyalsim run``, ``check``, ``presets`` and ``compare``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import typer
from pydantic import BaseModel
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from loyalsim.cli.common import err_console, fail_input, out_console, parse_sets


def register(app: typer.Typer) -> None:
    app.command()(run)
    app.command()(check)
    app.command()(presets)
    app.command()(compare)


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
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = Path(
        "runs/latest"
    ),
    seed: Annotated[int, typer.Option(min=0, help="Root seed of the run.")] = 1,
    population: Annotated[
        int | None, typer.Option(help="Number of people (scales the scenario).")
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="Override: dotted.key=value.")
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace a non-empty output directory.")] = False,
) -> None:
    """Run a scenario and write timeseries.parquet, scenario.toml, manifest.json, summary.png."""
    from loyalsim.experiment.single import write_config_run
    from loyalsim.store.rundir import OutputExistsError, check_writable

    config = _load(scenario, set_, population)
    try:
        check_writable(out, force)
    except OutputExistsError as exc:
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

        path, table, manifest = write_config_run(config, out, seed, force, progress)
    _print_summary(table, manifest)
    out_console.print(
        f"wrote {path}/ (timeseries.parquet, scenario.toml, manifest.json, summary.png)"
    )


def _print_summary(table: pa.Table, manifest: dict[str, Any]) -> None:
    from loyalsim.report.summaries import final_values

    rows = final_values(table, group="all")
    tab = Table(title=f"{manifest['scenario_name']}: group 'all', last step / run total")
    tab.add_column("metric")
    tab.add_column("last step", justify="right")
    tab.add_column("run total", justify="right")
    for name, last, total in rows:
        tab.add_row(name, f"{last:.4g}", "" if total is None else f"{total:.4g}")
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
) -> None:
    """Validate a scenario without running it."""
    config = _load(scenario, set_, None)
    out_console.print(f"ok: {scenario} is a valid {getattr(config, 'model', 'loyalty')} scenario")


def presets() -> None:
    """List the shipped presets with a one-line description."""
    from loyalsim.scenario.io import preset_names, raw_source

    # Plain lines (not a table) so that descriptions are never wrapped or cut.
    for name in preset_names():
        data = raw_source(name)
        model = str(data.get("model", "loyalty"))
        typer.echo(f"{name:<28} {model:<17} {data.get('description', '')}")


def compare(
    dir_a: Annotated[Path, typer.Argument(help="Run or sweep directory A (baseline).")],
    dir_b: Annotated[Path, typer.Argument(help="Run or sweep directory B.")],
    group: Annotated[
        str, typer.Option(help="Group to compare, e.g. 'province:South Hamgyong'.")
    ] = "all",
    plot: Annotated[Path | None, typer.Option(help="Where to save the figure (PNG).")] = None,
    metric: Annotated[
        list[str] | None, typer.Option(help="Sweeps: metric(s) to compare (METRIC[@STEP]).")
    ] = None,
    by_point: Annotated[bool, typer.Option(help="Sweeps: one row per design point.")] = False,
) -> None:
    """Print (and for runs plot) the difference of the observables between two runs or two
    sweeps (B - A; for sweeps with a 95 % interval over replicates)."""
    from loyalsim.report.sweep_compare import is_sweep_dir

    if is_sweep_dir(dir_a) or is_sweep_dir(dir_b):
        _compare_sweeps(dir_a, dir_b, group, metric, by_point)
        return
    from loyalsim.report.compare import compare_runs

    try:
        rows, figure = compare_runs(dir_a, dir_b, group, plot)
    except (FileNotFoundError, ValueError) as exc:
        fail_input(str(exc))
    tab = Table(title=f"B - A, group {group!r} (mean over the last quarter of the run)")
    for col in ("metric", "A", "B", "B - A", "relative"):
        tab.add_column(col, justify="left" if col == "metric" else "right")
    for name, a, b in rows:
        rel = f"{(b - a) / abs(a):+.1%}" if a not in (0, 0.0) else ""
        tab.add_row(name, f"{a:.4g}", f"{b:.4g}", f"{b - a:+.4g}", rel)
    out_console.print(tab)
    out_console.print(f"figure: {figure}")


def _compare_sweeps(
    dir_a: Path, dir_b: Path, group: str, metrics: list[str] | None, by_point: bool
) -> None:
    from loyalsim.report.sweep_compare import compare_sweeps, is_sweep_dir

    if not (is_sweep_dir(dir_a) and is_sweep_dir(dir_b)):
        fail_input("compare needs two run directories or two sweep directories, not one of each")
    try:
        rows = compare_sweeps(dir_a, dir_b, metrics=metrics, group=group, by_point=by_point)
    except (FileNotFoundError, ValueError) as exc:
        fail_input(str(exc))
    tab = Table(title=f"sweeps: B - A, group {group!r}, 95 % interval (Welch)")
    for col in ("metric", "point", "n A", "mean A", "n B", "mean B", "B - A", "95 % interval"):
        tab.add_column(col, justify="left" if col in ("metric", "point") else "right")
    for r in rows:
        tab.add_row(
            r.metric,
            r.point,
            str(r.n_a),
            f"{r.mean_a:.4g}",
            str(r.n_b),
            f"{r.mean_b:.4g}",
            f"{r.diff:+.4g}",
            f"[{r.low:+.4g}, {r.high:+.4g}]",
        )
    out_console.print(tab)
