"""Amnesty release rates over replicates, with 95 % intervals, so a rare channel is visible.

A release rate is releases per inmate reviewed: within a household, wealth or offence group
(``hh:*``, ``wealth:*``, ``offence:*``, ``all``), or, for a channel (``channel:*``), the
releases through that channel over all inmates reviewed. One run of a rare channel (the
soldiers' families hold a few inmates in 100,000 people) says little; the counts of several
replicates are pooled and the rate gets a Wilson score interval, which stays inside [0, 1]
and keeps a sensible width at zero or few releases (Agresti & Coull 1998). Replicates differ
only in their seed, so their inmates are independent draws of the same process.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Z95 = 1.959963984540054  # two-sided 95 % quantile of the standard normal


class ReleaseRate(NamedTuple):
    """Pooled releases per inmate reviewed in one group, with its 95 % interval."""

    group: str
    releases: int
    reviewed: int
    rate: float  # NaN when nobody was reviewed
    low: float
    high: float


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion k / n; (0, 1) when n is 0."""
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return 0.0, 1.0
    p = k / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # At k = 0 or k = n the bound is exactly 0 or 1; rounding would leave it a hair off.
    low = 0.0 if k == 0 else max(0.0, centre - half)
    high = 1.0 if k == n else min(1.0, centre + half)
    return low, high


def _sums(table: pa.Table, metric: str, steps: tuple[int, int] | None) -> dict[str, float]:
    mask = pc.equal(table["metric"], metric)
    if steps is not None:
        step = table["step"]
        mask = pc.and_(
            mask, pc.and_(pc.greater_equal(step, steps[0]), pc.less_equal(step, steps[1]))
        )
    rows = table.filter(mask)
    groups = rows["group"].to_numpy(zero_copy_only=False)
    values = rows["value"].to_numpy()
    out: dict[str, float] = {}
    for name in np.unique(groups):
        out[str(name)] = float(values[groups == name].sum())
    return out


def release_rates(
    tables: Iterable[pa.Table], steps: tuple[int, int] | None = None, z: float = Z95
) -> dict[str, ReleaseRate]:
    """Pooled release rates by group over replicate runs (tidy tables of the loyalty model).

    ``steps`` (first, last; inclusive) limits the weeks counted, e.g. one amnesty's week;
    by default every week counts. Groups with no review in any replicate are left out.
    """
    releases: dict[str, float] = {}
    reviewed: dict[str, float] = {}
    for table in tables:
        rel, rev = _sums(table, "releases", steps), _sums(table, "reviews", steps)
        all_reviews = rev.get("all", 0.0)
        for group, count in rel.items():
            releases[group] = releases.get(group, 0.0) + count
            # A channel's rate is over every inmate reviewed (channel groups hold no reviews).
            denominator = all_reviews if group.startswith("channel:") else rev.get(group, 0.0)
            reviewed[group] = reviewed.get(group, 0.0) + denominator
    out: dict[str, ReleaseRate] = {}
    for group, n in reviewed.items():
        if n <= 0 or group == "channel:sentence_served":
            continue
        k = round(releases[group])
        low, high = wilson_interval(k, round(n), z)
        out[group] = ReleaseRate(group, k, round(n), k / n, low, high)
    return out
