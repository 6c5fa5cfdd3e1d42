"""numba building blocks shared by Models I and II: the cell grid, vision scans and rules.

The grid is one int8 code per cell (codes below) plus an int32 occupant index. A vision is
stored as one half-width per row offset (``half[i]`` for dy = i − reach), so a scan reads
each row of the neighbourhood as at most two contiguous runs of cells (two when the row
wraps around the torus); wrapping is done by comparison, never by modulo. The own cell is
scanned too (it keeps the loops branch-free) and its contribution is removed afterwards.

Beside the codes, a ``packed`` int64 grid (height × (width + 2·pad)) holds for each cell
three one-hot counters (empty, cop, active) in 21-bit fields, so counting a vision is a
plain sum over int64 runs, which LLVM vectorises. Its rows carry ``pad`` halo columns that
copy the cells across the left and right edges, so every row of a vision is one contiguous
run with no wrap test; every write goes through ``set_cell`` to keep codes, cells and halo
in step. 21 bits hold counts up to about two million, more than any vision on a
1000×1000 grid.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.engine.rng import uniform

EMPTY = np.int8(0)
QUIET = np.int8(1)
ACTIVE = np.int8(2)
COP = np.int8(3)
JAILED = np.int8(4)
GREEN_BIT = np.int8(8)  # Model II: citizen codes of the Green group carry this bit
STATE_MASK = np.int8(7)

KIND_NONE = np.int8(0)
KIND_CITIZEN = np.int8(1)
KIND_COP = np.int8(2)

# What a ``find_nth`` pass looks for.
FIND_EMPTY = 0
FIND_ACTIVE = 1
FIND_BLUE = 2  # a free (quiet or active) Blue citizen
FIND_GREEN = 3  # a free Green citizen

FIELD_BITS = 21
FIELD_MASK = np.int64((1 << FIELD_BITS) - 1)
SHIFT_EMPTY, SHIFT_COP, SHIFT_ACTIVE = 0, FIELD_BITS, 2 * FIELD_BITS


def packed_table() -> np.ndarray:
    """One-hot packed counters for each of the 16 possible cell codes."""
    table = np.zeros(16, np.int64)
    table[int(EMPTY)] = 1 << SHIFT_EMPTY
    table[int(COP)] = 1 << SHIFT_COP
    table[int(ACTIVE)] = 1 << SHIFT_ACTIVE
    table[int(ACTIVE | GREEN_BIT)] = 1 << SHIFT_ACTIVE
    return table


PACKED = packed_table()

RULE_EXACT, RULE_FLOOR, RULE_ROUND = 0, 1, 2
JAIL_CONTINUOUS, JAIL_INT_EXCLUSIVE, JAIL_INT_INCLUSIVE = 0, 1, 2


@nb.njit(inline="always", cache=True)
def _wrap(v, n):
    """``v`` brought into [0, n) by one comparison each way; needs −n <= v < 2n."""
    if v < 0:
        return v + n
    if v >= n:
        return v - n
    return v


@nb.njit(inline="always", cache=True)
def _vision_runs(y, x, dy, w, width, height):
    """Row ``dy`` of the vision of half-width ``w`` around (x, y) on the code grid.

    Two runs of cell indices, ((lo, hi), (lo, hi)), in scan order (left to right across the
    vision); the second is empty unless the row wraps, which needs 2w + 1 <= width. The
    packed kernels use ``_wrap`` alone: their halo keeps each row one run, and routing them
    through here cost ~10 % in their hot loops (dead wrap tests).
    """
    base = _wrap(y + dy, height) * width
    lo = x - w
    hi = x + w + 1
    if lo < 0:
        return (base + lo + width, base + width), (base, base + hi)
    if hi > width:
        return (base + lo, base + width), (base, base + hi - width)
    return (base + lo, base + hi), (base, base)


@nb.njit(cache=True)
def count_vision(grid, width, height, cell, half):
    """(cops, actives, empties, free Blue, free Green) in the vision around ``cell``.

    Counts include the own cell; callers subtract it. Free means quiet or active.
    """
    reach = (half.shape[0] - 1) // 2
    y = cell // width
    x = cell - y * width
    n_cop = 0
    n_act = 0
    n_empty = 0
    n_blue = 0
    n_green = 0
    for i in range(half.shape[0]):
        for lo, hi in _vision_runs(y, x, i - reach, half[i], width, height):
            for c in range(lo, hi):
                v = grid[c]
                s = v & STATE_MASK
                n_empty += v == 0
                n_cop += v == COP
                n_act += s == ACTIVE
                if s == QUIET or s == ACTIVE:  # noqa: SIM109 (plain compares in numba)
                    if v & GREEN_BIT:
                        n_green += 1
                    else:
                        n_blue += 1
    return n_cop, n_act, n_empty, n_blue, n_green


def build_packed(grid: np.ndarray, width: int, height: int, pad: int) -> np.ndarray:
    """The padded packed-counter grid of ``grid`` (halo of ``pad`` columns each side)."""
    rows = PACKED[grid].reshape(height, width)
    return np.ascontiguousarray(np.concatenate([rows[:, width - pad :], rows, rows[:, :pad]], 1))


@nb.njit(inline="always", cache=True)
def set_cell(grid, packed, cell, code):
    """Write a cell's code and its packed counters (and halo copy) together."""
    grid[cell] = code
    height, stride = packed.shape
    width = grid.shape[0] // height
    pad = (stride - width) // 2
    y = cell // width
    x = cell - y * width
    value = PACKED[code]
    packed[y, pad + x] = value
    if x < pad:
        packed[y, pad + x + width] = value
    if x >= width - pad:
        packed[y, pad + x - width] = value


