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


@nb.njit(cache=True)
def person(p: Params, ppl: People, am: AmnestyState, i: int, step: int, key: np.uint64) -> None:
    """One week of supervision for person ``i`` (nothing for people not supervised)."""
    if am.status[i] != SUPERVISED:
        return
    if uniform(key, i, 0) < p.violation_prob * (
        1.0 + p.violation_resentment_weight * ppl.resentment[i]
    ):
        am.is_violation[i] = 1
        if uniform(key, i, 1) < p.detect:
            am.status[i] = CUSTODY
            am.is_arrested[i] = 2
            am.supervision_left[i] = 0
            am.sentence_weeks[i] = min(32767, am.sentence_weeks[i] + p.rearrest_penalty_weeks)
            if step - am.step_released[i] <= TWELVE_MONTHS:
                am.is_rearrested_12m[i] = 1
            return
    am.supervision_left[i] -= 1
    if am.supervision_left[i] <= 0:
        am.supervision_left[i] = 0
        am.status[i] = FREE


@nb.njit(parallel=True, cache=True)
def apply(p: Params, ppl: People, am: AmnestyState, step: int, key: np.uint64) -> None:
    for i in nb.prange(am.status.shape[0]):
        person(p, ppl, am, i, step, key)


def step(state: State, ctx: RunContext, week: Week) -> None:
    """One week of supervision for everyone supervised; re-arrests."""
    key = ctx.streams.key("supervision")
    apply(params(ctx.scenario), state.people, state.amnesty, week.step, key)
