"""Build an emperor's dilemma world, run it, and record its tidy table.

Step order (one step):

1. draw this step's decision order (stream ``update_order``; asynchronous only);
2. every agent decides compliance, then enforcement (``rules.step_network`` /
   ``rules.step_global``), simultaneously or one by one depending on ``dynamics.update``;
3. record the metrics (read-only).

Start (step 0): C = B and E = 0 for everyone. Once a full step changes nobody the state is a
fixed point of the rules, so later steps are copies and are not computed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from loyalsim.engine.rng import Streams
from loyalsim.models.emperors_dilemma import network, rules
from loyalsim.scenario.schemas.emperors_dilemma import EmperorsDilemmaConfig
from loyalsim.store.tidy import to_table

GROUPS = ("all", "belief:believer", "belief:disbeliever")
METRICS = (
    "complying",  # C = +1: behaving as the norm demands
    "enforcing",  # E = +1: enforcing the norm
    "true_enforcing",  # believers enforcing the norm
    "false_enforcing",  # disbelievers enforcing the norm they do not hold
    "false_complying",  # disbelievers complying with the norm they do not hold
    "deviant_enforcing",  # E = −1: enforcing deviance from the norm
    "n_false_enforcers",  # count, group "all" only
)


@dataclass
class World:
    """State of one run: one array per attribute, plus the neighbourhood."""

    belief: np.ndarray  # int8, +1 believer / −1 disbeliever
    conviction: np.ndarray  # float64, S
    compliance: np.ndarray  # int8, C
    enforcement: np.ndarray  # int8, E
    indptr: np.ndarray | None  # CSR; None = fully connected
    indices: np.ndarray | None


def build(config: EmperorsDilemmaConfig, streams: Streams) -> World:
    """Place believers, draw convictions and build the neighbourhood."""
    pop, net = config.population, config.network
    n_agents = pop.side * pop.side
    n_believers = round(pop.believer_share * n_agents)
    if pop.placement == "clustered":
        believer_idx = network.clustered_cells(pop.side, n_believers)
    else:
        believer_idx = network.scattered_cells(n_agents, n_believers, streams.get("placement"))
    belief = np.full(n_agents, -1, dtype=np.int8)
    belief[believer_idx] = 1
    # U(0, max]: 1 − U[0, 1) lies in (0, 1], so no disbeliever has zero conviction.
    draws = 1.0 - streams.get("conviction").random(n_agents)
    conviction = np.where(belief == 1, 1.0, draws * pop.conviction_max)
    indptr: np.ndarray | None = None
    indices: np.ndarray | None = None
    if net.kind != "global":
        edges = network.moore_edges(pop.side)
        if net.kind == "small_world":
            edges = network.rewire(edges, n_agents, net.rewire_prob, streams.get("network"))
        indptr, indices = network.to_csr(edges, n_agents)
    return World(
        belief=belief,
        conviction=conviction,
        compliance=belief.copy(),
        enforcement=np.zeros(n_agents, dtype=np.int8),
        indptr=indptr,
        indices=indices,
    )


def advance(world: World, config: EmperorsDilemmaConfig, streams: Streams) -> int:
    """One step in place; returns how many agents changed their behaviour."""
    n_agents = world.belief.shape[0]
    synchronous = config.dynamics.update == "synchronous"
    if synchronous:
        order = np.arange(n_agents, dtype=np.int64)
    else:
        order = streams.get("update_order").permutation(n_agents).astype(np.int64)
    cost = config.dynamics.enforcement_cost
    if world.indptr is None or world.indices is None:
        return int(
            rules.step_global(
                world.belief,
                world.conviction,
                world.compliance,
                world.enforcement,
                cost,
                order,
                synchronous,
            )
        )
    return int(
        rules.step_network(
            world.belief,
            world.conviction,
            world.compliance,
            world.enforcement,
            world.indptr,
            world.indices,
            cost,
            order,
            synchronous,
        )
    )


def measure(world: World) -> np.ndarray:
    """Metrics as values[group, metric] (shares of the group; NaN where undefined)."""
    out = np.full((len(GROUPS), len(METRICS)), np.nan)
    is_believer = world.belief == 1
    complying = world.compliance == 1
    enforcing = world.enforcement == 1
    deviant = world.enforcement == -1
    masks = (np.ones_like(is_believer), is_believer, ~is_believer)
    for g, mask in enumerate(masks):
        size = int(mask.sum())
        if size == 0:
            continue
        out[g, 0] = (complying & mask).sum() / size
        out[g, 1] = (enforcing & mask).sum() / size
        out[g, 2] = (enforcing & mask & is_believer).sum() / size
        out[g, 3] = (enforcing & mask & ~is_believer).sum() / size
        out[g, 4] = (complying & mask & ~is_believer).sum() / size
        out[g, 5] = (deviant & mask).sum() / size
    out[0, 6] = float((enforcing & ~is_believer).sum())
    return out


def run(
    config: EmperorsDilemmaConfig,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, World]:
    """Run all steps; returns values[step, group, metric] (step 0 = start) and the world."""
    streams = Streams(seed)
    world = build(config, streams)
    n_steps = config.dynamics.steps
    values = np.empty((n_steps + 1, len(GROUPS), len(METRICS)))
    values[0] = measure(world)
    settled = False
    for t in range(1, n_steps + 1):
        if not settled:
            settled = advance(world, config, streams) == 0
            values[t] = measure(world)
        else:
            values[t] = values[t - 1]
        if progress is not None:
            progress(t, n_steps)
    return values, world


def simulate(
    config: EmperorsDilemmaConfig,
    seed: int,
    run_id: str,
    progress: Callable[[int, int], None] | None = None,
) -> pa.Table:
    """The tidy table of one run (groups: all, believers, disbelievers)."""
    values, _ = run(config, seed, progress)
    steps = np.arange(values.shape[0])
    return to_table(run_id, steps, None, METRICS, GROUPS, values)


def person_steps(config: EmperorsDilemmaConfig) -> int:
    """Agent-decisions a run performs (upper bound: early settling skips some)."""
    return config.population.side**2 * config.dynamics.steps
