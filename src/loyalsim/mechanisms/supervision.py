"""Supervision after an amnesty release: checks, violations and re-arrest (A10).

Each week a supervised person commits a violation with probability
``violation_prob * (1 + w resentment)``; security interviews, life logs and movement
restrictions each uncover it independently, so it is detected with
1 - (1 - d_interview)(1 - d_log)(1 - d_movement). A detected violation means re-arrest:
custody again with the unserved sentence plus ``rearrest_penalty_weeks``. Otherwise one week
of supervision passes; when none is left the person rejoins the free population.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.engine.population import CUSTODY, FREE, SUPERVISED
from loyalsim.engine.rng import uniform

TWELVE_MONTHS = 52  # weeks


@nb.njit(parallel=True, cache=True)
def apply(
    status: np.ndarray,
    resentment: np.ndarray,
    supervision_left: np.ndarray,
    sentence_weeks: np.ndarray,
    step_released: np.ndarray,
    is_violation: np.ndarray,
    is_arrested: np.ndarray,
    is_rearrested_12m: np.ndarray,
    p_violation: float,
    w_resentment: float,
    p_detect: float,
    penalty_weeks: int,
    step: int,
    key: np.uint64,
) -> None:
    """One week of supervision, in place."""
    for i in nb.prange(status.shape[0]):
        if status[i] != SUPERVISED:
            continue
        if uniform(key, i, 0) < p_violation * (1.0 + w_resentment * resentment[i]):
            is_violation[i] = 1
            if uniform(key, i, 1) < p_detect:
                status[i] = CUSTODY
                is_arrested[i] = 2
                supervision_left[i] = 0
                sentence_weeks[i] = min(32767, sentence_weeks[i] + penalty_weeks)
                if step - step_released[i] <= TWELVE_MONTHS:
                    is_rearrested_12m[i] = 1
                continue
        supervision_left[i] -= 1
        if supervision_left[i] <= 0:
            supervision_left[i] = 0
            status[i] = FREE


def detection_prob(d_interview: float, d_log: float, d_movement: float) -> float:
    """Chance that at least one of the three independent checks uncovers a violation."""
    return 1.0 - (1.0 - d_interview) * (1.0 - d_log) * (1.0 - d_movement)
