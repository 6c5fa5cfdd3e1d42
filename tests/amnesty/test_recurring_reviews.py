"""Amnesty reviews on the round anniversaries of the pardon holidays (A3)."""

from __future__ import annotations

import datetime as dt

from loyalsim.mechanisms.amnesty import event_this_week
from loyalsim.scenario.events import amnesty_events
from loyalsim.scenario.io import load
from loyalsim.scenario.schemas.amnesty import AmnestyEvent
from loyalsim.scenario.schemas.loyalty import Scenario


def _review_weeks(scn: Scenario) -> list[tuple[dt.date, AmnestyEvent]]:
    weeks = scn.step_dates()
    found = [(d, event_this_week(scn, d, d + dt.timedelta(days=6))) for d in weeks]
    return [(d, e) for d, e in found if e is not None]


def test_the_week_of_each_review_holds_it_and_no_other_week_does() -> None:
    scn = _load("default", {"time.n_steps": 522})
    weeks = _review_weeks(scn)
    dates = [e.date for e in amnesty_events(scn, *_window(scn))]
    assert [e.date for _, e in weeks] == dates
    assert all(d <= e.date <= d + dt.timedelta(days=6) for d, e in weeks)
    assert [d.year for d, _ in weeks] == [2025, 2027, 2028, 2030, 2032, 2033]
    first = weeks[0][1]
    assert (first.name, first.quota_share) == ("Party 80th anniversary amnesty", 0.12)
    assert weeks[1][1].name == "Day of the Shining Star 85th anniversary amnesty"


def test_without_recurring_reviews_only_the_dated_amnesty_is_held() -> None:
    scn = _load("default", {"time.n_steps": 522, "amnesty.recurring": "none"})
    assert [d for d, _ in _review_weeks(scn)] == [dt.date(2025, 10, 6)]


def _window(scn: Scenario) -> tuple[dt.date, dt.date]:
    dates = scn.step_dates()
    return dates[0], dates[-1] + dt.timedelta(days=6)


def _load(name: str, overrides: dict[str, object] | None = None) -> Scenario:
    scn = load(name, overrides)
    assert isinstance(scn, Scenario)
    return scn
