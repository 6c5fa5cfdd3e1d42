"""How an amnesty changes the beliefs of those around it (A4, A9).

After a review (x moves toward 1 by a share a: x <- x + a (1 - x); toward 0: x <- x (1 - a)):
- free members of released people's households gain loyalty and lose resentment (A4);
- qualified inmates who were denied gain resentment, more so the larger the share of
  releases that were bought (A9), and their households gain resentment too;
- free members of soldiers' families gain loyalty when the amnesty has a soldier channel:
  the reward is announced to every family with a soldier at the front, whether or not one of
  its own was in custody (A1, A4);
- every free resident gains cynicism in proportion to the share of releases that went through
  loyalty or bribery channels: the amnesty read as a political gesture (A4).
"""

from __future__ import annotations

import numpy as np

from loyalsim.engine.context import RunContext, Week
from loyalsim.engine.population import CUSTODY, ReviewOutcome, State
from loyalsim.mechanisms.amnesty import BRIBERY, HERO, SOLDIER
from loyalsim.scenario.schemas.loyalty import Scenario


def _toward_one(x: np.ndarray, mask: np.ndarray, share: float) -> None:
    x[mask] += (share * (1.0 - x[mask])).astype(x.dtype)


def _toward_zero(x: np.ndarray, mask: np.ndarray, share: float) -> None:
    x[mask] *= np.float32(1.0 - share)


def step(state: State, ctx: RunContext, week: Week) -> None:
    """After this week's amnesty review, if there was one: how people read it."""
    if state.review is not None:
        apply(state, ctx.scenario, state.review)


def apply(state: State, scn: Scenario, outcome: ReviewOutcome) -> None:
    """Update loyalty, resentment and cynicism after a review."""
    per, ppl, jus = scn.perception, state.people, state.amnesty
    n_released = outcome.released.shape[0]
    free = jus.status != CUSTODY
    house = ppl.household_idx
    released_hh = np.zeros(state.n_households, bool)
    released_hh[house[outcome.released]] = True
    members = released_hh[house] & free
    _toward_one(ppl.loyalty_private, members, per.released_household_loyalty)
    _toward_zero(ppl.resentment, members, per.released_household_resentment)
    share_bought = float((outcome.channel == BRIBERY).mean()) if n_released else 0.0
    denied = np.zeros(ppl.n, bool)
    denied[outcome.denied] = True
    _toward_one(
        ppl.resentment,
        denied,
        min(1.0, per.denied_resentment + per.denied_bribery_resentment * share_bought),
    )
    denied_hh = np.zeros(state.n_households, bool)
    denied_hh[house[outcome.denied]] = True
    _toward_one(ppl.resentment, denied_hh[house] & free, per.denied_household_resentment)
    if scn.amnesty.soldier_channel:
        soldier_members = state.households.has_soldier_abroad[house] & free
        _toward_one(ppl.loyalty_private, soldier_members, per.soldier_family_loyalty)
    if n_released:
        political = np.isin(outcome.channel, [SOLDIER, HERO, BRIBERY]).mean()
        _toward_one(ppl.cynicism, free, per.gesture_cynicism * float(political))
