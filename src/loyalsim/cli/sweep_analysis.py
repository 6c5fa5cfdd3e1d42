"""``loyalsim summarize`` and ``sensitivity``: analysis of a stored sweep."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from loyalsim.cli.common import fail_input, out_console


def register(app: typer.Typer) -> None:
    """Add the analysis commands."""
    app.command()(summarize)
    app.command()(sensitivity)


@contextlib.contextmanager
def damage_named(sweep_dir: Path) -> Iterator[None]:
    """Turn a DuckDB error that failed to read one of the sweep's shards into exit 2 naming
    the file (damage the check at open cannot see); other errors pass through."""
    from loyalsim.store.results import damaged_file

    try:
        yield
    except Exception as exc:  # only DuckDB's "Failed to read file" under sweep_dir is caught
        damaged = damaged_file(exc, sweep_dir)
        if damaged is None:
            raise
        fail_input(str(damaged))


def _open(sweep_dir: Path) -> Any:
    from loyalsim.store.integrity import CorruptResultsError
    from loyalsim.store.results import open_results

    try:
        return open_results(sweep_dir)
    except (FileNotFoundError, CorruptResultsError) as exc:
        fail_input(str(exc))


def _num(value: float) -> str:
    return (
        "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.4g}"
    )


def summarize(
    sweep_dir: Annotated[Path, typer.Argument(help="Sweep directory.")],
    metric: Annotated[
        list[str] | None, typer.Option(help="Metric (repeatable; METRIC@STEP for a step).")
    ] = None,
    group: Annotated[str, typer.Option(help="Group, e.g. 'all' or 'age:16-30'.")] = "all",
    window: Annotated[
        int, typer.Option(min=1, help="Average over this many steps ending at the step.")
    ] = 1,
) -> None:
    """Mean and 95 % interval over replicates, per design point."""
    from loyalsim.report.sweep_stats import Outcome
    from loyalsim.report.sweep_stats import summarize as summary

    results = _open(sweep_dir)
    with results, damage_named(sweep_dir):
        chosen = metric or [
            m
            for (m,) in results.con.execute(
                'SELECT DISTINCT metric FROM timeseries WHERE "group" = ? ORDER BY 1 LIMIT 4',
                [group],
            ).fetchall()
        ]
        if not chosen:
            fail_input(f"no stored results in group {group!r}")
        try:
            outcomes = [Outcome.parse(m, group, window) for m in chosen]
            rows = summary(results, outcomes)
        except ValueError as exc:
            fail_input(str(exc))
    axes = [k for k in rows[0] if k not in ("point_index", "outcome", "n", "mean", "low", "high")]
    for outcome in dict.fromkeys(r["outcome"] for r in rows):
        tab = Table(title=outcome)
        for col in ("point", *axes, "n", "mean", "95% low", "95% high"):
            tab.add_column(col, justify="right")
        for r in (r for r in rows if r["outcome"] == outcome):
            cells = [_num(r[a]) if isinstance(r[a], float) else str(r[a]) for a in axes]
            tab.add_row(
                str(r["point_index"]),
                *cells,
                str(r["n"]),
                _num(r["mean"]),
                _num(r["low"]),
                _num(r["high"]),
            )
        out_console.print(tab)


def sensitivity(
    sweep_dir: Annotated[Path, typer.Argument(help="Sweep directory (sobol or morris design).")],
    outcome: Annotated[str, typer.Option(help="METRIC or METRIC@STEP (default: last step).")],
    group: Annotated[str, typer.Option(help="Group, e.g. 'all'.")] = "all",
    window: Annotated[int, typer.Option(min=1, help="Average over this many steps.")] = 1,
    plot: Annotated[Path | None, typer.Option(help="Where to save the figure (PNG).")] = None,
) -> None:
    """Sobol (S1, ST) or Morris (mu*, sigma) indices with 95 % intervals, and a plot."""
    from loyalsim.report.sensitivity import analyze, plot_indices
    from loyalsim.report.sweep_stats import Outcome

    results = _open(sweep_dir)
    with results, damage_named(sweep_dir):
        try:
            chosen = Outcome.parse(outcome, group, window)
            kind, indices = analyze(results, chosen)
        except ValueError as exc:
            fail_input(str(exc))
    sobol = kind == "sobol"
    tab = Table(title=f"{'Sobol' if sobol else 'Morris'} indices of {chosen.label()}")
    heads = ("S1", "S1 ±95%", "ST", "ST ±95%") if sobol else ("mu*", "mu* ±95%", "sigma")
    tab.add_column("parameter")
    for head in heads:
        tab.add_column(head, justify="right")
    for ix in indices:
        cells = [ix.first, ix.first_conf, ix.second] + ([ix.second_conf] if sobol else [])
        tab.add_row(ix.name, *(_num(c) for c in cells))
    out_console.print(tab)
    safe = chosen.metric + ("" if chosen.step is None else f"-{chosen.step}")
    path = plot or Path(sweep_dir) / f"sensitivity-{safe}-{group.replace(':', '_')}.png"
    plot_indices(kind, indices, chosen.label(), path)
    out_console.print(f"figure: {path}")
