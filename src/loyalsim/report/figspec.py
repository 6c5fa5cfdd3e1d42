"""Figures as data, built from stored tidy tables only.

A ``Figure`` lists its traces (lines with optional bands, bars, points with intervals), a
flow diagram or a province map, with axis labels and units from the metric catalogue and
the dated events to mark. ``render_plotly`` draws it for the HTML report and the explorer,
``render_mpl`` for PNG, SVG and PDF files and for notebooks, so every view shows the same
numbers with the same labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from loyalsim.report import tables
from loyalsim.scenario.events import Event


@dataclass
class Trace:
    """One line (x, y), optionally with a band (lower, upper), or one set of bars.

    Traces of the same ``colour_key`` share a colour; ``dash`` draws a dashed line."""

    name: str
    x: list[Any]
    y: list[float]
    dash: bool = False
    lower: list[float] | None = None
    upper: list[float] | None = None
    colour_key: str = ""
    error: list[float] | None = None  # symmetric error bars (bars and points)
    hover: list[str] | None = None  # per-point hover text (plotly only)


@dataclass
class Flow:
    """A flow diagram: node labels and (source, target, value) links."""

    labels: list[str]
    links: list[tuple[int, int, float]]


@dataclass
class Figure:
    """A titled figure: line traces, bar traces, points with intervals, a flow or a map.

    ``markers`` are dated events (orders, calendar events, amnesties) drawn as vertical
    lines, numbered in a track above the plot and named in a key below it."""

    key: str
    title: str
    kind: str  # "lines", "bars", "points", "flow" or "map"
    traces: list[Trace] = field(default_factory=list)
    markers: list[Event] = field(default_factory=list)
    flow: Flow | None = None
    ylabel: str = ""
    xlabel: str = ""
    note: str = ""
    log_y: bool = False
    horizontal: bool = False  # bars along x, labels down the y axis (long group names)
    map: Any = None  # a maps.ProvinceMap for kind "map"


def x_values(values: np.ndarray) -> list[Any]:
    """Dates as ISO strings (plotly and matplotlib both read them), steps as integers."""
    if values.dtype.kind == "M":
        return [str(v) for v in values.astype("datetime64[D]")]
    return [int(v) for v in values]


def x_label(table: pa.Table) -> str:
    """``date`` when the table's steps are dated, else ``step``."""
    return "date" if table.num_rows and table["date"].null_count == 0 else "step"


def y_label(metrics: Sequence[str], scaled: Sequence[bool]) -> tuple[str, bool]:
    """The y-axis label and whether each trace name must carry its own unit.

    One unit for every metric: ``Label (unit)`` for one metric, the unit alone for several.
    Different units: ``value`` and the units go into the legend."""
    units = {tables.unit(m, s) for m, s in zip(metrics, scaled, strict=True)}
    if len(units) == 1:
        (only,) = units
        if len(set(metrics)) == 1:
            return f"{tables.metric_name(metrics[0])} ({only})" if only else metrics[0], False
        return only or "value", False
    return "value (unit in legend)", True


def line_figure(
    table: pa.Table,
    key: str,
    title: str,
    metrics: Sequence[str],
    groups: Sequence[str],
    markers: Sequence[Event] = (),
    per_capita: bool = True,
    log_y: bool = False,
) -> Figure | None:
    """Lines of ``metrics`` x ``groups`` present in the table, labelled from the catalogue.

    Several metrics: one colour per metric, the first group solid and the others dashed.
    One metric over several groups: one colour per group, all solid (dashes alone could not
    tell four age groups apart)."""
    have_m, have_g = tables.present(table)
    shown_m = [m for m in metrics if m in have_m]
    shown_g = [g for g in groups if g in have_g]
    by_group = len(shown_m) == 1 and len(shown_g) > 1
    drawn: list[tuple[str, str, np.ndarray, np.ndarray, bool]] = []
    for group in shown_g:
        for metric in shown_m:
            x, y, scaled = tables.scaled_series(table, metric, group, per_capita)
            if len(y) and not np.all(np.isnan(y)):
                drawn.append((metric, group, x, y, scaled))
    if not drawn:
        return None
    ylabel, unit_in_name = y_label([d[0] for d in drawn], [d[4] for d in drawn])
    traces = []
    for metric, group, x, y, scaled in drawn:
        name = tables.metric_name(metric)
        if unit_in_name:
            name += f" ({tables.unit(metric, scaled)})"
        if by_group:
            name = tables.group_name(group)
        elif group != shown_g[0] or len(shown_g) > 1:
            name += f", {tables.group_name(group)}"
        dash = group != shown_g[0] and not by_group
        traces.append(
            Trace(
                name,
                x_values(x),
                [float(v) for v in y],
                dash=dash,
                colour_key=group if by_group else metric,
            )
        )
    return Figure(
        key,
        title,
        "lines",
        traces,
        list(markers),
        ylabel=ylabel,
        xlabel=x_label(table),
        log_y=log_y,
    )
