"""Run one civil-violence scenario and return loyalsim's tidy table.

Order of a run:

1. place agents (stream ``cv.placement``), draw traits (``cv.traits``) and groups
   (``cv.groups``); every citizen starts quiet;
2. draw one 64-bit key per tick for each in-kernel stream (``cv.activation``,
   ``cv.movement``, ``cv.arrest``, ``cv.release``, ``cv.kill``, ``cv.clone``);
3. compute the legitimacy of every tick from the schedule;
4. run the ticks in numba in chunks; between chunks report progress and, at the cut tick,
   withdraw cops (``cv.cop_reduction``) before that tick's agents act;
5. turn the per-tick tallies into shares and counts (step 0 is the initial state).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np
import pyarrow as pa

from loyalsim.engine.rng import Streams
from loyalsim.models.civil_violence.kernels import (
    COP,
    EMPTY,
    GREEN_BIT,
    KIND_CITIZEN,
    KIND_COP,
    KIND_NONE,
    QUIET,
    build_packed,
    set_cell,
    tally,
)
from loyalsim.models.civil_violence.model1 import run_model1
from loyalsim.models.civil_violence.model2 import run_model2
from loyalsim.scenario.schemas.civil_violence import CivilViolenceConfig, neighbourhood_halfwidths
from loyalsim.store.tidy import to_table

KEY_STREAMS = ("cv.activation", "cv.movement", "cv.arrest", "cv.release", "cv.kill", "cv.clone")
METRICS = [
    "quiet",
    "active",
    "jailed",
    "n_quiet",
    "n_active",
    "n_jailed",
    "n_citizens",
    "n_cops",
    "legitimacy",
    "outburst",
    "births",
    "deaths_killed",
    "deaths_age",
    "deaths",
]
OUTBURST_ACTIVES = 50  # the paper's definition: an outburst is more than 50 actives

_RULES = {"exact": 0, "floor": 1, "round": 2}
_JAIL = {"continuous": 0, "integer_exclusive": 1, "integer_inclusive": 2}
_ACTIVATION = {"random_all": 0, "citizens_then_cops": 1, "fixed": 2}


def legitimacy_path(config: CivilViolenceConfig) -> np.ndarray:
    """Legitimacy at ticks 0..steps (index t); tick 0 is the initial value."""
    sched = config.legitimacy
    start = config.citizens.legitimacy
    ticks = np.arange(config.schedule.steps + 1, dtype=np.float64)
    path = np.full(ticks.shape, start)
    after = ticks >= sched.start_step
    if sched.mode == "drop":
        path[after] = sched.target
    elif sched.mode == "gradual":
        declined = start - sched.rate * (ticks - sched.start_step + 1)
        path[after] = np.maximum(sched.target, declined[after])
    return path


def vision_reach(config: CivilViolenceConfig) -> int:
    """Rows (and halo columns) the widest vision reaches, at least 1 for cloning."""
    return max(1, math.floor(max(config.citizens.vision, config.cops.vision)))


def person_steps(config: CivilViolenceConfig) -> int:
    """Agent-steps of a run (expected agents × ticks)."""
    g = config.grid
    n_agents = round((g.citizen_density + g.cop_density) * g.width * g.height)
    return int(n_agents * config.schedule.steps)


def place_agents(config: CivilViolenceConfig, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Cells of the citizens and of the cops (sorted), by the configured placement rule."""
    g = config.grid
    n_cells = g.width * g.height
    if g.placement == "independent":
        u = rng.random(n_cells)
        is_citizen = u < g.citizen_density
        is_cop = ~is_citizen & (u < g.citizen_density + g.cop_density)
        return np.flatnonzero(is_citizen), np.flatnonzero(is_cop)
    n_cit = round(g.citizen_density * n_cells)
    n_cop = round(g.cop_density * n_cells)
    cells = rng.permutation(n_cells)
    return np.sort(cells[:n_cit]), np.sort(cells[n_cit : n_cit + n_cop])


def init_state(config: CivilViolenceConfig, streams: Streams) -> tuple[tuple, tuple]:
    """The world tuple (grid, occupant, order) and the agent arrays of a fresh run."""
    g, m2 = config.grid, config.model2
    n_cells = g.width * g.height
    cit_cells, cop_cells = place_agents(config, streams.get("cv.placement"))
    n_cit, n_cop = len(cit_cells), len(cop_cells)
    n0 = n_cit + n_cop
    # Model II grows; no more agents than cells can stand on the grid, plus the jailed.
    cap = 2 * n_cells + n0 if m2.enabled else n0
    kind = np.zeros(cap, np.int8)
    pos = np.full(cap, -1, np.int32)
    kind[:n_cit] = KIND_CITIZEN
    kind[n_cit:n0] = KIND_COP
    pos[:n0] = np.concatenate([cit_cells, cop_cells])
    traits = streams.get("cv.traits")
    hardship = np.zeros(cap)
    risk = np.zeros(cap)
    hardship[:n_cit] = traits.random(n_cit)
    risk[:n_cit] = traits.random(n_cit)
    state = np.zeros(cap, np.int8)
    state[:n_cit] = QUIET
    group = np.zeros(cap, np.int8)
    grid = np.full(n_cells, EMPTY, np.int8)
    occ = np.full(n_cells, -1, np.int32)
    occ[pos[:n0]] = np.arange(n0, dtype=np.int32)
    grid[cit_cells] = QUIET
    grid[cop_cells] = COP
    agents: tuple = (kind, pos, state, hardship, risk, np.zeros(cap))
    if m2.enabled:
        groups = streams.get("cv.groups")
        green = groups.permutation(n_cit)[: round(m2.green_share * n_cit)]
        group[green] = 1
        grid[cit_cells[green]] = QUIET | GREEN_BIT
        death_age = np.zeros(cap)
        death_age[:n_cit] = traits.random(n_cit) * m2.max_age
        age = np.zeros(cap)
        if m2.initial_age == "uniform":
            age[:n_cit] = np.floor(traits.random(n_cit) * death_age[:n_cit])
        agents = (*agents, group, age, death_age)
    order = np.zeros(2 * cap, np.int32)  # Model II uses the tail as its free-slot stack
    packed = build_packed(grid, g.width, g.height, vision_reach(config))
    return (grid, occ, order, packed), agents


