"""Render figure specs: interactive plotly (HTML) or static matplotlib (PNG, notebooks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from matplotlib.figure import Figure as MplFigure

from loyalsim.report.figspec import Figure

MARKER_COLOURS = {"order": "crimson", "amnesty": "green", "calendar": "grey"}


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
        k = keys.index(t.colour_key or t.name)
        colour = f"hsl({(k * 67) % 360}, 60%, 45%)"
        if fig.kind == "bars":
            out.add_trace(go.Bar(x=t.x, y=t.y, name=t.name))
            continue
        if t.lower is not None and t.upper is not None:
            out.add_trace(
                go.Scatter(
                    x=t.x + t.x[::-1],
                    y=t.upper + t.lower[::-1],
                    fill="toself",
                    line={"width": 0},
                    opacity=0.2,
                    fillcolor=colour,
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
                line={"dash": "dash" if t.dash else "solid", "color": colour},
            )
        )
    for label, when, kind in fig.markers:
        out.add_vline(
            x=str(when), line={"color": MARKER_COLOURS.get(kind, "grey"), "width": 1}, opacity=0.5
        )
        out.add_annotation(
            x=str(when),
            y=1.0,
            yref="paper",
            text=label,
            showarrow=False,
            textangle=-90,
            font={"size": 9},
            xanchor="right",
            yanchor="top",
        )
    out.update_layout(
        title=fig.title,
        height=420,
        margin={"l": 60, "r": 20, "t": 50, "b": 40},
        yaxis_title=fig.ylabel,
        legend={"font": {"size": 10}},
    )
    if fig.log_y:
        out.update_yaxes(type="log")
    return out


def to_matplotlib(fig: Figure, ax: Any | None = None) -> Any:
    """A static matplotlib figure (returns the matplotlib Figure)."""
    if ax is None:
        # The object-oriented API: no global backend, so notebooks display the figure
        # they get back and scripts never open windows.
        mfig = MplFigure(figsize=(10, 4.2))
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
        k = keys.index(t.colour_key or t.name)
        if fig.kind == "bars":
            ax.bar([str(v) for v in t.x], t.y, label=t.name)
            ax.tick_params(axis="x", rotation=75, labelsize=7)
            continue
        x: Any = np.array(t.x, dtype="datetime64[D]") if t.x and isinstance(t.x[0], str) else t.x
        ax.plot(x, t.y, label=t.name, linestyle="--" if t.dash else "-", color=f"C{k % 10}")
        if t.lower is not None and t.upper is not None:
            ax.fill_between(x, t.lower, t.upper, alpha=0.2, color=f"C{k % 10}")
    for _, when, kind in fig.markers:
        when_x: Any = np.datetime64(when, "D")  # a date on a date axis
        ax.axvline(when_x, color=MARKER_COLOURS.get(kind, "grey"), alpha=0.4, linewidth=1)
    if fig.log_y:
        ax.set_yscale("symlog")
    ax.set_title(fig.title, fontsize=10)
    ax.set_ylabel(fig.ylabel)
    if fig.traces and fig.kind != "flow":
        ax.legend(fontsize=7)
    mfig.tight_layout()
    return mfig


def save_png(fig: Figure, folder: Path) -> Path:
    """Save one figure as ``folder/<key>.png``."""
    folder.mkdir(parents=True, exist_ok=True)
    mfig = to_matplotlib(fig)
    path = folder / f"{fig.key}.png"
    mfig.savefig(path, dpi=110)
    return path
