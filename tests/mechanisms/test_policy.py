"""Dated orders and the political calendar (C3, C4, C5, C8, C12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalsim.mechanisms.policy import (
    REGIME_STRUGGLE,
    REGIME_WARNING,
    calendar_intensity,
    policy_at,
)
from loyalsim.scenario.io import ScenarioError, load
from loyalsim.scenario.schemas.loyalty import AGE_GROUPS, ORGANISATIONS
from loyalsim.scenario.schemas.political_calendar import Calendar, CalendarEvent, Holiday


def _cell(scn, province: str, age: str, org: str) -> int:  # type: ignore[no-untyped-def]
    p = [x.name for x in scn.population.provinces].index(province)
    return (p * len(AGE_GROUPS) + AGE_GROUPS.index(age)) * len(ORGANISATIONS) + ORGANISATIONS.index(
        org
    )


def test_regime_switches_to_struggle_on_the_order_date_in_the_target_province() -> None:
    scn = load("default")
    sh = _cell(scn, "South Hamgyong", "31-45", "trade_union")
    py = _cell(scn, "Pyongyang", "31-45", "trade_union")
    before = policy_at(scn, dt.date(2026, 1, 26))
    after = policy_at(scn, dt.date(2026, 2, 2))
    assert before.regime[sh] == REGIME_WARNING and after.regime[sh] == REGIME_STRUGGLE
    assert after.regime[py] == REGIME_WARNING
    assert not before.checks_attentiveness[sh] and after.checks_attentiveness[sh]


def test_targeted_young_get_more_intensity_and_scrutiny() -> None:
    scn = load("default")
    pol = policy_at(scn, dt.date(2026, 3, 2))
    young = _cell(scn, "South Hamgyong", "16-30", "youth_league")
    older = _cell(scn, "South Hamgyong", "46-60", "trade_union")
    assert pol.intensity[young] > pol.intensity[older]
    assert pol.detection_multiplier[young] == 1.5 and pol.detection_multiplier[older] == 1.0


def test_order_end_date_is_respected() -> None:
    scn = load("default", {"enforcement.orders.1.end": dt.date(2026, 3, 1)})
    sh = _cell(scn, "South Hamgyong", "46-60", "trade_union")
    assert policy_at(scn, dt.date(2026, 2, 23)).regime[sh] == REGIME_STRUGGLE
    assert policy_at(scn, dt.date(2026, 3, 9)).regime[sh] == REGIME_WARNING


def test_calendar_intensity_peaks_on_the_anniversary() -> None:
    scn = load("default")
    cal = scn.calendar
    peak = calendar_intensity(cal, dt.date(2025, 10, 10))
    assert peak >= 1.0 - 1e-9
    assert calendar_intensity(cal, dt.date(2025, 9, 1)) < peak
    assert calendar_intensity(cal, dt.date(2025, 6, 10)) == 0.0
    single = Calendar(
        events=[
            CalendarEvent(
                name="x", date=dt.date(2025, 10, 10), weight=1.0, lead_weeks=10, lag_weeks=2
            )
        ]
    )
    days = [dt.date(2025, 7, 21) + dt.timedelta(weeks=k) for k in range(16)]
    curve = np.array([calendar_intensity(single, d) for d in days])
    peak_at = int(curve.argmax())
    assert days[peak_at] <= dt.date(2025, 10, 10) < days[peak_at] + dt.timedelta(weeks=1)
    assert np.all(np.diff(curve[: peak_at + 1]) >= 0) and np.all(np.diff(curve[peak_at:]) <= 0)
    assert curve[0] == 0.0 and curve[-1] == 0.0


def _round_factor(cal: Calendar, years: int) -> float:
    """The rule of the docs: x tenth_factor on a 10th anniversary, x fifth_factor on a 5th."""
    if years % 10 == 0:
        return cal.tenth_factor
    return cal.fifth_factor if years % 5 == 0 else 1.0


@settings(max_examples=60, deadline=None)
@given(
    weight=st.floats(0.0, 5.0),
    fifth=st.floats(0.0, 20.0),
    tenth=st.floats(0.0, 20.0),
    scale=st.floats(0.0, 5.0),
    founded=st.integers(1900, 2000),
    year=st.integers(1901, 2150),
)
def test_a_holiday_peaks_every_year_and_more_on_round_anniversaries(
    weight: float, fifth: float, tenth: float, scale: float, founded: int, year: int
) -> None:
    cal = Calendar(
        holidays=[Holiday(name="h", date=dt.date(founded, 4, 15), weight=weight)],
        fifth_factor=fifth,
        tenth_factor=tenth,
        weight_scale=scale,
    )
    day = dt.date(year, 4, 15)
    n = year - founded
    expected = scale * weight * _round_factor(cal, n) if n >= 1 else 0.0
    assert calendar_intensity(cal, day) == pytest.approx(expected, abs=1e-12)
    # One week before: an ordinary year ramps over lead_weeks (6), a round one over 10.
    lead = cal.round_lead_weeks if n % 5 == 0 else cal.holidays[0].lead_weeks
    before = calendar_intensity(cal, day - dt.timedelta(weeks=1))
    assert before == pytest.approx(expected * (1 - 1 / lead), abs=1e-12)
    # Half a year away, no holiday is felt.
    assert calendar_intensity(cal, day + dt.timedelta(weeks=26)) == 0.0


def test_default_calendar_marks_round_anniversaries_of_the_four_holidays() -> None:
    """Exact peaks of the preset: weight x 1, 2 or 4 on the holiday itself."""
    cal = load("default").calendar  # type: ignore[attr-defined]
    assert calendar_intensity(cal, dt.date(2029, 4, 15)) == pytest.approx(0.3)  # 117th
    assert calendar_intensity(cal, dt.date(2027, 4, 15)) == pytest.approx(0.6)  # 115th
    assert calendar_intensity(cal, dt.date(2032, 4, 15)) == pytest.approx(1.2)  # 120th
    assert calendar_intensity(cal, dt.date(2029, 10, 10)) == pytest.approx(0.25)  # 84th
    assert calendar_intensity(cal, dt.date(2030, 10, 10)) == pytest.approx(0.5)  # 85th
    assert calendar_intensity(cal, dt.date(2035, 10, 10)) == pytest.approx(1.0)  # 90th
    # The Day of the Shining Star's 90th, plus the ramp of the Day of the Sun's 120th.
    sun_ramp = 1.2 * (1 - 59 / 7 / 10)
    assert calendar_intensity(cal, dt.date(2032, 2, 16)) == pytest.approx(0.8 + sun_ramp)
    # The Republic's 80th, plus the ramp of the party's ordinary 83rd (31 days ahead).
    party_ramp = 0.25 * (1 - 31 / 7 / 6)
    assert calendar_intensity(cal, dt.date(2028, 9, 9)) == pytest.approx(0.8 + party_ramp)
    # The congress cycle: the 9th (assumed 23 Feb 2026), then every five years.
    # On 23 Feb 2031 the Day of the Shining Star (ordinary) is one week past: half its lag.
    assert calendar_intensity(cal, dt.date(2031, 2, 23)) == pytest.approx(1.0 + 0.2 * 0.5)
    assert calendar_intensity(cal, dt.date(2021, 2, 23)) == pytest.approx(0.2 * 0.5)  # no 8th
    assert calendar_intensity(cal, dt.date(2029, 6, 1)) == 0.0


def test_every_year_of_a_long_run_has_a_calendar_peak_and_a_quiet_spell() -> None:
    scn = load("no-campaign", {"time.n_steps": 52 * 30})
    dates = scn.step_dates()  # type: ignore[attr-defined]
    level = np.array([calendar_intensity(scn.calendar, d) for d in dates])  # type: ignore[attr-defined]
    years = np.array([d.year for d in dates])
    for year in range(2025, 2054):
        this = level[years == year]
        assert this.max() >= 0.15 and this.min() == 0.0, year
    weak = calendar_intensity(load("default", {"calendar.weight_scale": 0.0}).calendar, dates[40])  # type: ignore[attr-defined]
    assert weak == 0.0


def test_holidays_refuse_29_february_and_name_the_field(tmp_path: Path) -> None:
    path = tmp_path / "leap.toml"
    path.write_text(
        'extends = "default"\n[[calendar.holidays.append]]\nname = "x"\ndate = 2000-02-29\n'
    )
    with pytest.raises(ScenarioError) as err:
        load(str(path))
    assert str(err.value).startswith('calendar.holidays.5.date = "2000-02-29": ')
    assert "29 February" in str(err.value)


def test_files_with_only_dated_events_keep_their_calendar(tmp_path: Path) -> None:
    """A file written before holidays existed: events without a kind, no holidays."""
    path = tmp_path / "old.toml"
    path.write_text(
        'name = "old"\n[calendar]\nbase_intensity = 0.1\n'
        '[[calendar.events]]\nname = "Party 80th anniversary"\ndate = 2025-10-10\n'
        "weight = 1.0\nlead_weeks = 10\nlag_weeks = 2\n"
        '[[calendar.events]]\nname = "Day of the Sun"\ndate = 2026-04-15\n'
    )
    scn = load(str(path))
    cal = scn.calendar  # type: ignore[attr-defined]
    assert cal.holidays == [] and [e.kind for e in cal.events] == ["event", "event"]
    assert scn.amnesty.recurring == "none"  # type: ignore[attr-defined]
    assert calendar_intensity(cal, dt.date(2025, 10, 10)) == pytest.approx(1.1)
    assert calendar_intensity(cal, dt.date(2025, 9, 26)) == pytest.approx(0.1 + 0.8)
    assert calendar_intensity(cal, dt.date(2025, 10, 17)) == pytest.approx(0.1 + 2 / 3)
    assert calendar_intensity(cal, dt.date(2026, 4, 15)) == pytest.approx(0.1 + 0.3)
    assert calendar_intensity(cal, dt.date(2027, 4, 15)) == pytest.approx(0.1)  # no repeat


def test_session_intensity_rises_only_where_the_whole_province_is_ordered() -> None:
    scn = load("default")
    pol = policy_at(scn, dt.date(2026, 6, 1))
    names = [p.name for p in scn.population.provinces]
    sh, py = names.index("South Hamgyong"), names.index("Pyongyang")
    assert pol.province_intensity[sh] == pol.province_intensity[py] + 1.5
