"""Model I (Epstein 2002): citizens rebel against a central authority, cops arrest them.

One tick, for every living agent in the tick's activation order (sequential: each agent
sees the grid as left by the agents before it):

1. a jailed citizen with time left serves one tick and does nothing else; one whose term
   is over is released (back onto a random empty cell if jailed agents leave the grid);
2. (``move_then_act`` only) the agent moves to a random empty cell in its vision;
3. a citizen counts cops C and active citizens in vision, sets A = 1 + actives (+1 more if
   it was active and counts itself twice), P = 1 − exp(−k·f(C/A)), and is active iff
   H·(1−L) − R·P > T; a cop arrests one random active citizen in vision and draws its term;
4. (``act_then_move``) the agent moves to a random empty cell in its vision; an arresting
   cop may instead step onto the arrestee's cell (NetLogo).
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.engine.rng import uniform
from loyalsim.models.civil_violence.kernels import (
    ACTIVE,
    EMPTY,
    FIND_ACTIVE,
    FIND_EMPTY,
    JAILED,
    KIND_CITIZEN,
    KIND_COP,
    QUIET,
    arrest_probability,
    build_order,
    count_vision_basic,
    find_in_rows,
    find_nth,
    jail_term,
    move_agent,
    random_empty_cell,
    set_cell,
    tally,
)

# Columns of the per-tick key table: one named stream each (see simulate.STREAMS).
K_ACTIVATION, K_MOVEMENT, K_ARREST, K_RELEASE = 0, 1, 2, 3


@nb.njit(cache=True)
def _move_random(w, pos, width, height, agent, half, key, rowsum):
    """Move to a uniformly chosen empty cell in vision, if there is one."""
    grid, occ, _, packed = w
    _, _, n_empty = count_vision_basic(packed, width, height, pos[agent], half, rowsum)
    if n_empty > 0:
        pick = int(uniform(key, agent, 0) * n_empty)
        dest = find_in_rows(packed, width, height, pos[agent], half, rowsum, FIND_EMPTY, pick)
        move_agent(grid, packed, occ, pos, agent, dest)


@nb.njit(cache=True)
def citizen_decides(packed, width, height, cell, half, was_active, hardship, risk, p, rowsum):
    """Whether a citizen on ``cell`` is active, and the empties it saw; ``p`` = rule params.

    ``p`` = (legitimacy, threshold, k, arrest_rule, counts_self_twice).
    """
    legitimacy, threshold, k, rule, twice = p
    n_cop, n_act, n_empty = count_vision_basic(packed, width, height, cell, half, rowsum)
    if was_active:
        n_act -= 1  # the scan saw the citizen's own (active) cell
    n_act += 1  # A counts the citizen itself (Epstein's "1 +")
    if twice and was_active:
        n_act += 1
    prob = arrest_probability(k, n_cop, n_act, rule)
    grievance = hardship * (1.0 - legitimacy)
    return grievance - risk * prob > threshold, n_empty


@nb.njit(cache=True)
def step_model1(w, a, half_cit, half_cop, keys, rules):
    """One tick of Model I. ``w`` = world arrays, ``a`` = agent arrays, ``rules`` = scalars."""
    grid, occ, order, packed = w
    kind, pos, state, hardship, risk, jail_left = a
    (legit, threshold, k, arrest_rule, twice, jail_rule, jmax, jail_stay, to_arrestee,
     movement, move_first, activation, width, height) = rules  # fmt: skip
    key_move = keys[K_MOVEMENT]
    key_arrest = keys[K_ARREST]
    n = build_order(kind, order, keys[K_ACTIVATION], activation)
    rowsum = np.zeros(max(half_cit.shape[0], half_cop.shape[0]), np.int64)
    for i in range(n):
        ag = order[i]
        if kind[ag] == KIND_CITIZEN:
            if state[ag] == JAILED:
                if jail_left[ag] > 0:
                    jail_left[ag] -= 1.0
                    continue
                if pos[ag] < 0:
                    cell = random_empty_cell(grid, keys[K_RELEASE], ag)
                    if cell < 0:
                        continue  # nowhere to go: stays in jail one more tick
                    pos[ag] = cell
                    occ[cell] = ag
                state[ag] = QUIET
                set_cell(grid, packed, pos[ag], QUIET)
            if movement and move_first:
                _move_random(w, pos, width, height, ag, half_cit, key_move, rowsum)
            was_active = state[ag] == ACTIVE
            p = (legit, threshold, k, arrest_rule, twice)
            active, n_empty = citizen_decides(
                packed,
                width,
                height,
                pos[ag],
                half_cit,
                was_active,
                hardship[ag],
                risk[ag],
                p,
                rowsum,
            )
            state[ag] = ACTIVE if active else QUIET
            set_cell(grid, packed, pos[ag], state[ag])
            if movement and not move_first and n_empty > 0:
                pick = int(uniform(key_move, ag, 0) * n_empty)
                # The own cell's code changed, but not the empties: the row totals still hold.
                dest = find_in_rows(
                    packed, width, height, pos[ag], half_cit, rowsum, FIND_EMPTY, pick
                )
                move_agent(grid, packed, occ, pos, ag, dest)
        elif kind[ag] == KIND_COP:
            if movement and move_first:
                _move_random(w, pos, width, height, ag, half_cop, key_move, rowsum)
            _, n_act, n_empty = count_vision_basic(packed, width, height, pos[ag], half_cop, rowsum)
            target = -1
            if n_act > 0:
                pick = int(uniform(key_arrest, ag, 0) * n_act)
                target = find_in_rows(
                    packed, width, height, pos[ag], half_cop, rowsum, FIND_ACTIVE, pick
                )
                victim = occ[target]
                state[victim] = JAILED
                jail_left[victim] = jail_term(uniform(key_arrest, ag, 1), jmax, jail_rule)
                if jail_stay:
                    set_cell(grid, packed, target, JAILED)
                else:
                    set_cell(grid, packed, target, EMPTY)
                    occ[target] = -1
                    pos[victim] = -1
                    n_empty += 1
            if movement and not move_first:
                if to_arrestee and target >= 0:
                    move_agent(grid, packed, occ, pos, ag, target)
                elif n_empty > 0:
                    pick = int(uniform(key_move, ag, 0) * n_empty)
                    if target >= 0 and not jail_stay:  # the arrest emptied a cell: rescan
                        dest = find_nth(
                            grid, packed, width, height, pos[ag], half_cop, FIND_EMPTY, pick
                        )
                    else:
                        dest = find_in_rows(
                            packed, width, height, pos[ag], half_cop, rowsum, FIND_EMPTY, pick
                        )
                    move_agent(grid, packed, occ, pos, ag, dest)
    return n


@nb.njit(cache=True)
def run_model1(w, a, half_cit, half_cop, keys, legit, t0, t1, base_rules, counts):
    """Ticks ``t0 + 1`` .. ``t1``; after tick t the tallies go to ``counts[t]``."""
    group = a[0].copy()
    group[:] = 0
    (threshold, k, arrest_rule, twice, jail_rule, jmax, jail_stay, to_arrestee,
     movement, move_first, activation, width, height) = base_rules  # fmt: skip
    for t in range(t0, t1):
        rules = (legit[t], threshold, k, arrest_rule, twice, jail_rule, jmax, jail_stay,
                 to_arrestee, movement, move_first, activation, width, height)  # fmt: skip
        step_model1(w, a, half_cit, half_cop, keys[t], rules)
        tally(a[0], a[2], group, counts[t + 1])