@nb.njit(inline="always", cache=True)
def _sum_run(row, lo, hi):
    total = np.int64(0)
    for c in range(lo, hi):
        total += row[c]
    return total


@nb.njit(cache=True)
def count_vision_basic(packed, width, height, cell, half, rowsum):
    """(cops, actives, empties) around ``cell`` from the packed grid; Model I's scan.

    The packed total of each row goes to ``rowsum`` so that ``find_in_rows`` can pick
    the chosen cell without summing the rows again (valid while the vision is unchanged).
    """
    reach = (half.shape[0] - 1) // 2
    pad = (packed.shape[1] - width) // 2
    y = cell // width
    col = cell - y * width + pad
    total = np.int64(0)
    for i in range(half.shape[0]):
        yy = _wrap(y + i - reach, height)
        w = half[i]
        here = _sum_run(packed[yy], col - w, col + w + 1)
        rowsum[i] = here
        total += here
    n_cop = (total >> SHIFT_COP) & FIELD_MASK
    n_act = (total >> SHIFT_ACTIVE) & FIELD_MASK
    n_empty = total & FIELD_MASK
    return n_cop, n_act, n_empty


@nb.njit(inline="always", cache=True)
def _matches(v, what):
    s = v & STATE_MASK
    if what == FIND_EMPTY:
        return v == EMPTY
    if what == FIND_ACTIVE:
        return s == ACTIVE
    free = (s == QUIET) | (s == ACTIVE)
    green = (v & GREEN_BIT) != 0
    return free and (green == (what == FIND_GREEN))


@nb.njit(cache=True)
def find_nth(grid, packed, width, height, cell, half, what, nth):
    """The cell of the ``nth`` (from 0) match of ``what`` in scan order; −1 if none.

    The own cell must not match ``what`` (true for every caller: a mover is not empty, a
    cop is not active, a killer is not of the other group). Empty and active cells are
    found on the padded packed rows, skipping whole rows by their counts.
    """
    if what != FIND_EMPTY and what != FIND_ACTIVE:
        return _find_nth_codes(grid, width, height, cell, half, what, nth)
    reach = (half.shape[0] - 1) // 2
    pad = (packed.shape[1] - width) // 2
    shift = SHIFT_EMPTY if what == FIND_EMPTY else SHIFT_ACTIVE
    y = cell // width
    col = cell - y * width + pad
    seen = 0
    for i in range(half.shape[0]):
        yy = _wrap(y + i - reach, height)
        row = packed[yy]
        w = half[i]
        n_here = (_sum_run(row, col - w, col + w + 1) >> shift) & FIELD_MASK
        if seen + n_here <= nth:
            seen += n_here
            continue
        for c in range(col - w, col + w + 1):
            if (row[c] >> shift) & 1:
                if seen == nth:
                    return yy * width + _wrap(c - pad, width)
                seen += 1
    return -1


@nb.njit(cache=True)
def find_in_rows(packed, width, height, cell, half, rowsum, what, nth):
    """``find_nth`` for empty or active cells, using the row totals of the last count."""
    reach = (half.shape[0] - 1) // 2
    pad = (packed.shape[1] - width) // 2
    shift = SHIFT_EMPTY if what == FIND_EMPTY else SHIFT_ACTIVE
    y = cell // width
    col = cell - y * width + pad
    seen = 0
    for i in range(half.shape[0]):
        n_here = (rowsum[i] >> shift) & FIELD_MASK
        if seen + n_here <= nth:
            seen += n_here
            continue
        yy = _wrap(y + i - reach, height)
        row = packed[yy]
        w = half[i]
        for c in range(col - w, col + w + 1):
            if (row[c] >> shift) & 1:
                if seen == nth:
                    return yy * width + _wrap(c - pad, width)
                seen += 1
    return -1


