"""Unit tests of the amnesty subsystem's rules."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalsim.engine.amnesty_build import build_amnesty, custody_mix, length_biased_weeks
from loyalsim.engine.population import AmnestyState
from loyalsim.engine.rng import Streams
from loyalsim.mechanisms import offences, self_report, supervision
from loyalsim.scenario.io import ScenarioError, load
from loyalsim.scenario.schemas.amnesty import Economy, EconomyPoint
from tests import hand


def test_pressure_interpolates_between_dated_points_and_is_flat_outside() -> None:
    eco = Economy(
        points=[
            EconomyPoint(date=dt.date(2025, 1, 1), pressure=0.2),
            EconomyPoint(date=dt.date(2025, 1, 11), pressure=0.7),
        ]
    )
    assert offences.pressure_at(eco, dt.date(2024, 6, 1)) == 0.2
    assert offences.pressure_at(eco, dt.date(2025, 1, 6)) == pytest.approx(0.45)
    assert offences.pressure_at(eco, dt.date(2030, 1, 1)) == 0.7


def test_offence_rates_rise_with_pressure_and_never_go_negative() -> None:
    base, weight = np.array([1e-4, 2e-4]), np.array([1.0, 4.0])
    low, ref, high = (offences.category_rates(base, weight, p) for p in (0.0, 0.5, 1.0))
    assert np.allclose(ref, base)
    assert np.all(high > ref) and np.all(low >= 0) and low[1] == 0.0


def test_supervision_checks_combine_as_independent_chances() -> None:
    assert supervision.detection_prob(0.3, 0.2, 0.2) == pytest.approx(1 - 0.7 * 0.8 * 0.8)
    assert supervision.detection_prob(0, 0, 0) == 0.0


def test_self_report_boost_rises_with_rewarded_reports_and_fades() -> None:
    assert self_report.reward_boost(0.0, 2.0, 3, 6) == pytest.approx(1.0)
    assert self_report.reward_boost(0.5, 2.0, 0, 0) == 0.5
    assert self_report.decay_boost(1.0, 0.1) == pytest.approx(0.9)


def test_offences_kernel_arrests_with_a_sentence_in_range_and_remembers_hidden_ones() -> None:
    n = 40_000
    ppl = hand.people(n)
    am = hand.amnesty(n)
    p = offences.Params(
        base_rate=np.array([0.05, 0.05]),
        pressure_weight=np.zeros(2),
        detect=np.array([1.0, 0.0]),
        sentence_lo=np.array([10, 20], np.int64),
        sentence_hi=np.array([12, 30], np.int64),
        is_sensitive=np.array([False, True]),
        resentment_weight=0.0,
        doubt_weight=0.0,
        supervised_detect_multiplier=1.0,
    )
    offences.apply(p, ppl, am, np.array([0.05, 0.05]), 5, np.uint64(3))
    offence_now, status, is_arrested = am.offence_now, am.status, am.is_arrested
    sentence, hidden = am.sentence_weeks, am.hidden_offence
    cat0, cat1 = offence_now == 0, offence_now == 1
    assert abs(cat0.mean() - 0.05) < 0.005 and abs(cat1.mean() - 0.05) < 0.005
    assert np.all(status[cat0] == 1) and np.all(is_arrested[cat0] == 1)
    assert np.all((sentence[cat0] >= 10) & (sentence[cat0] <= 12))
    assert np.all(status[cat1] == 0) and np.all(hidden[cat1] == 2)
    assert not np.any(is_arrested[offence_now < 0])


def test_amnesty_settings_are_validated() -> None:
    with pytest.raises(ScenarioError, match="unknown offence 'treason'"):
        load("default", {"amnesty.excluded": ["treason"]})
    with pytest.raises(ScenarioError, match="max_weeks 10 is below min_weeks 26"):
        load("default", {"supervision.max_weeks": 10})
    with pytest.raises(ScenarioError, match=r"amnesty\.corruption = 3"):
        load("default", {"amnesty.corruption": 3})
    with pytest.raises(ScenarioError, match="strictly increasing"):
        load(
            "default",
            {
                "economy.points": [
                    {"date": "2025-05-01", "pressure": 0.5},
                    {"date": "2025-01-01", "pressure": 0.6},
                ]
            },
        )


def test_counterfactual_presets_switch_the_channels() -> None:
    merit = load("amnesty-merit-only").amnesty
    assert not merit.soldier_channel and not merit.bribery and merit.hero_preference == 0
    nob = load("amnesty-no-bribery").amnesty
    assert not nob.bribery and nob.soldier_channel
    default = load("default").amnesty
    assert default.enabled and default.events[0].date == dt.date(2025, 10, 6)


def _hidden_carriers(n: int) -> tuple[self_report.Params, AmnestyState]:
    p = self_report.Params(
        sentence_lo=np.full(5, 10, np.int64),
        sentence_hi=np.full(5, 20, np.int64),
        leniency=0.5,
        hidden_fade=0.0,
    )
    return p, hand.amnesty(n, hidden_offence=3)


@pytest.mark.parametrize(("p_report", "fade"), [(0.0, 0.0), (0.0, 1.0), (0.2, 0.3)])
def test_hidden_offences_are_reported_or_fade_or_stay(p_report: float, fade: float) -> None:
    n = 50_000
    p, am = _hidden_carriers(n)
    self_report.apply(p._replace(hidden_fade=fade), am, p_report, np.uint64(11))
    reported = am.is_self_report == 1
    faded = (am.hidden_offence == 0) & ~reported
    kept = am.hidden_offence == 3
    assert np.all(reported | faded | kept) and not np.any(reported & kept)
    assert abs(reported.mean() - p_report) < 0.01
    assert abs(faded.mean() - (1 - p_report) * fade) < 0.01
    assert np.all(am.status[reported] == 1) and np.all(am.status[~reported] == 0)
    # Lenient sentences: half of a draw in [10, 20], rounded up.
    assert np.all((am.sentence_weeks[reported] >= 5) & (am.sentence_weeks[reported] <= 10))


@given(
    lo=st.integers(1, 500),
    span=st.integers(0, 2000),
    u=st.lists(st.floats(0.0, 1.0, exclude_max=True), min_size=1, max_size=50),
)
def test_length_biased_sentences_stay_in_range_and_grow_with_the_draw(
    lo: int, span: int, u: list[float]
) -> None:
    draws = np.sort(np.array(u))
    weeks = length_biased_weeks(np.full(len(u), lo), np.full(len(u), lo + span), draws)
    assert np.all((weeks >= lo) & (weeks <= lo + span))
    assert np.all(np.diff(weeks) >= 0)


def test_long_sentences_are_over_represented_among_inmates() -> None:
    u = (np.arange(200_000) + 0.5) / 200_000
    weeks = length_biased_weeks(np.full(u.size, 1), np.full(u.size, 100), u)
    # Density proportional to length on [1, 101): P(L >= 51) = (101^2 - 51^2) / (101^2 - 1).
    assert (weeks >= 51).mean() == pytest.approx((101**2 - 51**2) / (101**2 - 1), abs=1e-3)


def test_initial_inmates_mix_categories_by_arrests_times_sentence_length() -> None:
    scn = load("default", {"custody.initial_inmate_share": 0.05}, population=40_000)
    mix = custody_mix(scn)
    cats = scn.offences.by_category()
    raw = np.array(
        [c.base_rate * c.detect_prob * (c.sentence_min_weeks + c.sentence_max_weeks) for c in cats]
    )
    assert mix == pytest.approx(raw / raw.sum())
    am = build_amnesty(scn, 40_000, Streams(5))
    inmates = am.status == 1
    assert inmates.sum() == 2000
    share = np.bincount(am.offence[inmates], minlength=len(cats)) / 2000
    assert share == pytest.approx(mix, abs=0.03)
    assert np.all(am.served_weeks[inmates] < am.sentence_weeks[inmates])
