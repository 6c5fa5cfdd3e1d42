"""The decision rules of the emperor's dilemma as numba kernels.

Equations of Centola, Willer & Macy (2005): for agent i with n neighbours,

- pressure P_i = (−B_i / n) Σ_j E_j: net enforcement against i's own belief;
- i complies against its belief (C_i = −B_i) iff P_i > S_i, else C_i = B_i;
- need for enforcement W_i = (1 − (B_i / n) Σ_j C_j) / 2: share of neighbours whose
  behaviour departs from i's belief;
- E_i = −B_i (false enforcement) iff C_i ≠ B_i and P_i > S_i + K;
  E_i = +B_i (true enforcement) iff C_i = B_i and S_i W_i > K; else E_i = 0.

Neighbourhoods are CSR arrays (``indptr``, ``indices``); the fully connected population has
its own kernels that use population totals, so a step costs O(N) rather than O(N²).
"""

from __future__ import annotations

import numba as nb
import numpy as np


@nb.njit(cache=True)
def pressure(belief: int, enforcement_sum: float, n_neighbours: int) -> float:
    """Net enforcement against one's belief; 0 for an agent without neighbours."""
    if n_neighbours == 0:
        return 0.0
    return -belief * enforcement_sum / n_neighbours


@nb.njit(cache=True)
def need_for_enforcement(belief: int, compliance_sum: float, n_neighbours: int) -> float:
    """Share (0..1) of neighbours whose compliance departs from one's belief."""
    if n_neighbours == 0:
        return 0.0
    return (1.0 - belief * compliance_sum / n_neighbours) / 2.0


@nb.njit(cache=True)
def decide(
    belief: np.int8, conviction: float, press: float, need: float, cost: float
) -> tuple[np.int8, np.int8]:
    """Compliance and enforcement of one agent given its pressure and need."""
    comply = -belief if press > conviction else belief
    if comply != belief and press > conviction + cost:
        enforce = -belief
    elif comply == belief and conviction * need > cost:
        enforce = belief
    else:
        enforce = 0 * belief
    return np.int8(comply), np.int8(enforce)


@nb.njit(cache=True)
def _neighbour_sums(
    i: int, indptr: np.ndarray, indices: np.ndarray, comp: np.ndarray, enf: np.ndarray
) -> tuple[float, float, int]:
    c_sum = 0.0
    e_sum = 0.0
    for p in range(indptr[i], indptr[i + 1]):
        j = indices[p]
        c_sum += comp[j]
        e_sum += enf[j]
    return c_sum, e_sum, indptr[i + 1] - indptr[i]


@nb.njit(cache=True)
def step_network(
    belief: np.ndarray,
    conviction: np.ndarray,
    comp: np.ndarray,
    enf: np.ndarray,
    indptr: np.ndarray,
    indices: np.ndarray,
    cost: float,
    order: np.ndarray,
    synchronous: bool,
) -> int:
    """One step on a network, in place; returns the number of agents that changed.

    Synchronous: everyone decides from a snapshot of the previous step (``order`` unused
    except for its length). Asynchronous: agents decide in ``order`` and see the current
    state, including the decisions made earlier in the same step.
    """
    src_c = comp.copy() if synchronous else comp
    src_e = enf.copy() if synchronous else enf
    n_changed = 0
    for k in range(order.shape[0]):
        i = order[k]
        c_sum, e_sum, n = _neighbour_sums(i, indptr, indices, src_c, src_e)
        press = pressure(belief[i], e_sum, n)
        need = need_for_enforcement(belief[i], c_sum, n)
        c_new, e_new = decide(belief[i], conviction[i], press, need, cost)
        if c_new != comp[i] or e_new != enf[i]:
            n_changed += 1
        comp[i] = c_new
        enf[i] = e_new
    return n_changed


@nb.njit(cache=True)
def step_global(
    belief: np.ndarray,
    conviction: np.ndarray,
    comp: np.ndarray,
    enf: np.ndarray,
    cost: float,
    order: np.ndarray,
    synchronous: bool,
) -> int:
    """One step in a fully connected population (everyone sees all N − 1 others)."""
    n_agents = belief.shape[0]
    c_total = 0.0
    e_total = 0.0
    for i in range(n_agents):
        c_total += comp[i]
        e_total += enf[i]
    # Synchronous decisions read the frozen totals; asynchronous ones keep them current.
    c_live = c_total
    e_live = e_total
    src_c = comp.copy() if synchronous else comp
    src_e = enf.copy() if synchronous else enf
    n_changed = 0
    for k in range(order.shape[0]):
        i = order[k]
        c_tot = c_total if synchronous else c_live
        e_tot = e_total if synchronous else e_live
        press = pressure(belief[i], e_tot - src_e[i], n_agents - 1)
        need = need_for_enforcement(belief[i], c_tot - src_c[i], n_agents - 1)
        c_new, e_new = decide(belief[i], conviction[i], press, need, cost)
        if c_new != comp[i] or e_new != enf[i]:
            n_changed += 1
        c_live += c_new - comp[i]
        e_live += e_new - enf[i]
        comp[i] = c_new
        enf[i] = e_new
    return n_changed
