"""Offending under economic pressure, detection and arrest, by offence category.

Implements: A5, A11 (and C11: resentment and doubt from the campaign raise offending). For a
person not in custody, with pressure P and the category's base rate b_k and weight w_k,

    rate_k = b_k * max(0, 1 + w_k (P - 0.5)) * (1 + w_r resentment + w_d (1 - loyalty)).

One draw decides whether and which offence happens; it is detected with ``detect_prob``
(times ``supervised_detect_multiplier`` for people under supervision, A10, A11). Detection
means arrest: custody with a sentence uniform in the category's range. An undetected offence
in a sensitive category (A5) is remembered, so the person may report it later (A6).
"""

from __future__ import annotations

import datetime as dt

import numba as nb
import numpy as np

from loyalsim.engine.population import CUSTODY, SUPERVISED
from loyalsim.engine.rng import uniform
from loyalsim.scenario.schemas.amnesty import Economy

REFERENCE_PRESSURE = 0.5
TWELVE_MONTHS = 52  # weeks


def pressure_at(economy: Economy, date: dt.date) -> float:
    """Economic pressure on ``date``: linear between dated points, flat outside them (A11)."""
    days = np.array([(p.date - date).days for p in economy.points], dtype=np.float64)
    values = np.array([p.pressure for p in economy.points])
    return float(np.interp(0.0, days, values)) if len(values) > 1 else float(values[0])


def category_rates(base: np.ndarray, weight: np.ndarray, pressure: float) -> np.ndarray:
    """Weekly rate of each category at this pressure, before personal factors."""
    return base * np.maximum(0.0, 1.0 + weight * (pressure - REFERENCE_PRESSURE))


@nb.njit(parallel=True, cache=True)
def apply(
    status: np.ndarray,
    loyalty: np.ndarray,
    resentment: np.ndarray,
    rates: np.ndarray,
    detect: np.ndarray,
    sentence_lo: np.ndarray,
    sentence_hi: np.ndarray,
    is_sensitive: np.ndarray,
    w_resentment: float,
    w_doubt: float,
    supervised_multiplier: float,
    offence_now: np.ndarray,
    is_arrested: np.ndarray,
    hidden_offence: np.ndarray,
    offence: np.ndarray,
    sentence_weeks: np.ndarray,
    served_weeks: np.ndarray,
    labour: np.ndarray,
    reeducation: np.ndarray,
    is_self_reported: np.ndarray,
    supervision_left: np.ndarray,
    step_released: np.ndarray,
    is_rearrested_12m: np.ndarray,
    step: int,
    key: np.uint64,
) -> None:
    """Draw this week's offences and arrests, in place."""
    n_cat = rates.shape[0]
    total = 0.0
    for k in range(n_cat):
        total += rates[k]
    for i in nb.prange(status.shape[0]):
        offence_now[i] = -1
        if status[i] == CUSTODY:
            continue
        scale = 1.0 + w_resentment * resentment[i] + w_doubt * (1.0 - loyalty[i])
        u = uniform(key, i, 0)
        if u >= total * scale:
            continue
        # The same draw picks the category: u / scale is uniform on [0, total).
        pick = u / scale
        k = 0
        acc = rates[0]
        while pick >= acc and k < n_cat - 1:
            k += 1
            acc += rates[k]
        offence_now[i] = k
        p_detect = detect[k]
        if status[i] == SUPERVISED:
            p_detect = min(1.0, p_detect * supervised_multiplier)
        if uniform(key, i, 1) < p_detect:
            is_arrested[i] = 2 if status[i] == SUPERVISED else 1
            if step_released[i] >= 0 and step - step_released[i] <= TWELVE_MONTHS:
                is_rearrested_12m[i] = 1
            status[i] = CUSTODY
            offence[i] = k
            span = sentence_hi[k] - sentence_lo[k] + 1
            sentence_weeks[i] = sentence_lo[k] + np.int64(uniform(key, i, 2) * span)
            served_weeks[i] = 0
            labour[i] = 0.5
            reeducation[i] = 0.0
            is_self_reported[i] = 0
            supervision_left[i] = 0
        elif is_sensitive[k]:
            hidden_offence[i] = k + 1
