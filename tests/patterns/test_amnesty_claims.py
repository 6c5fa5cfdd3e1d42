"""Amnesty patterns over several seeds (A1, A6, A9)."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from loyalsim.models.loyalty import simulate
from tests.conftest import small

SEEDS = (21, 22, 23)
N = 60_000
STEPS = 70  # the 2025 amnesty is reviewed at step 39
AMNESTY_STEP = 39


def _run(name: str, seed: int, **overrides: object) -> pa.Table:
    return simulate(small(name, n=N, **{"time.n_steps": STEPS}, **overrides), seed, name)


def _value(tab: pa.Table, metric: str, group: str, first: int = 0, last: int = 10_000) -> float:
    q = (
        'select coalesce(sum(value), 0) from tab where metric = ? and "group" = ? '
        "and step between ? and ?"
    )
    return float(duckdb.execute(q, [metric, group, first, last]).fetchone()[0])


@pytest.mark.parametrize("seed", SEEDS)
def test_a9_bribery_denies_the_qualified_and_favours_the_rich(seed: int) -> None:
    bribe, clean = _run("default", seed), _run("amnesty-no-bribery", seed)
    denied_b = _value(bribe, "qualified_denied", "all")
    denied_c = _value(clean, "qualified_denied", "all")
    assert denied_b > denied_c
    assert _value(bribe, "releases_bought", "all") > 0 == _value(clean, "releases_bought", "all")

    def poor_share(tab: pa.Table) -> float:
        poor = sum(
            _value(tab, "releases", f"wealth:q{q}", AMNESTY_STEP, AMNESTY_STEP) for q in (1, 2)
        )
        return poor / _value(tab, "releases", "all", AMNESTY_STEP, AMNESTY_STEP)

    assert poor_share(bribe) < poor_share(clean)
    bought_rich = _value(bribe, "releases_bought", "wealth:q5")
    bought_poor = _value(bribe, "releases_bought", "wealth:q1")
    assert bought_rich > bought_poor


@pytest.mark.parametrize("seed", SEEDS)
def test_a1_soldiers_families_are_over_represented_among_releases(seed: int) -> None:
    tab = _run("default", seed, **{"households.soldier_family_share": 0.05})
    at = (AMNESTY_STEP, AMNESTY_STEP)
    soldier_release_share = _value(tab, "releases", "hh:soldier_family", *at) / _value(
        tab, "releases", "all", *at
    )
    soldier_inmate_share = _value(tab, "reviews", "hh:soldier_family", *at) / _value(
        tab, "reviews", "all", *at
    )
    assert soldier_release_share > 2 * soldier_inmate_share
    # Some of them still had time to serve (A1).
    assert _value(tab, "mean_remaining_at_release", "channel:soldier_family", *at) > 0


def test_a6_self_reports_rise_after_an_amnesty_that_rewarded_them() -> None:
    after = (AMNESTY_STEP + 1, STEPS)
    rewarded, unrewarded = 0.0, 0.0
    for seed in SEEDS:
        extra = {
            "custody.initial_self_reported_share": 0.6,
            "self_report.initial_hidden_share": 0.02,
        }
        yes = _run("default", seed, **extra)
        no = _run("default", seed, **extra, **{"amnesty.self_report_channel": False})
        assert _value(yes, "releases", "channel:self_report") > 0
        assert _value(no, "releases", "channel:self_report") == 0
        # Identical worlds until the amnesty: same draws, same self-reports.
        assert _value(yes, "self_reports", "all", 0, AMNESTY_STEP) == _value(
            no, "self_reports", "all", 0, AMNESTY_STEP
        )
        rewarded += _value(yes, "self_reports", "all", *after)
        unrewarded += _value(no, "self_reports", "all", *after)
    assert rewarded > 1.1 * unrewarded
