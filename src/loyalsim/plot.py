"""Figures for notebooks, drawn from stored tidy tables only (matplotlib).

Each function takes a run directory (path) or a tidy pyarrow table and returns a matplotlib
Figure; the same figures appear, interactive, in ``loyalsim report``::

    import loyalsim.plot as lp
    lp.timeseries("runs/default", ["display_public", "loyalty_private"], ["all", "age:16-30"])
    lp.compare("runs/no-campaign", "runs/default", ["loyalty_private", "display_gap"])
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeAlias

import pyarrow as pa

from loyalsim.report.figspec import Figure, Trace, amnesty_flow, gap_bars, line_figure
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
