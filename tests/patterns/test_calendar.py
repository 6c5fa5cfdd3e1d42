"""The political calendar over long runs (C12) and its amnesties (A3), in real runs.

A ten-year run of ``no-campaign`` (warnings only, so the calendar is all that moves
intensity) keeps the yearly rhythm of holidays, its round anniversaries and congresses, and
its amnesty reviews; with the calendar's weights at 0 (``calendar.weight_scale``, the
knock-out) the peaks and the extra sessions around anniversaries are gone.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from loyalsim.models.loyalty import simulate
from loyalsim.scenario.events import amnesty_events, major_events, run_window
from loyalsim.scenario.schemas.loyalty import Scenario
from tests.conftest import small

N = 3_000
SEEDS = (11, 12, 13)
YEARS = range(2025, 2035)
# Years without a round anniversary of any holiday and without a congress.
QUIET_YEARS = (2029, 2034)


def _series(tab: pa.Table, metric: str, group: str = "all") -> np.ndarray:
    rows = tab.filter(
        pa.compute.and_(
            pa.compute.equal(tab["metric"], metric), pa.compute.equal(tab["group"], group)
        )
    ).sort_by("step")
    return rows["value"].to_numpy()


@pytest.fixture(scope="module")
def ten_years() -> tuple[Scenario, pa.Table]:
    # More inmates than the default's few tenths of a percent, so that every review of this
    # small population has someone to release (this file tests when reviews happen).
    scn = small("no-campaign", n=N, **{"time.n_steps": 522, "custody.initial_inmate_share": 0.02})
    return scn, simulate(scn, SEEDS[0], "no-campaign-10y")


def test_intensity_peaks_every_year_and_most_on_round_anniversaries(
    ten_years: tuple[Scenario, pa.Table],
) -> None:
    scn, tab = ten_years
    level = _series(tab, "intensity")
    years = np.array([d.year for d in scn.step_dates()])
    peaks = {}
    for year in YEARS:
        this = level[years == year]
        # A peak, and a quiet spell between holidays when intensity falls back to nothing.
        assert this.max() >= 0.15 and this.min() == 0.0, year
        peaks[year] = this.max()
    loud = [peaks[y] for y in YEARS if y not in QUIET_YEARS]
    assert min(loud) > max(peaks[y] for y in QUIET_YEARS)


def test_sessions_attended_follow_the_calendar(ten_years: tuple[Scenario, pa.Table]) -> None:
    _, tab = ten_years
    level = _series(tab, "intensity")
    sessions = _series(tab, "sessions_attended") / _series(tab, "n_people")
    assert np.corrcoef(level, sessions)[0, 1] > 0.9


def test_amnesty_reviews_are_held_in_the_weeks_of_the_calendar(
    ten_years: tuple[Scenario, pa.Table],
) -> None:
    scn, tab = ten_years
    dates = scn.step_dates()
    due = {e.date for e in amnesty_events(scn, *run_window(scn))}
    expected = [any(d <= day <= d + dt.timedelta(days=6) for day in due) for d in dates]
    reviewed = _series(tab, "reviews") > 0
    assert reviewed.tolist() == expected
    assert reviewed.sum() == 6  # 2025 (dated), 2027, 2028, 2030, 2032, 2033
    # Reviews release people (a review of a few inmates may release none).
    assert _series(tab, "releases")[reviewed].sum() > reviewed.sum()


def _around_major_anniversaries(scn: Scenario) -> np.ndarray:
    """Weeks within four weeks before or one after a major anniversary or congress."""
    days = [e.date for e in major_events(scn) if e.kind in ("anniversary", "congress")]
    dates = np.array(scn.step_dates(), dtype="datetime64[D]")
    near = np.zeros(dates.shape[0], bool)
    for day in np.array(days, dtype="datetime64[D]"):
        gap = (day - dates).astype(int)
        near |= (gap >= -7) & (gap <= 28)
    return near


@pytest.mark.parametrize("seed", SEEDS)
def test_knockout_without_calendar_weights_no_peaks_and_fewer_sessions(seed: int) -> None:
    """C12 knock-out: with the calendar's weights at 0 intensity is flat and the sessions
    attended around anniversaries fall back to the weekly base."""
    overrides = {"time.start": dt.date(2027, 1, 4), "time.n_steps": 104}
    with_cal = small("no-campaign", n=N, **overrides)
    without = small("no-campaign", n=N, **overrides, **{"calendar.weight_scale": 0.0})
    near = _around_major_anniversaries(with_cal)
    assert near.sum() >= 10  # 2027: Day of the Sun 115th; 2028: the Republic's 80th
    tab_on = simulate(with_cal, seed, "on")
    tab_off = simulate(without, seed, "off")
    assert np.all(_series(tab_off, "intensity") == 0.0)
    assert _series(tab_on, "intensity")[near].min() > 0.0
    per_person_on = _series(tab_on, "sessions_attended") / N
    per_person_off = _series(tab_off, "sessions_attended") / N
    assert per_person_on[near].mean() > 1.4 * per_person_off[near].mean()
    # Away from the calendar the two runs hold the same number of sessions, within noise.
    far = ~near & (_series(tab_on, "intensity") == 0.0)
    assert per_person_on[far].mean() == pytest.approx(per_person_off[far].mean(), rel=0.02)
