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


@nb.njit(cache=True)
def household_sums(
    household_idx: np.ndarray,
    cynicism: np.ndarray,
    n_households: int,
    sums: np.ndarray,
    counts: np.ndarray,
) -> None:
    """Sum of cynicism and head count per household (sequential: scattered writes)."""
    sums[:] = 0.0
    counts[:] = 0
    for i in range(household_idx.shape[0]):
        h = household_idx[i]
        sums[h] += cynicism[i]
        counts[h] += 1


@nb.njit(parallel=True, cache=True)
def apply(
    unit_start: np.ndarray,
    team_size: int,
    household_idx: np.ndarray,
    hh_sums: np.ndarray,
    hh_counts: np.ndarray,
    friend_idx: np.ndarray,
    age_group: np.ndarray,
    resentment: np.ndarray,
    fatigue: np.ndarray,
    loyalty: np.ndarray,
    cynicism: np.ndarray,
    cynicism_next: np.ndarray,
    params: np.ndarray,
) -> None:
    """Write next week's cynicism into ``cynicism_next``."""
    self_rate, peer_rate, young_mult = params[0], params[1], params[2]
    w_team, w_house, w_friend = params[3], params[4], params[5]
    w_res, w_fat, w_doubt = params[6], params[7], params[8]
    own_norm = max(w_res + w_fat + w_doubt, 1e-12)
    k = friend_idx.shape[1]
    for u in nb.prange(unit_start.shape[0] - 1):
        lo, hi = unit_start[u], unit_start[u + 1]
        for t0 in range(lo, hi, team_size):
            t1 = min(t0 + team_size, hi)
            team_sum = 0.0
            for i in range(t0, t1):
                team_sum += cynicism[i]
            for i in range(t0, t1):
                c = cynicism[i]
                peer = 0.0
                weight = 0.0
                if t1 - t0 > 1:
                    peer += w_team * (team_sum - c) / (t1 - t0 - 1)
                    weight += w_team
                h = household_idx[i]
                if hh_counts[h] > 1:
                    peer += w_house * (hh_sums[h] - c) / (hh_counts[h] - 1)
                    weight += w_house
                if k > 0:
                    fsum = 0.0
                    for j in range(k):
                        fsum += cynicism[friend_idx[i, j]]
                    peer += w_friend * fsum / k
                    weight += w_friend
                own = (
                    w_res * resentment[i] + w_fat * fatigue[i] + w_doubt * (1.0 - loyalty[i])
                ) / own_norm
                new = c + self_rate * (own - c)
                if weight > 0.0:
                    y = young_mult if age_group[i] == 0 else 1.0
                    new += min(1.0, y * peer_rate) * (peer / weight - c)
                cynicism_next[i] = min(1.0, max(0.0, new))
