"""Claim patterns over several seeds at a small population (shared claim list C6-C13)."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from loyalsim.engine.population import ENTERPRISE
from loyalsim.models.loyalty import simulate
from loyalsim.models.loyalty.schedule import init, iterate
from tests.conftest import small

SEEDS = (11, 12, 13)
N = 12_000
SH = "province:South Hamgyong"
ORDER_STEP = 56  # 2026-02-02, the provincial order


def _run(name: str, seed: int, **overrides: object) -> pa.Table:
    return simulate(small(name, n=N, **overrides), seed, f"{name}-{seed}")


@pytest.fixture(scope="module")
def runs() -> dict[tuple[str, int], pa.Table]:
    return {(name, s): _run(name, s) for name in ("default", "no-campaign") for s in SEEDS}


def _mean(tab: pa.Table, metric: str, group: str, first: int, last: int = 10_000) -> float:
    q = 'select avg(value) from tab where metric = ? and "group" = ? and step between ? and ?'
    return float(duckdb.execute(q, [metric, group, first, last]).fetchone()[0])


def _sum(tab: pa.Table, metric: str, group: str, first: int) -> float:
    q = 'select coalesce(sum(value), 0) from tab where metric = ? and "group" = ? and step >= ?'
    return float(duckdb.execute(q, [metric, group, first]).fetchone()[0])


def _accused_per_enterprise_month(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """People newly accused per enterprise of South Hamgyong per month after the order, and
    the enterprises' sizes; counted from the engine's state (the table has no per-unit-kind
    group, and neighbourhood units hold sessions and accusations too)."""
    scn = small("default", n=N)
    state, ctx = init(scn, seed)
    units = state.units
    sizes = np.diff(units.start)
    unit_of = np.repeat(np.arange(units.n), sizes)
    sh = [p.name for p in scn.population.provinces].index(SH.split(":")[1])
    enterprise = (units.kind == ENTERPRISE) & (units.province_idx == sh)
    accused = np.zeros(units.n)
    for _week in iterate(state, ctx):
        st = state
        if st.step - 1 >= ORDER_STEP:
            accused += np.bincount(unit_of, weights=st.people.is_accused_new, minlength=units.n)
    months = (scn.time.n_steps - ORDER_STEP) / 4.345
    return accused[enterprise] / months, sizes[enterprise]


@pytest.mark.parametrize("seed", SEEDS)
def test_c6_a_few_accused_per_enterprise_per_month_under_the_campaign(runs, seed) -> None:  # type: ignore[no-untyped-def]
    tab = runs[("default", seed)]
    rate, sizes = _accused_per_enterprise_month(seed)
    # "A few" for an enterprise of some size; enterprise sizes are heavy-tailed.
    assert 0.5 <= rate.mean() <= 5.0
    assert rate[sizes >= np.quantile(sizes, 0.75)].mean() >= 1.0
    assert _sum(tab, "accused", SH, 0) == _sum(tab, "accused", SH, ORDER_STEP)
    assert _sum(tab, "accused", "province:Pyongyang", 0) == 0
    assert _sum(runs[("no-campaign", seed)], "accused", "all", 0) == 0
    # Struggle sessions hold several accused at once sometimes, never fewer than one each.
    assert _sum(tab, "struggle_sessions", SH, 0) <= _sum(tab, "people_struggled", SH, 0)


@pytest.mark.parametrize("seed", SEEDS)
def test_c7_most_criticism_voiced_is_false(runs, seed) -> None:  # type: ignore[no-untyped-def]
    tab = runs[("default", seed)]
    false = _sum(tab, "criticisms_false", SH, 0)
    sincere = _sum(tab, "criticisms_sincere", SH, 0)
    assert false > 3 * sincere > 0


@pytest.mark.parametrize("seed", SEEDS)
def test_c9_display_belief_gap_is_larger_for_the_young(runs, seed) -> None:  # type: ignore[no-untyped-def]
    tab = runs[("default", seed)]
    young = _mean(tab, "display_gap", "age:16-30", 80)
    for older in ("age:31-45", "age:46-60", "age:61+"):
        assert young > _mean(tab, "display_gap", older, 80) + 0.01


@pytest.mark.parametrize("seed", SEEDS)
def test_c11_campaign_raises_display_and_lowers_belief(runs, seed) -> None:  # type: ignore[no-untyped-def]
    camp, none = runs[("default", seed)], runs[("no-campaign", seed)]
    for group, margin in ((SH, 0.1), ("all", 0.005)):
        assert (
            _mean(camp, "display_public", group, 80)
            > _mean(none, "display_public", group, 80) + margin
        )
        assert (
            _mean(camp, "loyalty_private", group, 80)
            < _mean(none, "loyalty_private", group, 80) - margin
        )
        assert _mean(camp, "resentment", group, 80) > _mean(none, "resentment", group, 80)
    # Before the order both worlds are the same society: identical draws, identical values.
    assert _mean(camp, "loyalty_private", SH, 0, 50) == _mean(none, "loyalty_private", SH, 0, 50)


def _per_lapse(tab: pa.Table, first: int, last: int) -> float:
    q = (
        "select sum(value) filter (where metric = 'detections') / "
        "sum(value) filter (where metric = 'lapses') from tab "
        "where \"group\" = 'all' and step between ? and ?"
    )
    return float(duckdb.execute(q, [first, last]).fetchone()[0])


@pytest.mark.parametrize("seed", SEEDS)
def test_c13_without_better_monitoring_detections_per_lapse_fall(seed: int) -> None:
    # Detections are rare without the campaign (under 1 % of lapses): a larger population
    # and pooled counts keep sampling noise (~3 % here) well below the effect (~17 %).
    overrides = {"adaptation.monitor_learning_rate": 0.0}
    tab = simulate(small("no-campaign", n=100_000, **overrides), seed, f"c13-{seed}")
    assert _per_lapse(tab, 78, 103) < 0.92 * _per_lapse(tab, 0, 25)
    assert _mean(tab, "concealment", "all", 78, 103) > _mean(tab, "concealment", "all", 0, 25)


def test_c13_better_monitoring_keeps_up_with_concealment() -> None:
    seed = SEEDS[0]
    fixed = _run("no-campaign", seed, **{"adaptation.monitor_learning_rate": 0.0})
    learning = _run(
        "no-campaign",
        seed,
        **{"adaptation.monitor_learning_rate": 0.2, "calendar.base_intensity": 0.5},
    )
    assert _mean(learning, "detections_per_lapse", "all", 78) > _mean(
        fixed, "detections_per_lapse", "all", 78
    )
