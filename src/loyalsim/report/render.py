"""Render figure specs: interactive plotly (HTML) or static matplotlib (PNG, notebooks)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from matplotlib.figure import Figure as MplFigure

from loyalsim.report.figspec import Figure

MARKER_COLOURS = {"order": "crimson", "amnesty": "green", "calendar": "grey"}
MARKER_NOTE = "Vertical lines: red, campaign orders; grey, big anniversaries; green, amnesties."
LABEL_GAP_DAYS = 40  # labels of markers closer than this are staggered so they do not overlap


def label_levels(markers: list[tuple[str, dt.date, str]]) -> list[float]:
    """Heights (fraction of the plot) for marker labels: crowded labels step down."""
    levels: list[float] = []
    previous: list[tuple[dt.date, int]] = []
    for _, when, _ in markers:
        day = dt.date.fromisoformat(str(when)[:10])
        taken = {k for d, k in previous if abs((day - d).days) < LABEL_GAP_DAYS}
        k = next(i for i in range(len(markers) + 1) if i not in taken)
        previous.append((day, k))
        levels.append(1.0 - 0.34 * (k % 3))
    return levels


def colour(k: int) -> str:
    """The k-th colour of a qualitative palette, the same in plotly and matplotlib."""
    return PALETTE[k % len(PALETTE)]


# matplotlib's tab10 and two more (twelve provinces), the same in interactive and static figures.
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#ad494a",
)


def to_plotly(fig: Figure) -> go.Figure:
    """An interactive plotly figure."""
    out = go.Figure()
    if fig.kind == "flow" and fig.flow is not None:
        src, dst, val = zip(*fig.flow.links, strict=True) if fig.flow.links else ((), (), ())
        out.add_trace(
            go.Sankey(
                node={"label": fig.flow.labels, "pad": 18},
                link={"source": list(src), "target": list(dst), "value": list(val)},
            )
        )
    keys = list(dict.fromkeys(t.colour_key or t.name for t in fig.traces))
    for t in fig.traces:
        colour_k = colour(keys.index(t.colour_key or t.name))
        if fig.kind == "bars":
            error = {"type": "data", "array": t.error} if t.error is not None else None
            if fig.horizontal:
                out.add_trace(
                    go.Bar(
                        x=t.y,
                        y=t.x,
                        name=t.name,
                        orientation="h",
                        marker_color=colour_k,
                        error_x=error,
                    )
                )
            else:
                out.add_trace(
                    go.Bar(x=t.x, y=t.y, name=t.name, marker_color=colour_k, error_y=error)
                )
            continue
        if t.lower is not None and t.upper is not None:
            out.add_trace(
                go.Scatter(
                    x=t.x + t.x[::-1],
                    y=t.upper + t.lower[::-1],
                    fill="toself",
                    line={"width": 0},
                    opacity=0.2,
                    fillcolor=colour_k,
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
        out.add_trace(
            go.Scatter(
                x=t.x,
                y=t.y,
                name=t.name,
                mode="lines",
                line={"dash": "dash" if t.dash else "solid", "color": colour_k},
            )
        )
    for (label, when, kind), level in zip(fig.markers, label_levels(fig.markers), strict=True):
        out.add_vline(
            x=str(when), line={"color": MARKER_COLOURS.get(kind, "grey"), "width": 1}, opacity=0.5
        )
        out.add_annotation(
            x=str(when),
            y=level,
            yref="paper",
            text=label,
            hovertext=f"{label} ({when})",
            showarrow=False,
            textangle=-90,
            font={"size": 9},
            xanchor="right",
            yanchor="top",
        )
    n_bars = max((len(t.x) for t in fig.traces), default=0) * len(fig.traces)
    out.update_layout(
        title=fig.title,
        # Horizontal bars get a row of height each, so every group name stays readable.
        height=max(420, 60 + 16 * n_bars) if fig.horizontal else 420,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        yaxis_title=None if fig.horizontal else fig.ylabel,
        xaxis_title=fig.ylabel if fig.horizontal else None,
        legend={"font": {"size": 10}},
    )
    if fig.horizontal:
        out.update_yaxes(autorange="reversed")  # the first group on top
    if fig.kind == "bars" and len({tuple(t.x) for t in fig.traces}) > 1:
        out.update_layout(barmode="relative")  # disjoint groups: no empty slots beside bars
    if fig.log_y:
        out.update_yaxes(type="log")
    return out


def to_matplotlib(fig: Figure, ax: Any | None = None) -> Any:
    """A static matplotlib figure (returns the matplotlib Figure)."""
    if ax is None:
        # The object-oriented API: no global backend, so notebooks display the figure
        # they get back and scripts never open windows.
        rows = sum(len(t.x) for t in fig.traces) if fig.horizontal else 0
        mfig = MplFigure(figsize=(10, max(4.2, 1.0 + 0.22 * rows)))
        ax = mfig.add_subplot()
    else:
        mfig = ax.figure
    if fig.kind == "flow" and fig.flow is not None:
        labels = [f"{fig.flow.labels[s]} -> {fig.flow.labels[d]}" for s, d, _ in fig.flow.links]
        ax.barh(labels, [v for _, _, v in fig.flow.links])
        ax.invert_yaxis()
        ax.tick_params(labelsize=8)
    keys = list(dict.fromkeys(t.colour_key or t.name for t in fig.traces))
    for t in fig.traces:
        colour_k = colour(keys.index(t.colour_key or t.name))
        if fig.kind == "bars":
            _bars(ax, fig, t, colour_k)
            continue
        x: Any = np.array(t.x, dtype="datetime64[D]") if t.x and isinstance(t.x[0], str) else t.x
        ax.plot(x, t.y, label=t.name, linestyle="--" if t.dash else "-", color=colour_k)
        if t.lower is not None and t.upper is not None:
            ax.fill_between(x, t.lower, t.upper, alpha=0.2, color=colour_k)
    for _, when, kind in fig.markers:
        when_x: Any = np.datetime64(when, "D")  # a date on a date axis
        ax.axvline(when_x, color=MARKER_COLOURS.get(kind, "grey"), alpha=0.4, linewidth=1)
    if fig.log_y:
        ax.set_yscale("symlog")
    ax.set_title(fig.title, fontsize=10)
    if fig.horizontal:
        ax.set_xlabel(fig.ylabel)
        ax.invert_yaxis()  # the first group on top, as in the HTML report
    else:
        ax.set_ylabel(fig.ylabel)
    if fig.traces and fig.kind != "flow":
        ax.legend(fontsize=7)
    mfig.tight_layout()
    return mfig


def _bars(ax: Any, fig: Figure, t: Any, colour_k: str) -> None:
    """One bar trace; several horizontal traces stack their groups one after another."""
    labels = [str(v) for v in t.x]
    if fig.horizontal:
        if len({tuple(tr.x) for tr in fig.traces}) == 1 and len(fig.traces) > 1:
            # Same labels in every trace (indices): side by side bars.
            k = fig.traces.index(t)
            pos = np.arange(len(labels)) + (k - (len(fig.traces) - 1) / 2) * 0.8 / len(fig.traces)
            ax.barh(
                pos, t.y, height=0.8 / len(fig.traces), label=t.name, color=colour_k, xerr=t.error
            )
            ax.set_yticks(np.arange(len(labels)), labels)
        else:
            ax.barh(labels, t.y, label=t.name, color=colour_k, xerr=t.error)
        ax.tick_params(axis="y", labelsize=7)
    else:
        ax.bar(labels, t.y, label=t.name, color=colour_k, yerr=t.error)
        ax.tick_params(axis="x", rotation=75, labelsize=7)


def save_png(fig: Figure, folder: Path) -> Path:
    """Save one figure as ``folder/<key>.png``."""
    folder.mkdir(parents=True, exist_ok=True)
    mfig = to_matplotlib(fig)
    path = folder / f"{fig.key}.png"
    mfig.savefig(path, dpi=110)
    return path
