"""Model II (Epstein 2002): inter-group violence between Blue and Green, with peacekeepers.

One tick, for every living agent in the tick's activation order (sequential):

1. a jailed citizen serves or is released, as in Model I;
2. a free citizen ages one tick and dies when its age reaches its death age ~ U(0, max_age);
3. (``move_then_act``) it moves to a random empty cell in vision;
4. it decides as in Model I (C = peacekeepers, A = 1 + actives of either group); an active
   citizen kills one random free citizen of the other group in its vision;
5. (``act_then_move``) it moves to a random empty cell in vision;
6. with probability ``clone_prob`` it clones onto a random empty cell of its 8 Moore
   neighbours: the child keeps group and hardship, draws a new risk aversion and death age,
   starts at age 0 and quiet, and is first activated on the next tick;
peacekeepers act exactly like Model I's cops (arrest one random active citizen in vision).
Slots freed by deaths are reused from the next tick on, so no agent acts twice in a tick.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from loyalsim.engine.rng import uniform
from loyalsim.models.civil_violence.kernels import (
    ACTIVE,
    EMPTY,
    FIND_BLUE,
    FIND_EMPTY,
    FIND_GREEN,
    GREEN_BIT,
    JAILED,
    KIND_CITIZEN,
    KIND_NONE,
    QUIET,
    arrest_probability,
    build_order,
    count_vision,
    find_nth,
    move_agent,
    random_empty_cell,
    set_cell,
    tally,
)
from loyalsim.models.civil_violence.model1 import (
    K_ACTIVATION,
    K_MOVEMENT,
    K_RELEASE,
    _move_random,
    step_model1,
)

K_KILL, K_CLONE = 4, 5
# Event counters per tick: births, deaths by killing, deaths by age.
E_BIRTHS, E_KILLED, E_AGED = 0, 1, 2


@nb.njit(cache=True)
def _remove(grid, packed, occ, kind, pos, agent):
    cell = pos[agent]
    if cell >= 0:
        set_cell(grid, packed, cell, EMPTY)
        occ[cell] = -1
    kind[agent] = KIND_NONE
    pos[agent] = -1


@nb.njit(cache=True)
def _code(state, group):
    return state | GREEN_BIT if group == 1 else state


@nb.njit(cache=True)
def step_model2(w, a, half_cit, half_clone, keys, rules, rules2, events):
    """Citizens' part of one Model II tick; returns the number of agents activated."""
    grid, occ, order, packed = w
    kind, pos, state, hardship, risk, jail_left, group, age, death_age = a
    legit, threshold, k, arrest_rule, twice = rules[:5]
    movement, move_first, activation, width, height = rules[9:]
    clone_prob, max_age = rules2
    key_move = keys[K_MOVEMENT]
    n = build_order(kind, order, keys[K_ACTIVATION], activation)
    rowsum = np.zeros(half_cit.shape[0], np.int64)
    # Free slots for newborns, lowest first; slots freed this tick wait for the next one.
    free = order[n:]
    n_free = 0
    for s in range(kind.shape[0] - 1, -1, -1):
        if kind[s] == KIND_NONE and n_free < free.shape[0]:
            free[n_free] = s
            n_free += 1
    for i in range(n):
        ag = order[i]
        if kind[ag] != KIND_CITIZEN:
            continue
        if state[ag] == JAILED:
            if jail_left[ag] > 0:
                jail_left[ag] -= 1.0
                continue
            if pos[ag] < 0:
                cell = random_empty_cell(grid, keys[K_RELEASE], ag)
                if cell < 0:
                    continue
                pos[ag] = cell
                occ[cell] = ag
            state[ag] = QUIET
            set_cell(grid, packed, pos[ag], _code(QUIET, group[ag]))
        age[ag] += 1.0
        if age[ag] >= death_age[ag]:
            _remove(grid, packed, occ, kind, pos, ag)
            events[E_AGED] += 1
            continue
        if movement and move_first:
            _move_random(w, pos, width, height, ag, half_cit, key_move, rowsum)
        was_active = state[ag] == ACTIVE
        n_cop, n_act, n_empty, n_blue, n_green = count_vision(
            grid, width, height, pos[ag], half_cit
        )
        if was_active:
            n_act -= 1
        n_act += 2 if (twice and was_active) else 1
        prob = arrest_probability(k, n_cop, n_act, arrest_rule)
        active = hardship[ag] * (1.0 - legit) - risk[ag] * prob > threshold
        state[ag] = ACTIVE if active else QUIET
        set_cell(grid, packed, pos[ag], _code(state[ag], group[ag]))
        if active:
            n_enemy = n_green if group[ag] == 0 else n_blue
            if n_enemy > 0:
                what = FIND_GREEN if group[ag] == 0 else FIND_BLUE
                pick = int(uniform(keys[K_KILL], ag, 0) * n_enemy)
                target = find_nth(grid, packed, width, height, pos[ag], half_cit, what, pick)
                _remove(grid, packed, occ, kind, pos, occ[target])
                events[E_KILLED] += 1
                n_empty += 1
        if movement and not move_first and n_empty > 0:
            pick = int(uniform(key_move, ag, 0) * n_empty)
            dest = find_nth(grid, packed, width, height, pos[ag], half_cit, FIND_EMPTY, pick)
            move_agent(grid, packed, occ, pos, ag, dest)
        key_clone = keys[K_CLONE]
        if n_free > 0 and uniform(key_clone, ag, 0) < clone_prob:
            _, _, n_near, _, _ = count_vision(grid, width, height, pos[ag], half_clone)
            if n_near > 0:
                pick = int(uniform(key_clone, ag, 1) * n_near)
                dest = find_nth(grid, packed, width, height, pos[ag], half_clone, FIND_EMPTY, pick)
                n_free -= 1
                child = free[n_free]
                kind[child] = KIND_CITIZEN
                group[child] = group[ag]
                hardship[child] = hardship[ag]
                risk[child] = uniform(key_clone, ag, 2)
                age[child] = 0.0
                death_age[child] = uniform(key_clone, ag, 3) * max_age
                state[child] = QUIET
                jail_left[child] = 0.0
                pos[child] = dest
                occ[dest] = child
                set_cell(grid, packed, dest, _code(QUIET, group[ag]))
                events[E_BIRTHS] += 1
    return n


