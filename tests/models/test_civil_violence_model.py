"""Invariants, properties and determinism of whole civil-violence runs."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalsim.models import get_model
from loyalsim.models.civil_violence.kernels import (
    ACTIVE,
    COP,
    EMPTY,
    GREEN_BIT,
    JAILED,
    KIND_CITIZEN,
    KIND_COP,
    QUIET,
    build_packed,
)
from loyalsim.models.civil_violence.simulate import run_state, simulate
from loyalsim.scenario.schemas.civil_violence import CivilViolenceConfig, load_preset


def small(name: str, steps: int = 40, size: int = 20) -> CivilViolenceConfig:
    config = load_preset(name)
    config.grid.width = config.grid.height = size
    config.schedule.steps = steps
    return config


def assert_grid_consistent(world: tuple, agents: tuple, two_groups: bool) -> None:
    grid, occ, _, packed = world
    kind, pos, state = agents[0], agents[1], agents[2]
    on_grid = np.flatnonzero(pos >= 0)
    # No two agents on a cell, and every occupant index points back at its cell.
    assert len(np.unique(pos[on_grid])) == len(on_grid)
    assert np.array_equal(np.sort(np.flatnonzero(occ >= 0)), np.sort(pos[on_grid]))
    assert np.all(occ[pos[on_grid]] == on_grid)
    assert np.all(grid[occ < 0] == EMPTY)
    height, stride = packed.shape
    width = grid.shape[0] // height
    assert np.array_equal(packed, build_packed(grid, width, height, (stride - width) // 2))
    for agent in on_grid:
        code = grid[pos[agent]]
        if kind[agent] == KIND_COP:
            assert code == COP
        else:
            assert kind[agent] == KIND_CITIZEN
            green = two_groups and agents[6][agent] == 1
            assert code == (state[agent] | GREEN_BIT if green else state[agent])
    assert np.all(np.isin(state[kind == KIND_CITIZEN], [QUIET, ACTIVE, JAILED]))


def test_model1_conserves_agents_and_keeps_one_agent_per_cell():
    for name in ("civil-violence-mesa", "civil-violence-run2"):
        config = small(name)
        counts, _, _, world, agents = run_state(config, seed=5)
        totals = counts[:, 0, :].sum(axis=1)
        assert np.all(totals == totals[0])
        assert_grid_consistent(world, agents, two_groups=False)


def test_netlogo_variant_keeps_grid_consistent():
    config = small("civil-violence-run2")
    config.citizens.arrest_rule = "floor"
    config.citizens.self_count = "twice"
    config.cops.moves_to_arrestee = True
    config.schedule.action_order = "move_then_act"
    config.cops.jail_draw = "integer_exclusive"
    counts, _, _, world, agents = run_state(config, seed=2)
    assert np.all(counts[:, 0, :].sum(axis=1) == counts[0, 0, :].sum())
    assert_grid_consistent(world, agents, two_groups=False)


def test_model2_keeps_grid_consistent_and_counts_groups():
    config = small("civil-violence-run8", steps=60)
    counts, events, _, world, agents = run_state(config, seed=3)
    assert_grid_consistent(world, agents, two_groups=True)
    assert np.array_equal(counts[:, 0, :3], counts[:, 1, :3] + counts[:, 2, :3])
    alive = counts[:, 0, :3].sum(axis=1)
    change = events[1:, 0] - events[1:, 1] - events[1:, 2]
    assert np.array_equal(np.diff(alive), change)


def test_cop_reduction_leaves_the_remaining_density():
    config = small("civil-violence-run5", steps=30)
    config.cop_reduction.step = 10
    counts = run_state(config, seed=1)[0]
    assert counts[9, 0, 3] == round(0.074 * 400)
    assert counts[10, 0, 3] == round(0.04 * 400)


def test_legitimacy_schedules():
    table = simulate(small("civil-violence-run3", steps=100), 0, "g")
    legit = table.filter(pc.equal(table["metric"], "legitimacy"))["value"].to_numpy()
    assert legit[76] == 0.9 and legit[77] == 0.89 and legit[-1] == 0.9 - 0.24
    table = simulate(small("civil-violence-run4", steps=80), 0, "s")
    legit = table.filter(pc.equal(table["metric"], "legitimacy"))["value"].to_numpy()
    assert legit[76] == 0.9 and np.all(legit[77:] == 0.7)


def test_spec_and_same_seed_same_table():
    spec = get_model("civil_violence")
    config = small("civil-violence-run7")
    assert spec.person_steps(config) == 280 * 40
    calls: list[tuple[int, int]] = []
    first = spec.simulate(config, 11, "a", progress=lambda d, t: calls.append((d, t)))
    assert first.equals(spec.simulate(config, 11, "a"))
    assert not first.equals(spec.simulate(config, 12, "a"))
    assert calls[-1] == (40, 40)
    assert set(first["group"].to_pylist()) == {"all", "group:blue", "group:green"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32),
    legitimacy=st.floats(0.0, 1.0),
    cop_density=st.floats(0.0, 0.2),
    rule=st.sampled_from(["exact", "floor", "round"]),
    shape=st.sampled_from(["moore", "von_neumann", "euclidean"]),
    two_groups=st.booleans(),
)
def test_shares_are_probabilities_that_sum_to_one(
    seed, legitimacy, cop_density, rule, shape, two_groups
):
    config = CivilViolenceConfig.model_validate(
        {
            "grid": {"width": 12, "height": 12, "cop_density": cop_density},
            "citizens": {"legitimacy": legitimacy, "vision": 2.5, "arrest_rule": rule},
            "cops": {"vision": 2.5, "max_jail_term": 5},
            "schedule": {"steps": 15, "neighbourhood": shape},
            "model2": {"enabled": two_groups},
        }
    )
    table = simulate(config, seed, "p")
    rows = table.filter(pc.equal(table["group"], "all")).to_pydict()
    by_metric: dict[str, list[float]] = {}
    for metric, value in zip(rows["metric"], rows["value"], strict=True):
        by_metric.setdefault(metric, []).append(value)
    shares = np.array([by_metric[m] for m in ("quiet", "active", "jailed")])
    assert np.all((shares >= 0) & (shares <= 1))
    assert np.allclose(shares.sum(axis=0), 1.0)
    assert np.all(np.isin(by_metric["outburst"], [0.0, 1.0]))
    assert table.equals(simulate(config, seed, "p"))
