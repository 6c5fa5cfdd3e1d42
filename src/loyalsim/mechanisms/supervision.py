"""Supervision after an amnesty release: checks, violations and re-arrest (A10).

Each week a supervised person commits a violation with probability
``violation_prob * (1 + w resentment)``; security interviews, life logs and movement
restrictions each uncover it independently, so it is detected with
1 - (1 - d_interview)(1 - d_log)(1 - d_movement). A detected violation means re-arrest:
custody again with the unserved sentence plus ``rearrest_penalty_weeks``. Otherwise one week
of supervision passes; when none is left the person rejoins the free population.
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import CUSTODY, FREE, SUPERVISED, AmnestyState, People, State
from loyalsim.engine.rng import uniform
from loyalsim.scenario.schemas.loyalty import Scenario

TWELVE_MONTHS = 52  # weeks


class Params(NamedTuple):
    violation_prob: float
    violation_resentment_weight: float
    detect: float  # chance that at least one check uncovers a violation
    rearrest_penalty_weeks: int


def detection_prob(d_interview: float, d_log: float, d_movement: float) -> float:
    """Chance that at least one of the three independent checks uncovers a violation."""
    return 1.0 - (1.0 - d_interview) * (1.0 - d_log) * (1.0 - d_movement)


def params(scn: Scenario) -> Params:
    s = scn.supervision
    return Params(
        float(s.violation_prob),
        float(s.violation_resentment_weight),
        detection_prob(s.detect_interview, s.detect_life_log, s.detect_movement),
        int(s.rearrest_penalty_weeks),
    )


@nb.njit(parallel=True, cache=True)
def _apply_kernel(
    p: Params,
    step: int,
    key: np.uint64,
    resentment: np.ndarray,
    status: np.ndarray,
    left: np.ndarray,
    sentence: np.ndarray,
    released: np.ndarray,
    violation: np.ndarray,
    arrested: np.ndarray,
    rearrested: np.ndarray,
) -> None:
    for i in nb.prange(status.shape[0]):
        if status[i] != SUPERVISED:
            continue
        if uniform(key, i, 0) < p.violation_prob * (
            1.0 + p.violation_resentment_weight * resentment[i]
        ):
            violation[i] = 1
            if uniform(key, i, 1) < p.detect:
                status[i] = CUSTODY
                arrested[i] = 2
                left[i] = 0
                sentence[i] = min(32767, sentence[i] + p.rearrest_penalty_weeks)
                if step - released[i] <= TWELVE_MONTHS:
                    rearrested[i] = 1
                continue
        left[i] -= 1
        if left[i] <= 0:
            left[i] = 0
            status[i] = FREE


def apply(p: Params, ppl: People, am: AmnestyState, step: int, key: np.uint64) -> None:
    """One week of supervision for everyone supervised; re-arrest on a detected violation."""
    _apply_kernel(
        p,
        step,
        key,
        resentment=ppl.resentment,
        status=am.status,
        left=am.supervision_left,
        sentence=am.sentence_weeks,
        released=am.step_released,
        violation=am.is_violation,
        arrested=am.is_arrested,
        rearrested=am.is_rearrested_12m,
    )


def step(state: State, ctx: RunContext, week: Week) -> None:
    """One week of supervision for everyone supervised; re-arrests."""
    key = ctx.streams.key("supervision")
    apply(params(ctx.scenario), state.people, state.amnesty, week.step, key)
