"""Struggle sessions: organisations put the accused before their co-workers.

Implements: C6, C7 (false enforcement, Centola, Willer & Macy 2005). In the week a case falls
due, the accused person's organisation in their unit holds a struggle session (one per
organisation and unit that week, whatever the number of accused). Every other present member
of each accused person's work team must voice a prepared criticism of each accused team-mate:
sincere when their private loyalty is above ``sincere_loyalty_threshold``, false otherwise.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.engine.population import CUSTODY


@nb.njit(parallel=True, cache=True)
def apply(
    unit_start: np.ndarray,
    team_size: int,
    organisation: np.ndarray,
    loyalty: np.ndarray,
    step_struggle_due: np.ndarray,
    step: int,
    sincere_threshold: float,
    is_struggled: np.ndarray,
    n_struggles_attended: np.ndarray,
    n_sincere: np.ndarray,
    n_false: np.ndarray,
    unit_struggle_orgs: np.ndarray,
    status: np.ndarray,
) -> None:
    """Hold this week's struggle sessions; record who stood accused and who criticised.

    People in custody neither attend nor stand accused (their pending case lapses)."""
    for u in nb.prange(unit_start.shape[0] - 1):
        orgs = 0
        lo, hi = unit_start[u], unit_start[u + 1]
        for t0 in range(lo, hi, team_size):
            t1 = min(t0 + team_size, hi)
            n_due = 0
            for i in range(t0, t1):
                if step_struggle_due[i] == step and status[i] == CUSTODY:
                    step_struggle_due[i] = -1
                if step_struggle_due[i] == step:
                    n_due += 1
                    orgs |= 1 << organisation[i]
            if n_due == 0:
                continue
            for i in range(t0, t1):
                if status[i] == CUSTODY:
                    continue
                if step_struggle_due[i] == step:
                    is_struggled[i] = 1
                    # Accused people criticise their accused team-mates too.
                    targets = n_due - 1
                else:
                    targets = n_due
                if targets == 0:
                    continue
                n_struggles_attended[i] = min(255, n_struggles_attended[i] + targets)
                if loyalty[i] > sincere_threshold:
                    n_sincere[i] = min(255, n_sincere[i] + targets)
                else:
                    n_false[i] = min(255, n_false[i] + targets)
            for i in range(t0, t1):
                if step_struggle_due[i] == step:
                    step_struggle_due[i] = -1
        unit_struggle_orgs[u] = orgs
