"""Figures of a stored sweep: every kept metric, every design point, sensitivity indices.

Read through the public results API (``loyalsim.open_results``: DuckDB views ``runs``,
``timeseries`` and ``design``), never from the shard files directly. Up to
``MAX_BAND_POINTS`` design points, each metric is one figure with a line (mean over
replicates) and a 5-95 % band per point, named by its parameter values; beyond that a line
per point would be unreadable, so each metric shows every point's last-step mean with its
95 % interval instead. A table of every point follows the figures in the report.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from loyalsim.report import tables
from loyalsim.report.figspec import Figure, Trace

MAX_BAND_POINTS = 12
Progress = Callable[[int, int, str], None]


def _sql_text(value: str) -> str:
    """A SQL string literal (metric and group names come from the sweep file)."""
    return "'" + value.replace("'", "''") + "'"


def _short(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def _value(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def point_labels(res: Any) -> dict[int, str]:
    """Every design point's axis values, ``base_logit = -3, case_prob = 0.1``."""
    axes = [str(a["path"]) for a in res.metadata.get("axes", [])]
    if not axes:
        return {}
    cols = ", ".join('"' + a.replace('"', '""') + '"' for a in axes)
    rows = res.sql(f"SELECT point_index, {cols} FROM design ORDER BY point_index").fetchall()
    return {
        int(row[0]): ", ".join(
            f"{_short(a)} = {_value(v)}" for a, v in zip(axes, row[1:], strict=True)
        )
        for row in rows
    }


def _dates(res: Any) -> dict[int, str] | None:
    """Date of each step when every run has the same dates, else None (steps are shown)."""
    rows = res.sql(
        "SELECT step, count(DISTINCT date), min(date) FROM timeseries GROUP BY step ORDER BY step"
    ).fetchall()
    if not rows or any(n != 1 or d is None for _, n, d in rows):
        return None
    return {int(s): str(d) for s, _, d in rows}


def _rows(res: Any, metric: str, group: str, per_capita: bool) -> tuple[pa.Table, bool]:
    """(step, value, point_index) of every run; per 1,000 people when the sweep kept sizes."""
    where = f'metric = {_sql_text(metric)} AND "group" = {_sql_text(group)}'
    sized = (
        per_capita
        and tables.scales(metric)
        and res.sql(
            f"SELECT count(*) FROM timeseries WHERE metric = '{tables.SIZE_METRIC}' "
            f'AND "group" = {_sql_text(group)}'
        ).fetchall()[0][0]
        > 0
    )
    if sized:
        query = (
            "SELECT t.step, t.value / s.value * 1000 AS value, r.point_index FROM timeseries t "
            "JOIN timeseries s ON s.run_id = t.run_id AND s.step = t.step "
            'AND s."group" = t."group" '
            f"AND s.metric = '{tables.SIZE_METRIC}' JOIN runs r ON r.run_id = t.run_id "
            f"WHERE t.{where.replace(' AND ', ' AND t.', 1)}"
        )
    else:
        query = (
            "SELECT t.step, t.value, r.point_index FROM timeseries t JOIN runs r USING (run_id) "
            f"WHERE t.{where.replace(' AND ', ' AND t.', 1)}"
        )
    return res.table(query), bool(sized)


def band_figure(
    rows: pa.Table,
    metric: str,
    group: str,
    labels: dict[int, str],
    dates: dict[int, str] | None,
    scaled: bool,
) -> Figure | None:
    """Mean and 5-95 % band over replicates per step, one trace per design point."""
    if rows.num_rows == 0:
        return None
    traces = []
    for point in sorted(set(rows["point_index"].to_pylist())):
        part = rows.filter(pc.equal(rows["point_index"], point))
        steps = part["step"].to_numpy()
        values = part["value"].to_numpy()
        xs = np.unique(steps)
        stacks = [values[steps == s] for s in xs]
        traces.append(
            Trace(
                labels.get(int(point), f"point {point}"),
                [dates[int(s)] for s in xs] if dates else [int(s) for s in xs],
                [float(np.mean(v)) for v in stacks],
                lower=[float(np.percentile(v, 5)) for v in stacks],
                upper=[float(np.percentile(v, 95)) for v in stacks],
                colour_key=str(point),
            )
        )
    unit = tables.unit(metric, scaled)
    return Figure(
        f"band_{metric}",
        f"{tables.metric_name(metric)}: replicates by design point ({tables.group_name(group)})",
        "lines",
        traces,
        ylabel=f"{tables.metric_name(metric)} ({unit})" if unit else metric,
        xlabel="date" if dates else "step",
        note="Lines: mean over replicates; bands: 5-95 % of replicates.",
    )


def points_figure(res: Any, metric: str, group: str, labels: dict[int, str]) -> Figure | None:
    """Every design point's last-step mean with its 95 % interval (large designs)."""
    from loyalsim.report.sweep_stats import Outcome, interval, run_outcomes

    by_point: dict[int, list[float]] = {}
    try:
        found = run_outcomes(res, Outcome(metric, group))
    except ValueError:
        return None
    for _, point, _, value in found:
        by_point.setdefault(point, []).append(value)
    names, means, errors = [], [], []
    for point in sorted(by_point):
        mean, _, high = interval(np.asarray(by_point[point]))
        names.append(f"{point}: {labels.get(point, '')}")
        means.append(mean)
        errors.append(0.0 if math.isnan(high) else high - mean)
    unit = tables.unit(metric)
    return Figure(
        f"points_{metric}",
        f"{tables.metric_name(metric)} at the last step, every design point "
        f"({tables.group_name(group)})",
        "points",
        [Trace("mean and 95 % interval", names, means, error=errors)],
        ylabel=f"{tables.metric_name(metric)} ({unit})" if unit else metric,
    )


