"""Self-reporting of undetected sensitive offences (A6).

A person outside custody who remembers an undetected sensitive offence reports it each week
with probability ``base_prob * (1 + boost)``; the report means custody with a sentence cut to
``leniency`` of the usual draw, flagged as self-reported (so an amnesty may still release
them, A6). Otherwise the offence stops weighing on them with probability ``hidden_fade`` a
week (most undetected offenders never report). After an amnesty that released
self-reporters, the boost rises by ``boost_per_reward`` times the share of self-reported
inmates it released, then fades by ``boost_decay`` a week.
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
    hidden_fade: float


def params(scn: Scenario) -> Params:
    cats = scn.offences.by_category()
    return Params(
        np.array([k.sentence_min_weeks for k in cats], np.int64),
        np.array([k.sentence_max_weeks for k in cats], np.int64),
        float(scn.self_report.leniency),
        float(scn.self_report.hidden_fade),
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


@nb.njit(parallel=True, cache=True)
def _apply_kernel(
    p: Params,
    p_report: float,
    key: np.uint64,
    status: np.ndarray,
    hidden: np.ndarray,
    offence: np.ndarray,
    sentence: np.ndarray,
    served: np.ndarray,
    labour: np.ndarray,
    reeducation: np.ndarray,
    report_now: np.ndarray,
    reported: np.ndarray,
    supervision_left: np.ndarray,
) -> None:
    for i in nb.prange(status.shape[0]):
        h = hidden[i]
        if h == 0 or status[i] == CUSTODY:
            continue
        u = uniform(key, i, 0)
        if u >= p_report:
            # The same draw decides the fading: (u - p) / (1 - p) is uniform on [0, 1).
            if (u - p_report) < p.hidden_fade * (1.0 - p_report):
                hidden[i] = 0
            continue
        k = h - 1
        span = p.sentence_hi[k] - p.sentence_lo[k] + 1
        full = p.sentence_lo[k] + np.int64(uniform(key, i, 1) * span)
        sentence[i] = max(1, np.int64(np.ceil(p.leniency * full)))
        served[i] = 0
        status[i] = CUSTODY
        offence[i] = k
        hidden[i] = 0
        report_now[i] = 1
        reported[i] = 1
        labour[i] = 0.5
        reeducation[i] = 0.0
        supervision_left[i] = 0


def apply(p: Params, am: AmnestyState, p_report: float, key: np.uint64) -> None:
    """Draw this week's self-reports (custody with a lenient sentence), in place."""
    _apply_kernel(
        p,
        p_report,
        key,
        status=am.status,
        hidden=am.hidden_offence,
        offence=am.offence,
        sentence=am.sentence_weeks,
        served=am.served_weeks,
        labour=am.labour,
        reeducation=am.reeducation,
        report_now=am.is_self_report,
        reported=am.is_self_reported,
        supervision_left=am.supervision_left,
    )


def week_prob(state: State, scn: Scenario) -> float:
    """Let the boost fade a week (in the state); this week's chance to report."""
    state.self_report_boost = decay_boost(state.self_report_boost, scn.self_report.boost_decay)
    return report_prob(scn, state.self_report_boost)


def step(state: State, ctx: RunContext, week: Week) -> None:
    """The boost fades a week; then every eligible person may report themselves."""
    p_report = week_prob(state, ctx.scenario)
    key = ctx.streams.key("self_report")
    apply(params(ctx.scenario), state.amnesty, p_report, key)
