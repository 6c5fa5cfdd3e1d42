"""Mandatory study sessions per work unit on a weekly step.

Implements: C1, C8. Each unit holds ``base_per_week`` sessions a week plus
``per_week_per_intensity`` for each unit of its province's campaign intensity; the
fractional part is a Bernoulli draw, capped at ``max_per_week``.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.engine.rng import uniform


@nb.njit(parallel=True, cache=True)
def draw_sessions(
    unit_province: np.ndarray,
    province_intensity: np.ndarray,
    base: float,
    per_intensity: float,
    cap: int,
    key: np.uint64,
    out: np.ndarray,
) -> None:
    """Write this week's number of sessions per unit into ``out``."""
    for u in nb.prange(unit_province.shape[0]):
        rate = base + per_intensity * province_intensity[unit_province[u]]
        whole = np.int64(np.floor(rate))
        if uniform(key, u, 0) < rate - whole:
            whole += 1
        out[u] = min(max(whole, 0), cap)
