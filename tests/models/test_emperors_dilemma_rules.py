"""Exact tests of the emperor's dilemma equations in hand-built neighbourhoods."""

from __future__ import annotations

import numpy as np
import pytest

from loyalsim.models.emperors_dilemma import network, rules

K = 0.125


def test_pressure_is_net_enforcement_against_own_belief() -> None:
    # A disbeliever (B = −1) with 3 of 8 neighbours enforcing the norm (+1), 1 against.
    assert rules.pressure(-1, 3 - 1, 8) == pytest.approx(2 / 8)
    # A believer feels pressure only from enforcement against the norm.
    assert rules.pressure(1, 3 - 1, 8) == pytest.approx(-2 / 8)


def test_need_for_enforcement_is_share_departing_from_belief() -> None:
    # Believer with 2 of 8 neighbours deviating: sum C = 6 − 2 = 4, W = (1 − 4/8)/2 = 2/8.
    assert rules.need_for_enforcement(1, 4, 8) == pytest.approx(0.25)
    assert rules.need_for_enforcement(1, 8, 8) == 0.0
    assert rules.need_for_enforcement(-1, 8, 8) == 1.0


def test_isolated_agent_feels_nothing() -> None:
    assert rules.pressure(-1, 0, 0) == 0.0
    assert rules.need_for_enforcement(1, 0, 0) == 0.0


@pytest.mark.parametrize(
    ("belief", "conviction", "press", "need", "expected"),
    [
        (-1, 0.2, 0.25, 0.0, (1, 0)),  # P = 0.25 > S but < S + K: comply, do not enforce
        (-1, 0.1, 0.25, 0.0, (1, 1)),  # pressure > S + K = 0.225: false compliance, enforce
        (-1, 0.125, 0.25, 0.0, (1, 0)),  # P exactly S + K: strict, comply only
        (-1, 0.25, 0.25, 0.0, (-1, 0)),  # exactly S: no compliance (strict)
        (-1, 0.3, 0.0, 0.5, (-1, -1)),  # S·W = 0.15 > K: enforces its own belief
        (1, 1.0, 0.0, 0.2, (1, 1)),  # believer, W = 0.2 > K: true enforcement
        (1, 1.0, 0.0, 0.125, (1, 0)),  # W = K exactly: no enforcement
        (1, 1.0, 1.0, 1.0, (1, 1)),  # believers never comply against belief (P <= 1 = S)
    ],
)
def test_decide(
    belief: int, conviction: float, press: float, need: float, expected: tuple[int, int]
) -> None:
    comply, enforce = rules.decide(np.int8(belief), conviction, press, need, K)
    assert (int(comply), int(enforce)) == expected


def _star(n_leaves: int) -> tuple[np.ndarray, np.ndarray]:
    edges = np.array([[0, j] for j in range(1, n_leaves + 1)], dtype=np.int64)
    return network.to_csr(edges, n_leaves + 1)


def test_step_disbeliever_among_enforcers_enforces_falsely() -> None:
    # Centre disbeliever (S = 0.1) with 3 believers of whom 2 enforce: P = 2/3 > S + K.
    indptr, indices = _star(3)
    belief = np.array([-1, 1, 1, 1], dtype=np.int8)
    conviction = np.array([0.1, 1.0, 1.0, 1.0])
    comp = belief.copy()
    enf = np.array([0, 1, 1, 0], dtype=np.int8)
    order = np.array([0], dtype=np.int64)
    changed = rules.step_network(belief, conviction, comp, enf, indptr, indices, K, order, False)
    assert changed == 1
    assert (comp[0], enf[0]) == (1, 1)


def test_synchronous_step_reads_previous_state() -> None:
    # Leaf believer 1 needs enforcement (its only neighbour deviates); centre 0 sees none yet.
    indptr, indices = _star(1)
    belief = np.array([-1, 1], dtype=np.int8)
    conviction = np.array([0.05, 1.0])
    order = np.array([1, 0], dtype=np.int64)
    for synchronous, expected_centre in ((True, (-1, 0)), (False, (1, 1))):
        comp, enf = belief.copy(), np.zeros(2, dtype=np.int8)
        rules.step_network(belief, conviction, comp, enf, indptr, indices, K, order, synchronous)
        assert enf[1] == 1
        assert (comp[0], enf[0]) == expected_centre


def test_global_kernel_matches_complete_network() -> None:
    rng = np.random.default_rng(5)
    n = 12
    belief = np.where(rng.random(n) < 0.4, 1, -1).astype(np.int8)
    conviction = np.where(belief == 1, 1.0, rng.uniform(0.001, 0.38, n))
    edges = np.array([[i, j] for i in range(n) for j in range(i + 1, n)], dtype=np.int64)
    indptr, indices = network.to_csr(edges, n)
    for synchronous in (True, False):
        c1, e1 = belief.copy(), np.zeros(n, dtype=np.int8)
        c2, e2 = belief.copy(), np.zeros(n, dtype=np.int8)
        for _ in range(5):
            order = rng.permutation(n).astype(np.int64)
            rules.step_network(belief, conviction, c1, e1, indptr, indices, K, order, synchronous)
            rules.step_global(belief, conviction, c2, e2, K, order, synchronous)
            assert np.array_equal(c1, c2) and np.array_equal(e1, e2)


def test_moore_torus_has_eight_distinct_neighbours() -> None:
    indptr, indices = network.to_csr(network.moore_edges(5), 25)
    assert np.all(np.diff(indptr) == 8)
    for i in range(25):
        nbrs = indices[indptr[i] : indptr[i + 1]]
        assert len(set(nbrs.tolist())) == 8 and i not in nbrs


def test_rewiring_keeps_tie_count_and_simple_graph() -> None:
    edges = network.moore_edges(10)
    rewired = network.rewire(edges, 100, 0.5, np.random.default_rng(1))
    assert rewired.shape == edges.shape
    assert np.all(rewired[:, 0] != rewired[:, 1])
    keys = {tuple(sorted(e)) for e in rewired.tolist()}
    assert len(keys) == len(rewired)
    assert np.array_equal(rewired[:, 0], edges[:, 0])


def test_clustered_block_is_contiguous_and_distinct() -> None:
    cells = network.clustered_cells(30, 45)
    assert len(np.unique(cells)) == 45
    rows, cols = np.divmod(cells, 30)
    assert rows.max() - rows.min() <= 6 and cols.max() - cols.min() <= 6
