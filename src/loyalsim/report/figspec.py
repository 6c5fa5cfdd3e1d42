"""Figures as data, built from stored tidy tables only.

A ``Figure`` lists its traces (lines with optional bands, bars) or a flow diagram; the HTML
report renders it with plotly, the PNG export and ``loyalsim.plot`` with matplotlib, so every
view shows the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from loyalsim.report.figures import series
from loyalsim.report.summaries import tail_means


@dataclass
class Trace:
    """One line (x, y), optionally with a band (lower, upper), or one set of bars.

    Traces of the same ``colour_key`` (the metric) share a colour; dashed ones show a
    second group."""

    name: str
    x: list[Any]
    y: list[float]
    dash: bool = False
    lower: list[float] | None = None
    upper: list[float] | None = None
    colour_key: str = ""
    error: list[float] | None = None  # symmetric error bars (bars only)


@dataclass
class Flow:
    """A flow diagram: node labels and (source, target, value) links."""

    labels: list[str]
    links: list[tuple[int, int, float]]


@dataclass
class Figure:
    """A titled figure: line traces, bar traces or a flow."""

    key: str
    title: str
    kind: str  # "lines", "bars" or "flow"
    traces: list[Trace] = field(default_factory=list)
    markers: list[tuple[str, dt.date, str]] = field(default_factory=list)
    flow: Flow | None = None
    ylabel: str = ""
    note: str = ""
    log_y: bool = False
    horizontal: bool = False  # bars along x, labels down the y axis (long group names)


def _present(table: pa.Table) -> tuple[set[str], set[str]]:
    return set(table["metric"].unique().to_pylist()), set(table["group"].unique().to_pylist())


def _x(values: np.ndarray) -> list[Any]:
    if values.dtype.kind == "M":
        return [str(v) for v in values.astype("datetime64[D]")]
    return [int(v) for v in values]


def line_figure(
    table: pa.Table,
    key: str,
    title: str,
    metrics: Sequence[str],
    groups: Sequence[str],
    markers: Sequence[tuple[str, dt.date, str]] = (),
    ylabel: str = "",
) -> Figure | None:
    """Lines of ``metrics`` x ``groups`` present in the table.

    Several metrics: one colour per metric, the first group solid and the others dashed.
    One metric over several groups: one colour per group, all solid (dashes alone could not
    tell four age groups apart)."""
    have_m, have_g = _present(table)
    shown_m = [m for m in metrics if m in have_m]
    shown_g = [g for g in groups if g in have_g]
    by_group = len(shown_m) == 1 and len(shown_g) > 1
    traces = []
    for k, group in enumerate(shown_g):
        for metric in shown_m:
            x, y = series(table, metric, group)
            if len(y):
                name = metric if group == "all" else f"{metric} ({group})"
                if by_group:
                    name = group
                traces.append(
                    Trace(
                        name,
                        _x(x),
                        [float(v) for v in y],
                        dash=k > 0 and not by_group,
                        colour_key=group if by_group else metric,
                    )
                )
    if not traces:
        return None
    return Figure(key, title, "lines", traces, list(markers), ylabel=ylabel)


GROUP_KINDS = (("age", "age group"), ("org", "organisation"), ("province", "province"))


def groups_of(table: pa.Table, kind: str) -> list[str]:
    """The groups of one kind (``age``, ``org``, ``province``) in the table, sorted."""
    _, have_g = _present(table)
    return sorted(g for g in have_g if g.split(":", 1)[0] == kind)


def gap_bars(table: pa.Table) -> Figure | None:
    """Mean display-belief gap over the last quarter of the run, by age, organisation, province.

    One horizontal bar per group, one colour per kind of group, so the long province names
    stay readable."""
    if "display_gap" not in _present(table)[0]:
        return None
    traces = []
    for kind, label in GROUP_KINDS:
        groups = groups_of(table, kind)
        if groups:
            values = [tail_means(table, g).get("display_gap", np.nan) for g in groups]
            names = [g.split(":", 1)[1] for g in groups]
            traces.append(Trace(label, names, [float(v) for v in values], colour_key=kind))
    if not traces:
        return None
    return Figure(
        "gap_by_group",
        "Display minus private loyalty, mean of the last quarter of the run, by group",
        "bars",
        traces,
        ylabel="display - loyalty",
        horizontal=True,
    )


def _total(table: pa.Table, metric: str, group: str = "all") -> float:
    mask = pc.and_(pc.equal(table["metric"], metric), pc.equal(table["group"], group))
    return float(np.nansum(table.filter(mask)["value"].to_numpy()))


def amnesty_flow(table: pa.Table) -> Figure | None:
    """Inmates reviewed -> released by channel or denied -> supervision -> re-arrest."""
    have_m, have_g = _present(table)
    if "releases" not in have_m or _total(table, "reviews") == 0:
        return None
    channels = sorted(
        g for g in have_g if g.startswith("channel:") and g != "channel:sentence_served"
    )
    labels = ["reviewed inmates"] + [c.split(":", 1)[1] for c in channels]
    labels += ["qualified but denied", "other inmates kept", "under supervision", "re-arrested"]
    reviewed = _total(table, "reviews")
    released = [_total(table, "releases", c) for c in channels]
    denied = _total(table, "qualified_denied")
    links: list[tuple[int, int, float]] = []
    for k, value in enumerate(released, start=1):
        if value > 0:
            links.append((0, k, value))
            links.append((k, len(labels) - 2, value))
    if denied > 0:
        links.append((0, len(labels) - 4, denied))
    kept = reviewed - sum(released) - denied
    if kept > 0:
        links.append((0, len(labels) - 3, kept))
    rearrested = _total(table, "rearrests")
    if rearrested > 0:
        links.append((len(labels) - 2, len(labels) - 1, rearrested))
    return Figure(
        "amnesty_flow",
        "Amnesty flows: review, channels, supervision, re-arrest",
        "flow",
        flow=Flow(labels, links),
        note=f"{reviewed:.0f} reviews, {sum(released):.0f} releases, {denied:.0f} qualified "
        f"but denied, {rearrested:.0f} re-arrests of supervised people",
    )


def run_figures(
    table: pa.Table,
    markers: Sequence[tuple[str, dt.date, str]] = (),
    focus_group: str | None = None,
) -> list[Figure]:
    """The standard figures of one run."""
    groups = ["all"] + ([focus_group] if focus_group else [])
    ages = ["age:16-30", "age:31-45", "age:46-60", "age:61+"]
    gap_over_time = [
        line_figure(
            table,
            f"gap_by_{kind}",
            f"Display minus loyalty by {label}",
            ["display_gap"],
            groups_of(table, kind),
            markers,
            "display - loyalty",
        )
        for kind, label in GROUP_KINDS[1:]
    ]
    specs = [
        line_figure(
            table,
            "main",
            "Public display, private loyalty, resentment, cynicism",
            ["display_public", "loyalty_private", "display_gap", "resentment", "cynicism"],
            groups,
            markers,
            "mean (0-1)",
        ),
        line_figure(
            table,
            "gap_by_age",
            "Display minus loyalty by age group",
            ["display_gap"],
            ages,
            markers,
            "display - loyalty",
        ),
        *gap_over_time,
        gap_bars(table),
        line_figure(
            table,
            "enforcement",
            "Enforcement per week",
            [
                "lapses",
                "detections",
                "warnings",
                "accused",
                "struggle_sessions",
                "criticisms_false",
            ],
            ["all"],
            markers,
            "count per week (log scale)",
        ),
        line_figure(
            table,
            "dissent",
            "Hidden dissent and cascade risk",
            ["hidden_dissent", "cascade_risk", "open_dissent"],
            groups,
            markers,
            "share",
        ),
        line_figure(
            table,
            "custody",
            "Custody, supervision and releases",
            ["inmates", "under_supervision", "releases", "qualified_denied", "rearrests"],
            ["all"],
            markers,
            "people",
        ),
        amnesty_flow(table),
    ]
    out = [f for f in specs if f is not None]
    for fig in out:
        fig.log_y = fig.key == "enforcement"
    if not out:  # another model: every metric of group "all"
        have_m, _ = _present(table)
        made = [line_figure(table, m, m, [m], ["all"]) for m in sorted(have_m)]
        out = [f for f in made if f is not None]
    for fig in out:
        fig.traces = [t for t in fig.traces if not all(np.isnan(t.y))]
    return out
