"""Granovetter's crowd (1978): threshold draws, friendship weights and the joining rule.

Actor i joins once the number of others who have joined, counting each friend ``weight``
times, reaches its threshold t_i; nobody leaves. Without friends this is the map
r(t+1) = #{i : t_i <= r(t)} of ``core.cascade_fixed_point``.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.scenario.schemas.thresholds import Crowd


def layout(crowd: Crowd, n: int, rng: np.random.Generator) -> np.ndarray:
    """Thresholds (others needed, float) of ``n`` people under ``crowd.distribution``.

    Uniform and perturbed lay out the values 0..crowd.size−1 evenly over the ``n`` people
    (exactly one each when n = crowd.size); normal draws are i.i.d. with negatives set to 0.
    """
    if crowd.distribution == "normal":
        return np.maximum(rng.normal(crowd.mean, crowd.spread, n), 0.0)
    # Person k gets floor(k·size/n): every value equally often when n is a multiple of size.
    values = (np.arange(n, dtype=np.int64) * crowd.size // n).astype(np.float64)
    if crowd.distribution == "perturbed":
        values[values == crowd.perturb_from] = float(crowd.perturb_to)
    return values


def crowd_thresholds(crowd: Crowd, rng: np.random.Generator) -> np.ndarray:
    """Thresholds of the crowd: the whole population, or a sample drawn from a larger one."""
    if crowd.population_size == 0:
        return layout(crowd, crowd.size, rng)
    population = layout(crowd, crowd.population_size, rng)
    return rng.choice(population, size=crowd.size, replace=False)


def friendship_graph(
    n: int, mean_degree: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """CSR arrays (indptr, indices) of an Erdős–Rényi G(n, p) with p = mean_degree/(n−1)."""
    indptr = np.zeros(n + 1, dtype=np.int64)
    if n < 2 or mean_degree <= 0.0:
        return indptr, np.zeros(0, dtype=np.int64)
    n_pairs = n * (n - 1) // 2
    n_ties = int(rng.binomial(n_pairs, min(mean_degree / (n - 1), 1.0)))
    # Distinct unordered pairs by rejection: draw pairs, drop self-ties and repeats
    # (keeping draw order, so the result does not depend on how many rounds it took).
    keys = np.zeros(0, dtype=np.int64)
    while keys.shape[0] < n_ties:
        ends_a = rng.integers(n, size=2 * (n_ties - keys.shape[0]) + 8)
        ends_b = rng.integers(n, size=ends_a.shape[0])
        fresh = np.minimum(ends_a, ends_b) * n + np.maximum(ends_a, ends_b)
        keys = np.concatenate([keys, fresh[ends_a != ends_b]])
        _, first = np.unique(keys, return_index=True)
        keys = keys[np.sort(first)]
    keys = keys[:n_ties]
    low, high = np.divmod(keys, n)
    src = np.concatenate([low, high])
    dst = np.concatenate([high, low])
    order = np.lexsort((dst, src))
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr, dst[order]


@nb.njit(cache=True)
def join_step(
    thresholds: np.ndarray,
    acting: np.ndarray,
    indptr: np.ndarray,
    indices: np.ndarray,
    weight: float,
) -> int:
    """One synchronous step in place: who joins given who acted last step; returns the
    number of new joiners."""
    n = thresholds.shape[0]
    n_acting = 0
    for i in range(n):
        n_acting += acting[i]
    before = acting.copy()
    n_new = 0
    for i in range(n):
        if before[i]:
            continue
        friends_acting = 0
        for p in range(indptr[i], indptr[i + 1]):
            friends_acting += before[indices[p]]
        # Strangers count once, friends `weight` times; i itself is not acting.
        seen = (n_acting - friends_acting) + weight * friends_acting
        if seen >= thresholds[i]:
            acting[i] = True
            n_new += 1
    return n_new


def equilibrium(
    thresholds: np.ndarray, indptr: np.ndarray, indices: np.ndarray, weight: float
) -> int:
    """Number acting once nobody else joins, starting from nobody."""
    acting = np.zeros(thresholds.shape[0], dtype=np.bool_)
    while join_step(thresholds, acting, indptr, indices, weight) > 0:
        pass
    return int(acting.sum())