def withdraw_cops(config: CivilViolenceConfig, world: tuple, agents: tuple, rng) -> None:
    """Remove random cops until round(remaining_density · cells) are left."""
    grid, occ, _, packed = world
    kind, pos = agents[0], agents[1]
    cops = np.flatnonzero(kind == KIND_COP)
    keep = round(config.cop_reduction.remaining_density * grid.shape[0])
    if keep >= len(cops):
        return
    gone = rng.choice(cops, size=len(cops) - keep, replace=False)
    for cell in pos[gone]:
        set_cell(grid, packed, cell, EMPTY)
    occ[pos[gone]] = -1
    kind[gone] = KIND_NONE
    pos[gone] = -1


def _rule_tuple(config: CivilViolenceConfig) -> tuple:
    c, p, s = config.citizens, config.cops, config.schedule
    return (
        c.threshold,
        c.arrest_constant,
        _RULES[c.arrest_rule],
        c.self_count == "twice",
        _JAIL[p.jail_draw],
        float(p.max_jail_term),
        p.jail_placement == "stay",
        p.moves_to_arrestee,
        s.movement,
        s.action_order == "move_then_act",
        _ACTIVATION[s.activation],
        config.grid.width,
        config.grid.height,
    )


def run_counts(
    config: CivilViolenceConfig, seed: int, progress: Callable[[int, int], None] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tallies ``counts[t, group, (quiet, active, jailed, cops)]``, events, legitimacy."""
    counts, events, legit, _, _ = run_state(config, seed, progress)
    return counts, events, legit


def run_state(
    config: CivilViolenceConfig, seed: int, progress: Callable[[int, int], None] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple, tuple]:
    """As ``run_counts``, plus the final world and agent arrays (for invariant tests)."""
    streams = Streams(seed)
    steps = config.schedule.steps
    world, agents = init_state(config, streams)
    keys = np.stack(
        [
            streams.get(n).integers(0, 2**63, size=max(steps, 1), dtype=np.uint64)
            for n in KEY_STREAMS
        ],
        axis=1,
    )
    legit = legitimacy_path(config)
    counts = np.zeros((steps + 1, 3, 4), np.int64)
    events = np.zeros((steps + 1, 3), np.int64)
    kind, state = agents[0], agents[2]
    group = agents[6] if config.model2.enabled else np.zeros_like(kind)
    tally(kind, state, group, counts[0])
    vis = config.schedule.neighbourhood
    half_cit = np.array(neighbourhood_halfwidths(vis, config.citizens.vision), np.int64)
    half_cop = np.array(neighbourhood_halfwidths(vis, config.cops.vision), np.int64)
    half_clone = np.array([1, 1, 1], np.int64)  # the 8 Moore neighbours
    rules = _rule_tuple(config)
    m2 = config.model2
    # legit[t + 1] is the legitimacy during tick t + 1 (kernels index it by t).
    legit_ticks = legit[1:] if steps > 0 else legit
    cut = config.cop_reduction.step
    chunk = max(1, steps // 20)
    bounds = sorted({*range(0, steps, chunk), steps, *([cut - 1] if 0 < cut <= steps else [])})
    for t0, t1 in itertools.pairwise(bounds):
        if cut > 0 and t0 == cut - 1:
            withdraw_cops(config, world, agents, streams.get("cv.cop_reduction"))
        if m2.enabled:
            halves = (half_cit, half_cop, half_clone)
            r2 = (m2.clone_prob, m2.max_age)
            run_model2(world, agents, halves, keys, legit_ticks, t0, t1, rules, r2, counts, events)
        else:
            run_model1(world, agents, half_cit, half_cop, keys, legit_ticks, t0, t1, rules, counts)
        if progress is not None:
            progress(t1, steps)
    return counts, events, legit, world, agents


def simulate(
    config: CivilViolenceConfig,
    seed: int,
    run_id: str,
    progress: Callable[[int, int], None] | None = None,
) -> pa.Table:
    """Run the scenario with ``seed``; the tidy table of shares, counts and events."""
    counts, events, legit = run_counts(config, seed, progress)
    groups = ["all", "group:blue", "group:green"] if config.model2.enabled else ["all"]
    n_steps = counts.shape[0]
    values = np.full((n_steps, len(groups), len(METRICS)), np.nan)
    for g in range(len(groups)):
        c = counts[:, g, :].astype(np.float64)
        n_cit = c[:, :3].sum(axis=1)
        safe = np.where(n_cit > 0, n_cit, np.nan)
        values[:, g, 0:3] = c[:, :3] / safe[:, None]
        values[:, g, 3:6] = c[:, :3]
        values[:, g, 6] = n_cit
        values[:, g, 9] = (c[:, 1] > OUTBURST_ACTIVES).astype(np.float64)
    values[:, 0, 7] = counts[:, 0, 3]
    values[:, 0, 8] = legit
    if config.model2.enabled:
        values[:, 0, 10:13] = events
        values[:, 0, 13] = events[:, 1] + events[:, 2]
    return to_table(run_id, np.arange(n_steps), None, METRICS, groups, values)
