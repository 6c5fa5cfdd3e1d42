"""Values are read strictly: no coercion, finite numbers, dates in range, bounded sizes."""

from __future__ import annotations

import datetime as dt
import math
import time
from typing import Any

import pytest

from loyalsim.scenario.io import ScenarioError, known_paths, load
from loyalsim.scenario.limits import CV_MAX_CELLS, DATE_MAX, DATE_MIN, MAX_FRIEND_TIES
from loyalsim.scenario.paths import field_at
from loyalsim.scenario.schemas.loyalty import Scenario


def _error(overrides: dict[str, Any], source: str = "default") -> str:
    with pytest.raises(ScenarioError) as info:
        load(source, overrides)
    return str(info.value)


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        # issue 14 item 8: each of these used to be coerced silently
        ("time.n_steps", True, "time.n_steps = true: must be a whole number"),
        ("lapses.detect_base", "0.05", 'lapses.detect_base = "0.05": must be a number'),
        ("lapses.detect_base", True, "lapses.detect_base = true: must be a number"),
        ("time.n_steps", 104.0, "time.n_steps = 104.0: must be a whole number"),
        ("population.n_people", "3000", 'population.n_people = "3000": must be a whole number'),
        ("enforcement.base_checks_attentiveness", 1, "must be true or false"),
        ("enforcement.base_checks_attentiveness", "true", "must be true or false"),
        ("name", 5, "name = 5: must be text in quotes"),
        ("enforcement.orders.0.start", 20260202, "must be a date YYYY-MM-DD"),
    ],
)
def test_no_coercion_between_types(path: str, value: Any, expected: str) -> None:
    assert expected in _error({path: value})


def test_type_errors_state_the_bounds() -> None:
    assert "allowed: 1 <= value <= 5200" in _error({"time.n_steps": True})


def _numeric_paths() -> list[str]:
    config = load("default")
    out = []
    for path in sorted(known_paths(config)):
        found = field_at(Scenario, path.split("."))
        assert found is not None, path
        owner, name = found
        if owner.model_fields[name].annotation in (int, float):
            out.append(path)
    return out


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused_in_every_number(bad: float) -> None:
    paths = _numeric_paths()
    assert len(paths) > 150
    for path in paths:
        message = _error({path: bad})
        assert message.startswith(f"{path} = "), message
        assert "finite" in message or "whole number" in message or "NaN" in message


@pytest.mark.parametrize(
    ("path", "value"),
    [
        # issue 14 item 4: NaN inside lists passed check and broke run
        ("lapses.venue_factor", [math.nan, math.nan, math.nan]),
        ("population.venue_shares", [math.nan, 0.5, 0.5]),
        ("population.venue_shares", [0.5, math.inf, 0.5]),
    ],
)
def test_nan_inside_lists_is_refused(path: str, value: list[float]) -> None:
    message = _error({path: value})
    assert f"{path}.0 = NaN" in message or f"{path}.1 = Infinity" in message
    assert "finite" in message


def test_infinity_is_allowed_only_where_it_means_never() -> None:
    life = load("civil-violence-run3")
    assert life.cops.max_jail_term == math.inf  # type: ignore[attr-defined]
    message = _error({"cops.max_jail_term": math.nan}, "civil-violence-run3")
    assert message.startswith("cops.max_jail_term = NaN")
    assert "finite" in _error({"cops.vision": math.inf}, "civil-violence-run3")


@pytest.mark.parametrize(
    "date",
    [dt.date(9999, 6, 1), dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(2201, 1, 1)],
)
def test_dates_outside_the_handled_range_are_refused(date: dt.date) -> None:
    # issue 14 item 7: 9999-06-01 overflowed and 0001-01-01 broke the figure after the run
    for path in ("time.start", "enforcement.orders.0.start", "calendar.events.0.date"):
        message = _error({path: date})
        assert message.startswith(f"{path} = ")
        assert f"allowed: {DATE_MIN} to {DATE_MAX}" in message


def test_dates_at_the_range_ends_and_iso_strings_from_json_are_accepted() -> None:
    assert load("default", {"time.start": DATE_MIN}).time.start == DATE_MIN  # type: ignore[attr-defined]
    late = load("default", {"time.start": DATE_MAX.isoformat(), "time.n_steps": 5200})
    assert late.time.start == DATE_MAX  # type: ignore[attr-defined]
    assert late.step_dates()[-1] == DATE_MAX + dt.timedelta(weeks=5199)  # type: ignore[attr-defined]
    order = load("default", {"enforcement.orders.0.end": "2026-03-01"})
    assert order.enforcement.orders[0].end == dt.date(2026, 3, 1)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-30", "exists in the calendar"),
        ("2026-2-2", "must be a date YYYY-MM-DD"),
        ("yesterday", "must be a date YYYY-MM-DD"),
        (dt.datetime(2026, 2, 2, 12, 0), "without a time of day"),
    ],
)
def test_malformed_dates_are_refused(value: Any, expected: str) -> None:
    assert expected in _error({"time.start": value})


def test_civil_violence_grid_is_bounded_by_memory() -> None:
    # issue 14 item 7: grid.width = 10^9 passed check and then tried to allocate 6.9 EiB
    assert "grid.width = 1000000000" in _error({"grid.width": 10**9}, "civil-violence-mesa")
    side = math.isqrt(CV_MAX_CELLS) + 1
    message = _error({"grid.width": side, "grid.height": side}, "civil-violence-mesa")
    assert f"at most {CV_MAX_CELLS} cells" in message and "grid.width x grid.height" in message


def test_granovetter_friendship_graph_is_bounded_by_memory() -> None:
    size = 1_000_000
    degree = 2 * MAX_FRIEND_TIES / size + 1
    message = _error({"crowd.size": size, "friendship.mean_degree": degree}, "granovetter-normal")
    assert "crowd.size x friendship.mean_degree" in message and str(MAX_FRIEND_TIES) in message
    ok = load("granovetter-normal", {"crowd.size": size, "friendship.mean_degree": degree - 2})
    assert ok.friendship.mean_degree == degree - 2  # type: ignore[attr-defined]


def test_a_one_megabyte_name_is_refused_at_once() -> None:
    # issue 14 item 10: a 1 MB scenario name made a 3-second run take 76 seconds
    start = time.perf_counter()
    message = _error({"name": "x" * 1_000_000})
    assert time.perf_counter() - start < 2.0
    assert message.startswith('name = "xxx') and "at most 200 characters" in message
    assert len(message) < 300  # the value is shown cut, not whole


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("name", "two\nlines"),
        ("description", "a\x00b"),
        ("enforcement.orders.0.name", "tab\there"),
        ("population.provinces.0.name", "new\rline"),
    ],
)
def test_control_characters_in_text_are_refused(path: str, value: str) -> None:
    message = _error({path: value})
    assert message.startswith(f"{path} = ") and "control character" in message


def test_lists_have_a_maximum_length() -> None:
    order = {"name": "o", "start": dt.date(2026, 1, 5)}
    message = _error({"enforcement.orders": [order] * 1001})
    assert message.startswith("enforcement.orders") and "at most 1000 items" in message
