"""Struggle sessions: organisations put the accused before their co-workers.

Implements: C6, C7 (false enforcement, Centola, Willer & Macy 2005). In the week a case falls
due, the accused person's organisation in their unit holds a struggle session (one per
organisation and unit that week, whatever the number of accused). Every other present member
of each accused person's work team must voice a prepared criticism of each accused team-mate:
sincere when their private loyalty is above ``sincere_loyalty_threshold``, false otherwise.
People in custody neither attend nor stand accused (their pending case lapses).
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import CUSTODY, People, State, Units
from loyalsim.scenario.schemas.loyalty import ORGANISATIONS, Scenario

N_ORGS = len(ORGANISATIONS)


class Params(NamedTuple):
    sincere_loyalty_threshold: float
    team_size: int


def params(scn: Scenario) -> Params:
    return Params(float(scn.struggle.sincere_loyalty_threshold), int(scn.population.team_size))


@nb.njit(parallel=True, cache=True)
def _apply_kernel(
    p: Params,
    step: int,
    status: np.ndarray,
    start: np.ndarray,
    out: np.ndarray,
    several: np.ndarray,
    due: np.ndarray,
    organisation: np.ndarray,
    loyalty: np.ndarray,
    struggled: np.ndarray,
    attended: np.ndarray,
    sincere: np.ndarray,
    false: np.ndarray,
) -> None:
    for u in nb.prange(out.shape[0]):
        orgs = 0
        accused_by_org = np.zeros(N_ORGS, np.int64)
        lo, hi = start[u], start[u + 1]
        for t0 in range(lo, hi, p.team_size):
            t1 = min(t0 + p.team_size, hi)
            n_due = 0
            for i in range(t0, t1):
                if due[i] == step and status[i] == CUSTODY:
                    due[i] = -1
                if due[i] == step:
                    n_due += 1
                    orgs |= 1 << organisation[i]
                    accused_by_org[organisation[i]] += 1
            if n_due == 0:
                continue
            for i in range(t0, t1):
                if status[i] == CUSTODY:
                    continue
                if due[i] == step:
                    struggled[i] = 1
                    # Accused people criticise their accused team-mates too.
                    targets = n_due - 1
                else:
                    targets = n_due
                if targets == 0:
                    continue
                attended[i] = min(255, attended[i] + targets)
                if loyalty[i] > p.sincere_loyalty_threshold:
                    sincere[i] = min(255, sincere[i] + targets)
                else:
                    false[i] = min(255, false[i] + targets)
            for i in range(t0, t1):
                if due[i] == step:
                    due[i] = -1
        out[u] = orgs
        several_orgs = 0
        for o in range(N_ORGS):
            if accused_by_org[o] >= 2:
                several_orgs |= 1 << o
        several[u] = several_orgs


def apply(p: Params, ppl: People, units: Units, step: int, status: np.ndarray) -> None:
    """Hold this week's struggle sessions in every unit; record who criticised whom, which
    organisations held a session (``units.struggle_orgs``, a bit mask) and which of those
    sessions had several accused (``units.struggle_several``)."""
    _apply_kernel(
        p,
        step,
        status,
        start=units.start,
        out=units.struggle_orgs,
        several=units.struggle_several,
        due=ppl.step_struggle_due,
        organisation=ppl.organisation,
        loyalty=ppl.loyalty_private,
        struggled=ppl.is_struggled,
        attended=ppl.n_struggles_attended,
        sincere=ppl.n_criticisms_sincere,
        false=ppl.n_criticisms_false,
    )


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Hold this week's struggle sessions in every unit; record who criticised whom."""
    apply(params(ctx.scenario), state.people, state.units, week.step, state.amnesty.status)
