"""Outcomes of a stored sweep: one number per run, and means with 95 % intervals per point.

An outcome is a metric in one group, read at one step (by default the last) or averaged
over the last ``window`` steps. Intervals are Student-t intervals over replicates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from loyalsim.store.results import SweepResults


@dataclass(frozen=True)
class Outcome:
    """Which number each run contributes."""

    metric: str
    group: str = "all"
    step: int | None = None  # None: the last step
    window: int = 1  # average over this many steps ending at ``step``

    @classmethod
    def parse(cls, text: str, group: str = "all", window: int = 1) -> Outcome:
        """``METRIC`` or ``METRIC@STEP``."""
        metric, _, step = text.partition("@")
        if not metric:
            raise ValueError(f"--outcome {text!r}: expected METRIC or METRIC@STEP")
        if step and not step.lstrip("-").isdigit():
            raise ValueError(f"--outcome {text!r}: the step after @ must be an integer")
        return cls(metric, group, int(step) if step else None, window)

    def label(self) -> str:
        at = "last step" if self.step is None else f"step {self.step}"
        span = f", mean of {self.window} steps" if self.window > 1 else ""
        return f"{self.metric} (group {self.group}) at {at}{span}"


def run_outcomes(res: SweepResults, outcome: Outcome) -> list[tuple[str, int, int, float]]:
    """(run_id, point_index, replicate, value) of every successful run, in design order."""
    rel = res.con.execute(
        'SELECT count(*), max(step) FROM timeseries WHERE metric = ? AND "group" = ?',
        [outcome.metric, outcome.group],
    ).fetchall()
    n_rows, last = rel[0]
    if not n_rows:
        kept = res.con.execute(
            'SELECT DISTINCT metric, "group" FROM timeseries ORDER BY 1, 2 LIMIT 200'
        ).fetchall()
        metrics = sorted({m for m, _ in kept})
        groups = sorted({g for _, g in kept})
        raise ValueError(
            f"no stored values for metric {outcome.metric!r} in group {outcome.group!r}; "
            f"stored metrics: {', '.join(metrics) or 'none'}; groups: {', '.join(groups)}"
        )
    end = last if outcome.step is None else outcome.step
    if outcome.step is not None and not 0 <= end <= last:
        raise ValueError(f"step {end}: allowed 0 to {last}")
    rows = res.con.execute(
        "SELECT r.run_id, r.point_index, r.replicate, avg(t.value) FROM timeseries t"
        " JOIN runs r USING (run_id)"
        ' WHERE t.metric = ? AND t."group" = ? AND t.step BETWEEN ? AND ?'
        " GROUP BY 1, 2, 3 ORDER BY 2, 3",
        [outcome.metric, outcome.group, end - outcome.window + 1, end],
    ).fetchall()
    return [(str(r), int(p), int(k), float(v)) for r, p, k, v in rows]


def interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and the Student-t interval of the mean (NaN bounds with fewer than 2 values)."""
    n = len(values)
    mean = float(np.mean(values)) if n else math.nan
    if n < 2:
        return mean, math.nan, math.nan
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * np.std(values, ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half


def summarize(res: SweepResults, outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """Per design point and outcome: axis values, n runs, mean and 95 % interval."""
    design = res.sql("SELECT * FROM design ORDER BY point_index").fetchall()
    names = [c[0] for c in res.sql("SELECT * FROM design LIMIT 0").description]
    axis_cols = [i for i, n in enumerate(names) if n != "point_index" and ":" not in n]
    points = {int(row[0]): {names[i]: row[i] for i in axis_cols} for row in design}
    rows: list[dict[str, Any]] = []
    for outcome in outcomes:
        by_point: dict[int, list[float]] = {}
        for _, point, _, value in run_outcomes(res, outcome):
            by_point.setdefault(point, []).append(value)
        for point, axis_values in points.items():
            values = np.asarray(by_point.get(point, []), dtype=np.float64)
            mean, low, high = interval(values)
            rows.append(
                {
                    "point_index": point,
                    **axis_values,
                    "outcome": outcome.label(),
                    "n": len(values),
                    "mean": mean,
                    "low": low,
                    "high": high,
                }
            )
    return rows
