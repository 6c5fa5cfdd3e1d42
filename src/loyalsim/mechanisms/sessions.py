"""Mandatory study sessions per work unit on a weekly step.

Implements: C1, C8. Each unit holds ``base_per_week`` sessions a week plus
``per_week_per_intensity`` for each unit of its province's campaign intensity; the
fractional part is a Bernoulli draw, capped at ``max_per_week``.
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import State, Units
from loyalsim.engine.rng import uniform
from loyalsim.scenario.schemas.loyalty import Scenario


class Params(NamedTuple):
    base_per_week: float
    per_week_per_intensity: float
    max_per_week: int


def params(scn: Scenario) -> Params:
    s = scn.sessions
    return Params(float(s.base_per_week), float(s.per_week_per_intensity), int(s.max_per_week))


@nb.njit(parallel=True, cache=True)
def _apply_kernel(
    p: Params,
    province_intensity: np.ndarray,
    key: np.uint64,
    out: np.ndarray,
    province_idx: np.ndarray,
) -> None:
    for u in nb.prange(province_idx.shape[0]):
        rate = p.base_per_week + p.per_week_per_intensity * province_intensity[province_idx[u]]
        whole = np.int64(np.floor(rate))
        if uniform(key, u, 0) < rate - whole:
            whole += 1
        out[u] = min(max(whole, 0), p.max_per_week)


def apply(p: Params, units: Units, province_intensity: np.ndarray, key: np.uint64) -> None:
    """Write this week's number of sessions per unit into ``units.n_sessions``."""
    _apply_kernel(
        p,
        province_intensity,
        key,
        out=units.n_sessions,
        province_idx=units.province_idx,
    )


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Draw this week's sessions of every unit (``units.n_sessions``)."""
    key = ctx.streams.key("sessions")
    apply(params(ctx.scenario), state.units, week.policy.province_intensity, key)