@nb.njit(cache=True)
def run_model2(w, a, halves, keys, legit, t0, t1, base_rules, rules2, counts, events):
    """Ticks ``t0 + 1`` .. ``t1`` of Model II; tallies to ``counts[t]``, events[t]."""
    half_cit, half_cop, half_clone = halves
    kind, state, group = a[0], a[2], a[6]
    (threshold, k, arrest_rule, twice, jail_rule, jmax, jail_stay, to_arrestee,
     movement, move_first, activation, width, height) = base_rules  # fmt: skip
    for t in range(t0, t1):
        rules = (legit[t], threshold, k, arrest_rule, twice, jail_rule, jmax, jail_stay,
                 to_arrestee, movement, move_first, activation, width, height)  # fmt: skip
        step_model2(w, a, half_cit, half_clone, keys[t], rules, rules2, events[t + 1])
        _peacekeepers(w, a, half_cit, half_cop, keys[t], rules)
        tally(kind, state, group, counts[t + 1])


@nb.njit(cache=True)
def _peacekeepers(w, a, half_cit, half_cop, keys, rules):
    """Peacekeepers act after the citizens (in their own random order) with Model I's rule.

    Jailed citizens are re-coded with their group bit so that Model I's kernel, which
    writes plain codes, never meets a Green code it does not know.
    """
    grid, packed = w[0], w[3]
    kind, pos, state, hardship, risk, jail_left, group = a[:7]
    only_cops = kind.copy()
    for s in range(kind.shape[0]):
        if only_cops[s] == KIND_CITIZEN:
            only_cops[s] = KIND_NONE
    sub = (only_cops, pos, state, hardship, risk, jail_left)
    step_model1(w, sub, half_cit, half_cop, keys, rules)
    for s in range(kind.shape[0]):
        if kind[s] == KIND_CITIZEN and state[s] == JAILED and pos[s] >= 0:
            set_cell(grid, packed, pos[s], _code(JAILED, group[s]))
