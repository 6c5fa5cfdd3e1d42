"""Self-reporting of undetected sensitive offences (A6).

A person outside custody who remembers an undetected sensitive offence reports it each week
with probability ``base_prob * (1 + boost)``; the report means custody with a sentence cut to
``leniency`` of the usual draw, flagged as self-reported (so an amnesty may still release
them, A6). After an amnesty that released self-reporters, the boost rises by
``boost_per_reward`` times the share of self-reported inmates it released, then fades by
``boost_decay`` a week.
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import CUSTODY, AmnestyState, State
from loyalsim.engine.rng import uniform
from loyalsim.scenario.schemas.loyalty import Scenario


class Params(NamedTuple):
    sentence_lo: np.ndarray  # int64 weeks per offence category
    sentence_hi: np.ndarray
    leniency: float


def params(scn: Scenario) -> Params:
    cats = scn.offences.by_category()
    return Params(
        np.array([k.sentence_min_weeks for k in cats], np.int64),
        np.array([k.sentence_max_weeks for k in cats], np.int64),
        float(scn.self_report.leniency),
    )


def decay_boost(boost: float, decay: float) -> float:
    """The boost after one more week."""
    return boost * (1.0 - decay)


def reward_boost(boost: float, per_reward: float, released: int, eligible: int) -> float:
    """The boost after an amnesty released ``released`` of ``eligible`` self-reported inmates."""
    if eligible == 0:
        return boost
    return boost + per_reward * released / eligible


def report_prob(scn: Scenario, boost: float) -> float:
    """This week's chance that a person with a hidden sensitive offence reports it."""
    return min(1.0, scn.self_report.base_prob * (1.0 + boost))


@nb.njit(cache=True)
def person(p: Params, am: AmnestyState, i: int, p_report: float, key: np.uint64) -> None:
    """Person ``i`` may report a hidden sensitive offence this week (then: custody)."""
    h = am.hidden_offence[i]
    if h == 0 or am.status[i] == CUSTODY:
        return
    if uniform(key, i, 0) >= p_report:
        return
    k = h - 1
    span = p.sentence_hi[k] - p.sentence_lo[k] + 1
    full = p.sentence_lo[k] + np.int64(uniform(key, i, 1) * span)
    am.sentence_weeks[i] = max(1, np.int64(np.ceil(p.leniency * full)))
    am.served_weeks[i] = 0
    am.status[i] = CUSTODY
    am.offence[i] = k
    am.hidden_offence[i] = 0
    am.is_self_report[i] = 1
    am.is_self_reported[i] = 1
    am.labour[i] = 0.5
    am.reeducation[i] = 0.0
    am.supervision_left[i] = 0


@nb.njit(parallel=True, cache=True)
def apply(p: Params, am: AmnestyState, p_report: float, key: np.uint64) -> None:
    for i in nb.prange(am.status.shape[0]):
        person(p, am, i, p_report, key)


def step(state: State, ctx: RunContext, week: Week) -> None:
    """The boost fades a week; then every eligible person may report themselves."""
    scn = ctx.scenario
    state.self_report_boost = decay_boost(state.self_report_boost, scn.self_report.boost_decay)
    key = ctx.streams.key("self_report")
    apply(params(scn), state.amnesty, report_prob(scn, state.self_report_boost), key)
