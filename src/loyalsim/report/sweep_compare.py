"""Difference between two stored sweeps (B - A), with a 95 % interval.

Each run contributes one outcome per metric (the value at the last step, or the mean over the
last ``window`` steps). With ``by_point`` and two sweeps over the same axes, points with the
same axis values are compared one by one; otherwise all runs of each sweep are pooled. The
interval is Welch's (unequal variances). Counts and levels that grow with the population are
refused when the two sweeps simulate different numbers of people (their difference would
mostly measure the sizes); means and shares are compared whatever the sizes.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import numpy as np
from scipy import stats

from loyalsim.report.sweep_stats import Outcome, run_outcomes
from loyalsim.store.results import open_results
from loyalsim.store.shards import read_metadata


@dataclass(frozen=True)
class SweepDifference:
    """One compared quantity: means of A and B, and B - A with its 95 % interval."""

    metric: str
    point: str  # "all runs", or the axis values of a design point
    n_a: int
    mean_a: float
    n_b: int
    mean_b: float
    diff: float
    low: float
    high: float


def is_sweep_dir(path: Path | str) -> bool:
    """Whether ``path`` is a sweep directory (it holds ``sweep.json``)."""
    return read_metadata(Path(path)) is not None


def welch(a: np.ndarray, b: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """mean(b) - mean(a) and Welch's interval (NaN bounds if either has fewer than 2)."""
    diff = float(np.mean(b) - np.mean(a))
    if len(a) < 2 or len(b) < 2:
        return diff, math.nan, math.nan
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    se = math.sqrt(va + vb)
    if se == 0.0:
        return diff, diff, diff
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(stats.t.ppf(0.5 + level / 2, dof) * se)
    return diff, diff - half, diff + half


def sweep_population(path: Path) -> int | None:
    """People per run of a sweep (its ``[set]`` or its base preset); None if it varies or is
    unknown (a base file that no longer resolves)."""
    meta = read_metadata(Path(path)) or {}
    if any(a.get("path") == "population.n_people" for a in meta.get("axes", [])):
        return None
    source = Path(path) / "sweep.toml"
    data = tomllib.loads(source.read_text("utf-8")) if source.is_file() else {}
    fixed = data.get("set", {}).get("population.n_people")
    if fixed is not None:
        return int(fixed)
    from loyalsim.scenario.io import ScenarioError, load

    try:
        config = load(str(meta.get("base", "default")))
    except (ScenarioError, OSError, ValueError):
        return None
    size = getattr(getattr(config, "population", None), "n_people", None)
    return int(size) if size is not None else None


def check_sizes(dir_a: Path, dir_b: Path, metrics: list[str]) -> None:
    """Refuse population-dependent metrics of sweeps of different sizes (ValueError)."""
    from loyalsim.report.tables import scales

    size_a, size_b = sweep_population(dir_a), sweep_population(dir_b)
    if size_a == size_b:
        return
    scaled = [m for m in metrics if scales(m.partition("@")[0])]
    if scaled:
        sizes = " and ".join(
            "varying or unknown" if s is None else f"{s:,}" for s in (size_a, size_b)
        )
        raise ValueError(
            f"the sweeps simulate different numbers of people ({sizes}): {', '.join(scaled)} "
            "grow with the population; compare means and shares, or sweeps of the same size"
        )


def _by_point(path: Path, outcome: Outcome) -> dict[str, list[float]]:
    with open_results(path) as res:
        names = [a["path"] for a in res.metadata["axes"]]
        cols = ", ".join(f'"{n}"' for n in names)
        keys = {
            int(row[0]): ", ".join(f"{n}={v}" for n, v in zip(names, row[1:], strict=True))
            for row in res.sql(f"SELECT point_index, {cols} FROM design").fetchall()
        }
        out: dict[str, list[float]] = {}
        for _, point, _, value in run_outcomes(res, outcome):
            out.setdefault(keys[point], []).append(value)
    return out


def compare_sweeps(
    dir_a: Path | str,
    dir_b: Path | str,
    metrics: list[str] | None = None,
    group: str = "all",
    step: int | None = None,
    window: int = 1,
    by_point: bool = False,
) -> list[SweepDifference]:
    """B - A for each metric (default: the metrics both sweeps kept), pooled or by point."""
    dir_a, dir_b = Path(dir_a), Path(dir_b)
    for path in (dir_a, dir_b):
        if not is_sweep_dir(path):
            raise FileNotFoundError(f"{str(path)!r} is not a sweep directory (no sweep.json)")
    if metrics is None:
        kept = []
        for path in (dir_a, dir_b):
            with open_results(path) as res:
                query = 'SELECT DISTINCT metric FROM timeseries WHERE "group" = ?'
                kept.append({m for (m,) in res.con.execute(query, [group]).fetchall()})
        metrics = sorted(kept[0] & kept[1])
        if not metrics:
            raise ValueError(f"the two sweeps share no metric in group {group!r}")
    check_sizes(dir_a, dir_b, metrics)
    rows: list[SweepDifference] = []
    for metric in metrics:
        outcome = Outcome(metric, group, step, window)
        a, b = _by_point(dir_a, outcome), _by_point(dir_b, outcome)
        if by_point:
            pairs = [(k, a[k], b[k]) for k in a if k in b]
            if not pairs:
                raise ValueError("--by-point: the two sweeps have no design point in common")
        else:
            pairs = [("all runs", list(chain(*a.values())), list(chain(*b.values())))]
        for key, va, vb in pairs:
            xa, xb = np.asarray(va), np.asarray(vb)
            diff, low, high = welch(xa, xb)
            rows.append(
                SweepDifference(
                    metric,
                    key,
                    len(xa),
                    float(np.mean(xa)),
                    len(xb),
                    float(np.mean(xb)),
                    diff,
                    low,
                    high,
                )
            )
    return rows
