"""Social inference: people read others' loyalty from what they display and move toward it.

Implements: C11 (a competing hypothesis to the analysts' view). Nobody sees another's private
belief, only their public display. When coercion raises everyone's display, each person sees
a more loyal society than there is and adjusts their own belief toward it: pluralistic
ignorance, the illusion of sincerity (Willer, Kuwabara & Macy 2009), Kuran's knowledge
falsification (1995). With N the mean display of a person's team-mates and friends,

    loyalty <- clip(loyalty + inference_rate (N - loyalty), 0, 1).

Reads this week's display of everybody (written only by ``beliefs``) and writes loyalty only,
so the order in which people are updated does not matter. A person with no team-mate and no
friend infers nothing.
"""

from __future__ import annotations

from typing import NamedTuple

import numba as nb
import numpy as np

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import People, State, Units
from loyalsim.scenario.schemas.loyalty import Scenario


class Params(NamedTuple):
    inference_rate: float
    team_size: int


def params(scn: Scenario) -> Params:
    return Params(float(scn.beliefs.inference_rate), int(scn.population.team_size))


@nb.njit(parallel=True, cache=True)
def _apply_kernel(
    p: Params,
    start: np.ndarray,
    friend_idx: np.ndarray,
    display: np.ndarray,
    loyalty: np.ndarray,
) -> None:
    k = friend_idx.shape[1]
    for u in nb.prange(start.shape[0] - 1):
        lo, hi = start[u], start[u + 1]
        for t0 in range(lo, hi, p.team_size):
            t1 = min(t0 + p.team_size, hi)
            team_sum = 0.0
            for i in range(t0, t1):
                team_sum += display[i]
            for i in range(t0, t1):
                seen = team_sum - display[i]
                for j in range(k):
                    seen += display[friend_idx[i, j]]
                n_seen = t1 - t0 - 1 + k
                if n_seen == 0:
                    continue
                norm = seen / n_seen
                lo_i = loyalty[i]
                loyalty[i] = min(1.0, max(0.0, lo_i + p.inference_rate * (norm - lo_i)))


def apply(p: Params, ppl: People, units: Units) -> None:
    """Move everyone's private loyalty toward the display of their team-mates and friends."""
    if p.inference_rate <= 0.0:
        return
    _apply_kernel(
        p,
        start=units.start,
        friend_idx=ppl.friend_idx,
        display=ppl.display_public,
        loyalty=ppl.loyalty_private,
    )


def step(state: State, ctx: RunContext, week: Week) -> None:
    """Social inference from this week's display, for everybody."""
    apply(params(ctx.scenario), state.people, state.units)