def band_figures(
    res: Any,
    metrics: list[str],
    group: str = "all",
    per_capita: bool = True,
    progress: Progress | None = None,
) -> list[Figure]:
    """One figure per metric with every design point (bands, or points for large designs)."""
    from loyalsim.report.markers import events_of_sweep

    n_points = int(res.metadata.get("n_points", 1))
    labels = point_labels(res)
    dates = _dates(res)
    events = events_of_sweep(res.path) if dates else []
    figures = []
    for k, metric in enumerate(metrics):
        if n_points <= MAX_BAND_POINTS:
            rows, scaled = _rows(res, metric, group, per_capita)
            fig = band_figure(rows, metric, group, labels, dates, scaled)
            if fig is not None:
                fig.markers = list(events)
        else:
            fig = points_figure(res, metric, group, labels)
        if fig is not None:
            figures.append(fig)
        if progress is not None:
            progress(k + 1, len(metrics), metric)
    return figures


def sensitivity_figures(res: Any, metrics: list[str]) -> list[Figure]:
    """Sobol (S1, ST) or Morris (mu*, sigma) indices of each metric at the last step."""
    from loyalsim.report.sensitivity import analyze, indices_figure
    from loyalsim.report.sweep_stats import Outcome

    if res.metadata.get("design", {}).get("kind") not in ("sobol", "morris"):
        return []
    figures = []
    for metric in metrics:
        try:
            kind, indices = analyze(res, Outcome(metric))
        except ValueError:  # too few points, or an outcome that never varies
            continue
        figures.append(
            indices_figure(
                kind,
                indices,
                f"sensitivity_{metric}",
                f"{kind.capitalize()} indices of {tables.metric_name(metric)} at the last step",
                tables.unit(metric),
            )
        )
    return figures


def kept_metrics(res: Any, group: str = "all") -> list[str]:
    """The metrics the sweep kept, in the sweep file's order (all stored ones if it kept all)."""
    stored = [
        m
        for (m,) in res.sql(
            f'SELECT DISTINCT metric FROM timeseries WHERE "group" = {_sql_text(group)} ORDER BY 1'
        ).fetchall()
    ]
    keep = list(res.metadata.get("keep", {}).get("metrics") or [])
    ordered = [m for m in keep if m in stored] + [m for m in stored if m not in keep]
    return [m for m in ordered if m != tables.SIZE_METRIC]


def points_table(res: Any, metrics: list[str], group: str = "all") -> str:
    """An HTML table of every design point: axis values, runs, last-step mean [95 % interval]."""
    from loyalsim.report.sweep_stats import Outcome, summarize

    labels = point_labels(res)
    outcomes = [Outcome(m, group) for m in metrics]
    by_label = {o.label(): o.metric for o in outcomes}
    try:
        rows = summarize(res, outcomes)
    except ValueError:
        return ""
    cells: dict[int, dict[str, str]] = {}
    counts: dict[int, int] = {}
    for r in rows:
        metric = by_label[r["outcome"]]
        point = int(r["point_index"])
        counts[point] = int(r["n"])
        text = "" if math.isnan(r["mean"]) else f"{r['mean']:.4g}"
        if not math.isnan(r["low"]):
            text += f" [{r['low']:.4g}, {r['high']:.4g}]"
        cells.setdefault(point, {})[metric] = text
    head = "".join(f"<th>{html.escape(tables.metric_name(m))}</th>" for m in metrics)
    body = "".join(
        f"<tr data-point='{p}'><td>{p}</td>"
        f"<td style='text-align:left'>{html.escape(labels.get(p, ''))}</td>"
        f"<td>{counts.get(p, 0)}</td>"
        + "".join(f"<td>{cells.get(p, {}).get(m, '')}</td>" for m in metrics)
        + "</tr>"
        for p in sorted(set(labels) | set(cells))
    )
    return (
        "<section id='points'><h2>Every design point</h2><p class='note'>Mean over replicates "
        "at the last step, 95 % interval in brackets (Student t).</p><table class='points'>"
        "<tr><th>point</th>"
        f"<th>parameters</th><th>runs</th>{head}</tr>{body}</table></section>"
    )


def sweep_figures(
    path: Path, progress: Progress | None = None, per_capita: bool = True
) -> tuple[list[Figure], dict[str, Any], str]:
    """The figures, the metadata and the table of design points of a sweep directory."""
    from loyalsim.store.results import open_results  # = loyalsim.open_results

    with open_results(path) as res:
        meta = dict(res.metadata)
        metrics = kept_metrics(res)
        figures = band_figures(res, metrics, "all", per_capita, progress)
        figures += sensitivity_figures(res, metrics)
        table = points_table(res, metrics)
    return figures, meta, table
