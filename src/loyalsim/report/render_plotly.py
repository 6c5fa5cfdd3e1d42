"""Draw figure specs with plotly, for the HTML report and the explorer.

Dated events are vertical lines on a hidden second y axis (0 to 1), one legend entry per
kind of event, so they can be named, toggled and hovered; their numbers sit in a track
above the plot, packed into rows so they never overlap, and the figure's key names them.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from loyalsim.report import markers as mk
from loyalsim.report import style
from loyalsim.report.figspec import Figure
from loyalsim.report.render_mpl import date_range, has_positive

PLOT_WIDTH_PX = 700  # a conservative width of the plotting area, for packing the track
TRACK_ROW = 0.05  # height of one track row, as a fraction of the plotting area


def placed_markers(fig: Figure) -> list[mk.Marker]:
    """The figure's events numbered and packed for a plot about ``PLOT_WIDTH_PX`` wide."""
    span = date_range(fig)
    if span is None or not fig.markers:
        return []
    return mk.place(list(fig.markers), span[0], span[1], 26 / PLOT_WIDTH_PX)


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
        _trace(out, fig, t, style.colour(k), t.dash or style.dashed(k))
    placed = placed_markers(fig)
    _events(out, placed)
    rows = max((m.row for m in placed), default=-1) + 1
    n_bars = max((len(t.x) for t in fig.traces), default=0) * len(fig.traces)
    tall = fig.horizontal or fig.kind == "points"
    out.update_layout(
        title={"text": fig.title, "y": 0.98, "yanchor": "top"},
        # Horizontal bars get a row of height each, so every group name stays readable.
        height=max(440, 80 + 16 * n_bars) if tall else 440 + 22 * rows,
        margin={"l": 70, "r": 20, "t": 50 + 18 * rows, "b": 50},
        yaxis_title=None if tall else fig.ylabel,
        xaxis_title=fig.ylabel if tall else (fig.xlabel or None),
        legend={"font": {"size": 10}},
        template="simple_white",
    )
    if fig.horizontal or fig.kind == "points":
        out.update_yaxes(autorange="reversed")  # the first group on top
    if fig.kind == "bars" and len({tuple(t.x) for t in fig.traces}) > 1:
        out.update_layout(barmode="relative")  # disjoint groups: no empty slots beside bars
    if fig.log_y and has_positive(fig):
        out.update_layout(yaxis={"type": "log"})
    if fig.kind == "map":  # last: the map sets its own size and hides its axes
        from loyalsim.report.maps import draw_map_plotly

        draw_map_plotly(fig, out)
    return out


def _trace(out: go.Figure, fig: Figure, t: Any, colour: str, dash: bool) -> None:
    if fig.kind == "bars":
        error = {"type": "data", "array": t.error} if t.error is not None else None
        if fig.horizontal:
            out.add_trace(
                go.Bar(
                    x=t.y, y=t.x, name=t.name, orientation="h", marker_color=colour, error_x=error
                )
            )
        else:
            out.add_trace(go.Bar(x=t.x, y=t.y, name=t.name, marker_color=colour, error_y=error))
        return
    if fig.kind == "points":
        error = {"type": "data", "array": t.error} if t.error is not None else None
        out.add_trace(
            go.Scatter(
                x=t.y,
                y=t.x,
                name=t.name,
                mode="markers",
                marker_color=colour,
                error_x=error,
                text=t.hover,
            )
        )
        return
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
                legendgroup=t.name,
            )
        )
    out.add_trace(
        go.Scatter(
            x=t.x,
            y=t.y,
            name=t.name,
            # Log axes leave zero weeks out: markers keep a lone week with events visible.
            mode="lines+markers" if fig.log_y else "lines",
            marker={"size": 3},
            legendgroup=t.name,
            line={"dash": "dash" if dash else "solid", "color": colour, "width": 1.6},
        )
    )


def _events(out: go.Figure, placed: list[mk.Marker]) -> None:
    """Event lines (one legend entry per kind) and their numbers in a track above the plot."""
    if not placed:
        return
    out.update_layout(
        yaxis2={"overlaying": "y", "range": [0, 1], "visible": False, "fixedrange": True}
    )
    for kind in dict.fromkeys(m.kind for m in placed):
        s = style.event_style(kind)
        mine = [m for m in placed if m.kind == kind]
        xs: list[Any] = []
        ys: list[Any] = []
        text: list[Any] = []
        for m in mine:
            xs += [str(m.date), str(m.date), None]
            ys += [0, 1, None]
            label = f"{m.number} {m.name} ({m.date:%-d %b %Y})"
            text += [label, label, None]
        out.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                yaxis="y2",
                mode="lines",
                name=s.label,
                line={"color": s.colour, "dash": s.dash, "width": 1},
                hovertext=text,
                hoverinfo="text",
                legendgroup=f"event-{kind}",
            )
        )
    for m in placed:
        s = style.event_style(m.kind)
        out.add_annotation(
            x=str(m.date),
            y=1.0 + TRACK_ROW * (m.row + 0.6),
            yref="paper",
            text=str(m.number),
            hovertext=f"{m.name} ({m.date:%-d %b %Y})",
            showarrow=False,
            font={"size": 10, "color": s.colour},
        )
