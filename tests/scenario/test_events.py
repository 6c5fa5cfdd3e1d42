"""Dated events of a scenario, by kind, expanded over the run's weeks (C12, A3)."""

from __future__ import annotations

import collections
import datetime as dt

import pytest

from loyalsim.scenario.events import (
    KINDS,
    amnesty_events,
    anniversary_round,
    major_events,
    ordinal,
    run_window,
    scenario_events,
)
from loyalsim.scenario.io import load
from loyalsim.scenario.schemas.loyalty import Scenario

# Amnesty rounds reported since 2002 (Daily NK; see the model document, section 4).
REPORTED_ROUNDS = {2002, 2005, 2010, 2012, 2015, 2018, 2020, 2022, 2023, 2025}


def _ten_years() -> Scenario:
    return _load("default", {"time.n_steps": 522})


def test_every_kind_comes_from_one_list_sorted_by_date_within_the_run() -> None:
    scn = _ten_years()
    events = scenario_events(scn)
    first, last = run_window(scn)
    assert last == dt.date(2035, 1, 7)
    assert {e.kind for e in events} == set(KINDS) - {"event"}
    assert [e.date for e in events] == sorted(e.date for e in events)
    assert all(first <= e.date <= last for e in events)
    by_kind = collections.defaultdict(list)
    for e in events:
        by_kind[e.kind].append(e)
    assert [(e.date, e.name) for e in by_kind["order"]] == sorted(
        (o.start, o.name) for o in scn.enforcement.orders
    )
    assert [e.date for e in by_kind["congress"]] == [dt.date(2026, 2, 23), dt.date(2031, 2, 23)]
    assert by_kind["congress"][1].name == "9th Party Congress (+5 years)"
    per_year = collections.Counter(e.date.year for e in by_kind["anniversary"])
    assert per_year == {year: 5 for year in range(2025, 2035)}  # five holidays a year


def test_anniversaries_are_counted_from_the_commemorated_year() -> None:
    events = {e.name: e for e in scenario_events(_ten_years()) if e.kind == "anniversary"}
    # Party foundation day (1945): the 80th is a 10th anniversary, the 85th a 5th.
    assert events["Party foundation day (80th anniversary)"].weight == 0.25 * 4
    assert events["Party foundation day (85th anniversary)"].weight == 0.25 * 2
    assert events["Party foundation day (84th anniversary)"].weight == 0.25
    assert events["Day of the Sun (120th anniversary)"].date == dt.date(2032, 4, 15)
    assert events["Day of the Sun (120th anniversary)"].lead_weeks == 10
    assert events["Day of the Sun (117th anniversary)"].lead_weeks == 6
    assert [anniversary_round(n) for n in (0, 1, 5, 10, 15, 80, 85, 113)] == [
        0,
        0,
        5,
        10,
        5,
        10,
        5,
        0,
    ]
    assert [ordinal(n) for n in (1, 2, 3, 11, 12, 13, 21, 80, 112, 113)] == [
        "1st", "2nd", "3rd", "11th", "12th", "13th", "21st", "80th", "112th", "113th"
    ]  # fmt: skip


def test_major_events_leave_out_ordinary_holidays_only() -> None:
    scn = _ten_years()
    every = scenario_events(scn)
    major = major_events(scn)
    assert {e.kind for e in every if e not in major} == {"anniversary"}
    assert all(e.weight < 0.5 for e in every if e not in major)
    assert all(e.weight >= 0.5 for e in major if e.kind == "anniversary")
    assert {e.kind for e in major} >= {"order", "congress", "amnesty", "anniversary"}


def _recurring_years(mode: str, first: int, last: int) -> list[int]:
    scn = _load("default", {"amnesty.recurring": mode, "amnesty.events": []})
    reviews = amnesty_events(scn, dt.date(first, 1, 1), dt.date(last, 12, 31))
    years = [e.date.year for e in reviews]
    assert len(years) == len(set(years)), "more than one recurring review in a year"
    return years


