"""The discovery section of a report and its figures, read from a discovery directory only.

Two figures: the trade-off of PRIM's peeling trajectory (coverage against density, coloured
by the number of restricted parameters, the chosen box marked) and the box (each restricted
parameter's limits within the range the sweep sampled, with quasi-p-values). Each is drawn
with matplotlib (PNG files) and with plotly (the HTML report) from the same tables.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from loyalsim.store import analysis_dirs as files


def _read(folder: Path) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    meta = files.read_discovery_meta(folder)
    if meta is None:
        raise FileNotFoundError(f"{str(folder)!r} is not a discovery directory")
    trajectory = pq.read_table(Path(folder) / files.TRAJECTORY).to_pandas()
    cases = pq.read_table(Path(folder) / files.CASES).to_pandas()
    return meta, trajectory, cases


def box_bars(meta: dict[str, Any], cases: pd.DataFrame, box: int = 1) -> list[dict[str, Any]]:
    """Per restricted parameter of a box: its limits as shares of the sampled range."""
    chosen = next((b for b in meta["boxes"] if b["box"] == box), None)
    rows = []
    for lim in chosen["limits"] if chosen else []:
        values = cases[lim["parameter"]]
        if not pd.api.types.is_numeric_dtype(values):
            rows.append({**lim, "start": 0.0, "end": 1.0, "categorical": True})
            continue
        lo, hi = float(values.min()), float(values.max())
        span = hi - lo if hi > lo else 1.0
        low = lo if lim["low"] is None else lim["low"]
        high = hi if lim["high"] is None else lim["high"]
        rows.append(
            {**lim, "start": (low - lo) / span, "end": (high - lo) / span, "categorical": False}
        )
    return rows


def _limit_text(row: dict[str, Any]) -> str:
    if row["categorical"]:
        return "levels " + ", ".join(map(str, row["low"]))

    def side(value: Any, qp: float) -> str:
        if value is None:
            return "(sampled range)"
        p = "" if qp is None or (isinstance(qp, float) and math.isnan(qp)) else f" (qp {qp:.2g})"
        return f"{value:.4g}{p}"

    return f"{side(row['low'], row['qp_low'])} to {side(row['high'], row['qp_high'])}"


def draw_tradeoff_png(folder: Path, path: Path) -> None:
    """PRIM's trade-off: coverage against density per peeling step (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    meta, trajectory, _ = _read(folder)
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    first = trajectory[trajectory["box"] == 1]
    scatter = ax.scatter(first["coverage"], first["density"], c=first["res_dim"], cmap="viridis")
    fig.colorbar(scatter, ax=ax, label="restricted parameters")
    chosen = meta["boxes"][0]
    ax.scatter(
        [chosen["coverage"]],
        [chosen["density"]],
        s=160,
        facecolors="none",
        edgecolors="red",
        label=f"chosen box (step {chosen['step']})",
    )
    ax.set_xlabel("coverage (share of all outcome runs inside the box)")
    ax.set_ylabel("density (share of runs in the box with the outcome)")
    ax.set_title("PRIM peeling trajectory (box 1)")
    ax.legend(loc="lower left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def draw_box_png(folder: Path, path: Path) -> None:
    """The chosen box: each restricted parameter's limits within its sampled range (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    meta, _, cases = _read(folder)
    rows = box_bars(meta, cases)
    height = 1.6 + 0.5 * max(len(rows), 1)
    fig, ax = plt.subplots(figsize=(10, height))
    for i, row in enumerate(rows):
        ax.plot([0, 1], [i, i], color="#cccccc", linewidth=6, solid_capstyle="butt")
        ax.plot([row["start"], row["end"]], [i, i], color="#1f77b4", linewidth=6)
        ax.text(1.02, i, _limit_text(row), va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), [r["parameter"] for r in rows])
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the sampled range")
    box = meta["boxes"][0]
    ax.set_title(
        f"box 1: coverage {box['coverage']:.2f}, density {box['density']:.2f}, "
        f"{box['res_dim']} restricted"
    )
    ax.set_ylim(len(rows) - 0.5, -0.5)
    fig.subplots_adjust(left=0.3, right=0.62, bottom=0.9 / height, top=1 - 0.5 / height)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _plotly_tradeoff(meta: dict[str, Any], trajectory: pd.DataFrame) -> Any:
    import plotly.graph_objects as go

    fig = go.Figure()
    for number, part in trajectory.groupby("box"):
        fig.add_scatter(
            x=list(part["coverage"]),
            y=list(part["density"]),
            mode="markers+lines",
            name=f"box {number}",
            text=[
                f"step {s}, {r} restricted"
                for s, r in zip(part["step"], part["res_dim"], strict=True)
            ],
            marker={
                "color": list(part["res_dim"]),
                "colorscale": "Viridis",
                "showscale": number == 1,
            },
        )
    for box in meta["boxes"]:
        fig.add_scatter(
            x=[box["coverage"]],
            y=[box["density"]],
            mode="markers",
            name=f"chosen box {box['box']}",
            marker={"size": 16, "color": "rgba(0,0,0,0)", "line": {"color": "red", "width": 2}},
        )
    fig.update_xaxes(title_text="coverage", range=[0, 1.02])
    fig.update_yaxes(title_text="density", range=[0, 1.02])
    return fig


def _plotly_box(meta: dict[str, Any], cases: pd.DataFrame) -> Any:
    import plotly.graph_objects as go

    rows = box_bars(meta, cases)
    fig = go.Figure()
    fig.add_bar(
        y=[r["parameter"] for r in rows],
        x=[1.0] * len(rows),
        orientation="h",
        marker_color="#dddddd",
        name="sampled range",
        hoverinfo="skip",
    )
    fig.add_bar(
        y=[r["parameter"] for r in rows],
        x=[r["end"] - r["start"] for r in rows],
        base=[r["start"] for r in rows],
        orientation="h",
        marker_color="#1f77b4",
        name="box 1",
        hovertext=[_limit_text(r) for r in rows],
        hoverinfo="text",
        text=[_limit_text(r) for r in rows],
        textposition="outside",
    )
    fig.update_layout(barmode="overlay", height=150 + 50 * len(rows))
    fig.update_xaxes(title_text="share of the sampled range", range=[0, 1.6])
    return fig


def discovery_sections(
    folder: Path,
) -> tuple[str, str, list[tuple[str, str, Any, str]], dict[str, Any], str]:
    """Title, tables (HTML), figures, metadata and the outcome of a discovery."""
    from loyalsim.report.analysis_page import table_html

    meta, trajectory, cases = _read(folder)
    boxes = pq.read_table(Path(folder) / files.BOXES).to_pandas()
    boxes = boxes.astype(object).where(pd.notna(boxes), None)
    intro = (
        f"<p>Outcome <code>{html.escape(meta['outcome'])}</code> holds in "
        f"{meta['sweep_n_true']} of "
        f"{meta['sweep_n_cases']} runs of sweep {html.escape(str(meta.get('sweep_name')))}"
        + (
            f" (paired with baseline {html.escape(str(meta.get('sweep_baseline')))})"
            if meta.get("baseline")
            else ""
        )
        + f"; {meta['dropped_runs']} runs had no defined outcome.</p>"
    )
    box_table = table_html(
        boxes.to_dict("records"),
        [
            ("box", "box"),
            ("coverage", "coverage"),
            ("density", "density"),
            ("mass", "mass"),
            ("res_dim", "restricted"),
            ("parameter", "parameter"),
            ("low", "low"),
            ("high", "high"),
            ("levels", "levels"),
            ("qp_low", "qp low"),
            ("qp_high", "qp high"),
        ],
    )
    tree = meta["tree"]
    leaves = table_html(
        tree["leaves"],
        [("conditions", "leaf"), ("runs", "runs"), ("share_true", "share with the outcome")],
    )
    tables = (
        intro
        + "<h2>PRIM boxes</h2>"
        + box_table
        + f"<h2>Classification tree</h2><p>Depth {tree['depth']}, accuracy "
        f"{tree['accuracy']:.3f} on the runs.</p>" + leaves
    )
    figures = [
        (
            "tradeoff",
            "PRIM trade-off",
            _plotly_tradeoff(meta, trajectory),
            "Each point is one step of the peeling trajectory; circles mark the boxes kept "
            f"(highest coverage with density at least {meta['prim']['threshold']}).",
        ),
        (
            "box",
            "Box 1",
            _plotly_box(meta, cases),
            "Limits of box 1 on each restricted parameter, as shares of the range the sweep "
            "sampled; qp: quasi-p-value of a limit (binomial test, Bryant & Lempert 2010).",
        ),
    ]
    outcome_rows = np.asarray(cases["outcome"], dtype=bool)
    title = f"loyalsim discovery: {meta['outcome']} ({int(outcome_rows.sum())}/{len(outcome_rows)})"
    return title, tables, figures, meta, meta["outcome"]
