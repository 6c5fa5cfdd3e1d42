"""Evaluate calibration targets on a run's tidy table: one number per target.

A target reads one metric in one group over a window of steps and reduces it:

- ``mean``, ``sum``, ``first``, ``last``, ``min``, ``max``: of the weekly values;
- ``share``: the total (counts) or mean (levels) divided by the group's mean head count;
- ``per_1000_people``: the same times 1,000;
- ``per_work_unit``: the total or mean divided by the group's mean number of work units;
- ``ratio``: the total or mean divided by a statistic of another metric (``denominator``).

``rate`` turns totals into rates per week, month or year of the window. A target whose rows
are missing (a metric not recorded in that group or window) evaluates to NaN.

This module is imported by calibration workers: it needs only numpy and pyarrow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

WEEKS_PER = {"window": math.nan, "week": 1.0, "month": 365.25 / 12 / 7, "year": 365.25 / 7}


@dataclass(frozen=True)
class SeriesRef:
    """A metric in a group between two steps (inclusive; None: the run's first or last)."""

    metric: str
    group: str
    first: int | None = None
    last: int | None = None


@dataclass(frozen=True)
class ResolvedTarget:
    """A checked target: what to read, how to reduce it, and the accepted interval."""

    key: str
    series: SeriesRef
    statistic: str
    rate: str
    summable: bool  # the metric counts events (its weeks add up)
    denominator: SeriesRef | None
    denominator_statistic: str
    observed: float
    low: float
    high: float
    source: str

    @property
    def centre(self) -> float:
        return (self.low + self.high) / 2

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2

    def refs(self) -> list[SeriesRef]:
        """Every series this target reads (for filtering the table once)."""
        extra = {
            "share": "n_people",
            "per_1000_people": "n_people",
            "per_work_unit": "work_units",
        }.get(self.statistic)
        out = [self.series]
        if extra is not None:
            out.append(SeriesRef(extra, self.series.group, self.series.first, self.series.last))
        if self.denominator is not None:
            out.append(self.denominator)
        return out


Index = dict[tuple[str, str], tuple[np.ndarray, np.ndarray]]


def index_table(table: pa.Table, refs: list[SeriesRef]) -> Index:
    """(steps, values) sorted by step for each (metric, group) the refs read."""
    out: Index = {}
    for ref in refs:
        key = (ref.metric, ref.group)
        if key in out:
            continue
        mask = pc.and_(pc.equal(table["metric"], ref.metric), pc.equal(table["group"], ref.group))
        rows = table.filter(mask)
        steps = rows["step"].to_numpy().astype(np.int64)
        values = rows["value"].to_numpy(zero_copy_only=False).astype(np.float64)
        order = np.argsort(steps, kind="stable")
        out[key] = (steps[order], values[order])
    return out


def _window(index: Index, ref: SeriesRef) -> tuple[np.ndarray, np.ndarray]:
    steps, values = index.get((ref.metric, ref.group), (np.empty(0, np.int64), np.empty(0)))
    keep = np.isfinite(values)
    if ref.first is not None:
        keep &= steps >= ref.first
    if ref.last is not None:
        keep &= steps <= ref.last
    return steps[keep], values[keep]


def aggregate(values: np.ndarray, how: str) -> float:
    """One of ``mean sum first last min max`` of finite values in step order; NaN if none."""
    if values.size == 0:
        return math.nan
    if how == "mean":
        return float(values.mean())
    if how == "sum":
        return float(values.sum())
    if how == "first":
        return float(values[0])
    if how == "last":
        return float(values[-1])
    if how == "min":
        return float(values.min())
    if how == "max":
        return float(values.max())
    raise ValueError(f"unknown aggregate {how!r}")


def _weeks(index: Index, ref: SeriesRef) -> float:
    """Length of the window in steps (weeks): its bounds, or the steps recorded."""
    steps, _ = index.get((ref.metric, ref.group), (np.empty(0, np.int64), np.empty(0)))
    if steps.size == 0:
        return math.nan
    first = ref.first if ref.first is not None else int(steps.min())
    last = ref.last if ref.last is not None else int(steps.max())
    return float(last - first + 1)


def _divide(num: float, den: float) -> float:
    if not math.isfinite(num) or not math.isfinite(den) or den == 0:
        return math.nan
    return num / den


def evaluate_target(index: Index, target: ResolvedTarget) -> float:
    """The target's statistic on one run (NaN when its rows are missing)."""
    _, values = _window(index, target.series)
    total_or_mean = "sum" if target.summable else "mean"
    stat = target.statistic
    if stat in ("share", "per_1000_people", "per_work_unit"):
        divisor_metric = "work_units" if stat == "per_work_unit" else "n_people"
        ref = target.series
        _, divisor = _window(index, SeriesRef(divisor_metric, ref.group, ref.first, ref.last))
        value = _divide(aggregate(values, total_or_mean), aggregate(divisor, "mean"))
        value *= 1000.0 if stat == "per_1000_people" else 1.0
    elif stat == "ratio":
        assert target.denominator is not None  # checked when the file was read
        _, den = _window(index, target.denominator)
        value = _divide(
            aggregate(values, total_or_mean), aggregate(den, target.denominator_statistic)
        )
    else:
        value = aggregate(values, stat)
    if target.rate != "window":
        value = _divide(value, _weeks(index, target.series) / WEEKS_PER[target.rate])
    return value


def evaluate(table: pa.Table, targets: tuple[ResolvedTarget, ...]) -> dict[str, float]:
    """Every target's statistic on one run's tidy table, by target key."""
    index = index_table(table, [r for t in targets for r in t.refs()])
    return {t.key: evaluate_target(index, t) for t in targets}
