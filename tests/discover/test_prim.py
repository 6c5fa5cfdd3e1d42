"""PRIM finds a planted box; the CART tree separates it too."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loyalsim.discover.prim import choose_step, find_boxes
from loyalsim.discover.tree import fit_tree

BOX = {"a": (0.2, 0.6), "b": (0.5, 0.9)}


def _planted(seed: int, n: int = 1500) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(0.0, 1.0, (n, 4)), columns=["a", "b", "c", "d"])
    y = np.ones(n, dtype=bool)
    for name, (low, high) in BOX.items():
        y &= (x[name] > low).to_numpy() & (x[name] < high).to_numpy()
    return x, y


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_prim_recovers_the_planted_box(seed: int) -> None:
    x, y = _planted(seed)
    boxes = find_boxes(x, y, threshold=0.9)
    box = boxes[0]
    assert {lim.parameter for lim in box.limits} == set(BOX)
    for lim in box.limits:
        low, high = BOX[lim.parameter]
        assert abs(lim.low - low) < 0.05 and abs(lim.high - high) < 0.05
        assert lim.qp_low < 1e-6 and lim.qp_high < 1e-6  # each limit is significant
    assert box.coverage >= 0.9 and box.density >= 0.9
    assert box.res_dim == 2
    # Nothing is left outside the first box to find a second one for.
    assert len(boxes) == 1


def test_chosen_step_is_the_most_covering_dense_enough_one() -> None:
    trajectory = pd.DataFrame(
        {"coverage": [1.0, 0.95, 0.9, 0.7], "density": [0.3, 0.75, 0.85, 0.99]}
    )
    assert choose_step(trajectory, 0.8) == 2
    assert choose_step(trajectory, 0.999) == 3  # none reaches it: the densest


def test_tree_leaf_with_the_outcome_lies_inside_the_box() -> None:
    x, y = _planted(4)
    tree = fit_tree(x, y, max_depth=4)
    best = tree.leaves.iloc[0]
    assert best["share_true"] > 0.9
    for name in BOX:
        assert name in best["conditions"]
    assert tree.accuracy > 0.95
