"""The vision scans against a plain modulo-arithmetic reference, cell by cell and in order.

Scan order matters: ``find_nth`` picks the nth match in it, so a change of order changes the
runs. The grid is small and not square so that every vision wraps in both directions.
"""

from __future__ import annotations

import numpy as np
import pytest

from loyalsim.models.civil_violence.kernels import (
    ACTIVE,
    COP,
    EMPTY,
    FIND_ACTIVE,
    FIND_BLUE,
    FIND_EMPTY,
    FIND_GREEN,
    GREEN_BIT,
    JAILED,
    QUIET,
    STATE_MASK,
    build_packed,
    count_vision,
    count_vision_basic,
    find_in_rows,
    find_nth,
)
from loyalsim.scenario.schemas.civil_violence import neighbourhood_halfwidths

WIDTH, HEIGHT, REACH = 9, 7, 3


def _grid(seed: int) -> np.ndarray:
    codes = [EMPTY, QUIET, ACTIVE, COP, JAILED, QUIET | GREEN_BIT, ACTIVE | GREEN_BIT]
    rng = np.random.default_rng(seed)
    return np.array(codes, np.int8)[rng.integers(0, len(codes), WIDTH * HEIGHT)]


def _scan(cell: int, half: np.ndarray) -> list[int]:
    """The vision's cells, own cell included, row by row and left to right."""
    y, x = divmod(cell, WIDTH)
    reach = (len(half) - 1) // 2
    return [
        ((y + dy) % HEIGHT) * WIDTH + (x + dx) % WIDTH
        for dy in range(-reach, reach + 1)
        for dx in range(-int(half[dy + reach]), int(half[dy + reach]) + 1)
    ]


def _matches(code: int, what: int) -> bool:
    state = code & STATE_MASK
    if what == FIND_EMPTY:
        return code == EMPTY
    if what == FIND_ACTIVE:
        return state == ACTIVE
    return state in (QUIET, ACTIVE) and bool(code & GREEN_BIT) == (what == FIND_GREEN)


@pytest.mark.parametrize(
    ("shape", "radius"), [("von_neumann", 3), ("moore", 3), ("euclidean", 2.5), ("moore", 1)]
)
@pytest.mark.parametrize("seed", [0, 1])
def test_scans_match_the_reference(shape, radius, seed):
    grid = _grid(seed)
    packed = build_packed(grid, WIDTH, HEIGHT, REACH)
    half = np.array(neighbourhood_halfwidths(shape, radius), np.int64)
    rowsum = np.zeros(half.shape[0], np.int64)
    for cell in range(WIDTH * HEIGHT):
        seen = [int(grid[c]) for c in _scan(cell, half)]
        free = [v for v in seen if v & STATE_MASK in (QUIET, ACTIVE)]
        n_cop, n_act, n_empty = (
            seen.count(COP),
            sum(_matches(v, FIND_ACTIVE) for v in seen),
            seen.count(EMPTY),
        )
        n_green = sum(bool(v & GREEN_BIT) for v in free)
        expected = (n_cop, n_act, n_empty, len(free) - n_green, n_green)
        assert count_vision(grid, WIDTH, HEIGHT, cell, half) == expected
        assert count_vision_basic(packed, WIDTH, HEIGHT, cell, half, rowsum) == expected[:3]
        for what in (FIND_EMPTY, FIND_ACTIVE, FIND_BLUE, FIND_GREEN):
            if _matches(int(grid[cell]), what):
                continue  # find_nth's precondition: the own cell does not match
            hits = [c for c in _scan(cell, half) if _matches(int(grid[c]), what)]
            found = [
                find_nth(grid, packed, WIDTH, HEIGHT, cell, half, what, n)
                for n in range(len(hits) + 1)
            ]
            assert found == [*hits, -1]
            if what in (FIND_EMPTY, FIND_ACTIVE):
                in_rows = [
                    find_in_rows(packed, WIDTH, HEIGHT, cell, half, rowsum, what, n)
                    for n in range(len(hits) + 1)
                ]
                assert in_rows == [*hits, -1]
