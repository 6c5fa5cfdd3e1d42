"""Co-evolution of monitoring and concealment.

Implements: C13. People learn to hide lapses from their own lapses and from seeing others
punished:
    concealment <- concealment + (conceal_max - concealment)
                   * min(1, learn_lapse * lapses + learn_witness * struggles attended).
Monitors improve where the campaign is intense:
    skill[unit] <- skill + min(1, rate * intensity[province]) * max(0, skill_max - skill).
With ``monitor_learning_rate = 0`` detection per lapse falls over time as people adapt.
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
    monitor_learning_rate: float
    monitor_skill_max: float


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
        if x > 0.0:
            c = concealment[i]
            concealment[i] = c + max(0.0, p.conceal_max - c) * min(1.0, x)


def apply_people(p: Params, ppl: People) -> None:
    """Concealment that everyone learns from this week's lapses and struggle sessions."""
    _apply_people_kernel(
        p,
        n_lapses=ppl.n_lapses,
        n_struggles=ppl.n_struggles_attended,
        concealment=ppl.concealment,
    )


def monitors(p: Params, units: Units, province_intensity: np.ndarray) -> None:
    """Monitor skill growth, in place (a few thousand units: numpy is enough)."""
    if p.monitor_learning_rate <= 0.0:
        return
    growth = np.minimum(1.0, p.monitor_learning_rate * province_intensity[units.province_idx])
    skill = units.monitor_skill
    skill += (growth * np.maximum(0.0, p.monitor_skill_max - skill)).astype(np.float32)


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Concealment learned by everyone this week; monitors' skill growth per unit."""
    p = params(ctx.scenario)
    apply_people(p, state.people)
    monitors(p, state.units, week.policy.province_intensity)
