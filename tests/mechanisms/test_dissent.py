"""Hidden dissent and cascade risk (C14): binning, fixed point, what the observer records."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalsim.engine.thresholds import cascade_share, fixed_point_bin, threshold_bin
from loyalsim.models.loyalty.schedule import init, iterate
from loyalsim.observe.dissent import params as dissent_params
from loyalsim.observe.dissent import province_cascades, province_chunks
from loyalsim.observe.recorder import Recorder
from tests.conftest import small


def _reference_bin(x: float, resolution: int) -> int:
    """MODEL.md 3.4.10, case by case."""
    if x <= 0.0:
        return 0
    if x > 1.0:
        return resolution + 1
    return min(math.ceil(x * resolution - 1e-9), resolution)


@settings(deadline=None)
@given(st.floats(-3.0, 3.0), st.integers(10, 100_000))
def test_threshold_bin_follows_the_piecewise_rule(x: float, resolution: int) -> None:
    assert threshold_bin(x, resolution) == _reference_bin(x, resolution)


counts_by_resolution = st.integers(10, 200).flatmap(
    lambda r: st.tuples(st.just(r), st.lists(st.integers(0, 50), min_size=r + 2, max_size=r + 2))
)


@settings(deadline=None)
@given(counts_by_resolution)
def test_fixed_point_bin_holds_exactly_the_people_who_act(case: tuple[int, list[int]]) -> None:
    resolution, counts_list = case
    counts = np.array(counts_list, np.int64)
    n = int(counts.sum())
    b = int(fixed_point_bin(counts, n, resolution))
    # The map r -> #{people whose bin <= floor(r R / N)}, iterated from nobody acting.
    acting, previous = 0, -1
    while n and acting != previous:
        previous = acting
        acting = int(counts[: min(acting * resolution // n, resolution) + 1].sum())
    assert int(counts[: b + 1].sum()) == acting
    if n:
        assert b == min(acting * resolution // n, resolution)


def _reference_thresholds(state, ctx, week) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """x_free and x_enforced by the MODEL.md formulas, in numpy."""
    scn, ppl, pol = ctx.scenario, state.people, week.policy
    d = scn.dissent
    f64 = np.float64
    c = ppl.cell_idx
    sev = ctx.severity[pol.regime[c]]
    threat = np.clip(
        sev * (1.0 + scn.beliefs.intensity_threat * pol.intensity[c].astype(f64))
        + ppl.fear.astype(f64),
        0.0,
        1.0,
    )
    w = d.resentment_weight
    dp = w * ppl.resentment.astype(f64) + (1.0 - w) * (1.0 - ppl.loyalty_private.astype(f64))
    inv = 1.0 / d.social_sensitivity
    speak = ppl.speak_threshold.astype(f64)
    return (speak - dp) * inv, (speak + d.fear_weight * threat - dp) * inv


def test_recorded_cascade_risk_is_the_fixed_point_and_groups_add_up() -> None:
    scn = small("default", n=4000, **{"time.start": "2026-01-05", "time.n_steps": 12})
    state, ctx = init(scn, 3)
    rec = Recorder(ctx, state)
    col = {m: k for k, m in enumerate(rec.metrics)}
    provinces = [k for k, g in enumerate(rec.groups) if g.startswith("province:")]
    ages = [k for k, g in enumerate(rec.groups) if g.startswith("age:")]
    res = scn.dissent.resolution
    for week in iterate(state, ctx, rec):
        st_ = state
        row = rec.values[st_.step - 1]
        x_free, x_enforced = _reference_thresholds(st_, ctx, week)
        n = x_free.shape[0]
        province_of = st_.people.province_idx
        for k, g in enumerate(provinces):  # each province's own fixed point
            own = province_of == k
            if own.any():
                assert row[g, col["cascade_risk"]] == cascade_share(x_free[own], res)
                assert row[g, col["open_dissent"]] == cascade_share(x_enforced[own], res)
        assert row[0, col["hidden_dissent"]] == np.mean(x_free <= 0.0)
        for metric in ("hidden_dissent", "cascade_risk", "open_dissent"):
            for groups in (provinces, ages):
                people = row[groups, col[metric]] * row[groups, col["n_people"]]
                assert round(np.nansum(people)) == round(row[0, col[metric]] * n)


def test_one_provinces_state_cannot_move_anothers_risk() -> None:
    scn = small("default", n=6000, **{"time.start": "2026-03-02", "time.n_steps": 2})
    state, ctx = init(scn, 5)
    week = list(iterate(state, ctx))[-1]
    n_prov = len(scn.population.provinces)
    chunks = province_chunks(state.people.province_idx, n_prov, 7)
    p, n_cells = dissent_params(scn), n_prov * 16
    before, bins = province_cascades(p, state.people, week.policy, ctx.severity, chunks,
                                     n_prov, n_cells)  # fmt: skip
    # Everybody in South Hamgyong turns bitter and disloyal; nothing else changes.
    sh = [q.name for q in scn.population.provinces].index("South Hamgyong")
    in_sh = state.people.province_idx == sh
    state.people.resentment[in_sh] = 1.0
    state.people.loyalty_private[in_sh] = 0.0
    after, bins_after = province_cascades(p, state.people, week.policy, ctx.severity, chunks,
                                          n_prov, n_cells)  # fmt: skip
    others = np.ones(n_prov, bool)
    others[sh] = False
    cells = np.repeat(others, 16)
    assert np.array_equal(before[cells], after[cells])
    assert np.array_equal(bins[others], bins_after[others])
    assert after[~cells, 1].sum() > before[~cells, 1].sum()  # South Hamgyong's own risk rises
