"""Reproduction checks of the emperor's dilemma (Centola, Willer & Macy 2005).

A run "cascades" when, once the rules reach a fixed point (or after ``_MAX_STEPS``), more
than half of the disbelievers comply with the norm they do not hold.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from loyalsim.models.checks import Check, CheckResult
from loyalsim.models.emperors_dilemma.simulate import GROUPS, METRICS, run
from loyalsim.scenario.schemas.emperors_dilemma import SOURCE, EmperorsDilemmaConfig

MODEL = "emperors_dilemma"
_MAX_STEPS = 500
_DISBELIEVERS = GROUPS.index("belief:disbeliever")
_FALSE_COMPLYING = METRICS.index("false_complying")
_N_FALSE_ENFORCERS = METRICS.index("n_false_enforcers")


def _config(**sections: dict[str, Any]) -> EmperorsDilemmaConfig:
    data: dict[str, Any] = {"dynamics": {"steps": _MAX_STEPS}}
    for key, values in sections.items():
        data[key] = {**data.get(key, {}), **values}
    return EmperorsDilemmaConfig.model_validate(data)


def cascade_rate(config: EmperorsDilemmaConfig, seeds: range) -> float:
    """Share of seeds whose run ends with most disbelievers complying."""
    hits = 0
    for seed in seeds:
        values, _ = run(config, seed)
        hits += values[-1, _DISBELIEVERS, _FALSE_COMPLYING] > 0.5
    return hits / len(seeds)


def max_false_enforcers(config: EmperorsDilemmaConfig, seeds: range) -> int:
    """Largest number of false enforcers seen at any step of any seed."""
    return max(int(run(config, seed)[0][:, 0, _N_FALSE_ENFORCERS].max()) for seed in seeds)


def _seeds(quick: bool, n_quick: int, n_full: int) -> range:
    return range(n_quick if quick else n_full)


def check_global_bound(quick: bool) -> CheckResult:
    """Fully connected: with n_B/(N−1) <= K no disbeliever can ever enforce falsely.

    Derivation: while nobody enforces falsely, the only norm enforcers are believers, so a
    disbeliever's pressure is at most n_B/(N−1) <= K < S + K (S > 0): no false enforcer can
    appear at the next decision, whatever the update order, so by induction none ever does.
    """
    side = 15 if quick else 30
    n_agents = side * side
    n_bound = int(np.floor(0.125 * (n_agents - 1)))
    seeds = _seeds(quick, 4, 100)
    below = above = 0
    for update in ("asynchronous", "synchronous"):
        population = {"side": side, "believer_share": n_bound / n_agents}
        cfg = _config(
            population=population, network={"kind": "global"}, dynamics={"update": update}
        )
        below = max(below, max_false_enforcers(cfg, seeds))
        population["believer_share"] = 2 * n_bound / n_agents
        cfg = _config(
            population=population, network={"kind": "global"}, dynamics={"update": update}
        )
        above = max(above, max_false_enforcers(cfg, seeds))
    return CheckResult(
        model=MODEL,
        check="no false enforcer when n_B/(N−1) <= K (fully connected)",
        source="derived from the equations of " + SOURCE,
        expected=f"0 false enforcers with {n_bound} believers of {n_agents} (both updates)",
        obtained=f"max {below} false enforcers over {2 * len(seeds)} runs "
        f"(with {2 * n_bound} believers: max {above})",
        tolerance="exact",
        passed=below == 0,
    )


def check_local_vs_global(quick: bool) -> CheckResult:
    """An unpopular norm cascades from a cluster on the lattice, never when fully connected."""
    side, seeds = (20, _seeds(quick, 10, 200)) if quick else (30, _seeds(quick, 10, 200))
    population = {"side": side, "believer_share": 0.05, "placement": "clustered"}
    local = cascade_rate(_config(population=population), seeds)
    full = cascade_rate(_config(population=population, network={"kind": "global"}), seeds)
    return CheckResult(
        model=MODEL,
        check="local interaction cascades, full connection does not (5 % believers)",
        source=SOURCE + " (abstract)",
        expected="cascade rate lattice >= 0.8, fully connected = 0",
        obtained=f"lattice {local:.2f}, fully connected {full:.2f} ({len(seeds)} seeds)",
        tolerance="rates as stated",
        passed=local >= 0.8 and full == 0.0,
    )


def check_clustering(quick: bool) -> CheckResult:
    """Clustered believers start cascades far more often than the same number scattered."""
    side = 30
    seeds = _seeds(quick, 12, 300)
    rates = {}
    for placement in ("clustered", "scattered"):
        population = {"side": side, "believer_share": 0.01, "placement": placement}
        rates[placement] = cascade_rate(_config(population=population), seeds)
    gap = rates["clustered"] - rates["scattered"]
    return CheckResult(
        model=MODEL,
        check="clustered believers cascade more often than scattered ones (1 %, lattice)",
        source=SOURCE,
        expected="rate(clustered) − rate(scattered) >= 0.3",
        obtained=f"clustered {rates['clustered']:.2f}, scattered {rates['scattered']:.2f} "
        f"({len(seeds)} seeds)",
        tolerance="difference >= 0.3",
        passed=gap >= 0.3,
    )


def check_long_range_ties(quick: bool) -> CheckResult:
    """Rewiring lattice ties into long-range ties makes cascades less likely."""
    probs = (0.0, 0.1, 0.3, 0.6)
    seeds = _seeds(quick, 12, 300)
    side = 20 if quick else 30
    rates = []
    for prob in probs:
        cfg = _config(
            population={"side": side, "believer_share": 0.05, "placement": "clustered"},
            network={"kind": "small_world", "rewire_prob": prob},
        )
        rates.append(cascade_rate(cfg, seeds))
    # Monte Carlo noise: allow a rise of one standard error of a rate between neighbours.
    slack = 0.5 / np.sqrt(len(seeds))
    falling = all(b <= a + slack for a, b in itertools.pairwise(rates))
    return CheckResult(
        model=MODEL,
        check="more long-range ties, fewer cascades (small world, clustered 5 %)",
        source=SOURCE + " (abstract)",
        expected="cascade rate falls with rewiring; rate(0) − rate(0.6) >= 0.3",
        obtained=", ".join(f"p={p}: {r:.2f}" for p, r in zip(probs, rates, strict=True))
        + f" ({len(seeds)} seeds)",
        tolerance=f"rise <= {slack:.2f} between neighbours",
        passed=falling and rates[0] - rates[-1] >= 0.3,
    )


CHECKS: list[Check] = [
    Check(MODEL, "global_bound", "derived from " + SOURCE, check_global_bound),
    Check(MODEL, "local_vs_global", SOURCE, check_local_vs_global),
    Check(MODEL, "clustering", SOURCE, check_clustering),
    Check(MODEL, "long_range_ties", SOURCE, check_long_range_ties),
]
