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
from loyalsim.scenario.schemas.loyalty import Scenario


class Params(NamedTuple):
    sincere_loyalty_threshold: float
    team_size: int


def params(scn: Scenario) -> Params:
    return Params(float(scn.struggle.sincere_loyalty_threshold), int(scn.population.team_size))


@nb.njit(cache=True)
def team(p: Params, ppl: People, t0: int, t1: int, step: int, status: np.ndarray) -> int:
    """Hold the struggle sessions of the team ``t0:t1`` this week; returns the bit mask of
    the organisations whose members stood accused."""
    orgs = 0
    n_due = 0
    for i in range(t0, t1):
        if ppl.step_struggle_due[i] == step and status[i] == CUSTODY:
            ppl.step_struggle_due[i] = -1
        if ppl.step_struggle_due[i] == step:
            n_due += 1
            orgs |= 1 << ppl.organisation[i]
    if n_due == 0:
        return orgs
    for i in range(t0, t1):
        if status[i] == CUSTODY:
            continue
        if ppl.step_struggle_due[i] == step:
            ppl.is_struggled[i] = 1
            # Accused people criticise their accused team-mates too.
            targets = n_due - 1
        else:
            targets = n_due
        if targets == 0:
            continue
        ppl.n_struggles_attended[i] = min(255, ppl.n_struggles_attended[i] + targets)
        if ppl.loyalty_private[i] > p.sincere_loyalty_threshold:
            ppl.n_criticisms_sincere[i] = min(255, ppl.n_criticisms_sincere[i] + targets)
        else:
            ppl.n_criticisms_false[i] = min(255, ppl.n_criticisms_false[i] + targets)
    for i in range(t0, t1):
        if ppl.step_struggle_due[i] == step:
            ppl.step_struggle_due[i] = -1
    return orgs


@nb.njit(parallel=True, cache=True)
def apply(p: Params, ppl: People, units: Units, step: int, status: np.ndarray) -> None:
    start, out = units.start, units.struggle_orgs  # see sessions._apply: no attribute writes
    for u in nb.prange(out.shape[0]):
        orgs = 0
        lo, hi = start[u], start[u + 1]
        for t0 in range(lo, hi, p.team_size):
            orgs |= team(p, ppl, t0, min(t0 + p.team_size, hi), step, status)
        out[u] = orgs


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Hold this week's struggle sessions in every unit; record who criticised whom."""
    apply(params(ctx.scenario), state.people, state.units, week.step, state.amnesty.status)
