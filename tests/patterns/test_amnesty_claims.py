"""Amnesty claims at default settings over replicates, and a knock-out test for each mechanism
claim (A1, A2, A4-A11): switched off, the claim's observable moves the expected way.

Runs are the default at 100,000 people. Rare channels (soldiers' and war heroes' families,
a few inmates in 100,000 people) are judged on release rates pooled over ``RARE_SEEDS``
replicates with 95 % intervals; the other claims over ``SEEDS``. A switch that acts only from
the first review on is compared with the default from the same state before the review
(``amnesty_forks``), so every difference is the switch's.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from loyalsim.models.loyalty import simulate
from loyalsim.observe.release_rates import release_rates
from loyalsim.scenario.io import load
from loyalsim.scenario.schemas.loyalty import Scenario
from tests.patterns import amnesty_forks
from tests.patterns.amnesty_forks import forked, history

RARE_SEEDS = tuple(range(100, 116))
SEEDS = RARE_SEEDS[:4]
AFTER = 30  # weeks followed after the review (self-reports, re-arrests)
SENSITIVE = ("offence:large_smuggling", "offence:foreign_contact", "offence:border_crossing")


@pytest.fixture(scope="module")
def review() -> int:
    return amnesty_forks.review_step()


def _sum(tab: pa.Table, metric: str, group: str, first: int, last: int | None = None) -> float:
    q = (
        'select coalesce(sum(value), 0) from tab where metric = ? and "group" = ? '
        "and step between ? and ?"
    )
    row = duckdb.execute(q, [metric, group, first, first if last is None else last]).fetchone()
    assert row is not None
    return float(row[0])


def _pooled(
    tabs: list[pa.Table], metric: str, group: str, first: int, last: int | None = None
) -> float:
    return sum(_sum(t, metric, group, first, last) for t in tabs)


def _runs(
    seeds: tuple[int, ...], weeks: int = 1, source: str = "default", **switch: object
) -> list[pa.Table]:
    """``source`` with ``switch``, forked from the default before the review, per seed."""
    return [forked(s, weeks, source, **switch) for s in seeds]


def _simulate(source: str, seed: int, n: int, **overrides: object) -> pa.Table:
    config = load(source, overrides, population=n)
    assert isinstance(config, Scenario)
    return simulate(config, seed, f"{source}-{seed}")


def test_a_forked_run_is_the_same_run_from_the_start(review: int) -> None:
    n, seed, weeks = 20_000, 5, 3
    whole = _simulate("amnesty-merit-only", seed, n, **{"time.n_steps": review + weeks})
    assert forked(seed, weeks, "amnesty-merit-only", n=n).equals(whole)


def test_custody_and_releases_have_the_reported_orders_of_magnitude(review: int) -> None:
    for seed in RARE_SEEDS:
        before = history(seed)
        inmates = _sum(before, "inmates", "all", review - 1) / amnesty_forks.N
        assert 0.001 <= inmates <= 0.006  # a few tenths of a percent (calibration target)
    rates = release_rates(_runs(RARE_SEEDS), steps=(review, review))
    assert 0.08 <= rates["all"].rate <= 0.16  # about 250 of 2,100 at one camp in 2010


def test_a1_a2_rare_family_channels_are_visible_in_release_rates(review: int) -> None:
    rates = release_rates(_runs(RARE_SEEDS), steps=(review, review))
    everyone = rates["all"]
    for family in ("hh:soldier_family", "hh:hero_family"):
        assert rates[family].low > everyone.high, rates[family]
    for channel in ("channel:soldier_family", "channel:hero_family"):
        assert rates[channel].releases > 0


def test_a1_knock_out_the_soldier_channel(review: int) -> None:
    on, off = _runs(RARE_SEEDS), _runs(RARE_SEEDS, **{"amnesty.soldier_channel": False})
    at = (review, review)
    assert release_rates(off, at)["channel:soldier_family"].releases == 0
    assert (
        release_rates(on, at)["hh:soldier_family"].rate
        > release_rates(off, at)["hh:soldier_family"].rate
    )
    # Some soldiers' relatives left with time still to serve (A1).
    assert _pooled(on, "mean_remaining_at_release", "channel:soldier_family", review) > 0


def test_a2_knock_out_the_hero_preference(review: int) -> None:
    on, off = _runs(RARE_SEEDS), _runs(RARE_SEEDS, **{"amnesty.hero_preference": 0.0})
    at = (review, review)
    hero_on, hero_off = release_rates(on, at), release_rates(off, at)
    assert hero_off["channel:hero_family"].releases == 0
    assert hero_on["hh:hero_family"].rate > hero_off["hh:hero_family"].high
    # Their places come out of the merit quota.
    assert hero_on["channel:merit"].releases < hero_off["channel:merit"].releases


def test_counterfactual_presets_differ_from_default_where_they_act(review: int) -> None:
    at = (review, review)
    default = release_rates(_runs(RARE_SEEDS), at)
    merit = release_rates(_runs(RARE_SEEDS, source="amnesty-merit-only"), at)
    clean = release_rates(_runs(RARE_SEEDS, source="amnesty-no-bribery"), at)
    for channel in ("soldier_family", "hero_family", "bribery"):
        assert default[f"channel:{channel}"].low > 0 == merit[f"channel:{channel}"].releases
    for family in ("hh:soldier_family", "hh:hero_family"):
        assert default[family].low > merit[family].rate
    assert default["channel:bribery"].low > 0 == clean["channel:bribery"].releases
    assert default["channel:soldier_family"].releases == clean["channel:soldier_family"].releases
    assert default["wealth:q5"].rate > clean["wealth:q5"].rate


def test_a5_knock_out_the_exclusions(review: int) -> None:
    on, off = _runs(SEEDS), _runs(SEEDS, **{"amnesty.excluded": []})
    released = [sum(_pooled(t, "releases", g, review) for g in SENSITIVE) for t in (on, off)]
    assert released[0] < released[1]
    # With the exclusions, a sensitive offence leaves only if self-reported (A6) or through
    # the loyalty channels; the self-report channel accounts for most.
    assert released[0] <= _pooled(on, "releases", "channel:self_report", review) + _pooled(
        on, "releases", "channel:soldier_family", review
    ) + _pooled(on, "releases", "channel:hero_family", review)


def test_a6_knock_out_the_self_report_channel(review: int) -> None:
    on = _runs(SEEDS, AFTER)
    off = _runs(SEEDS, AFTER, **{"amnesty.self_report_channel": False})
    assert _pooled(on, "releases", "channel:self_report", review) > 0
    assert _pooled(off, "releases", "channel:self_report", review) == 0
    after = (review + 1, review + AFTER)
    assert _pooled(on, "self_reports", "all", *after) > 1.5 * _pooled(
        off, "self_reports", "all", *after
    )


def test_a7_some_who_meet_the_rules_are_refused_on_score_and_the_cutoff_decides(
    review: int,
) -> None:
    on, off = _runs(SEEDS), _runs(SEEDS, **{"amnesty.score_cutoff": -1.0})
    for tab in on:
        assert _sum(tab, "refused_on_score", "all", review) > 0
    share = _pooled(on, "refused_on_score", "all", review) / _pooled(
        on, "passed_rules", "all", review
    )
    assert 0.1 <= share <= 0.5  # the declared target (assumption: about a quarter)
    assert _pooled(off, "refused_on_score", "all", review) == 0
    assert _pooled(off, "qualified_denied", "all", review) > _pooled(
        on, "qualified_denied", "all", review
    )


def test_a8_knock_out_the_time_served_rule(review: int) -> None:
    on, off = _runs(SEEDS), _runs(SEEDS, **{"amnesty.min_served_fraction": 0.0})
    assert _pooled(off, "passed_rules", "all", review) > _pooled(on, "passed_rules", "all", review)
    left = [_pooled(t, "mean_remaining_at_release", "channel:merit", review) for t in (on, off)]
    assert left[0] < left[1]


def test_a9_knock_out_bribery(review: int) -> None:
    on, off = _runs(RARE_SEEDS), _runs(RARE_SEEDS, source="amnesty-no-bribery")
    assert _pooled(on, "releases_bought", "all", review) > 0
    assert _pooled(off, "releases_bought", "all", review) == 0
    assert _pooled(on, "qualified_denied", "all", review) > _pooled(
        off, "qualified_denied", "all", review
    )

    def poor_share(tabs: list[pa.Table]) -> float:
        poor = sum(_pooled(tabs, "releases", f"wealth:q{q}", review) for q in (1, 2))
        return poor / _pooled(tabs, "releases", "all", review)

    assert poor_share(on) < poor_share(off)
    assert _pooled(on, "releases_bought", "wealth:q5", review) > _pooled(
        on, "releases_bought", "wealth:q1", review
    )


def test_a9_knock_out_the_frustration_of_the_qualified_but_denied(review: int) -> None:
    switch = {
        "perception.denied_resentment": 0.0,
        "perception.denied_bribery_resentment": 0.0,
        "perception.denied_household_resentment": 0.0,
    }
    on, off = _runs(SEEDS, 4), _runs(SEEDS, 4, **switch)
    for week in range(review, review + 4):
        # Mean resentment of the denied and their families, over every replicate's people.
        people = _pooled(on, "n_people", "hh:denied", week)
        assert people == _pooled(off, "n_people", "hh:denied", week) > 0
        bitter, calm = (
            sum(
                _sum(t, "resentment", "hh:denied", week) * _sum(t, "n_people", "hh:denied", week)
                for t in tabs
            )
            / people
            for tabs in (on, off)
        )
        assert bitter > calm


@pytest.mark.parametrize(
    ("switch", "metric", "group"),
    [
        (
            {
                "perception.released_household_loyalty": 0.0,
                "perception.released_household_resentment": 0.0,
            },
            "loyalty_private",
            "hh:released",
        ),
        ({"perception.soldier_family_loyalty": 0.0}, "loyalty_private", "hh:soldier_family"),
        ({"perception.gesture_cynicism": 0.0}, "cynicism", "all"),
    ],
)
def test_a4_knock_out_how_the_amnesty_is_read(
    review: int, switch: dict[str, float], metric: str, group: str
) -> None:
    for on, off in zip(_runs(SEEDS, 4), _runs(SEEDS, 4, **switch), strict=True):
        assert _sum(on, metric, group, review - 1) == _sum(off, metric, group, review - 1)
        for week in range(review, review + 4):
            assert _sum(on, metric, group, week) > _sum(off, metric, group, week)


def test_a10_knock_out_the_supervision_checks(review: int) -> None:
    on = _runs(SEEDS, AFTER)
    off = _runs(
        SEEDS,
        AFTER,
        **{
            "supervision.detect_interview": 0.0,
            "supervision.detect_life_log": 0.0,
            "supervision.detect_movement": 0.0,
        },
    )
    after = (review + 1, review + AFTER)
    assert _pooled(on, "violations", "all", *after) > 0
    assert _pooled(on, "rearrests", "all", *after) > 3 * _pooled(off, "rearrests", "all", *after)


def test_a11_knock_out_the_economic_pressure(review: int) -> None:
    flat = {"economy.points": [{"date": "2025-01-01", "pressure": 0.5}], "time.n_steps": review}
    rising = flat_total = 0.0
    for seed in SEEDS:
        flat_run = _simulate("default", seed, amnesty_forks.N, **flat)
        rising += _sum(history(seed), "offences", "all", 0, review - 1)
        flat_total += _sum(flat_run, "offences", "all", 0, review - 1)
    assert rising > flat_total
