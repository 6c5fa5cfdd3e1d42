"""Granovetter's crowd: exact results and properties of the threshold map."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalsim.engine.rng import Streams
from loyalsim.engine.thresholds import cascade_fixed_point
from loyalsim.models.thresholds import granovetter
from loyalsim.scenario.schemas.thresholds import ThresholdsConfig

EMPTY = np.zeros(0, dtype=np.int64)


def _crowd(**crowd: object) -> np.ndarray:
    config = ThresholdsConfig.model_validate({"crowd": crowd})
    return granovetter.crowd_thresholds(config.crowd, Streams(0).get("thresholds"))


def _no_friends(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros(n + 1, dtype=np.int64), EMPTY


def test_uniform_crowd_everyone_joins() -> None:
    thresholds = _crowd()
    assert np.array_equal(np.sort(thresholds), np.arange(100))
    assert granovetter.equilibrium(thresholds, *_no_friends(100), 1.0) == 100


def test_perturbed_crowd_only_instigator_joins() -> None:
    thresholds = _crowd(distribution="perturbed")
    assert granovetter.equilibrium(thresholds, *_no_friends(100), 1.0) == 1


def test_normal_draws_are_never_negative() -> None:
    assert _crowd(distribution="normal", mean=0.0, spread=5.0).min() >= 0.0


def test_sampled_crowd_comes_from_population() -> None:
    thresholds = _crowd(population_size=1000)
    assert thresholds.shape == (100,)
    assert set(thresholds.tolist()) <= set(range(100))


def _map(counts: np.ndarray, r: int) -> int:
    return int(np.cumsum(counts)[min(r, len(counts) - 1)])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=40))
def test_fixed_point_is_a_fixed_point_and_least(counts_list: list[int]) -> None:
    counts = np.array(counts_list, dtype=np.int64)
    r = int(cascade_fixed_point(counts))
    assert _map(counts, r) == r
    # Least fixed point: every smaller r is pushed upwards by the map.
    assert all(_map(counts, s) > s for s in range(r))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=40), st.integers(0, 200))
def test_threshold_map_is_monotone(counts_list: list[int], r: int) -> None:
    counts = np.array(counts_list, dtype=np.int64)
    assert _map(counts, r) <= _map(counts, r + 1)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=1, max_size=60))
def test_agent_rule_matches_core_map(thresholds_list: list[int]) -> None:
    thresholds = np.array(thresholds_list, dtype=np.float64)
    n = len(thresholds_list)
    counts = np.bincount(np.minimum(thresholds.astype(np.int64), n), minlength=n + 1)
    joined = granovetter.equilibrium(thresholds, *_no_friends(n), 1.0)
    assert joined == int(cascade_fixed_point(counts))


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 60), st.floats(0.0, 8.0), st.integers(0, 2**16))
def test_friendship_graph_is_simple_and_symmetric(n: int, degree: float, seed: int) -> None:
    indptr, indices = granovetter.friendship_graph(n, degree, np.random.default_rng(seed))
    assert indptr[-1] == indices.shape[0]
    ties = set()
    for i in range(n):
        for j in indices[indptr[i] : indptr[i + 1]].tolist():
            assert j != i
            ties.add((i, j))
    assert all((j, i) in ties for i, j in ties)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**16), st.floats(1.0, 5.0))
def test_friend_weights_never_shrink_the_crowd(seed: int, weight: float) -> None:
    rng = np.random.default_rng(seed)
    thresholds = np.maximum(rng.normal(10.0, 5.0, 50), 0.0)
    indptr, indices = granovetter.friendship_graph(50, 4.0, rng)
    base = granovetter.equilibrium(thresholds, indptr, indices, 1.0)
    assert granovetter.equilibrium(thresholds, indptr, indices, weight) >= base
