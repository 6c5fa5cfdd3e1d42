"""What a detected lapse leads to under the regime of the person's cell.

Implements: C2, C3, C4, C5. Under ``warning`` each detected lapse earns a lecturer's warning.
Under ``struggle`` a detected lapse is a political offence: with probability ``case_prob`` it
opens a case, and the accused stands before a struggle session ``struggle_delay_weeks``
later. A person has at most one pending case. Under ``none`` nothing happens.
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import People, State
from loyalsim.engine.rng import uniform
from loyalsim.mechanisms.policy import REGIME_STRUGGLE, REGIME_WARNING
from loyalsim.scenario.schemas.loyalty import Scenario


class Params(NamedTuple):
    case_prob: float
    struggle_delay_weeks: int


def params(scn: Scenario) -> Params:
    e = scn.enforcement
    return Params(float(e.case_prob), int(e.struggle_delay_weeks))


@nb.njit(cache=True)
def person(p: Params, ppl: People, i: int, regime: int, step: int, key: np.uint64) -> None:
    """Turn person ``i``'s detections this week into warnings or a case."""
    d = ppl.n_detected[i]
    if d == 0:
        return
    if regime == REGIME_WARNING:
        ppl.n_warnings[i] = d
    elif regime == REGIME_STRUGGLE and ppl.step_struggle_due[i] < 0:
        # One case at most, whatever the number of detected lapses this week.
        p_case = 1.0 - (1.0 - p.case_prob) ** d
        if uniform(key, i, 0) < p_case:
            ppl.step_struggle_due[i] = step + p.struggle_delay_weeks
            ppl.is_accused_new[i] = 1
            if ppl.n_times_accused[i] < 255:
                ppl.n_times_accused[i] += 1


@nb.njit(parallel=True, cache=True)
def apply(p: Params, ppl: People, cell_regime: np.ndarray, step: int, key: np.uint64) -> None:
    for i in nb.prange(ppl.cell_idx.shape[0]):
        person(p, ppl, i, cell_regime[ppl.cell_idx[i]], step, key)


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Warnings or cases for every person's detections this week."""
    key = ctx.streams.key("enforcement")
    apply(params(ctx.scenario), state.people, week.policy.regime, week.step, key)
