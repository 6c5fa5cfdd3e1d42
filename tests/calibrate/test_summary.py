"""Target statistics on hand-made tidy tables: exact values from the definitions."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalsim.calibrate.summary import WEEKS_PER, ResolvedTarget, SeriesRef, evaluate

ACCUSED = [1.0, 2.0, 3.0, 4.0, 5.0]
PEOPLE = [100.0, 100.0, 200.0, 200.0, 200.0]
UNITS = [10.0, 10.0, 10.0, 20.0, 20.0]


def _table(series: dict[tuple[str, str], list[float]]) -> pa.Table:
    rows: dict[str, list] = {k: [] for k in ("run_id", "step", "date", "metric", "group", "value")}
    for (metric, group), values in series.items():
        for step, value in enumerate(values):
            rows["run_id"].append("r")
            rows["step"].append(step)
            rows["date"].append(dt.date(2026, 1, 5) + dt.timedelta(weeks=step))
            rows["metric"].append(metric)
            rows["group"].append(group)
            rows["value"].append(value)
    return pa.table(rows)


TABLE = _table(
    {
        ("accused", "all"): ACCUSED,
        ("n_people", "all"): PEOPLE,
        ("work_units", "all"): UNITS,
        ("fear", "all"): [0.1, 0.2, 0.3, 0.4, 0.5],
    }
)


def _target(
    statistic: str, first: int | None = 1, last: int | None = 3, **kw: object
) -> ResolvedTarget:
    metric = str(kw.pop("metric", "accused"))
    fields: dict = {
        "key": "t",
        "series": SeriesRef(metric, "all", first, last),
        "statistic": statistic,
        "rate": "window",
        "summable": metric == "accused",
        "denominator": None,
        "denominator_statistic": "sum",
        "observed": 1.0,
        "low": 0.0,
        "high": 2.0,
        "source": "test",
    }
    fields.update(kw)
    return ResolvedTarget(**fields)


def _value(target: ResolvedTarget) -> float:
    return evaluate(TABLE, (target,))["t"]


def test_aggregates_read_the_window_inclusively() -> None:
    assert _value(_target("sum")) == 2 + 3 + 4
    assert _value(_target("mean")) == 3.0
    assert _value(_target("first")) == 2.0
    assert _value(_target("last")) == 4.0
    assert _value(_target("min", None, None)) == 1.0
    assert _value(_target("max", None, None)) == 5.0


def test_shares_divide_totals_by_the_mean_head_count() -> None:
    people = (100 + 200 + 200) / 3
    assert math.isclose(_value(_target("share")), 9 / people)
    assert math.isclose(_value(_target("per_1000_people")), 9000 / people)
    assert math.isclose(_value(_target("per_work_unit")), 9 / ((10 + 10 + 20) / 3))


def test_rates_divide_totals_by_the_window_length() -> None:
    weeks = 3
    assert math.isclose(_value(_target("sum", rate="week")), 9 / weeks)
    months = weeks / WEEKS_PER["month"]
    assert math.isclose(_value(_target("per_work_unit", rate="month")), 9 / (40 / 3) / months)


def test_ratio_uses_the_denominator_s_own_statistic_and_window() -> None:
    denominator = SeriesRef("n_people", "all", 0, 0)
    target = _target("ratio", 4, 4, denominator=denominator, denominator_statistic="last")
    assert _value(target) == 5 / 100


def test_missing_rows_and_zero_denominators_are_undefined() -> None:
    assert math.isnan(_value(_target("mean", metric="hidden_dissent")))
    assert math.isnan(_value(_target("sum", 7, 9)))
    zero = SeriesRef("accused", "all", 9, 9)
    assert math.isnan(_value(_target("ratio", denominator=zero)))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=30))
def test_weekly_rate_of_a_total_is_the_mean_weekly_count(values: list[float]) -> None:
    table = _table({("accused", "all"): values})
    total, rate = evaluate(
        table,
        (_target("sum", None, None, key="a"), _target("sum", None, None, key="b", rate="week")),
    ).values()
    assert math.isclose(total, float(np.sum(values)), rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(rate, total / len(values), rel_tol=1e-12, abs_tol=1e-9)
