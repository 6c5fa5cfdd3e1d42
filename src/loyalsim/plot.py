"""Figures for notebooks, drawn from stored tidy tables only (matplotlib).

Each function takes a run directory (path) or a tidy pyarrow table and returns a matplotlib
Figure; the same figures appear, interactive, in ``loyalsim report``::

    import loyalsim.plot as lp
    lp.timeseries("runs/default", ["display_public", "loyalty_private"], ["all", "age:16-30"])
    lp.compare("runs/no-campaign", "runs/default", ["loyalty_private", "display_gap"])
    lp.bands("runs/sweep-small", "display_gap")   # a sweep directory
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeAlias

import pyarrow as pa

from loyalsim.report.figspec import (
    GROUP_KINDS,
    Figure,
    Trace,
    amnesty_flow,
    gap_bars,
    groups_of,
    line_figure,
)
from loyalsim.report.figures import series
from loyalsim.report.html import markers_from_scenario
from loyalsim.report.render import to_matplotlib
from loyalsim.store.rundir import SCENARIO, read_run

Source: TypeAlias = str | Path | pa.Table


def _table(source: Source) -> tuple[pa.Table, list[Any]]:
    if isinstance(source, pa.Table):
        return source, []
    path = Path(source)
    table, _ = read_run(path)
    scenario = tomllib.loads((path / SCENARIO).read_text("utf-8"))
    return table, markers_from_scenario(scenario)


def _show(fig: Figure | None, what: str) -> Any:
    if fig is None:
        raise ValueError(f"nothing to plot: {what} is not in the table")
    return to_matplotlib(fig)


def timeseries(
    source: Source,
    metrics: Sequence[str] = ("display_public", "loyalty_private"),
    groups: Sequence[str] = ("all",),
) -> Any:
    """Metrics over time for one or more groups (first group solid, others dashed)."""
    table, markers = _table(source)
    fig = line_figure(table, "timeseries", ", ".join(metrics), metrics, groups, markers)
    return _show(fig, f"{list(metrics)} for {list(groups)}")


def gap_by_group(source: Source) -> Any:
    """Mean display-minus-loyalty gap over the last quarter of the run, by group."""
    table, _ = _table(source)
    return _show(gap_bars(table), "display_gap")


def gap_over_time(source: Source, by: str = "age") -> Any:
    """The display-minus-loyalty gap over time, one line per group of a kind.

    ``by`` is ``age``, ``org`` or ``province``."""
    kinds = dict(GROUP_KINDS)
    if by not in kinds:
        raise ValueError(f"by = {by!r}: allowed: {', '.join(kinds)}")
    table, markers = _table(source)
    fig = line_figure(
        table,
        f"gap_by_{by}",
        f"Display minus loyalty by {kinds[by]}",
        ["display_gap"],
        groups_of(table, by),
        markers,
        "display - loyalty",
    )
    return _show(fig, f"display_gap by {kinds[by]}")


def enforcement(source: Source) -> Any:
    """Lapses, detections, warnings, accusations, struggle sessions and false criticisms."""
    table, markers = _table(source)
    fig = line_figure(
        table,
        "enforcement",
        "Enforcement per week",
        ["lapses", "detections", "warnings", "accused", "struggle_sessions", "criticisms_false"],
        ["all"],
        markers,
    )
    if fig is not None:
        fig.log_y = True
    return _show(fig, "enforcement counts")


def amnesty(source: Source) -> Any:
    """Amnesty flows: review, release channels, supervision, re-arrest."""
    table, _ = _table(source)
    return _show(amnesty_flow(table), "the amnesty")


def compare(
    source_a: Source,
    source_b: Source,
    metrics: Sequence[str] = ("display_public", "loyalty_private"),
    group: str = "all",
    labels: tuple[str, str] = ("A", "B"),
) -> Any:
    """Two runs on one figure (B dashed)."""
    (table_a, markers), (table_b, _) = _table(source_a), _table(source_b)
    traces = []
    for table, label, dash in ((table_a, labels[0], False), (table_b, labels[1], True)):
        for name in metrics:
            x, y = series(table, name, group)
            xs = [str(v) for v in x.astype("datetime64[D]")] if x.dtype.kind == "M" else list(x)
            traces.append(
                Trace(f"{name} ({label})", xs, [float(v) for v in y], dash=dash, colour_key=name)
            )
    return to_matplotlib(
        Figure("compare", f"{labels[0]} vs {labels[1]} (group {group})", "lines", traces, markers)
    )


def bands(sweep_dir: str | Path, metric: str, group: str = "all", max_points: int = 8) -> Any:
    """A sweep: the metric's mean and 5-95 % band over replicates, per design point."""
    from loyalsim.report.sweepfigs import band_figures
    from loyalsim.store.results import open_results  # = loyalsim.open_results

    with open_results(sweep_dir) as res:
        found = band_figures(res, [metric], group, max_points)
    return _show(found[0] if found else None, f"{metric} ({group}) in the sweep")


def sensitivity(sweep_dir: str | Path, metric: str) -> Any:
    """A Sobol or Morris sweep: the metric's sensitivity indices at the last step."""
    from loyalsim.report.sweepfigs import sensitivity_figures
    from loyalsim.store.results import open_results  # = loyalsim.open_results

    with open_results(sweep_dir) as res:
        found = sensitivity_figures(res, [metric])
    return _show(found[0] if found else None, f"sensitivity of {metric} (a sobol or morris sweep)")
