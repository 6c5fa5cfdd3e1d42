"""What a detected lapse leads to under the regime of the person's cell.

Implements: C2, C3, C4, C5. Under ``warning`` each detected lapse earns a lecturer's warning.
Under ``struggle`` a detected lapse is a political offence: with probability ``case_prob`` it
opens a case, and the accused stands before a struggle session ``struggle_delay_weeks``
later. A person has at most one pending case. Under ``none`` nothing happens.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.engine.rng import uniform
from loyalsim.mechanisms.policy import REGIME_STRUGGLE, REGIME_WARNING


@nb.njit(parallel=True, cache=True)
def apply(
    cell_idx: np.ndarray,
    cell_regime: np.ndarray,
    n_detected: np.ndarray,
    step_struggle_due: np.ndarray,
    n_warnings: np.ndarray,
    is_accused_new: np.ndarray,
    n_times_accused: np.ndarray,
    case_prob: float,
    due_step: int,
    key: np.uint64,
) -> None:
    """Turn this week's detections into warnings or cases."""
    for i in nb.prange(cell_idx.shape[0]):
        d = n_detected[i]
        if d == 0:
            continue
        regime = cell_regime[cell_idx[i]]
        if regime == REGIME_WARNING:
            n_warnings[i] = d
        elif regime == REGIME_STRUGGLE and step_struggle_due[i] < 0:
            # One case at most, whatever the number of detected lapses this week.
            p_case = 1.0 - (1.0 - case_prob) ** d
            if uniform(key, i, 0) < p_case:
                step_struggle_due[i] = due_step
                is_accused_new[i] = 1
                if n_times_accused[i] < 255:
                    n_times_accused[i] += 1
