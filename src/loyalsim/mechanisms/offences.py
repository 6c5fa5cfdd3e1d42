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
from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import CUSTODY, SUPERVISED, AmnestyState, People, State
from loyalsim.engine.rng import uniform
from loyalsim.scenario.schemas.amnesty import OFFENCES, SENSITIVE, Economy
from loyalsim.scenario.schemas.loyalty import Scenario

REFERENCE_PRESSURE = 0.5
TWELVE_MONTHS = 52  # weeks


class Params(NamedTuple):
    base_rate: np.ndarray  # per category, per week
    pressure_weight: np.ndarray
    detect: np.ndarray
    sentence_lo: np.ndarray  # int64 weeks
    sentence_hi: np.ndarray
    is_sensitive: np.ndarray  # bool
    resentment_weight: float
    doubt_weight: float
    supervised_detect_multiplier: float


def params(scn: Scenario) -> Params:
    cats, off = scn.offences.by_category(), scn.offences
    return Params(
        np.array([k.base_rate for k in cats]),
        np.array([k.pressure_weight for k in cats]),
        np.array([k.detect_prob for k in cats]),
        np.array([k.sentence_min_weeks for k in cats], np.int64),
        np.array([k.sentence_max_weeks for k in cats], np.int64),
        np.array([name in SENSITIVE for name in OFFENCES]),
        float(off.resentment_weight),
        float(off.doubt_weight),
        float(off.supervised_detect_multiplier),
    )


def pressure_at(economy: Economy, date: dt.date) -> float:
    """Economic pressure on ``date``: linear between dated points, flat outside them (A11)."""
    days = np.array([(p.date - date).days for p in economy.points], dtype=np.float64)
    values = np.array([p.pressure for p in economy.points])
    return float(np.interp(0.0, days, values)) if len(values) > 1 else float(values[0])


def category_rates(base: np.ndarray, weight: np.ndarray, pressure: float) -> np.ndarray:
    """Weekly rate of each category at this pressure, before personal factors."""
    return base * np.maximum(0.0, 1.0 + weight * (pressure - REFERENCE_PRESSURE))


@nb.njit(cache=True)
def total_rate(rates: np.ndarray) -> float:
    """Sum of the categories' weekly rates (summed in category order)."""
    total = 0.0
    for k in range(rates.shape[0]):
        total += rates[k]
    return total


@nb.njit(cache=True)
def person(
    p: Params,
    ppl: People,
    am: AmnestyState,
    i: int,
    rates: np.ndarray,
    total: float,
    step: int,
    key: np.uint64,
) -> None:
    """Draw person ``i``'s offence this week and its detection; arrest on detection."""
    am.offence_now[i] = -1
    if am.status[i] == CUSTODY:
        return
    scale = (
        1.0
        + p.resentment_weight * ppl.resentment[i]
        + p.doubt_weight * (1.0 - ppl.loyalty_private[i])
    )
    u = uniform(key, i, 0)
    if u >= total * scale:
        return
    # The same draw picks the category: u / scale is uniform on [0, total).
    pick = u / scale
    n_cat = rates.shape[0]
    k = 0
    acc = rates[0]
    while pick >= acc and k < n_cat - 1:
        k += 1
        acc += rates[k]
    am.offence_now[i] = k
    p_detect = p.detect[k]
    if am.status[i] == SUPERVISED:
        p_detect = min(1.0, p_detect * p.supervised_detect_multiplier)
    if uniform(key, i, 1) < p_detect:
        am.is_arrested[i] = 2 if am.status[i] == SUPERVISED else 1
        if am.step_released[i] >= 0 and step - am.step_released[i] <= TWELVE_MONTHS:
            am.is_rearrested_12m[i] = 1
        am.status[i] = CUSTODY
        am.offence[i] = k
        span = p.sentence_hi[k] - p.sentence_lo[k] + 1
        am.sentence_weeks[i] = p.sentence_lo[k] + np.int64(uniform(key, i, 2) * span)
        am.served_weeks[i] = 0
        am.labour[i] = 0.5
        am.reeducation[i] = 0.0
        am.is_self_reported[i] = 0
        am.supervision_left[i] = 0
    elif p.is_sensitive[k]:
        am.hidden_offence[i] = k + 1


@nb.njit(parallel=True, cache=True)
def apply(
    p: Params, ppl: People, am: AmnestyState, rates: np.ndarray, step: int, key: np.uint64
) -> None:
    total = total_rate(rates)
    for i in nb.prange(am.status.shape[0]):
        person(p, ppl, am, i, rates, total, step, key)


def week_rates(p: Params, scn: Scenario, week: Week) -> np.ndarray:
    """Each category's weekly rate at this week's economic pressure."""
    return category_rates(p.base_rate, p.pressure_weight, pressure_at(scn.economy, week.date))


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Every free or supervised person's offence this week; arrests."""
    key = ctx.streams.key("offences")
    p = params(ctx.scenario)
    apply(p, state.people, state.amnesty, week_rates(p, ctx.scenario, week), week.step, key)
