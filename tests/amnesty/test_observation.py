"""Amnesty observables on a hand-built population, and release rates over replicates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest

from loyalsim.engine.population import CUSTODY, SUPERVISED
from loyalsim.mechanisms.amnesty import BRIBERY, HERO, MERIT
from loyalsim.observe import amnesty_metrics
from loyalsim.observe.amnesty_metrics import CHANNEL_GROUPS, HH_GROUPS, METRICS
from loyalsim.observe.release_rates import release_rates, wilson_interval
from loyalsim.observe.sums import week_sums
from loyalsim.store.tidy import to_table
from tests import hand

STEP = 3


def _week_after_a_review() -> dict[str, np.ndarray]:
    """Ten people, five households, right after a review: metric values by group."""
    household = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    n = len(household)
    reviewed = np.zeros(n, np.uint8)
    reviewed[[0, 2, 4, 6]] = 1
    status = np.zeros(n, np.uint8)
    status[[2, 4, 6]] = CUSTODY
    status[0] = SUPERVISED
    am = hand.amnesty(
        n,
        status=status,
        offence=np.where(reviewed == 1, 0, -1),
        is_reviewed=reviewed,
        is_passed_rules=np.isin(np.arange(n), [0, 2, 4]),  # 6 failed the rules
        is_refused_on_score=np.arange(n) == 4,
        is_qualified_denied=np.arange(n) == 2,
        step_denied=np.where(np.arange(n) == 2, STEP, -1),
        step_released=np.where(np.arange(n) == 0, STEP, -1),
        release_channel=np.where(np.arange(n) == 0, MERIT, 0),
        remaining_at_release=np.where(np.arange(n) == 0, 40, 0),
    )
    hh = hand.households(
        5,
        is_hero_family=[False, False, True, False, False],
        has_soldier_abroad=[False, False, False, True, False],
    )
    ppl = hand.people(n, household_idx=household)
    sums = week_sums(ppl, am, hh, 1, True, STEP)
    out = {}
    core = amnesty_metrics.finish(sums.am_cell, False)[0]
    out["all"] = core
    for name, row in zip(HH_GROUPS, amnesty_metrics.finish(sums.am_hh, True), strict=True):
        out[name] = row
    for name, row in zip(CHANNEL_GROUPS, amnesty_metrics.finish(sums.am_ch, False), strict=True):
        out[name] = row
    return out


def _m(values: np.ndarray, metric: str) -> float:
    return float(values[METRICS.index(metric)])


def test_review_outcomes_are_counted_once_each() -> None:
    out = _week_after_a_review()
    everyone = out["all"]
    assert _m(everyone, "reviews") == 4
    assert _m(everyone, "passed_rules") == 3
    assert _m(everyone, "refused_on_score") == 1
    assert _m(everyone, "qualified_denied") == 1
    assert _m(everyone, "releases") == 1
    assert _m(everyone, "release_rate") == pytest.approx(0.25)
    assert _m(out["hh:hero_family"], "refused_on_score") == 1
    assert _m(out["hh:soldier_family"], "passed_rules") == 0
    assert _m(out["hh:soldier_family"], "release_rate") == 0.0


def test_released_and_denied_households_are_followed_with_all_their_members() -> None:
    out = _week_after_a_review()
    released, denied = out["hh:released"], out["hh:denied"]
    assert _m(released, "n_people") == 2 and _m(denied, "n_people") == 2
    assert _m(released, "releases") == 1 and _m(released, "release_rate") == 1.0
    assert _m(denied, "qualified_denied") == 1 and _m(denied, "release_rate") == 0.0
    assert _m(released, "loyalty_private") == pytest.approx(0.5)
    assert _m(out["wealth:q1"], "n_people") == 10  # hand.households puts all in q1


def test_a_channel_rate_is_over_every_inmate_reviewed() -> None:
    out = _week_after_a_review()
    assert _m(out["channel:merit"], "release_rate") == pytest.approx(0.25)
    assert _m(out["channel:merit"], "mean_remaining_at_release") == 40
    assert _m(out["channel:bribery"], "release_rate") == 0.0
    assert np.isnan(_m(out["channel:sentence_served"], "release_rate"))
    assert _m(out["channel:merit"], "releases") == 1
    assert _m(out["channel:hero_family"], "releases") == 0


@given(n=st.integers(0, 400), data=st.data())
def test_wilson_interval_matches_scipy(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    low, high = wilson_interval(k, n)
    if n == 0:
        assert (low, high) == (0.0, 1.0)
        return
    ref = binomtest(k, n).proportion_ci(0.95, method="wilson")
    assert low == pytest.approx(ref.low, abs=1e-12) and high == pytest.approx(ref.high, abs=1e-12)
    assert low <= k / n <= high


def test_wilson_interval_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError, match="k=3, n=2"):
        wilson_interval(3, 2)


def _replicate(releases: dict[str, float], reviews: dict[str, float], week: int = 5) -> pa.Table:
    """A tidy table with one week's releases and reviews by group (other weeks zero)."""
    groups = sorted(set(releases) | set(reviews))
    values = np.zeros((week + 2, len(groups), 2))
    for j, group in enumerate(groups):
        values[week, j] = releases.get(group, 0.0), reviews.get(group, np.nan)
    values[:week, :, 1] = np.nan
    values[week + 1 :, :, 1] = np.nan
    dates = [dt.date(2025, 1, 6) + dt.timedelta(weeks=w) for w in range(week + 2)]
    return to_table("r", np.arange(week + 2), dates, ["releases", "reviews"], groups, values)


def test_release_rates_pool_replicates_and_use_all_reviews_for_channels() -> None:
    tables = [
        _replicate(
            {"all": 12, "hh:soldier_family": 1, "channel:soldier_family": 1, "channel:merit": 11},
            {"all": 100, "hh:soldier_family": 1},
        ),
        _replicate(
            {"all": 10, "hh:soldier_family": 0, "channel:soldier_family": 0, "channel:merit": 10},
            {"all": 90, "hh:soldier_family": 1},
        ),
    ]
    rates = release_rates(tables)
    assert rates["all"][1:4] == (22, 190, pytest.approx(22 / 190))
    soldier = rates["hh:soldier_family"]
    assert (soldier.releases, soldier.reviewed) == (1, 2)
    assert (soldier.low, soldier.high) == pytest.approx(wilson_interval(1, 2))
    assert rates["channel:merit"][1:3] == (21, 190)
    assert rates["channel:soldier_family"][1:3] == (1, 190)
    assert rates == release_rates(tables, steps=(5, 5))
    assert release_rates(tables, steps=(0, 4)) == {}


def test_channel_codes_used_by_the_observer_match_the_mechanism() -> None:
    assert amnesty_metrics.BRIBERY_CODE == BRIBERY
    assert CHANNEL_GROUPS[HERO - 1] == "channel:hero_family"
