"""The comparison figure: per metric, both sides over time and their difference (B - A).

Left column: each side's mean over its runs, with the range of its runs as a band. Right
column: B - A at each step with Welch's 95 % interval as a band (two runs or more per side).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from loyalsim.report import tables
from loyalsim.report.compare import FIGURE_METRICS, RunSet
from loyalsim.report.figspec import Figure, Trace, x_label, x_values
from loyalsim.report.sweep_compare import welch
from loyalsim.scenario.events import Event


def _stack(
    runs: RunSet, metric: str, group: str, per_capita: bool
) -> tuple[np.ndarray, np.ndarray, bool]:
    """(x, values[run, step], scaled): the runs cut to their common length."""
    drawn = [tables.scaled_series(t, metric, group, per_capita) for t in runs.tables]
    n = min(len(y) for _, y, _ in drawn)
    return drawn[0][0][:n], np.vstack([y[:n] for _, y, _ in drawn]), any(s for _, _, s in drawn)


def metric_figures(
    a: RunSet, b: RunSet, metric: str, group: str, per_capita: bool, events: Sequence[Event]
) -> list[Figure]:
    """The two panels of one metric."""
    xa, ya, sa = _stack(a, metric, group, per_capita)
    xb, yb, sb = _stack(b, metric, group, per_capita)
    n = min(ya.shape[1], yb.shape[1])
    x = x_values(xa[:n])
    ylabel = f"{tables.metric_name(metric)} ({tables.unit(metric, sa or sb)})"
    sides = []
    for runs, values in ((a, ya), (b, yb)):
        sides.append(
            Trace(
                runs.label,
                x_values(xa[: values.shape[1]]) if runs is a else x_values(xb[: values.shape[1]]),
                [float(v) for v in values.mean(axis=0)],
                lower=[float(v) for v in values.min(axis=0)] if len(values) > 1 else None,
                upper=[float(v) for v in values.max(axis=0)] if len(values) > 1 else None,
                dash=runs is b,
            )
        )
    diffs = [welch(ya[:, k], yb[:, k]) for k in range(n)]
    has_ci = len(ya) > 1 and len(yb) > 1
    diff = Trace(
        f"{b.label} - {a.label}",
        x,
        [d[0] for d in diffs],
        lower=[d[1] for d in diffs] if has_ci else None,
        upper=[d[2] for d in diffs] if has_ci else None,
    )
    xlabel = x_label(a.tables[0])
    where = tables.group_name(group)
    return [
        Figure(
            f"{metric}_levels",
            f"{tables.metric_name(metric)} ({where})",
            "lines",
            sides,
            list(events),
            ylabel=ylabel,
            xlabel=xlabel,
        ),
        Figure(
            f"{metric}_difference",
            f"{tables.metric_name(metric)}: B - A",
            "lines",
            [diff],
            list(events),
            ylabel=f"difference ({tables.unit(metric, sa or sb)})",
            xlabel=xlabel,
            note="band: 95 % interval (Welch)" if has_ci else "one run per side: no interval",
        ),
    ]


def draw_comparison(
    a: RunSet,
    b: RunSet,
    path: Path,
    group: str = "all",
    metrics: Sequence[str] | None = None,
    per_capita: bool = True,
    events: Sequence[Event] = (),
    fmt: str | None = None,
    note: str = "",
) -> Path:
    """Write the comparison figure (PNG, SVG or PDF, two columns on a 7 in page)."""
    from loyalsim.report.figures import draw_panels
    from loyalsim.report.render_mpl import save

    common = set.intersection(*(tables.present(t)[0] for t in a.tables + b.tables))
    chosen = [m for m in (metrics or FIGURE_METRICS) if m in common] or sorted(common)[:6]
    figures: list[Figure] = []
    for metric in chosen:
        figures += metric_figures(a, b, metric, group, per_capita, events)
    bands = "Left: mean of each side's runs (band: range of its runs); right: B - A"
    bands += " (band: 95 % interval, Welch)." if len(a.tables) > 1 and len(b.tables) > 1 else "."
    mfig: Any = draw_panels(
        figures, f"B = {b.label} vs A = {a.label}", " ".join(p for p in (bands, note) if p)
    )
    return save(mfig, path, fmt)
