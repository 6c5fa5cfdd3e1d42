"""Plotly figures of a calibration: marginals, pairs, tolerance schedule, predictive checks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

if TYPE_CHECKING:
    from loyalsim.report.calibration import CalibrationData

POSTERIOR_COLOUR = "#1f77b4"
PRIOR_COLOUR = "#999999"


def _grid(n: int) -> tuple[int, int]:
    cols = min(n, 3)
    return (n + cols - 1) // cols, cols


def marginals_figure(data: CalibrationData) -> go.Figure:
    """One weighted histogram per parameter: posterior filled, prior sample outlined."""
    from loyalsim.report.calibration import weighted_quantiles

    params = data.meta["parameters"]
    rows, cols = _grid(len(params))
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[p["path"] for p in params])
    first = data.particles.filter(np.asarray(data.particles["generation"].to_numpy() == 0))
    weights = data.posterior["weight"].to_numpy()
    for i, p in enumerate(params):
        r, c = i // cols + 1, i % cols + 1
        edges = (
            np.geomspace(p["low"], p["high"], 21)
            if p["prior"] == "log-uniform"
            else np.linspace(p["low"], p["high"], 21)
        )
        post, _ = np.histogram(data.posterior[p["path"]].to_numpy(), edges, weights=weights)
        prior, _ = np.histogram(first[p["path"]].to_numpy(), edges)
        centres = [float(x) for x in (edges[:-1] + edges[1:]) / 2]
        widths = [float(x) for x in np.diff(edges)]
        shown = i == 0
        fig.add_bar(
            x=centres,
            y=list(post / max(post.sum(), 1e-300)),
            width=widths,
            row=r,
            col=c,
            marker_color=POSTERIOR_COLOUR,
            name="posterior",
            showlegend=shown,
            legendgroup="post",
        )
        fig.add_bar(
            x=centres,
            y=list(prior / max(prior.sum(), 1)),
            width=widths,
            row=r,
            col=c,
            marker={"color": "rgba(0,0,0,0)", "line": {"color": PRIOR_COLOUR, "width": 1}},
            name="prior sample (generation 0)",
            showlegend=shown,
            legendgroup="prior",
        )
        (median,) = weighted_quantiles(data.posterior[p["path"]].to_numpy(), weights, [0.5])
        fig.add_vline(x=median, row=r, col=c, line={"color": "black", "dash": "dot"})
        if p["prior"] == "log-uniform":
            fig.update_xaxes(type="log", row=r, col=c)
    fig.update_layout(barmode="overlay", bargap=0, height=280 * rows, yaxis_title="share")
    return fig


def pairs_figure(data: CalibrationData) -> go.Figure:
    """Scatter of every pair of parameters (last generation), sized by weight."""
    params = data.meta["parameters"]
    n = len(params)
    fig = make_subplots(rows=n - 1, cols=n - 1)
    weights = data.posterior["weight"].to_numpy()
    size = 4 + 12 * weights / max(float(weights.max()), 1e-300)
    for i in range(1, n):
        for j in range(i):
            fig.add_scatter(
                x=list(data.posterior[params[j]["path"]].to_numpy()),
                y=list(data.posterior[params[i]["path"]].to_numpy()),
                mode="markers",
                marker={"size": list(size), "color": POSTERIOR_COLOUR, "opacity": 0.6},
                row=i,
                col=j + 1,
                showlegend=False,
            )
            fig.update_xaxes(title_text=params[j]["path"], row=i, col=j + 1)
            fig.update_yaxes(title_text=params[i]["path"], row=i, col=j + 1)
            for axis, p in ((fig.update_xaxes, params[j]), (fig.update_yaxes, params[i])):
                if p["prior"] == "log-uniform":
                    axis(type="log", row=i, col=j + 1)
    fig.update_layout(height=320 * (n - 1))
    return fig


def tolerance_figure(data: CalibrationData) -> go.Figure:
    """Tolerance per generation (log scale) and acceptance rate."""
    gens = data.generations.to_pylist()
    finite = [g for g in gens if np.isfinite(g["epsilon"])]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_scatter(
        x=[g["generation"] for g in finite],
        y=[g["epsilon"] for g in finite],
        mode="lines+markers",
        name="tolerance",
    )
    fig.add_scatter(
        x=[g["generation"] for g in gens],
        y=[g["acceptance_rate"] for g in gens],
        mode="lines+markers",
        name="acceptance rate",
        line={"dash": "dash"},
        secondary_y=True,
    )
    fig.add_hline(y=1.0, line={"color": "grey", "dash": "dot"})
    fig.update_yaxes(type="log", title_text="tolerance", secondary_y=False)
    fig.update_yaxes(title_text="share accepted", range=[0, 1.05], secondary_y=True)
    fig.update_xaxes(title_text="generation (0: prior sample, tolerance unbounded)", dtick=1)
    return fig


def predictive_figure(data: CalibrationData) -> go.Figure:
    """Per target: predictive median and 90 % interval in units of the tolerance."""
    from loyalsim.report.calibration import predictive_summary

    rows = predictive_summary(data)
    keys, centre, lower, upper, hover = [], [], [], [], []
    for r in rows:
        if "median" not in r:
            continue
        mid, half = (r["low"] + r["high"]) / 2, (r["high"] - r["low"]) / 2
        keys.append(r["key"])
        centre.append((r["median"] - mid) / half)
        lower.append((r["median"] - r["q05"]) / half)
        upper.append((r["q95"] - r["median"]) / half)
        hover.append(
            f"{r['key']}<br>observed {r['observed']:.4g} (accepted {r['low']:.4g} to "
            f"{r['high']:.4g})<br>predicted {r['median']:.4g} ({r['q05']:.4g} to "
            f"{r['q95']:.4g})<br>{100 * r['inside']:.0f} % of draws inside<br>{r['source']}"
        )
    fig = go.Figure()
    fig.add_vrect(x0=-1, x1=1, fillcolor="green", opacity=0.12, line_width=0)
    error: dict[str, Any] = {
        "type": "data",
        "symmetric": False,
        "array": upper,
        "arrayminus": lower,
    }
    fig.add_scatter(
        x=centre,
        y=keys,
        mode="markers",
        error_x=error,
        hovertext=hover,
        hoverinfo="text",
        marker={"color": POSTERIOR_COLOUR, "size": 9},
        name="posterior predictive",
    )
    fig.add_vline(x=0, line={"color": "black", "dash": "dot"})
    fig.update_xaxes(title_text="deviation from the observed value (tolerances)")
    fig.update_layout(height=120 + 40 * max(len(keys), 1))
    return fig
