"""Co-evolution of monitoring and concealment: an arms race in both directions.

Implements: C13. People learn to hide lapses from their own lapses and from seeing others
punished, and unlearn it when it is not used:
    concealment <- (concealment + (conceal_max - concealment)
                    * min(1, learn_lapse * lapses + learn_witness * struggles attended))
                   * (1 - conceal_forget).
Monitors learn from what they miss: a unit's skill grows with the share h of the lapses they
would have caught this week that concealment hid from them, and falls back toward its
initial level otherwise:
    skill <- skill + learn_missed * h * (skill_max - skill) - skill_decay * (skill - skill_0).
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import People, State, Units
from loyalsim.scenario.schemas.loyalty import Scenario


class Params(NamedTuple):
    conceal_learn_lapse: float
    conceal_learn_witness: float
    conceal_max: float
    conceal_forget: float
    monitor_learn_missed: float
    monitor_skill_decay: float
    monitor_skill_max: float
    monitor_skill_initial: float


def params(scn: Scenario) -> Params:
    a = scn.adaptation
    return Params(*(float(getattr(a, name)) for name in Params._fields))


@nb.njit(parallel=True, cache=True)
def _apply_people_kernel(
    p: Params,
    n_lapses: np.ndarray,
    n_struggles: np.ndarray,
    concealment: np.ndarray,
) -> None:
    for i in nb.prange(concealment.shape[0]):
        x = p.conceal_learn_lapse * n_lapses[i] + p.conceal_learn_witness * n_struggles[i]
        c = concealment[i]
        learned = c + max(0.0, p.conceal_max - c) * min(1.0, x)
        concealment[i] = learned * (1.0 - p.conceal_forget)


def apply_people(p: Params, ppl: People) -> None:
    """Concealment that everyone learns from this week's lapses and struggle sessions."""
    _apply_people_kernel(
        p,
        n_lapses=ppl.n_lapses,
        n_struggles=ppl.n_struggles_attended,
        concealment=ppl.concealment,
    )


def monitors(p: Params, units: Units) -> None:
    """Monitor skill after this week's lapses, in place (a few thousand units: numpy)."""
    seen = units.n_caught.astype(np.float64) + units.n_hidden
    hidden_share = np.divide(units.n_hidden, seen, out=np.zeros_like(seen), where=seen > 0)
    skill = units.monitor_skill.astype(np.float64)
    skill += p.monitor_learn_missed * hidden_share * np.maximum(0.0, p.monitor_skill_max - skill)
    skill -= p.monitor_skill_decay * (skill - p.monitor_skill_initial)
    units.monitor_skill[:] = skill


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Concealment learned by everyone this week; monitors' skill growth per unit."""
    p = params(ctx.scenario)
    apply_people(p, state.people)
    monitors(p, state.units)
