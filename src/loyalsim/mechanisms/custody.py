"""Custody: time served, labour results and re-education participation (A7, A8).

For each inmate each week: time served grows by one week;
    labour      <- labour + r_l (perf - labour),  perf = clip(0.5 + 0.3 (loyalty - 0.5)
                                                              + noise (2u - 1), 0, 1)
    reeducation <- reeducation + r_e (target - reeducation),
    target = clip(base + w_l loyalty + w_f fear - w_r resentment, 0, 1).
An inmate who has served the whole sentence walks free (channel ``sentence_served``; the
6-12 months of supervision in A10 follow amnesty releases only).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.engine.population import CUSTODY, FREE, SENTENCE_SERVED
from loyalsim.engine.rng import uniform


@nb.njit(parallel=True, cache=True)
def apply(
    status: np.ndarray,
    loyalty: np.ndarray,
    fear: np.ndarray,
    resentment: np.ndarray,
    sentence_weeks: np.ndarray,
    served_weeks: np.ndarray,
    labour: np.ndarray,
    reeducation: np.ndarray,
    release_channel: np.ndarray,
    remaining_at_release: np.ndarray,
    params: np.ndarray,
    key: np.uint64,
) -> None:
    """One week in custody, in place. ``params``: labour_rate, labour_noise, reeducation_rate,
    w_loyalty, w_fear, w_resentment."""
    base = params[6]
    r_l, noise, r_e, w_l, w_f, w_r = (
        params[0],
        params[1],
        params[2],
        params[3],
        params[4],
        params[5],
    )
    for i in nb.prange(status.shape[0]):
        if status[i] != CUSTODY:
            continue
        served_weeks[i] = min(served_weeks[i] + 1, 32767)
        perf = 0.5 + 0.3 * (loyalty[i] - 0.5) + noise * (2.0 * uniform(key, i, 0) - 1.0)
        perf = min(1.0, max(0.0, perf))
        labour[i] += r_l * (perf - labour[i])
        target = min(1.0, max(0.0, base + w_l * loyalty[i] + w_f * fear[i] - w_r * resentment[i]))
        reeducation[i] += r_e * (target - reeducation[i])
        if served_weeks[i] >= sentence_weeks[i]:
            status[i] = FREE
            release_channel[i] = SENTENCE_SERVED
            remaining_at_release[i] = 0
