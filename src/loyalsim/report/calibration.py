"""The calibration section of a report, read from a calibration directory's files only.

Posterior summaries (weighted quantiles of every fitted parameter), posterior predictive
checks (each target's predictive interval against the accepted interval) and the figures:
marginals, pairs, the tolerance schedule and the predictive checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from loyalsim.store import analysis_dirs as files


@dataclass(frozen=True)
class CalibrationData:
    """A calibration directory's metadata and tables."""

    meta: dict[str, Any]
    generations: pa.Table
    particles: pa.Table
    posterior: pa.Table
    predictive: pa.Table | None


def read_calibration(folder: Path) -> CalibrationData:
    """Read a finished calibration directory; FileNotFoundError names what is missing."""
    folder = Path(folder)
    meta = files.read_calibration_meta(folder)
    if meta is None:
        raise FileNotFoundError(
            f"{str(folder)!r} is not a calibration directory (no calibration.json)"
        )
    if not (folder / files.POSTERIOR).is_file():
        raise FileNotFoundError(
            f"{str(folder)!r} holds no posterior yet: the calibration has not finished "
            "(run the same `loyalsim calibrate` command again to resume it)"
        )
    predictive = folder / files.PREDICTIVE
    return CalibrationData(
        meta,
        pq.read_table(folder / files.GENERATIONS),
        pq.read_table(folder / files.PARTICLES),
        pq.read_table(folder / files.POSTERIOR),
        pq.read_table(predictive) if predictive.is_file() else None,
    )


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: list[float]) -> list[float]:
    """The smallest values whose cumulative normalised weight reaches each ``q``."""
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    cum = cum / cum[-1]
    return [float(values[order][min(int(np.searchsorted(cum, q)), len(values) - 1)]) for q in qs]


def parameter_summary(data: CalibrationData) -> list[dict[str, Any]]:
    """Per fitted parameter: prior, posterior median and 90 % interval (5 % and 95 %)."""
    weights = data.posterior["weight"].to_numpy()
    rows = []
    for p in data.meta["parameters"]:
        values = data.posterior[p["path"]].to_numpy()
        q05, median, q95 = weighted_quantiles(values, weights, [0.05, 0.5, 0.95])
        rows.append({**p, "median": median, "q05": q05, "q95": q95})
    return rows


def predictive_summary(data: CalibrationData) -> list[dict[str, Any]]:
    """Per target: observed value, accepted interval, predictive median and 90 % interval,
    and the share of predictive draws inside the accepted interval."""
    rows = []
    for t in data.meta["targets"]:
        row = {k: t[k] for k in ("key", "metric", "group", "statistic", "observed", "low", "high")}
        row["source"] = t["source"]
        if data.predictive is not None and data.predictive.num_rows:
            values = data.predictive[f"stat:{t['key']}"].to_numpy()
            finite = values[np.isfinite(values)]
            if finite.size:
                q05, median, q95 = np.quantile(finite, [0.05, 0.5, 0.95])
                inside = float(np.mean((finite >= t["low"]) & (finite <= t["high"])))
                row.update(median=float(median), q05=float(q05), q95=float(q95), inside=inside)
        rows.append(row)
    return rows


def calibration_figures(data: CalibrationData) -> list[tuple[str, str, Any, str]]:
    """(key, title, plotly figure, note) of every figure of the calibration section."""
    from loyalsim.report.calibration_figures import (
        marginals_figure,
        pairs_figure,
        predictive_figure,
        tolerance_figure,
    )

    figures = [
        (
            "marginals",
            "Posterior marginals",
            marginals_figure(data),
            "Weighted histograms of the last generation (bars) against generation 0, a "
            "sample of the prior (outline); the line marks the posterior median.",
        ),
        (
            "tolerance",
            "Tolerance schedule",
            tolerance_figure(data),
            "The tolerance (largest deviation of any target, in units of its tolerance) "
            "each generation accepted, and the share of candidates accepted. At 1 every "
            "accepted particle meets every target.",
        ),
        (
            "predictive",
            "Posterior predictive checks",
            predictive_figure(data),
            "Fresh runs at posterior draws: median and 90 % interval of each target's "
            "statistic, as deviation from the observed value in units of its tolerance "
            "(the shaded band is the accepted interval).",
        ),
    ]
    if len(data.meta["parameters"]) > 1:
        figures.insert(
            1,
            (
                "pairs",
                "Posterior pairs",
                pairs_figure(data),
                "Every pair of fitted parameters in the last generation; marker size "
                "follows the particle's weight.",
            ),
        )
    return figures
