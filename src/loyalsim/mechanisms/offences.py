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


@nb.njit(parallel=True, cache=True)
def _apply_kernel(
    p: Params,
    rates: np.ndarray,
    step: int,
    key: np.uint64,
    loyalty: np.ndarray,
    resentment: np.ndarray,
    status: np.ndarray,
    offence_now: np.ndarray,
    is_arrested: np.ndarray,
    hidden: np.ndarray,
    offence: np.ndarray,
    sentence: np.ndarray,
    served: np.ndarray,
    labour: np.ndarray,
    reeducation: np.ndarray,
    self_reported: np.ndarray,
    supervision_left: np.ndarray,
    released: np.ndarray,
    rearrested: np.ndarray,
) -> None:
    n_cat = rates.shape[0]
    total = 0.0
    for k in range(n_cat):
        total += rates[k]
    for i in nb.prange(status.shape[0]):
        offence_now[i] = -1
        if status[i] == CUSTODY:
            continue
        scale = 1.0 + p.resentment_weight * resentment[i] + p.doubt_weight * (1.0 - loyalty[i])
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
        p_detect = p.detect[k]
        if status[i] == SUPERVISED:
            p_detect = min(1.0, p_detect * p.supervised_detect_multiplier)
        if uniform(key, i, 1) < p_detect:
            is_arrested[i] = 2 if status[i] == SUPERVISED else 1
            if released[i] >= 0 and step - released[i] <= TWELVE_MONTHS:
                rearrested[i] = 1
            status[i] = CUSTODY
            offence[i] = k
            span = p.sentence_hi[k] - p.sentence_lo[k] + 1
            sentence[i] = p.sentence_lo[k] + np.int64(uniform(key, i, 2) * span)
            served[i] = 0
            labour[i] = 0.5
            reeducation[i] = 0.0
            self_reported[i] = 0
            supervision_left[i] = 0
        elif p.is_sensitive[k]:
            hidden[i] = k + 1


def apply(
    p: Params, ppl: People, am: AmnestyState, rates: np.ndarray, step: int, key: np.uint64
) -> None:
    """Draw this week's offences and their detection; arrest on detection."""
    _apply_kernel(
        p,
        rates,
        step,
        key,
        loyalty=ppl.loyalty_private,
        resentment=ppl.resentment,
        status=am.status,
        offence_now=am.offence_now,
        is_arrested=am.is_arrested,
        hidden=am.hidden_offence,
        offence=am.offence,
        sentence=am.sentence_weeks,
        served=am.served_weeks,
        labour=am.labour,
        reeducation=am.reeducation,
        self_reported=am.is_self_reported,
        supervision_left=am.supervision_left,
        released=am.step_released,
        rearrested=am.is_rearrested_12m,
    )


def week_rates(p: Params, scn: Scenario, week: Week) -> np.ndarray:
    """Each category's weekly rate at this week's economic pressure."""
    return category_rates(p.base_rate, p.pressure_weight, pressure_at(scn.economy, week.date))


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Every free or supervised person's offence this week; arrests."""
    key = ctx.streams.key("offences")
    p = params(ctx.scenario)
    apply(p, state.people, state.amnesty, week_rates(p, ctx.scenario, week), week.step, key)
