"""Figures for notebooks and papers, drawn from stored tidy tables only (matplotlib).

Each function takes a run directory (path) or a tidy pyarrow table and returns a matplotlib
Figure sized for a journal (``width="column"``, 3.5 in, or ``"page"``, 7 in); the same
figures appear, interactive, in ``loyalsim report``. Counts and levels are per 1,000 people
unless ``per_capita=False``. ``save`` writes a figure as PNG, SVG or PDF::

    import loyalsim.plot as lp
    fig = lp.timeseries("runs/default", ["display_public", "loyalty_private"], ["all", "age:16-30"])
    lp.save(fig, "figure1.pdf")
    lp.compare("runs/no-campaign", "runs/default", ["loyalty_private", "display_gap"])
    lp.province_map("runs/default", "display_gap")
    lp.bands("runs/sweep-small", "display_gap")   # a sweep directory
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeAlias

import pyarrow as pa

from loyalsim.report import maps, tables
from loyalsim.report.figspec import Figure, Trace, line_figure, x_label, x_values
from loyalsim.report.markers import events_of_run
from loyalsim.report.render_mpl import save as _save
from loyalsim.report.render_mpl import to_matplotlib
from loyalsim.report.runfigs import GAP, GROUP_KINDS, amnesty_flow, gap_bars, groups_of
from loyalsim.report.runfigs import gap_over_time as _gap_over_time
from loyalsim.scenario.events import Event
from loyalsim.store.rundir import read_run

Source: TypeAlias = str | Path | pa.Table
Width: TypeAlias = str | float


def _table(source: Source) -> tuple[pa.Table, list[Event]]:
    if isinstance(source, pa.Table):
        return source, []
    path = Path(source)
    table, _ = read_run(path)
    return table, events_of_run(path)


def _show(fig: Figure | None, what: str, width: Width = "page") -> Any:
    if fig is None:
        raise ValueError(f"nothing to plot: {what} is not in the table")
    return to_matplotlib(fig, width=width)


def save(fig: Any, path: str | Path, format: str | None = None) -> Path:
    """Save a figure as PNG (300 dpi), SVG or PDF (``format``, else the path's suffix)."""
    return _save(fig, Path(path), format)


def timeseries(
    source: Source,
    metrics: Sequence[str] = ("display_public", "loyalty_private"),
    groups: Sequence[str] = ("all",),
    per_capita: bool = True,
    log_y: bool = False,
    width: Width = "page",
) -> Any:
    """Metrics over time for one or more groups (first group solid, others dashed)."""
    table, markers = _table(source)
    title = ", ".join(tables.metric_name(m) for m in metrics)
    fig = line_figure(table, "timeseries", title, metrics, groups, markers, per_capita, log_y)
    return _show(fig, f"{list(metrics)} for {list(groups)}", width)


def gap_by_group(source: Source, width: Width = "page") -> Any:
    """Mean display-belief gap over the last quarter of the run, by group."""
    table, _ = _table(source)
    return _show(gap_bars(table), GAP, width)


def gap_over_time(source: Source, by: str = "age", width: Width = "page") -> Any:
    """The display-belief gap over time, one line per group of a kind.

    ``by`` is ``age``, ``org`` or ``province``."""
    kinds = dict(GROUP_KINDS)
    if by not in kinds:
        raise ValueError(f"by = {by!r}: allowed: {', '.join(kinds)}")
    table, markers = _table(source)
    return _show(_gap_over_time(table, by, markers), f"display_gap by {kinds[by]}", width)


def enforcement(source: Source, per_capita: bool = True, width: Width = "page") -> Any:
    """Lapses, detections, warnings, accusations, struggle sessions (log scale, per week)."""
    table, markers = _table(source)
    fig = line_figure(
        table,
        "enforcement",
        "Enforcement per week",
        ["lapses", "detections", "warnings", "accused", "struggle_sessions", "criticisms_false"],
        ["all"],
        markers,
        per_capita,
        log_y=True,
    )
    return _show(fig, "enforcement counts", width)


def amnesty(source: Source, width: Width = "page") -> Any:
    """Amnesty flows: review, release channels, supervision, re-arrest."""
    table, _ = _table(source)
    return _show(amnesty_flow(table), "the amnesty", width)


def province_map(
    source: Source | Mapping[str, float],
    metric: str = GAP,
    target: str | None = "South Hamgyong",
    per_capita: bool = True,
    width: Width = "column",
) -> Any:
    """A metric by province (mean of the last quarter of the run) as a map of the provinces.

    ``source`` may also be a ``{province: value}`` mapping; ``target`` is outlined."""
    if isinstance(source, Mapping):
        values = {str(k): float(v) for k, v in source.items()}
        label = metric
    else:
        table, _ = _table(source)
        values = maps.metric_by_province(table, metric, per_capita)
        scaled = per_capita and tables.scales(metric)
        label = f"{tables.metric_name(metric)} ({tables.unit(metric, scaled)})"
    if not values:
        raise ValueError(f"nothing to plot: {metric} is not recorded by province")
    return to_matplotlib(maps.province_map(values, label, target), width=width)


def compare(
    source_a: Source,
    source_b: Source,
    metrics: Sequence[str] = ("display_public", "loyalty_private"),
    group: str = "all",
    labels: tuple[str, str] = ("A", "B"),
    per_capita: bool = True,
    width: Width = "page",
) -> Any:
    """Two runs on one figure (B dashed), with A's events (orders, anniversaries) marked."""
    (table_a, markers), (table_b, _) = _table(source_a), _table(source_b)
    traces = []
    scaled_any = []
    for table, label, dash in ((table_a, labels[0], False), (table_b, labels[1], True)):
        for name in metrics:
            x, y, scaled = tables.scaled_series(table, name, group, per_capita)
            scaled_any.append(scaled)
            traces.append(
                Trace(
                    f"{tables.metric_name(name)} ({label})",
                    x_values(x),
                    [float(v) for v in y],
                    dash=dash,
                    colour_key=name,
                )
            )
    from loyalsim.report.figspec import y_label

    ylabel, _ = y_label([m for _ in labels for m in metrics], scaled_any)
    title = f"{labels[0]} (solid) vs {labels[1]} (dashed), {tables.group_name(group)}"
    fig = Figure("compare", title, "lines", traces, markers, ylabel=ylabel, xlabel=x_label(table_a))
    return to_matplotlib(fig, width=width)


def bands(
    sweep_dir: str | Path,
    metric: str,
    group: str = "all",
    per_capita: bool = True,
    width: Width = "page",
) -> Any:
    """A sweep: the metric's mean and 5-95 % band over replicates, every design point."""
    from loyalsim.report.sweepfigs import band_figures
    from loyalsim.store.results import open_results  # = loyalsim.open_results

    with open_results(sweep_dir) as res:
        found = band_figures(res, [metric], group, per_capita)
    return _show(found[0] if found else None, f"{metric} ({group}) in the sweep", width)


def sensitivity(sweep_dir: str | Path, metric: str, width: Width = "page") -> Any:
    """A Sobol or Morris sweep: the metric's sensitivity indices at the last step."""
    from loyalsim.report.sweepfigs import sensitivity_figures
    from loyalsim.store.results import open_results  # = loyalsim.open_results

    with open_results(sweep_dir) as res:
        found = sensitivity_figures(res, [metric])
    return _show(
        found[0] if found else None, f"sensitivity of {metric} (a sobol or morris sweep)", width
    )


__all__ = [
    "amnesty",
    "bands",
    "compare",
    "enforcement",
    "gap_by_group",
    "gap_over_time",
    "groups_of",
    "province_map",
    "save",
    "sensitivity",
    "timeseries",
]
