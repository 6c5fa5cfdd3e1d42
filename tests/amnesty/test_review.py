"""The committee review on hand-built inmates: outcomes derived from the rules (A2, A5-A9)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from loyalsim.engine.population import CUSTODY, FREE, SUPERVISED, State
from loyalsim.mechanisms.amnesty import BRIBERY, HERO, MERIT, SOLDIER, review
from loyalsim.scenario.io import load
from loyalsim.scenario.schemas.amnesty import OFFENCES, AmnestyEvent
from loyalsim.scenario.schemas.loyalty import Scenario
from tests import hand

STEP = 7
ORDINARY, BORDER = OFFENCES.index("ordinary"), OFFENCES.index("border_crossing")
# score = 0.4 labour + 0.4 reeducation - 0.3 severity; ordinary severity 0.3, reeducation 0.9:
# labour 0.9 ... 0.1 scores 0.63, 0.59, 0.55, 0.51, 0.35, 0.31 against the cutoff 0.44.
LABOUR = [0.9, 0.8, 0.7, 0.6, 0.2, 0.1]


def _scenario(**overrides: Any) -> Scenario:
    base = {
        "amnesty.bribery": False,
        "amnesty.soldier_channel": False,
        "amnesty.hero_preference": 0.0,
        "amnesty.score_cutoff": 0.44,
    }
    config = load("default", {**base, **overrides})
    assert isinstance(config, Scenario)
    return config


def _state(n_heroes: int = 0, hero_offence: int = ORDINARY, **households: Any) -> State:
    """Six inmates who meet the rules (LABOUR sets their scores), ``n_heroes`` inmates of
    war-hero families who do not (nothing served, little re-education), one free person."""
    n_rules = len(LABOUR)
    n = n_rules + n_heroes + 1
    inmate = np.arange(n) < n_rules + n_heroes
    is_hero = np.arange(n) >= n_rules
    is_hero[-1] = False
    am = hand.amnesty(
        n,
        status=np.where(inmate, CUSTODY, FREE),
        offence=np.where(is_hero, hero_offence, np.where(inmate, ORDINARY, -1)),
        sentence_weeks=np.where(inmate, 100, 0),
        served_weeks=np.where(is_hero, 0, np.where(inmate, 60, 0)),
        labour=np.array([*LABOUR, *([0.5] * n_heroes), 0.0]),
        reeducation=np.where(is_hero, 0.1, np.where(inmate, 0.9, 0.0)),
    )
    hh = hand.households(n, is_hero_family=is_hero, **households)
    return State(hand.people(n), hand.units([n]), n, hh, am)


def _review(state: State, scn: Scenario, quota: float) -> np.ndarray:
    event = AmnestyEvent(name="test", date=dt.date(2025, 10, 6), quota_share=quota)
    review(state, scn, event, STEP, np.random.default_rng(0))
    return state.amnesty.release_channel


def test_places_go_by_score_and_the_rest_are_denied_or_refused_on_score() -> None:
    state = _state()
    channel = _review(state, _scenario(), quota=2 / 6 + 1e-9)  # 2 places for 6 inmates
    jus = state.amnesty
    assert channel.tolist() == [MERIT, MERIT, 0, 0, 0, 0, 0]
    assert jus.is_qualified_denied.tolist() == [0, 0, 1, 1, 0, 0, 0]
    assert jus.is_refused_on_score.tolist() == [0, 0, 0, 0, 1, 1, 0]
    assert jus.is_passed_rules.tolist() == [1, 1, 1, 1, 1, 1, 0]
    assert jus.is_reviewed.tolist() == [1, 1, 1, 1, 1, 1, 0]
    assert jus.step_denied.tolist() == [-1, -1, STEP, STEP, -1, -1, -1]
    assert jus.status.tolist() == [SUPERVISED] * 2 + [CUSTODY] * 4 + [FREE]
    assert np.all(jus.step_released[:2] == STEP) and np.all(jus.step_released[2:] == -1)


def test_without_a_cutoff_nobody_is_refused_on_score() -> None:
    state = _state()
    _review(state, _scenario(**{"amnesty.score_cutoff": -1.0}), quota=2 / 6 + 1e-9)
    assert state.amnesty.is_refused_on_score.sum() == 0
    assert state.amnesty.is_qualified_denied.tolist() == [0, 0, 1, 1, 1, 1, 0]


def test_picked_hero_families_take_places_first_whatever_their_rules_and_score() -> None:
    preferred, plain = _state(n_heroes=2), _state(n_heroes=2)
    quota = 2 / 8 + 1e-9  # two places for eight inmates
    with_pref = _review(preferred, _scenario(**{"amnesty.hero_preference": 1.0}), quota)
    without = _review(plain, _scenario(), quota)
    assert with_pref.tolist() == [0] * 6 + [HERO, HERO, 0]
    # The two best scorers lose their places and are qualified but denied.
    assert preferred.amnesty.is_qualified_denied[:4].tolist() == [1, 1, 1, 1]
    assert without.tolist() == [MERIT, MERIT] + [0] * 7
    # Without the preference the heroes failed the rules: neither denied nor refused.
    assert plain.amnesty.is_qualified_denied[6:8].sum() == 0
    assert plain.amnesty.is_refused_on_score[6:8].sum() == 0
    assert plain.amnesty.is_passed_rules[6:8].sum() == 0


def test_picked_hero_families_left_without_a_place_count_as_denied() -> None:
    state = _state(n_heroes=2)
    channel = _review(state, _scenario(**{"amnesty.hero_preference": 1.0}), quota=1 / 8 + 1e-9)
    assert sorted(channel.tolist()) == [0] * 8 + [HERO]
    assert state.amnesty.is_qualified_denied[6:8].sum() == 1
    assert state.amnesty.step_denied[6:8].max() == STEP


def test_the_preference_does_not_lift_the_exclusions() -> None:
    state = _state(n_heroes=2, hero_offence=BORDER)  # excluded, not self-reported (A5)
    channel = _review(state, _scenario(**{"amnesty.hero_preference": 1.0}), quota=0.5)
    assert not np.any(channel == HERO)
    assert channel[:4].tolist() == [MERIT] * 4


def test_bought_places_come_before_the_hero_families_and_merit() -> None:
    rich = np.zeros(9, np.float32)
    rich[5] = 1.0  # the second-worst scorer's household is the richest, the others penniless
    state = _state(n_heroes=2, wealth_rank=rich)
    scn = _scenario(
        **{"amnesty.hero_preference": 1.0, "amnesty.bribery": True, "amnesty.corruption": 1.0}
    )
    channel = _review(state, scn, quota=3 / 8 + 1e-9)
    assert channel.tolist() == [0, 0, 0, 0, 0, BRIBERY, HERO, HERO, 0]


@pytest.mark.parametrize("allows_excluded", [False, True])
def test_soldier_families_leave_outside_the_quota(allows_excluded: bool) -> None:
    soldier = np.zeros(9, bool)
    soldier[6:8] = True  # the two excluded, rule-failing inmates have a soldier at the front
    state = _state(n_heroes=2, hero_offence=BORDER, has_soldier_abroad=soldier)
    scn = _scenario(
        **{
            "amnesty.soldier_channel": True,
            "amnesty.soldier_release_prob": 1.0,
            "amnesty.soldier_allows_excluded": allows_excluded,
        }
    )
    channel = _review(state, scn, quota=2 / 8 + 1e-9)
    assert channel[:2].tolist() == [MERIT, MERIT]  # the quota is untouched
    assert channel[6:8].tolist() == ([SOLDIER] * 2 if allows_excluded else [0, 0])
