"""Figures drawn from stored tidy tables only (never from a live simulation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from matplotlib.figure import Figure

from loyalsim.scenario.events import scenario_events

LOYALTY_PANELS = (
    ("Public display and private loyalty", ("display_public", "loyalty_private", "display_gap")),
    ("Resentment, cynicism, fear", ("resentment", "cynicism", "fear")),
    ("Lapses and detections per week", ("lapses", "detections")),
    ("Enforcement per week", ("warnings", "accused", "struggle_sessions")),
    ("Criticism voiced per week", ("criticisms_sincere", "criticisms_false")),
    ("Hidden dissent and cascade risk", ("hidden_dissent", "cascade_risk", "open_dissent")),
    ("Custody and amnesty", ("inmates", "under_supervision", "releases", "qualified_denied")),
    ("Arrests and re-arrests per week", ("arrests", "rearrests", "self_reports")),
)


def series(table: pa.Table, metric: str, group: str = "all") -> tuple[np.ndarray, np.ndarray]:
    """(x, value) of one metric and group; x is the date where there is one, else the step."""
    mask = pc.and_(pc.equal(table["metric"], metric), pc.equal(table["group"], group))
    sub = table.filter(mask).sort_by("step")
    values = sub["value"].to_numpy()
    if sub.num_rows and sub["date"].null_count == 0:
        return np.array(sub["date"].to_pylist(), dtype="datetime64[D]"), values
    return sub["step"].to_numpy(), values


def _groups_present(table: pa.Table) -> list[str]:
    return sorted(set(table["group"].unique().to_pylist()))


def draw_summary(
    table: pa.Table,
    path: Path,
    markers: Sequence[tuple[str, dt.date]] = (),
    focus_group: str | None = None,
    title: str = "",
) -> None:
    """The main observables over time (group ``all``; dashed: ``focus_group``), orders marked."""
    metrics_present = set(table["metric"].unique().to_pylist())
    panels = [(t, [m for m in ms if m in metrics_present]) for t, ms in LOYALTY_PANELS]
    panels = [(t, ms) for t, ms in panels if ms]
    if not panels:  # another model: one panel per metric family, group "all"
        names = sorted(metrics_present)
        panels = [(name, [name]) for name in names[:12]]
    cols = 2
    rows = (len(panels) + cols - 1) // cols
    fig = Figure(figsize=(12, 3.0 * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    groups = _groups_present(table)
    for ax, (panel_title, names) in zip(axes.flat, panels, strict=False):
        for k, name in enumerate(names):
            x, y = series(table, name, "all")
            (line,) = ax.plot(x, y, label=name, color=f"C{k}")
            if focus_group and focus_group in groups:
                xf, yf = series(table, name, focus_group)
                ax.plot(xf, yf, color=line.get_color(), linestyle="--", linewidth=1)
        for label, when in markers:
            low = label.lower()
            if "order" in low or "congress" in low:
                ax.axvline(np.datetime64(when, "D"), color="crimson", alpha=0.5, linewidth=1)
            elif "amnesty" in low:
                ax.axvline(np.datetime64(when, "D"), color="green", alpha=0.5, linewidth=1)
        ax.set_title(panel_title, fontsize=10)
        ax.legend(fontsize=7, loc="best")
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(panels) :]:
        ax.axis("off")
    note = f"solid: all; dashed: {focus_group}" if focus_group else "group: all"
    fig.suptitle(
        f"{title}  ({note}; red lines: orders and congresses; green: amnesties)", fontsize=11
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def draw_difference(
    table_a: pa.Table,
    table_b: pa.Table,
    metrics_: Sequence[str],
    path: Path,
    label_a: str,
    label_b: str,
    group: str = "all",
) -> None:
    """Per metric: both runs over time, and their difference (B - A)."""
    n = len(metrics_)
    fig = Figure(figsize=(11, 2.4 * n))
    axes = fig.subplots(n, 2, squeeze=False)
    for row, name in enumerate(metrics_):
        xa, ya = series(table_a, name, group)
        xb, yb = series(table_b, name, group)
        axes[row, 0].plot(xa, ya, label=label_a)
        axes[row, 0].plot(xb, yb, label=label_b)
        axes[row, 0].set_title(name, fontsize=9)
        axes[row, 0].legend(fontsize=7)
        k = min(len(ya), len(yb))
        axes[row, 1].plot(xa[:k], yb[:k] - ya[:k], color="k")
        axes[row, 1].axhline(0, color="grey", linewidth=0.5)
        axes[row, 1].set_title(f"{name}: {label_b} - {label_a}", fontsize=9)
        for ax in axes[row]:
            ax.tick_params(labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def draw_run_summary(table: pa.Table, config: Any, manifest: dict[str, Any], path: Path) -> None:
    """``draw_summary`` for a run directory: the scenario's events marked, its target dashed."""
    markers = [
        (f"{e.name} (amnesty)" if e.kind == "amnesty" else e.name, e.date)
        for e in scenario_events(config)
    ]
    title = f"{manifest['scenario_name']} (seed {manifest['seed']})"
    draw_summary(table, path, markers, focus_group(config), title)


def focus_group(config: Any) -> str | None:
    """The province the first order targets, for dashed lines on the summary figure."""
    orders = getattr(getattr(config, "enforcement", None), "orders", None) or []
    for order in orders:
        named = [p for p in order.provinces if p != "*"]
        if named:
            return f"province:{named[0]}"
    return None
