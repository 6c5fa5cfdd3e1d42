"""The synthetic population: sizes, structure, proportions and dtypes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalsim.engine.build import city_districts, pareto_sizes, split_counts
from loyalsim.engine.population import NEIGHBOURHOOD
from loyalsim.engine.rng import Streams
from loyalsim.models.loyalty.schedule import init
from tests.conftest import small


@pytest.fixture(scope="module")
def built():  # type: ignore[no-untyped-def]
    scn = small(n=20_000)
    state, _ = init(scn, seed=3)
    return scn, state


def test_split_counts_is_exact_and_proportional() -> None:
    counts = split_counts(1001, np.array([0.5, 0.3, 0.2]))
    assert counts.sum() == 1001
    assert list(counts) == [501, 300, 200] or abs(counts - [500.5, 300.3, 200.2]).max() < 1


def test_pareto_sizes_add_up_and_respect_bounds() -> None:
    rng = np.random.default_rng(0)
    sizes = pareto_sizes(100_000, 8, 500, 1.6, rng)
    assert sizes.sum() == 100_000
    assert sizes.max() <= 500 and sizes.min() >= 1
    assert np.median(sizes) < sizes.mean()  # heavy right tail


def test_population_size_and_dtypes(built) -> None:  # type: ignore[no-untyped-def]
    scn, state = built
    ppl = state.people
    assert ppl.n == scn.population.n_people
    assert ppl.loyalty_private.dtype == np.float32
    assert ppl.age_years.dtype == np.uint8
    assert ppl.friend_idx.shape == (ppl.n, scn.population.friends_per_person)
    assert ppl.age_years.min() >= 16 and ppl.age_years.max() <= 85


def test_units_partition_people_within_one_province(built) -> None:  # type: ignore[no-untyped-def]
    _, state = built
    start = state.units.start
    assert start[0] == 0 and start[-1] == state.people.n
    assert np.all(np.diff(start) > 0)
    for u in range(0, state.units.n, 37):
        members = state.people.province_idx[start[u] : start[u + 1]]
        assert np.all(members == state.units.province_idx[u])


def test_province_shares_follow_the_scenario(built) -> None:  # type: ignore[no-untyped-def]
    scn, state = built
    counts = np.bincount(state.people.province_idx, minlength=len(scn.population.provinces))
    shares = np.array([p.share for p in scn.population.provinces])
    assert np.allclose(counts / counts.sum(), shares / shares.sum(), atol=1e-3)


def test_organisations_follow_age_and_work(built) -> None:  # type: ignore[no-untyped-def]
    _, state = built
    ppl, units = state.people, state.units
    young = ppl.age_group == 0
    assert np.all(ppl.organisation[young] == 0)  # youth league
    assert np.all(ppl.organisation[~young] != 0)
    kind = np.repeat(units.kind, np.diff(units.start))
    # Trade-union members and the young work in enterprises or offices, others do not.
    assert np.all(kind[(ppl.organisation <= 1)] != NEIGHBOURHOOD)
    assert np.all(kind[(ppl.organisation >= 2)] == NEIGHBOURHOOD)


def test_friends_live_in_the_same_province(built) -> None:  # type: ignore[no-untyped-def]
    _, state = built
    ppl = state.people
    own = ppl.province_idx[:, None]
    assert np.all(ppl.province_idx[ppl.friend_idx] == own)


def test_households_have_plausible_sizes(built) -> None:  # type: ignore[no-untyped-def]
    scn, state = built
    sizes = np.bincount(state.people.household_idx)
    assert sizes.min() >= 1
    assert abs(sizes.mean() - scn.population.adults_per_household) < 0.3


def test_households_mix_workers_and_non_workers() -> None:
    # Districts much smaller than cities, as in a real-size population.
    state, _ = init(small(n=20_000, **{"population.district_size": 128}), seed=3)
    units = state.units
    worker = np.repeat(units.kind != NEIGHBOURHOOD, np.diff(units.start))
    hh = state.people.household_idx
    size = np.bincount(hh)
    n_workers_in = np.bincount(hh, weights=worker)
    multi = size > 1
    mixed = (n_workers_in > 0) & (n_workers_in < size)
    share_workers = worker.mean()
    # Two random adults are a worker and a non-worker with probability 2 w (1 - w).
    assert mixed[multi].mean() > 0.8 * 2 * share_workers * (1 - share_workers)


@settings(deadline=None)
@given(st.integers(1, 20_000), st.floats(0.0, 1.0), st.integers(64, 5000))
def test_city_districts_share_workers_and_others_evenly(m: int, w: float, block: int) -> None:
    n_workers = round(m * w)
    district = city_districts(m, n_workers, block)
    n_districts = max(1, round(m / block))
    assert district.min() >= 0 and district.max() < n_districts
    assert np.all(np.diff(district[:n_workers]) >= 0) and np.all(np.diff(district[n_workers:]) >= 0)
    for part in (district[:n_workers], district[n_workers:]):
        if part.size >= n_districts:
            per = np.bincount(part, minlength=n_districts)
            assert per.max() - per.min() <= 1


def test_memory_per_person_is_small(built) -> None:  # type: ignore[no-untyped-def]
    _, state = built
    per_person = (state.people.nbytes() + state.units.nbytes()) / state.people.n
    assert per_person < 200


def test_same_seed_same_population_and_streams_are_independent() -> None:
    scn = small(n=3000)
    a, _ = init(scn, seed=5)
    b, _ = init(scn, seed=5)
    c, _ = init(scn, seed=6)
    assert np.array_equal(a.people.loyalty_private, b.people.loyalty_private)
    assert np.array_equal(a.people.friend_idx, b.people.friend_idx)
    assert not np.array_equal(a.people.loyalty_private, c.people.loyalty_private)
    s1, s2 = Streams(9), Streams(9)
    s2.get("some.other.mechanism").random(1000)  # drawing elsewhere changes nothing here
    assert s1.key("lapses") == s2.key("lapses")
