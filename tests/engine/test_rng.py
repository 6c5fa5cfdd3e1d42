"""The seed tree and the counter-based uniform draws used inside kernels."""

from __future__ import annotations

import numba as nb
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalsim.engine.rng import Streams, poisson_small, uniform, uniform3


@nb.njit(cache=True)
def _draws(key: np.uint64, n: int, draw: int) -> np.ndarray:
    out = np.empty(n)
    for i in range(n):
        out[i] = uniform(key, i, draw)
    return out


@nb.njit(cache=True)
def _triples(key: np.uint64, n: int, draw: int) -> np.ndarray:
    out = np.empty((n, 3))
    for i in range(n):
        out[i, 0], out[i, 1], out[i, 2] = uniform3(key, i, draw)
    return out


def test_named_streams_are_reproducible_and_distinct() -> None:
    assert Streams(1).get("a").random() == Streams(1).get("a").random()
    assert Streams(1).get("a").random() != Streams(1).get("b").random()
    assert Streams(1).get("a").random() != Streams(2).get("a").random()


def test_negative_seed_is_refused() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        Streams(-1)


def test_uniform_is_uniform_and_draw_numbers_are_independent() -> None:
    key = Streams(4).key("x")
    a = _draws(key, 200_000, 0)
    b = _draws(key, 200_000, 1)
    assert a.min() >= 0.0 and a.max() < 1.0
    assert abs(a.mean() - 0.5) < 0.005 and abs(a.var() - 1 / 12) < 0.002
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.01
    counts = np.histogram(a, bins=20, range=(0, 1))[0]
    assert counts.min() > 0.9 * 10_000 and counts.max() < 1.1 * 10_000


def test_the_three_uniforms_of_one_hash_are_uniform_and_independent() -> None:
    key = Streams(5).key("y")
    u = _triples(key, 200_000, 0)
    v = _triples(key, 200_000, 1)
    assert u.min() >= 0.0 and u.max() < 1.0
    grid = u * 2**21  # on the 2**-21 grid
    assert np.array_equal(grid, np.floor(grid))
    for j in range(3):
        assert abs(u[:, j].mean() - 0.5) < 0.005 and abs(u[:, j].var() - 1 / 12) < 0.002
        counts = np.histogram(u[:, j], bins=20, range=(0, 1))[0]
        assert counts.min() > 0.9 * 10_000 and counts.max() < 1.1 * 10_000
        assert abs(np.corrcoef(u[:, j], v[:, j])[0, 1]) < 0.01
    corr = np.corrcoef(u.T)
    assert np.all(np.abs(corr[np.triu_indices(3, 1)]) < 0.01)
    # Joint: the three coin flips of a session are independent (P(all < 0.5) = 1/8).
    assert abs(np.mean(np.all(u < 0.5, axis=1)) - 0.125) < 0.004


@given(st.integers(0, 2**63 - 1), st.integers(0, 10**7), st.integers(0, 63))
def test_uniform3_in_unit_interval(key: int, idx: int, draw: int) -> None:
    assert all(0.0 <= x < 1.0 for x in uniform3(np.uint64(key), idx, draw))


@given(st.integers(0, 2**63 - 1), st.integers(0, 10**7), st.integers(0, 63))
def test_uniform_in_unit_interval(key: int, idx: int, draw: int) -> None:
    u = uniform(np.uint64(key), idx, draw)
    assert 0.0 <= u < 1.0


def test_poisson_small_has_the_right_mean() -> None:
    key = Streams(2).key("p")
    draws = np.array([poisson_small(key, i, 0, 2.5) for i in range(20_000)])
    assert abs(draws.mean() - 2.5) < 0.06
