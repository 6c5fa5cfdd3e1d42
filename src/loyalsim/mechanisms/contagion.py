"""Peer contagion of cynicism over work teams, households and friends.

Implements: C10 (sarcasm shared among the young), C9. Updated simultaneously (everyone reads
last week's cynicism): with own target
    own  = (w_r resentment + w_f fatigue + w_d (1 - loyalty)) / (w_r + w_f + w_d)
and peer level ``peer`` (weighted mean of team-mates', household members' and friends'
cynicism, each excluding oneself),
    cynicism <- clip(cynicism + self_rate (own - cynicism)
                     + min(1, Y peer_rate) (peer - cynicism), 0, 1),
with Y the young multiplier (C9). The new values go to ``cynicism_next``; the schedule
swaps the buffers once everybody is done.
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import People, State, Units
from loyalsim.scenario.schemas.loyalty import Scenario


class Params(NamedTuple):
    self_rate: float
    team_weight: float
    household_weight: float
    friend_weight: float  # 0 when people have no friendship ties
    resentment_weight: float
    fatigue_weight: float
    doubt_weight: float
    inv_own: float  # 1 / (resentment + fatigue + doubt weights)
    inv_friends: float  # 1 / friends per person
    rate_young: float  # min(1, young_multiplier * peer_rate)
    rate_other: float  # min(1, peer_rate)
    team_size: int


def params(scn: Scenario) -> Params:
    c, k = scn.contagion, scn.population.friends_per_person
    w_res, w_fat, w_doubt = c.resentment_weight, c.fatigue_weight, c.doubt_weight
    return Params(
        float(c.self_rate),
        float(c.team_weight),
        float(c.household_weight),
        float(c.friend_weight) if k > 0 else 0.0,
        float(w_res),
        float(w_fat),
        float(w_doubt),
        1.0 / max(w_res + w_fat + w_doubt, 1e-12),
        1.0 / max(k, 1),
        min(1.0, scn.beliefs.young_multiplier * c.peer_rate),
        min(1.0, c.peer_rate),
        int(scn.population.team_size),
    )


def household_peer_factors(household_idx: np.ndarray, n_households: int) -> np.ndarray:
    """1 / (members - 1) per household, 0 for a household of one (no peers there).

    Households never change during a run, so this is computed once; the per-step kernel then
    needs no branch on household size (which would be mispredicted for many people).
    """
    counts = np.bincount(household_idx, minlength=n_households).astype(np.float64)
    return np.where(counts > 1, 1.0 / np.maximum(counts - 1.0, 1.0), 0.0)


@nb.njit(cache=True)
def household_sums(household_idx: np.ndarray, cynicism: np.ndarray, sums: np.ndarray) -> None:
    """Sum of cynicism per household (sequential: scattered writes)."""
    sums[:] = 0.0
    for i in range(household_idx.shape[0]):
        sums[household_idx[i]] += cynicism[i]


@nb.njit(parallel=True, cache=True)
def _apply_kernel(
    p: Params,
    hh_sums: np.ndarray,
    hh_factor: np.ndarray,
    start: np.ndarray,
    household_idx: np.ndarray,
    friend_idx: np.ndarray,
    age_group: np.ndarray,
    resentment: np.ndarray,
    fatigue: np.ndarray,
    loyalty: np.ndarray,
    cynicism: np.ndarray,
    cynicism_next: np.ndarray,
) -> None:
    k = friend_idx.shape[1]
    for u in nb.prange(start.shape[0] - 1):
        lo, hi = start[u], start[u + 1]
        for t0 in range(lo, hi, p.team_size):
            t1 = min(t0 + p.team_size, hi)
            team_sum = 0.0
            for i in range(t0, t1):
                team_sum += cynicism[i]
            w_t = p.team_weight if t1 - t0 > 1 else 0.0
            inv_team = 1.0 / max(t1 - t0 - 1, 1)
            for i in range(t0, t1):
                c = cynicism[i]
                h = household_idx[i]
                w_h = p.household_weight * (hh_factor[h] > 0.0)
                fsum = 0.0
                for j in range(k):
                    fsum += cynicism[friend_idx[i, j]]
                peer = (
                    w_t * (team_sum - c) * inv_team
                    + p.household_weight * (hh_sums[h] - c) * hh_factor[h]
                    + p.friend_weight * fsum * p.inv_friends
                )
                weight = w_t + w_h + p.friend_weight
                own = (
                    p.resentment_weight * resentment[i]
                    + p.fatigue_weight * fatigue[i]
                    + p.doubt_weight * (1.0 - loyalty[i])
                )
                new = c + p.self_rate * (own * p.inv_own - c)
                rate = p.rate_young if age_group[i] == 0 else p.rate_other
                # With no tie at all (weight 0) the peer term vanishes.
                new += rate * (peer / max(weight, 1e-300) - c) * (weight > 0.0)
                cynicism_next[i] = min(1.0, max(0.0, new))


def apply(p: Params, ppl: People, units: Units, hh_sums: np.ndarray, hh_factor: np.ndarray) -> None:
    """Write everyone's cynicism for next week into ``cynicism_next``.

    ``hh_factor`` is ``household_peer_factors``. The inner loop has no data-dependent branch:
    a missing tie type (team of one, household of one) enters with weight 0.
    """
    _apply_kernel(
        p,
        hh_sums,
        hh_factor,
        start=units.start,
        household_idx=ppl.household_idx,
        friend_idx=ppl.friend_idx,
        age_group=ppl.age_group,
        resentment=ppl.resentment,
        fatigue=ppl.fatigue,
        loyalty=ppl.loyalty_private,
        cynicism=ppl.cynicism,
        cynicism_next=ppl.cynicism_next,
    )


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Every person's cynicism for next week (read from last week's), then swap buffers."""
    ppl = state.people
    household_sums(ppl.household_idx, ppl.cynicism, ctx.hh_sums)
    apply(params(ctx.scenario), ppl, state.units, ctx.hh_sums, ctx.hh_factor)
    state.swap_cynicism()
