"""Figures of a stored sweep: replicate bands per design point and sensitivity indices.

Read through the public results API (``loyalsim.open_results``: DuckDB views ``runs`` and
``timeseries``), never from the shard files directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from loyalsim.report.figspec import Figure, Trace


def band_figure(runs: pa.Table, metric: str, group: str, by: str, title: str) -> Figure | None:
    """Mean and 5-95 % band over replicates per step, one trace per value of ``by``."""
    mask = pc.and_(pc.equal(runs["metric"], metric), pc.equal(runs["group"], group))
    sub = runs.filter(mask)
    if sub.num_rows == 0:
        return None
    traces = []
    for label in sorted(set(sub[by].to_pylist())):
        part = sub.filter(pc.equal(sub[by], label))
        steps = part["step"].to_numpy()
        values = part["value"].to_numpy()
        xs = np.unique(steps)
        stacks = [values[steps == s] for s in xs]
        traces.append(
            Trace(
                f"{by} {label}",
                [int(s) for s in xs],
                [float(np.mean(v)) for v in stacks],
                lower=[float(np.percentile(v, 5)) for v in stacks],
                upper=[float(np.percentile(v, 95)) for v in stacks],
                colour_key=str(label),
            )
        )
    return Figure(
        f"band_{metric}",
        title,
        "lines",
        traces,
        ylabel=metric,
        note="lines: mean over replicates; bands: 5-95 % of replicates",
    )


def _sql_text(value: str) -> str:
    """A SQL string literal (metric and group names come from the sweep file)."""
    return "'" + value.replace("'", "''") + "'"


def point_axes(res: Any, n_points: int) -> dict[int, str]:
    """A short label of each design point's axis values, for the figure notes."""
    axes = [str(a["path"]) for a in res.metadata.get("axes", [])]
    if not axes:
        return {}
    cols = ", ".join('"' + a.replace('"', '""') + '"' for a in axes)
    rows = res.sql(
        f"SELECT DISTINCT point_index, {cols} FROM runs WHERE point_index < {int(n_points)} "
        "ORDER BY point_index"
    ).fetchall()
    return {int(row[0]): ", ".join(map(_setting, axes, row[1:])) for row in rows}


def _setting(path: str, value: Any) -> str:
    return f"{path} = {value:.4g}" if isinstance(value, float) else f"{path} = {value}"


def band_figures(
    res: Any, metrics: list[str], group: str = "all", max_points: int = 8
) -> list[Figure]:
    """One band figure per metric: replicates of the first ``max_points`` design points."""
    n_points = min(int(res.metadata.get("n_points", 1)), max_points)
    labels = point_axes(res, n_points)
    figures = []
    for metric in metrics:
        rows = res.table(
            'SELECT t.step, t.value, t.metric, t."group", r.point_index FROM timeseries t '
            f"JOIN runs r USING (run_id) WHERE t.metric = {_sql_text(metric)} "
            f'AND t."group" = {_sql_text(group)} AND r.point_index < {n_points}'
        )
        fig = band_figure(
            rows, metric, group, "point_index", f"{metric}: replicates by design point ({group})"
        )
        if fig is not None:
            if labels:
                fig.note += ". Design points: " + "; ".join(
                    f"{k}: {text}" for k, text in sorted(labels.items())
                )
            figures.append(fig)
    return figures


def sensitivity_figures(res: Any, metrics: list[str]) -> list[Figure]:
    """Sobol (S1, ST) or Morris (mu*, sigma) indices of each metric at the last step."""
    from loyalsim.report.sensitivity import analyze
    from loyalsim.report.sweep_stats import Outcome

    if res.metadata.get("design", {}).get("kind") not in ("sobol", "morris"):
        return []
    figures = []
    for metric in metrics:
        try:
            kind, indices = analyze(res, Outcome(metric))
        except ValueError:  # too few points, or an outcome that never varies
            continue
        names = [i.name for i in indices]
        first, second = ("S1", "ST") if kind == "sobol" else ("mu*", "sigma")
        figures.append(
            Figure(
                f"sensitivity_{metric}",
                f"{kind.capitalize()} indices of {metric} at the last step",
                "bars",
                [
                    Trace(
                        first,
                        names,
                        [i.first for i in indices],
                        colour_key="first",
                        error=[i.first_conf for i in indices],
                    ),
                    Trace(
                        second,
                        names,
                        [i.second for i in indices],
                        colour_key="second",
                        error=[i.second_conf for i in indices] if kind == "sobol" else None,
                    ),
                ],
                ylabel="index",
                note="error bars: 95 % confidence intervals (bootstrap)",
                horizontal=True,
            )
        )
    return figures


def sweep_figures(path: Path, max_points: int = 8) -> tuple[list[Figure], dict[str, Any]]:
    """The figures and the metadata of a sweep directory."""
    from loyalsim.store.results import open_results  # = loyalsim.open_results

    with open_results(path) as res:
        meta = dict(res.metadata)
        keep = list(meta.get("keep", {}).get("metrics") or ["display_gap"])
        group = "all"
        figures = band_figures(res, keep[:6], group, max_points)
        figures += sensitivity_figures(res, keep[:3])
    return figures, meta