@nb.njit(cache=True)
def _find_nth_codes(grid, width, height, cell, half, what, nth):
    """``find_nth`` on the code grid, for what the packed counters do not hold."""
    reach = (half.shape[0] - 1) // 2
    y = cell // width
    x = cell - y * width
    seen = 0
    for i in range(half.shape[0]):
        for lo, hi in _vision_runs(y, x, i - reach, half[i], width, height):
            for c in range(lo, hi):
                if c != cell and _matches(grid[c], what):
                    if seen == nth:
                        return c
                    seen += 1
    return -1


@nb.njit(cache=True)
def arrest_probability(k, n_cops, n_active, rule):
    """P = 1 − exp(−k·f(C/A)); f is the identity, floor, or round half to even."""
    if rule == RULE_EXACT:
        ratio = n_cops / n_active
    else:
        q = n_cops // n_active
        if rule == RULE_ROUND:
            twice_rem = 2 * (n_cops - q * n_active)
            # Python's round: ties go to the even neighbour (0.5 -> 0, 1.5 -> 2, 2.5 -> 2).
            if twice_rem > n_active or (twice_rem == n_active and q % 2 == 1):
                q += 1
        ratio = float(q)
    return 1.0 - np.exp(-k * ratio)


@nb.njit(cache=True)
def jail_term(u, max_term, rule):
    """A jail term from one uniform ``u`` in [0, 1); an infinite J_max gives life."""
    if np.isinf(max_term):
        return np.inf
    if rule == JAIL_CONTINUOUS:
        return u * max_term
    if rule == JAIL_INT_EXCLUSIVE:
        return np.floor(u * max_term)
    return np.floor(u * (np.floor(max_term) + 1.0))


@nb.njit(cache=True)
def random_empty_cell(grid, key, idx):
    """A uniformly random empty cell of the whole grid (−1 if the grid is full)."""
    n = grid.shape[0]
    # Rejection first: the grid is at most ~80 % full in every published run.
    for d in range(48):
        c = int(uniform(key, idx, d) * n)
        if grid[c] == EMPTY:
            return c
    n_empty = 0
    for c in range(n):
        n_empty += grid[c] == EMPTY
    if n_empty == 0:
        return -1
    target = int(uniform(key, idx, 48) * n_empty)
    for c in range(n):
        if grid[c] == EMPTY:
            if target == 0:
                return c
            target -= 1
    return -1


@nb.njit(cache=True)
def move_agent(grid, packed, occ, pos, agent, dest):
    """Move ``agent`` (its code goes with it) to the empty cell ``dest``."""
    src = pos[agent]
    set_cell(grid, packed, dest, grid[src])
    occ[dest] = agent
    set_cell(grid, packed, src, EMPTY)
    occ[src] = -1
    pos[agent] = dest


@nb.njit(cache=True)
def build_order(kind, order, key, activation):
    """Fill ``order`` with the living agents in this tick's activation order; returns n."""
    n = 0
    if activation == 1:  # citizens then cops, each block shuffled
        for a in range(kind.shape[0]):
            if kind[a] == KIND_CITIZEN:
                order[n] = a
                n += 1
        n_cit = n
        for a in range(kind.shape[0]):
            if kind[a] == KIND_COP:
                order[n] = a
                n += 1
        _shuffle(order, 0, n_cit, key)
        _shuffle(order, n_cit, n, key)
        return n
    for a in range(kind.shape[0]):
        if kind[a] != KIND_NONE:
            order[n] = a
            n += 1
    if activation == 0:
        _shuffle(order, 0, n, key)
    return n


@nb.njit(cache=True)
def _shuffle(order, lo, hi, key):
    # Fisher–Yates with counter-based uniforms: the permutation depends on the key only.
    for i in range(hi - 1, lo, -1):
        j = lo + int(uniform(key, i, 0) * (i - lo + 1))
        order[i], order[j] = order[j], order[i]


@nb.njit(cache=True)
def tally(kind, state, group, out):
    """Counts into ``out[g, m]``: g = all/Blue/Green, m = quiet/active/jailed/cops."""
    out[:, :] = 0
    for a in range(kind.shape[0]):
        k = kind[a]
        if k == KIND_CITIZEN:
            s = state[a]
            m = 0 if s == QUIET else (1 if s == ACTIVE else 2)
            out[0, m] += 1
            out[1 + group[a], m] += 1
        elif k == KIND_COP:
            out[0, 3] += 1
