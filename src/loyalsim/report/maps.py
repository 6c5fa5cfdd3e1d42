"""Province maps: any metric by province as a tile map of North Korea's provinces.

A tile map, not drawn boundaries: no package on PyPI or npm ships Natural Earth's admin-1
polygons of North Korea under a public-domain licence (the ones that carry them are
linkware, GPL or need a commercial licence; one PyPI package carries Natural Earth's admin-1
boundary *lines*, but they leave out several provincial borders, so they cannot be closed
into named provinces). Each of the 11 default provinces is an equal square at its
approximate place (the provinces on the northern border on top, the Hwanghae provinces at
the bottom); equal squares also keep small provinces (Rason, Pyongyang) as visible as large
ones. Scenarios with other province names get a grid in scenario order. The campaign's
target province is outlined and named in the note under the map.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from loyalsim.report import style, tables
from loyalsim.report.figspec import Figure

# (column, row) of each default province; row 0 is the north.
TILES: dict[str, tuple[int, int]] = {
    "Rason": (5, 0),
    "Chagang": (2, 1),
    "Ryanggang": (3, 1),
    "North Hamgyong": (4, 1),
    "North Pyongan": (1, 2),
    "South Pyongan": (2, 2),
    "South Hamgyong": (3, 2),
    "Pyongyang": (1, 3),
    "North Hwanghae": (2, 3),
    "Kangwon": (3, 3),
    "South Hwanghae": (1, 4),
}


@dataclass
class ProvinceMap:
    """Values by province, their tiles, the colour-bar label and the target province."""

    values: dict[str, float]
    tiles: dict[str, tuple[int, int]]
    label: str
    target: str | None = None
    layers: dict[str, tuple[str, dict[str, float]]] = field(default_factory=dict)


def tile_layout(provinces: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Tiles at approximate places for the default provinces, else a grid in given order."""
    if set(provinces) <= set(TILES):
        return {p: TILES[p] for p in provinces}
    cols = max(1, math.ceil(math.sqrt(len(provinces))))
    return {p: (k % cols, k // cols) for k, p in enumerate(provinces)}


def province_map(
    values: Mapping[str, float],
    label: str = "value",
    target: str | None = None,
    title: str = "",
    layers: Mapping[str, tuple[str, Mapping[str, float]]] | None = None,
) -> Figure:
    """A map figure of ``{province: value}`` (the explorer's entry point).

    ``target`` is outlined; ``layers`` ({key: (label, values)}) are alternative metrics the
    interactive view offers in a menu."""
    provinces = list(values)
    if target is not None and target not in values:
        target = None
    spec = ProvinceMap(
        {p: float(v) for p, v in values.items()},
        tile_layout(provinces),
        label,
        target,
        {
            k: (lab, {p: float(v) for p, v in vals.items()})
            for k, (lab, vals) in (layers or {}).items()
        },
    )
    note = f"Outlined: {target}, the campaign's target province." if target else ""
    note += " Tile map: provinces at approximate positions, equal sizes."
    return Figure(
        "province_map",
        title or label,
        "map",
        ylabel=label,
        note=note.strip(),
        map=spec,
    )


def province_map_json(
    values: Mapping[str, float], label: str = "value", target: str | None = None
) -> str:
    """The map as plotly JSON (``Plotly.newPlot(div, data, layout)`` in a browser)."""
    from loyalsim.report.render_plotly import to_plotly

    return str(to_plotly(province_map(values, label, target)).to_json())


def metric_by_province(
    table: Any, metric: str, per_capita: bool = True, fraction: float = 0.25
) -> dict[str, float]:
    """Mean of a metric over the last ``fraction`` of the run, by province (scaled as in the
    figures: counts and levels per 1,000 people of the province)."""
    _, groups = tables.present(table)
    out = {}
    for group in sorted(g for g in groups if g.startswith("province:")):
        _, y, _ = tables.scaled_series(table, metric, group, per_capita)
        if len(y):
            tail = y[tables.tail_start(len(y), fraction) :]
            out[group.split(":", 1)[1]] = float(np.nanmean(tail)) if len(tail) else math.nan
    return out


def _colours(values: Mapping[str, float]) -> tuple[dict[str, str], float, float]:
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    finite = [v for v in values.values() if math.isfinite(v)]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    if high == low:
        high = low + 1e-12
    cmap = mpl.colormaps[style.MAP_SCALE]
    return (
        {
            p: to_hex(cmap((v - low) / (high - low))) if math.isfinite(v) else "#dddddd"
            for p, v in values.items()
        },
        low,
        high,
    )


def _short(name: str) -> str:
    for long, short in (("North ", "N. "), ("South ", "S. ")):
        name = name.replace(long, short)
    return name


def _fmt(value: float) -> str:
    if not math.isfinite(value):
        return "n/a"
    return f"{value:.3g}"


def draw_map_mpl(fig: Figure, ax: Any) -> None:
    """Tiles coloured by value, names and values printed, the target outlined, a colour bar."""
    import matplotlib as mpl
    from matplotlib.patches import Rectangle

    spec: ProvinceMap = fig.map
    colours, low, high = _colours(spec.values)
    for name, (col, row) in spec.tiles.items():
        target = name == spec.target
        ax.add_patch(
            Rectangle(
                (col, -row),
                0.94,
                0.94,
                facecolor=colours[name],
                edgecolor="#D55E00" if target else "white",
                linewidth=2.0 if target else 0.5,
            )
        )
        value = spec.values[name]
        dark = math.isfinite(value) and (value - low) / (high - low) < 0.5
        ax.text(
            col + 0.47,
            -row + 0.47,
            f"{_short(name)}\n{_fmt(value)}",
            ha="center",
            va="center",
            fontsize=5.5,
            color="white" if dark else "black",
        )
    cols = [c for c, _ in spec.tiles.values()]
    rows = [r for _, r in spec.tiles.values()]
    ax.set_xlim(min(cols) - 0.1, max(cols) + 1.04)
    ax.set_ylim(-max(rows) - 0.1, -min(rows) + 1.04)
    ax.set_aspect("equal")
    ax.axis("off")
    scale = mpl.cm.ScalarMappable(mpl.colors.Normalize(low, high), style.MAP_SCALE)
    bar = ax.figure.colorbar(scale, ax=ax, shrink=0.7)
    bar.set_label(spec.label, fontsize=6)
    bar.ax.tick_params(labelsize=5.5)


def _tile_traces(
    spec: ProvinceMap, values: Mapping[str, float]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float, float]:
    values = {p: values.get(p, math.nan) for p in spec.tiles}
    colours, low, high = _colours(values)
    traces, notes = [], []
    for name, (col, row) in spec.tiles.items():
        x0, y0 = col, -row
        target = name == spec.target
        traces.append(
            {
                "x": [x0, x0 + 0.94, x0 + 0.94, x0, x0],
                "y": [y0, y0, y0 + 0.94, y0 + 0.94, y0],
                "fillcolor": colours[name],
                "line": {"color": "#D55E00" if target else "white", "width": 4 if target else 1},
                "text": f"{name}{' (target)' if target else ''}: {_fmt(values[name])}",
            }
        )
        value = values[name]
        dark = math.isfinite(value) and (value - low) / (high - low) < 0.5
        notes.append(
            {
                "x": x0 + 0.47,
                "y": y0 + 0.47,
                "text": f"{_short(name)}<br>{_fmt(value)}",
                "showarrow": False,
                "font": {"size": 11, "color": "white" if dark else "black"},
            }
        )
    return traces, notes, low, high


def draw_map_plotly(fig: Figure, out: Any) -> None:
    """Tiles as filled shapes with hover text, a colour bar, and a menu of layers if any."""
    import plotly.graph_objects as go

    spec: ProvinceMap = fig.map
    traces, notes, low, high = _tile_traces(spec, spec.values)
    for t in traces:
        out.add_trace(
            go.Scatter(
                x=t["x"],
                y=t["y"],
                fill="toself",
                fillcolor=t["fillcolor"],
                line=t["line"],
                mode="lines",
                hoveron="fills",
                text=t["text"],
                hoverinfo="text",
                showlegend=False,
            )
        )
    out.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            showlegend=False,
            hoverinfo="skip",
            marker={
                "colorscale": "Cividis",
                "cmin": low,
                "cmax": high,
                "color": [low],
                "colorbar": {"title": {"text": spec.label, "side": "right"}, "thickness": 14},
                "showscale": True,
            },
        )
    )
    out.update_layout(
        annotations=notes,
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        plot_bgcolor="white",
        width=760,
        height=640,
        margin={"t": 110},
    )
    if spec.layers:
        out.update_layout(updatemenus=[_menu(spec, len(traces))])


def _menu(spec: ProvinceMap, n_tiles: int) -> dict[str, Any]:
    buttons = []
    for key, (label, values) in spec.layers.items():
        traces, notes, low, high = _tile_traces(spec, values)
        buttons.append(
            {
                "label": tables.metric_name(key),
                "method": "update",
                "args": [
                    {
                        "fillcolor": [t["fillcolor"] for t in traces] + [None],
                        "text": [t["text"] for t in traces] + [None],
                        "marker.cmin": [None] * n_tiles + [low],
                        "marker.cmax": [None] * n_tiles + [high],
                        "marker.colorbar.title.text": [None] * n_tiles + [label],
                    },
                    {"annotations": notes, "title.text": label},
                ],
            }
        )
    return {
        "buttons": buttons,
        "x": 0.0,
        "xanchor": "left",
        "y": 1.1,
        "yanchor": "top",
        "direction": "down",
    }
