"""How an amnesty is read (A4, A9): exact updates on hand-built households, and knock-outs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from loyalsim.engine.population import CUSTODY, FREE, SUPERVISED, ReviewOutcome, State
from loyalsim.mechanisms import perception
from loyalsim.mechanisms.amnesty import BRIBERY, MERIT
from loyalsim.scenario.io import load
from loyalsim.scenario.schemas.loyalty import Scenario
from tests import hand

# Households: 0 = {0, 1} a releasee and a relative; 1 = {2, 3} a denied inmate and a relative;
# 2 = {4, 5} a soldier's family; 3 = {6, 7} anybody else; 4 = {8} a second releasee.
HOUSEHOLD = [0, 0, 1, 1, 2, 2, 3, 3, 4]
LOYALTY, RESENTMENT, CYNICISM = 0.5, 0.2, 0.3


def _scenario(**overrides: Any) -> Scenario:
    config = load("default", overrides or None)
    assert isinstance(config, Scenario)
    return config


def _state() -> State:
    n = len(HOUSEHOLD)
    ppl = hand.people(
        n,
        household_idx=HOUSEHOLD,
        loyalty_private=LOYALTY,
        resentment=RESENTMENT,
        cynicism=CYNICISM,
    )
    status = np.full(n, FREE)
    status[[0, 8]] = SUPERVISED  # just released
    status[2] = CUSTODY
    hh = hand.households(5, has_soldier_abroad=[False, False, True, False, False])
    return State(ppl, hand.units([n]), 5, hh, hand.amnesty(n, status=status))


def _outcome(channels: list[int]) -> ReviewOutcome:
    return ReviewOutcome(
        released=np.array([0, 8]),
        channel=np.array(channels, np.uint8),
        denied=np.array([2]),
        self_reported_reviewed=0,
        self_reported_released=0,
    )


def test_each_group_moves_by_its_share_exactly() -> None:
    scn = _scenario()
    per = scn.perception
    state = _state()
    perception.apply(state, scn, _outcome([MERIT, BRIBERY]))
    ppl = state.people
    up = lambda x, a: x + a * (1 - x)  # noqa: E731
    gain = per.released_household_loyalty
    assert ppl.loyalty_private[[0, 1, 8]] == pytest.approx([up(LOYALTY, gain)] * 3)
    calm = RESENTMENT * (1 - per.released_household_resentment)
    assert ppl.resentment[[0, 1, 8]] == pytest.approx([calm] * 3)
    bitter = per.denied_resentment + per.denied_bribery_resentment * 0.5  # half were bought
    assert ppl.resentment[2] == pytest.approx(up(RESENTMENT, bitter))
    assert ppl.resentment[3] == pytest.approx(up(RESENTMENT, per.denied_household_resentment))
    assert ppl.loyalty_private[[4, 5]] == pytest.approx(
        [up(LOYALTY, per.soldier_family_loyalty)] * 2
    )
    # Cynicism: every free resident, by the share of releases through political channels.
    free = [0, 1, 3, 4, 5, 6, 7, 8]
    assert ppl.cynicism[free] == pytest.approx([up(CYNICISM, per.gesture_cynicism * 0.5)] * 8)
    assert ppl.cynicism[2] == pytest.approx(CYNICISM)  # the inmate hears nothing
    assert ppl.loyalty_private[[6, 7]] == pytest.approx([LOYALTY] * 2)
    assert ppl.resentment[[6, 7]] == pytest.approx([RESENTMENT] * 2)


@pytest.mark.parametrize(
    ("switch", "column", "who"),
    [
        ({"perception.released_household_loyalty": 0.0}, "loyalty_private", [0, 1, 8]),
        ({"perception.released_household_resentment": 0.0}, "resentment", [0, 1, 8]),
        (
            {"perception.denied_resentment": 0.0, "perception.denied_bribery_resentment": 0.0},
            "resentment",
            [2],
        ),
        ({"perception.denied_household_resentment": 0.0}, "resentment", [3]),
        ({"perception.soldier_family_loyalty": 0.0}, "loyalty_private", [4, 5]),
        ({"amnesty.soldier_channel": False}, "loyalty_private", [4, 5]),
        ({"perception.gesture_cynicism": 0.0}, "cynicism", [0, 1, 3, 4, 5, 6, 7, 8]),
    ],
)
def test_a_weight_at_zero_leaves_its_group_untouched(
    switch: dict[str, Any], column: str, who: list[int]
) -> None:
    on, off = _state(), _state()
    perception.apply(on, _scenario(), _outcome([MERIT, BRIBERY]))
    perception.apply(off, _scenario(**switch), _outcome([MERIT, BRIBERY]))
    before = {"loyalty_private": LOYALTY, "resentment": RESENTMENT, "cynicism": CYNICISM}[column]
    changed = getattr(on.people, column)[who]
    kept = getattr(off.people, column)[who]
    assert np.all(changed != np.float32(before))
    assert kept == pytest.approx([before] * len(who))


def test_merit_releases_alone_are_not_read_as_a_gesture() -> None:
    state = _state()
    perception.apply(state, _scenario(), _outcome([MERIT, MERIT]))
    assert state.people.cynicism == pytest.approx([CYNICISM] * len(HOUSEHOLD))
