"""Self-reporting of undetected sensitive offences (A6).

A person outside custody who remembers an undetected sensitive offence reports it each week
with probability ``base_prob * (1 + boost)``; the report means custody with a sentence cut to
``leniency`` of the usual draw, flagged as self-reported (so an amnesty may still release
them, A6). After an amnesty that released self-reporters, the boost rises by
``boost_per_reward`` times the share of self-reported inmates it released, then fades by
``boost_decay`` a week.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.engine.population import CUSTODY
from loyalsim.engine.rng import uniform


@nb.njit(parallel=True, cache=True)
def apply(
    status: np.ndarray,
    hidden_offence: np.ndarray,
    p_report: float,
    sentence_lo: np.ndarray,
    sentence_hi: np.ndarray,
    leniency: float,
    is_self_report: np.ndarray,
    is_self_reported: np.ndarray,
    offence: np.ndarray,
    sentence_weeks: np.ndarray,
    served_weeks: np.ndarray,
    labour: np.ndarray,
    reeducation: np.ndarray,
    supervision_left: np.ndarray,
    key: np.uint64,
) -> None:
    """Draw this week's self-reports, in place."""
    for i in nb.prange(status.shape[0]):
        h = hidden_offence[i]
        if h == 0 or status[i] == CUSTODY:
            continue
        if uniform(key, i, 0) >= p_report:
            continue
        k = h - 1
        span = sentence_hi[k] - sentence_lo[k] + 1
        full = sentence_lo[k] + np.int64(uniform(key, i, 1) * span)
        sentence_weeks[i] = max(1, np.int64(np.ceil(leniency * full)))
        served_weeks[i] = 0
        status[i] = CUSTODY
        offence[i] = k
        hidden_offence[i] = 0
        is_self_report[i] = 1
        is_self_reported[i] = 1
        labour[i] = 0.5
        reeducation[i] = 0.0
        supervision_left[i] = 0


def decay_boost(boost: float, decay: float) -> float:
    """The boost after one more week."""
    return boost * (1.0 - decay)


def reward_boost(boost: float, per_reward: float, released: int, eligible: int) -> float:
    """The boost after an amnesty released ``released`` of ``eligible`` self-reported inmates."""
    if eligible == 0:
        return boost
    return boost + per_reward * released / eligible
