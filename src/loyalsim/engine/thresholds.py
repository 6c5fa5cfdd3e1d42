"""Granovetter's threshold dynamics on a threshold distribution (Granovetter 1978, AJS 83(6)).

Shared by the classic threshold model and the core model's cascade-risk observable (C14).
"""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True)
def cascade_fixed_point(counts: np.ndarray) -> np.int64:
    """Final number of actors who join, starting from nobody.

    ``counts[k]`` is the number of actors who join once at least ``k`` others have joined
    (the last bin also holds everyone whose threshold is higher). Iterates
    r(t+1) = #{i : t_i <= r(t)} from r = 0 to the first fixed point.
    """
    n_bins = counts.shape[0]
    cumulative = np.cumsum(counts)
    joined = np.int64(0)
    while True:
        idx = min(joined, n_bins - 1)
        nxt = np.int64(cumulative[idx])
        if nxt <= joined:
            return joined
        joined = nxt


@nb.njit(inline="always", cache=True)
def threshold_bin(threshold: float, resolution: np.int64) -> np.int64:
    """Bin of a threshold given as a share of the population, on a 1/resolution grid.

    Rounded up (conservative: a coarser grid never makes a cascade larger). Values <= 0 go
    to bin 0 (act from the start); values > 1 to bin ``resolution + 1`` (never act). The
    small tolerance keeps k/resolution in bin k despite floating-point error.
    """
    # Branch-free (min/max and a comparison), so that data-dependent thresholds do not cost
    # a mispredicted branch each: this runs twice per person per step in the core model.
    binned = min(max(np.ceil(threshold * resolution - 1e-9), 0.0), float(resolution))
    return np.int64(binned) + np.int64(threshold > 1.0)


@nb.njit(cache=True)
def fixed_point_bin(counts: np.ndarray, n: np.int64, resolution: np.int64) -> np.int64:
    """Highest threshold bin acting at equilibrium, from counts per ``threshold_bin``.

    Bin b holds actors who act once a share b/resolution of the population acts; at the
    fixed point exactly the actors in bins 0..returned value act.
    """
    acting = counts[0]
    share_bin = np.int64(0)
    while n > 0:
        share_bin = min(np.int64(np.floor(acting * resolution / n)), resolution)
        nxt = np.int64(0)
        for b in range(share_bin + 1):
            nxt += counts[b]
        if nxt <= acting:
            break
        acting = nxt
    return share_bin


@nb.njit(cache=True)
def fixed_point_share(counts: np.ndarray, n: np.int64, resolution: np.int64) -> float:
    """Equilibrium share acting, from counts per ``threshold_bin`` (length resolution + 2)."""
    if n == 0:
        return 0.0
    return counts[: fixed_point_bin(counts, n, resolution) + 1].sum() / n


@nb.njit(cache=True)
def cascade_share(thresholds: np.ndarray, resolution: np.int64) -> float:
    """Equilibrium share of actors who act, for thresholds given as shares of the population."""
    n = thresholds.shape[0]
    counts = np.zeros(resolution + 2, dtype=np.int64)
    for i in range(n):
        counts[threshold_bin(thresholds[i], resolution)] += 1
    return fixed_point_share(counts, n, resolution)
