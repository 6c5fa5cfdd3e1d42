"""Custody: time served, labour results and re-education participation (A7, A8).

For each inmate each week: time served grows by one week;
    labour      <- labour + r_l (perf - labour),  perf = clip(0.5 + 0.3 (loyalty - 0.5)
                                                              + noise (2u - 1), 0, 1)
    reeducation <- reeducation + r_e (target - reeducation),
    target = clip(base + w_l loyalty + w_f fear - w_r resentment, 0, 1).
An inmate who has served the whole sentence walks free (channel ``sentence_served``; the
6-12 months of supervision in A10 follow amnesty releases only).
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import CUSTODY, FREE, SENTENCE_SERVED, AmnestyState, People, State
from loyalsim.engine.rng import uniform
from loyalsim.scenario.schemas.loyalty import Scenario


class Params(NamedTuple):
    labour_rate: float
    labour_noise: float
    reeducation_rate: float
    reeducation_loyalty_weight: float
    reeducation_fear_weight: float
    reeducation_resentment_weight: float
    reeducation_base: float


def params(scn: Scenario) -> Params:
    c = scn.custody
    return Params(*(float(getattr(c, name)) for name in Params._fields))


@nb.njit(parallel=True, cache=True)
def _apply_kernel(
    p: Params,
    key: np.uint64,
    loyalty: np.ndarray,
    fear: np.ndarray,
    resentment: np.ndarray,
    status: np.ndarray,
    sentence: np.ndarray,
    served: np.ndarray,
    labour: np.ndarray,
    reeducation: np.ndarray,
    channel: np.ndarray,
    remaining: np.ndarray,
) -> None:
    for i in nb.prange(status.shape[0]):
        if status[i] != CUSTODY:
            continue
        served[i] = min(served[i] + 1, 32767)
        perf = 0.5 + 0.3 * (loyalty[i] - 0.5) + p.labour_noise * (2.0 * uniform(key, i, 0) - 1.0)
        perf = min(1.0, max(0.0, perf))
        labour[i] += p.labour_rate * (perf - labour[i])
        target = min(
            1.0,
            max(
                0.0,
                p.reeducation_base
                + p.reeducation_loyalty_weight * loyalty[i]
                + p.reeducation_fear_weight * fear[i]
                - p.reeducation_resentment_weight * resentment[i],
            ),
        )
        reeducation[i] += p.reeducation_rate * (target - reeducation[i])
        if served[i] >= sentence[i]:
            status[i] = FREE
            channel[i] = SENTENCE_SERVED
            remaining[i] = 0


def apply(p: Params, ppl: People, am: AmnestyState, key: np.uint64) -> None:
    """One week in custody for every inmate; release at the end of the term."""
    _apply_kernel(
        p,
        key,
        loyalty=ppl.loyalty_private,
        fear=ppl.fear,
        resentment=ppl.resentment,
        status=am.status,
        sentence=am.sentence_weeks,
        served=am.served_weeks,
        labour=am.labour,
        reeducation=am.reeducation,
        channel=am.release_channel,
        remaining=am.remaining_at_release,
    )


def step(state: State, ctx: RunContext, week: Week) -> None:
    """One week in custody for every inmate; releases at the end of a term."""
    key = ctx.streams.key("custody")
    apply(params(ctx.scenario), state.people, state.amnesty, key)