def test_recurring_reviews_fall_on_every_reported_amnesty_year() -> None:
    """The rule (pardon holidays' 5th and 10th anniversaries, one a year) against the
    reported rounds: all of them, plus 2000, 2003, 2007, 2008, 2013, 2017."""
    both = _recurring_years("fifth_and_tenth", 2000, 2025)
    assert set(both) >= REPORTED_ROUNDS
    assert set(both) - REPORTED_ROUNDS == {2000, 2003, 2007, 2008, 2013, 2017}
    tenth = _recurring_years("tenth", 2000, 2025)
    assert tenth == [2002, 2005, 2008, 2012, 2015, 2018, 2022, 2025]
    assert REPORTED_ROUNDS - set(tenth) == {2010, 2020, 2023}
    assert _recurring_years("none", 2000, 2025) == []


def test_a_recurring_review_takes_the_biggest_then_earliest_anniversary() -> None:
    scn = _load("default", {"amnesty.recurring_weeks_before": 2})
    reviews = amnesty_events(scn, dt.date(2025, 1, 1), dt.date(2034, 12, 31))
    assert [(e.date, e.name, e.quota_share) for e in reviews] == [
        (dt.date(2025, 10, 6), "Party 80th anniversary amnesty", 0.12),  # dated: stands for 2025
        (dt.date(2027, 2, 2), "Day of the Shining Star 85th anniversary amnesty", 0.12),
        (dt.date(2028, 8, 26), "Founding of the Republic 80th anniversary amnesty", 0.12),
        (dt.date(2030, 9, 26), "Party foundation day 85th anniversary amnesty", 0.12),
        (dt.date(2032, 2, 2), "Day of the Shining Star 90th anniversary amnesty", 0.12),
        (dt.date(2033, 8, 26), "Founding of the Republic 85th anniversary amnesty", 0.12),
    ]
    # Quotas by the anniversary's size; a holiday without pardons never brings a review.
    sized = load(
        "default",
        {
            "amnesty.recurring_fifth_quota_share": 0.05,
            "amnesty.recurring_tenth_quota_share": 0.3,
            "calendar.holidays.2.pardons": False,  # the Republic
        },
    )
    reviews = amnesty_events(sized, dt.date(2026, 1, 1), dt.date(2034, 12, 31))
    assert [(e.date.year, e.quota_share) for e in reviews] == [
        (2027, 0.05), (2030, 0.05), (2032, 0.3)
    ]  # fmt: skip


def test_amnesties_are_events_only_with_the_subsystem_on() -> None:
    off = _load("default", {"amnesty.enabled": False, "time.n_steps": 522})
    assert "amnesty" not in {e.kind for e in scenario_events(off)}
    assert scenario_events(load("civil-violence-run1")) == []  # another model


def test_a_window_before_the_founding_holds_no_holiday() -> None:
    scn = _load("default", {"time.start": dt.date(1940, 1, 1), "time.n_steps": 52 * 9})
    names = {e.name for e in scenario_events(scn) if e.kind == "anniversary"}
    assert "Day of the Sun (28th anniversary)" in names
    assert not any(n.startswith(("Founding of the Republic", "Victory Day")) for n in names)
    assert "Party foundation day (1st anniversary)" in names  # 10 October 1946


@pytest.mark.parametrize("every", [1, 4, 7])
def test_repeated_events_fall_every_few_years_from_their_date(every: int) -> None:
    scn = load(
        "default",
        {
            "calendar.events": [
                {
                    "name": "Plenum",
                    "kind": "event",
                    "date": dt.date(2024, 2, 29),
                    "every_years": every,
                }
            ],
            "time.n_steps": 52 * 12,
        },
    )
    dates = [e.date for e in scenario_events(scn) if e.kind == "event"]
    years = range(2024, 2037, every)
    expected = [dt.date(y, 2, 29 if y % 4 == 0 else 28) for y in years if y >= 2025]
    assert dates == expected


def _load(name: str, overrides: dict[str, object] | None = None) -> Scenario:
    scn = load(name, overrides)
    assert isinstance(scn, Scenario)
    return scn
