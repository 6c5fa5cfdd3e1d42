"""Neighbourhoods of the emperor's dilemma: Moore torus, small world, believer placement.

Networks are undirected and stored as CSR arrays (``indptr``, ``indices``), the form the
numba kernels read. The fully connected population has no array form (see ``rules``).
"""

from __future__ import annotations

import numpy as np

# Half of the Moore neighbourhood: each undirected lattice tie is listed once, from the cell
# that owns it, which is also the end Watts–Strogatz rewiring keeps.
_FORWARD = ((0, 1), (1, -1), (1, 0), (1, 1))


def moore_edges(side: int) -> np.ndarray:
    """Undirected ties of the Moore (8-cell) neighbourhood on a side × side torus.

    Returns an (n_ties, 2) array of cell indices (row-major); a side below 3 would make a
    cell its own neighbour, so it is refused.
    """
    if side < 3:
        raise ValueError(f"a Moore torus needs side >= 3, got {side}")
    rows, cols = np.divmod(np.arange(side * side), side)
    pairs = []
    for d_row, d_col in _FORWARD:
        other = ((rows + d_row) % side) * side + (cols + d_col) % side
        pairs.append(np.stack([rows * side + cols, other], axis=1))
    return np.concatenate(pairs).astype(np.int64)


def rewire(edges: np.ndarray, n_nodes: int, prob: float, rng: np.random.Generator) -> np.ndarray:
    """Watts–Strogatz rewiring: each tie keeps its first end and, with probability ``prob``,
    moves its second end to a uniformly chosen agent that is neither the first end nor
    already tied to it (no self-loops, no double ties). Returns a new edge array."""
    out = edges.copy()
    if prob <= 0.0:
        return out
    tied = {(int(a), int(b)) for a, b in out} | {(int(b), int(a)) for a, b in out}
    moves = rng.random(out.shape[0]) < prob
    for e in np.flatnonzero(moves):
        a, b = int(out[e, 0]), int(out[e, 1])
        if len(tied) // 2 >= n_nodes * (n_nodes - 1) // 2:
            break  # complete graph: nowhere left to move a tie
        while True:
            c = int(rng.integers(n_nodes))
            if c != a and (a, c) not in tied:
                break
        tied.discard((a, b))
        tied.discard((b, a))
        tied.add((a, c))
        tied.add((c, a))
        out[e, 1] = c
    return out


def to_csr(edges: np.ndarray, n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR adjacency (indptr, indices) of an undirected edge list; neighbours sorted."""
    src = np.concatenate([edges[:, 0], edges[:, 1]])
    dst = np.concatenate([edges[:, 1], edges[:, 0]])
    order = np.lexsort((dst, src))
    indptr = np.zeros(n_nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n_nodes), out=indptr[1:])
    return indptr, dst[order].astype(np.int64)


def clustered_cells(side: int, n_believers: int) -> np.ndarray:
    """A contiguous near-square block of ``n_believers`` cells centred on the torus.

    The block is filled row by row inside a w × h rectangle with w = ceil(sqrt(n)), so
    every believer touches the block and the last row may be partial.
    """
    if n_believers == 0:
        return np.zeros(0, dtype=np.int64)
    width = min(int(np.ceil(np.sqrt(n_believers))), side)
    height = int(np.ceil(n_believers / width))
    top, left = (side - height) // 2, (side - width) // 2
    k = np.arange(n_believers)
    rows = (top + k // width) % side
    cols = (left + k % width) % side
    return (rows * side + cols).astype(np.int64)


def scattered_cells(n_agents: int, n_believers: int, rng: np.random.Generator) -> np.ndarray:
    """``n_believers`` distinct cells chosen uniformly at random."""
    return np.sort(rng.choice(n_agents, size=n_believers, replace=False)).astype(np.int64)
