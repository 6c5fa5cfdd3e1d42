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


@nb.njit(parallel=True, cache=True)
def _apply_kernel(
    p: Params,
    cell_regime: np.ndarray,
    step: int,
    key: np.uint64,
    cell_idx: np.ndarray,
    n_detected: np.ndarray,
    n_warnings: np.ndarray,
    due: np.ndarray,
    accused_new: np.ndarray,
    times: np.ndarray,
) -> None:
    for i in nb.prange(cell_idx.shape[0]):
        d = n_detected[i]
        if d == 0:
            continue
        regime = cell_regime[cell_idx[i]]
        if regime == REGIME_WARNING:
            n_warnings[i] = d
        elif regime == REGIME_STRUGGLE and due[i] < 0:
            # One case at most, whatever the number of detected lapses this week.
            p_case = 1.0 - (1.0 - p.case_prob) ** d
            if uniform(key, i, 0) < p_case:
                due[i] = step + p.struggle_delay_weeks
                accused_new[i] = 1
                if times[i] < 255:
                    times[i] += 1


def apply(p: Params, ppl: People, cell_regime: np.ndarray, step: int, key: np.uint64) -> None:
    """Turn everyone's detections this week into warnings or a case."""
    _apply_kernel(
        p,
        cell_regime,
        step,
        key,
        cell_idx=ppl.cell_idx,
        n_detected=ppl.n_detected,
        n_warnings=ppl.n_warnings,
        due=ppl.step_struggle_due,
        accused_new=ppl.is_accused_new,
        times=ppl.n_times_accused,
    )


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Warnings or cases for every person's detections this week."""
    key = ctx.streams.key("enforcement")
    apply(params(ctx.scenario), state.people, week.policy.regime, week.step, key)
