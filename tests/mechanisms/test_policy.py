"""Dated orders and the political calendar (C3, C4, C5, C8, C12)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from loyalsim.mechanisms.policy import (
    REGIME_STRUGGLE,
    REGIME_WARNING,
    calendar_intensity,
    policy_at,
)
from loyalsim.scenario.io import load
from loyalsim.scenario.schemas.loyalty import AGE_GROUPS, ORGANISATIONS, Calendar, CalendarEvent


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


def test_session_intensity_rises_only_where_the_whole_province_is_ordered() -> None:
    scn = load("default")
    pol = policy_at(scn, dt.date(2026, 6, 1))
    names = [p.name for p in scn.population.provinces]
    sh, py = names.index("South Hamgyong"), names.index("Pyongyang")
    assert pol.province_intensity[sh] == pol.province_intensity[py] + 1.5
