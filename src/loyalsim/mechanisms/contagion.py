"""Peer contagion of cynicism over work teams, households and friends.

Implements: C10 (sarcasm shared among the young), C9. Updated simultaneously (everyone reads
last week's cynicism): with own target
    own  = (w_r resentment + w_f fatigue + w_d (1 - loyalty)) / (w_r + w_f + w_d)
and peer level ``peer`` (weighted mean of team-mates', household members' and friends'
cynicism, each excluding oneself),
    cynicism <- clip(cynicism + self_rate (own - cynicism)
                     + min(1, Y peer_rate) (peer - cynicism), 0, 1),
with Y the young multiplier (C9).
"""

from __future__ import annotations

import numba as nb
import numpy as np


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
def apply(
    unit_start: np.ndarray,
    team_size: int,
    household_idx: np.ndarray,
    hh_sums: np.ndarray,
    hh_factor: np.ndarray,
    friend_idx: np.ndarray,
    age_group: np.ndarray,
    resentment: np.ndarray,
    fatigue: np.ndarray,
    loyalty: np.ndarray,
    cynicism: np.ndarray,
    cynicism_next: np.ndarray,
    params: np.ndarray,
) -> None:
    """Write next week's cynicism into ``cynicism_next``.

    ``hh_factor`` is ``household_peer_factors``. The inner loop has no data-dependent branch:
    a missing tie type (team of one, household of one) enters with weight 0.
    """
    self_rate, peer_rate, young_mult = params[0], params[1], params[2]
    w_team, w_house, w_friend = params[3], params[4], params[5]
    w_res, w_fat, w_doubt = params[6], params[7], params[8]
    inv_own = 1.0 / max(w_res + w_fat + w_doubt, 1e-12)
    k = friend_idx.shape[1]
    w_friends = w_friend if k > 0 else 0.0
    inv_k = 1.0 / max(k, 1)
    rate_young = min(1.0, young_mult * peer_rate)
    rate_other = min(1.0, peer_rate)
    for u in nb.prange(unit_start.shape[0] - 1):
        lo, hi = unit_start[u], unit_start[u + 1]
        for t0 in range(lo, hi, team_size):
            t1 = min(t0 + team_size, hi)
            team_sum = 0.0
            for i in range(t0, t1):
                team_sum += cynicism[i]
            w_t = w_team if t1 - t0 > 1 else 0.0
            inv_team = 1.0 / max(t1 - t0 - 1, 1)
            for i in range(t0, t1):
                c = cynicism[i]
                h = household_idx[i]
                w_h = w_house * (hh_factor[h] > 0.0)
                fsum = 0.0
                for j in range(k):
                    fsum += cynicism[friend_idx[i, j]]
                peer = (
                    w_t * (team_sum - c) * inv_team
                    + w_house * (hh_sums[h] - c) * hh_factor[h]
                    + w_friends * fsum * inv_k
                )
                weight = w_t + w_h + w_friends
                own = w_res * resentment[i] + w_fat * fatigue[i] + w_doubt * (1.0 - loyalty[i])
                new = c + self_rate * (own * inv_own - c)
                rate = rate_young if age_group[i] == 0 else rate_other
                # With no tie at all (weight 0) the peer term vanishes.
                new += rate * (peer / max(weight, 1e-300) - c) * (weight > 0.0)
                cynicism_next[i] = min(1.0, max(0.0, new))
